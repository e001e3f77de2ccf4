package app

import (
	"html/template"
	"strings"
	"testing"

	"github.com/valyala/bytebufferpool"
)

// The Go escapers of the topic page write what html/template writes for
// the same string in the same place.
func TestEscapersMatchHTMLTemplate(t *testing.T) {
	places := []struct {
		name     string
		template string
		write    func(*bytebufferpool.ByteBuffer, string)
	}{
		{"text", `<p>{{.}}</p>`, writeHTML},
		{"title", `<title>{{.}}</title>`, writeHTML},
		{"textarea", `<textarea>{{.}}</textarea>`, writeHTML},
		{"attribute", `<input value="{{.}}">`, writeHTML},
		{"plain data attribute", `<div data-csrf="{{.}}">`, writeHTML},
		{"URL", `<a href="{{.}}">`, writeURL},
		{"URL data attribute", `<div data-url="{{.}}">`, writeURL},
		{"form action", `<form action="{{.}}">`, writeURL},
		{"URL path", `<a href="/b/{{.}}">`, writeURLPart},
		{"URL query", `<a href="/sign-in?return={{.}}">`, writeQueryValue},
	}
	values := []string{
		"", "plain", "Dr. Amara O'Neil & <co> \"quoted\"", "C++ + 1", "a\x00b", "ünïcödé — “quotes” ·", "\xff\xfe bad UTF-8",
		"/t/12/rate-or-rhythm?page=2#post-41", "/sign-in?return=/t/1&x=y z", "javascript:alert(1)", "JavaScript:x", "mailto:a@b.c",
		"HTTPS://example.org/a b", "/path/with:colon", "100%", "%41%zz%4", "~user_name-1.2", "tab\tnew\nline", "a'b(c)d*e!f", "[]@$,;=",
		"data:text/html,<b>", "\uFDD0\uFFFE",
	}
	for _, place := range places {
		tmpl := template.Must(template.New(place.name).Parse(place.template))
		prefix, suffix, _ := strings.Cut(place.template, "{{.}}")
		for _, value := range values {
			var want strings.Builder
			if err := tmpl.Execute(&want, value); err != nil {
				t.Fatalf("%s: %v", place.name, err)
			}
			b := bytebufferpool.Get()
			place.write(b, value)
			got := prefix + string(b.B) + suffix
			bytebufferpool.Put(b)
			if got != want.String() {
				t.Errorf("%s of %q:\n got %q\nwant %q", place.name, value, got, want.String())
			}
		}
	}

	// The string forms, for pages built in a strings.Builder, are the same
	// appenders, for strings longer than their buffer on the stack too.
	forms := []struct {
		name   string
		text   func(string) string
		append func([]byte, string) []byte
	}{
		{"htmlText", htmlText, appendHTML},
		{"urlText", urlText, appendURL},
		{"urlPartText", urlPartText, appendURLPart},
	}
	long := strings.Repeat(`C++ & "ü" `, 40)
	for _, form := range forms {
		for _, value := range append(values, long, long[:255], long[:257]) {
			if got, want := form.text(value), string(form.append(nil, value)); got != want {
				t.Errorf("%s of %q:\n got %q\nwant %q", form.name, value, got, want)
			}
		}
	}
}
