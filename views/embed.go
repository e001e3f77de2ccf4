// Package views embeds Rounds' HTML templates: one base layout, shared
// partials and a template per page. The app parses them at start-up, so a
// broken template stops the boot instead of a request.
package views

import "embed"

// FS holds layouts/, partials/, pages/ and emails/.
//
//go:embed layouts partials pages emails
var FS embed.FS
