package app

import (
	"slices"
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

// TestPagesHoldOnlyThePartialsTheyCall checks that a page's template set
// has the layout, the files of the partials it calls (every template in
// such a file, and the partials those call in turn) and nothing else: each
// page keeps its own copy of what it holds, for the life of the node.
func TestPagesHoldOnlyThePartialsTheyCall(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/base.html":      {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{template "footer"}}{{end}}`)},
		"partials/footer.html":   {Data: []byte(`{{define "footer"}}<footer>{{end}}`)},
		"partials/note.html":     {Data: []byte(`{{define "note"}}<p>{{template "quote" .}}</p>{{end}}{{define "note_preview"}}{{.}}{{end}}`)},
		"partials/quote.html":    {Data: []byte(`{{define "quote"}}<q>{{.}}</q>{{end}}`)},
		"partials/unused.html":   {Data: []byte(`{{define "unused"}}{{template "quote" .}}{{end}}`)},
		"partials/choice.html":   {Data: []byte(`{{define "choice"}}<i>{{.}}</i>{{end}}`)},
		"partials/override.html": {Data: []byte(`{{define "title"}}shared{{end}}`)},
		"pages/notes.html": {Data: []byte(`{{define "content"}}{{if .}}{{range .}}{{template "note" .}}{{end}}{{else}}{{with .}}{{else}}{{template "choice" "none"}}{{end}}{{end}}{{template "title"}}{{end}}` +
			`{{define "title"}}own{{end}}`)},
		"pages/plain.html": {Data: []byte(`{{define "content"}}<b>{{.}}</b>{{end}}`)},
	}
	v, err := loadViews(fsys, map[string]any{"asset": func(string) string { return "/static/x" }})
	if err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string][]string{
		"notes": {"choice", "content", "footer", "layout", "note", "note_preview", "quote", "title"},
		"plain": {"content", "footer", "layout"},
	} {
		tmpl, err := v.page(page)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range tmpl.Templates() {
			if d.Tree != nil && !strings.HasSuffix(d.Name(), ".html") {
				got = append(got, d.Name())
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("page %s holds %v, want %v", page, got, want)
		}
	}
	tmpl, err := v.page("notes")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, "layout", []string{"a < b"}); err != nil {
		t.Fatal(err)
	}
	if want := "<main><p><q>a &lt; b</q></p>own</main><footer>"; b.String() != want {
		t.Errorf("notes page: %q, want %q", b.String(), want)
	}
}
