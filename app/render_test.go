package app

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"rounds/public"
	"rounds/views"
)

// TestEveryPageTemplateParses parses every page the way a node's start does
// beside it (warm): a page whose file does not parse is found here, not by
// the first member to open it.
func TestEveryPageTemplateParses(t *testing.T) {
	assets, err := loadAssets(public.FS)
	if err != nil {
		t.Fatal(err)
	}
	v, err := loadViews(views.FS, templateFuncs(assets, time.Now))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.pages) < 40 {
		t.Fatalf("%d pages found, want the site's pages", len(v.pages))
	}
	if err := v.warm(); err != nil {
		t.Fatal(err)
	}
	for name, p := range v.pages {
		if p.t == nil || p.t.Lookup("layout") == nil {
			t.Errorf("page %s: not parsed with the layout", name)
		}
	}
}

// TestPagesParseWhenFirstAsked checks that a page is parsed on its first
// render, that a page which does not parse fails alone, with its file named,
// and that the others still render.
func TestPagesParseWhenFirstAsked(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/base.html":  {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"partials/note.html": {Data: []byte(`{{define "note"}}<p>{{.}}</p>{{end}}`)},
		"pages/good.html":    {Data: []byte(`{{define "content"}}{{template "note" .}}{{end}}`)},
		"pages/other.html":   {Data: []byte(`{{define "content"}}<b>{{.}}</b>{{end}}`)},
		"pages/broken.html":  {Data: []byte(`{{define "content"}}{{if .}}unclosed{{end}}`)},
	}
	v, err := loadViews(fsys, map[string]any{"asset": func(string) string { return "/static/x" }})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range v.pages {
		if p.t != nil {
			t.Errorf("page %s parsed before it was asked for", name)
		}
	}
	for _, c := range []struct{ page, want string }{{"good", "<main><p>a &lt; b</p></main>"}, {"other", "<main><b>a &lt; b</b></main>"}} {
		tmpl, err := v.page(c.page)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, "layout", "a < b"); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("page %s: %q, want %q", c.page, b.String(), c.want)
		}
	}
	if _, err := v.page("broken"); err == nil || !strings.Contains(err.Error(), "pages/broken.html") {
		t.Errorf("broken page: %v, want an error naming pages/broken.html", err)
	}
	if err := v.warm(); err == nil || !strings.Contains(err.Error(), "pages/broken.html") {
		t.Errorf("warm: %v, want an error naming pages/broken.html", err)
	}
	if _, err := v.page("missing"); err == nil {
		t.Error("a page that does not exist gave no error")
	}
}
