package app

import (
	"strings"

	"github.com/valyala/bytebufferpool"
)

// The escapers of the pages written in Go: the topic page's frame
// (topic_frame.go) into a bytebufferpool buffer, its posts (topic_posts.go),
// the lists of topics and search results into a strings.Builder. Each
// writes what html/template writes for a string in the same place, byte
// for byte, so a page written in Go equals the one its template would
// write (TestEscapersMatchHTMLTemplate holds them to it): html/template
// escapes '+' too, which template.HTMLEscapeString does not, and
// normalizes URLs with lower-case percent escapes, where url.PathEscape
// writes upper-case ones and escapes more. There is one appender for each
// place; the writers and the string forms below are the same appender.

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

// appendHTML appends s as text or as a quoted attribute's value.
func appendHTML(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlReplacements) || htmlReplacements[c] == "" {
			continue
		}
		b = append(b, s[written:i]...)
		b = append(b, htmlReplacements[c]...)
		written = i + 1
	}
	return append(b, s[written:]...)
}

// appendURL appends s where a URL attribute's value starts (href="{{.}}"):
// a URL of another scheme than http, https or mailto is refused, as
// html/template refuses it, then s is normalized.
func appendURL(b []byte, s string) []byte {
	if !isSafeURL(s) {
		return append(b, "#ZgotmplZ"...)
	}
	return appendURLPart(b, s)
}

// appendURLPart appends s inside a URL attribute before its query
// (href="/b/{{.}}"): characters a URL may not hold are percent-encoded,
// and escapes already there are kept.
func appendURLPart(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0 || isAlphanumeric(c):
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		b = appendHTML(b, s[written:i])
		b = appendPercent(b, c)
		written = i + 1
	}
	return appendHTML(b, s[written:])
}

// appendQueryValue appends s inside a URL's query (href="/x?q={{.}}"):
// every byte but the unreserved ones is percent-encoded, a space as %20.
func appendQueryValue(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlphanumeric(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			continue
		}
		b = append(b, s[written:i]...)
		b = appendPercent(b, c)
		written = i + 1
	}
	return append(b, s[written:]...)
}

// writeHTML writes s as text or as a quoted attribute's value.
func writeHTML(b *bytebufferpool.ByteBuffer, s string) { b.B = appendHTML(b.B, s) }

// writeURL writes s where a URL attribute's value starts (appendURL).
func writeURL(b *bytebufferpool.ByteBuffer, s string) { b.B = appendURL(b.B, s) }

// writeURLPart writes s inside a URL attribute before its query
// (appendURLPart).
func writeURLPart(b *bytebufferpool.ByteBuffer, s string) { b.B = appendURLPart(b.B, s) }

// writeQueryValue writes s inside a URL's query (appendQueryValue).
func writeQueryValue(b *bytebufferpool.ByteBuffer, s string) { b.B = appendQueryValue(b.B, s) }

// The string forms, for the pages built in a strings.Builder. Most strings
// need no escaping: each is escaped into a buffer on the stack and s
// itself is returned when nothing changed, so only a string that changes
// is copied to the heap.

// htmlText is s as text or as a quoted attribute's value (appendHTML).
func htmlText(s string) string {
	var buf [256]byte
	return changed(s, appendHTML(buf[:0], s))
}

// urlText is s where a URL attribute's value starts (appendURL).
func urlText(s string) string {
	var buf [256]byte
	return changed(s, appendURL(buf[:0], s))
}

// urlPartText is s inside a URL attribute before its query (appendURLPart).
func urlPartText(s string) string {
	var buf [256]byte
	return changed(s, appendURLPart(buf[:0], s))
}

// changed is escaped as a string: s itself when escaping left it as it was.
func changed(s string, escaped []byte) string {
	if string(escaped) == s {
		return s
	}
	return string(escaped)
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
