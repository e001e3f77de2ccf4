// Package public embeds Rounds' static files: the stylesheet, a little
// JavaScript and the icons. The app serves them under content-hash URLs.
package public

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
