package app

import (
	"strings"

	"github.com/valyala/bytebufferpool"
)

// The escapers of the pages written in Go (topic_frame.go). Each writes
// what html/template writes for a string in the same place, byte for byte,
// so a page written in Go equals the one its template would write
// (TestEscapersMatchHTMLTemplate holds them to it): html/template escapes
// '+' too, which template.HTMLEscapeString does not.

// htmlReplacements is html/template's table for text, RCDATA (<title>,
// <textarea>) and quoted attribute values.
var htmlReplacements = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlText is writeHTML for a page built in a strings.Builder (the
// profile's list): the same table, so the two cannot drift apart.
var htmlText = func() func(string) string {
	var pairs []string
	for c, escaped := range htmlReplacements {
		if escaped != "" {
			pairs = append(pairs, string(rune(c)), escaped)
		}
	}
	return strings.NewReplacer(pairs...).Replace
}()

// writeHTML writes s as text or as a quoted attribute's value.
func writeHTML(b *bytebufferpool.ByteBuffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlReplacements) || htmlReplacements[c] == "" {
			continue
		}
		b.B = append(b.B, s[written:i]...)
		b.B = append(b.B, htmlReplacements[c]...)
		written = i + 1
	}
	b.B = append(b.B, s[written:]...)
}

// writeURL writes s where a URL attribute's value starts (href="{{.}}"):
// a URL of another scheme than http, https or mailto is refused, as
// html/template refuses it, then s is normalized.
func writeURL(b *bytebufferpool.ByteBuffer, s string) {
	if !isSafeURL(s) {
		b.B = append(b.B, "#ZgotmplZ"...)
		return
	}
	writeURLPart(b, s)
}

// writeURLPart writes s inside a URL attribute before its query
// (href="/b/{{.}}"): characters a URL may not hold are percent-encoded,
// and escapes already there are kept.
func writeURLPart(b *bytebufferpool.ByteBuffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0 || isAlphanumeric(c):
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		writeHTML(b, s[written:i])
		b.B = appendPercent(b.B, c)
		written = i + 1
	}
	writeHTML(b, s[written:])
}

// writeQueryValue writes s inside a URL's query (href="/x?q={{.}}"):
// every byte but the unreserved ones is percent-encoded, a space as %20.
func writeQueryValue(b *bytebufferpool.ByteBuffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlphanumeric(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			continue
		}
		b.B = append(b.B, s[written:i]...)
		b.B = appendPercent(b.B, c)
		written = i + 1
	}
	b.B = append(b.B, s[written:]...)
}

// isSafeURL is html/template's test of a URL's scheme.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

func appendPercent(b []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	return append(b, '%', hex[c>>4], hex[c&15])
}

func isAlphanumeric(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
