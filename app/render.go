package app

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/bytebufferpool"
)

// composerView is what the composer partial needs.
type composerView struct {
	Form *composer
	CSRF string
}

// viewSet holds one template per page, each with the base layout and the
// partials it uses. The layout and partials are parsed at start-up; each
// page's own file is parsed, and the layout and partials it calls copied to
// it, the first time the page is asked for, or by warm, which a node runs
// beside its start: parsing and copying some sixty pages was most of the
// time app.New took, and a node answers /readyz without any of them.
type viewSet struct {
	pages map[string]*pageTemplate
	// head is the head's links and iconSrc the brand's icon, as the
	// layout writes them, for the pages written in Go (topic_frame.go).
	head    template.HTML
	iconSrc string
}

func loadViews(fsys fs.FS, funcs template.FuncMap) (*viewSet, error) {
	// The head's links are the same on every page: written once here,
	// they cost a page one call rather than seven asset lookups, each with
	// its escapers.
	var head template.HTML
	funcs = maps.Clone(funcs)
	funcs["headAssets"] = func() template.HTML { return head }
	parts, err := loadParts(fsys, funcs)
	if err != nil {
		return nil, err
	}
	if f := parts.file["head_assets"]; f != nil {
		// On a copy: a template that has run can no longer be cloned.
		once, err := f.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone the head's links: %w", err)
		}
		var b strings.Builder
		if err := once.ExecuteTemplate(&b, "head_assets", nil); err != nil {
			return nil, fmt.Errorf("write the head's links: %w", err)
		}
		head = template.HTML(b.String()) //nolint:gosec // written by html/template just now
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	icon, err := brandIconSrc(funcs)
	if err != nil {
		return nil, err
	}
	v := &viewSet{pages: make(map[string]*pageTemplate, len(files)), head: head, iconSrc: icon}
	for _, file := range files {
		v.pages[strings.TrimSuffix(path.Base(file), ".html")] = &pageTemplate{parts: parts, funcs: funcs, fsys: fsys, file: file}
	}
	return v, nil
}

// viewParts are the layouts' and partials' templates, parsed once, file by
// file, for pages to copy the ones they call.
//
// A page holds a copy of what it may run: html/template escapes a set's
// templates in place the first time it runs them, so sets cannot share
// them. Copying every partial to every page kept some sixty copies of all
// of them, 16 MB of the server's heap under load at a million posts (two
// fifths of what it kept alive), for the few each page calls; a page now
// holds the files whose templates it calls, and the files those call.
type viewParts struct {
	// file is the file's templates, by the name of each template it
	// defines; never executed.
	file map[string]*template.Template
}

func loadParts(fsys fs.FS, funcs template.FuncMap) (*viewParts, error) {
	var files []string
	for _, pattern := range []string{"layouts/*.html", "partials/*.html"} {
		found, err := fs.Glob(fsys, pattern)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", pattern, err)
		}
		files = append(files, found...)
	}
	parts := &viewParts{file: map[string]*template.Template{}}
	for _, file := range files {
		t, err := template.New(file).Funcs(funcs).ParseFS(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("parse layout and partials: %w", err)
		}
		for _, d := range t.Templates() {
			if d.Tree == nil || d.Name() == path.Base(file) {
				continue // the file's text outside its definitions
			}
			if other, ok := parts.file[d.Name()]; ok && other != t {
				return nil, fmt.Errorf("parse layout and partials: %s defines %q, which another file defines too", file, d.Name())
			}
			parts.file[d.Name()] = t
		}
	}
	return parts, nil
}

// addCalled copies to t the parts' files that define roots, and those whose
// templates t calls and does not define, and then the files those call,
// until t calls nothing it lacks. A name no file defines is left for the
// page's execution to report, as it did when every page held every partial.
func (p *viewParts) addCalled(t *template.Template, roots ...string) error {
	added := map[*template.Template]bool{}
	for {
		var missing []*template.Template
		need := func(name string) {
			f := p.file[name]
			if f != nil && !added[f] && t.Lookup(name) == nil {
				added[f] = true
				missing = append(missing, f)
			}
		}
		for _, name := range roots {
			need(name)
		}
		for _, d := range t.Templates() {
			if d.Tree != nil {
				for _, name := range calledTemplates(d.Tree.Root) {
					need(name)
				}
			}
		}
		if len(missing) == 0 {
			return nil
		}
		for _, f := range missing {
			for _, d := range f.Templates() {
				if d.Tree == nil || t.Lookup(d.Name()) != nil {
					continue // the page's own definition wins, as a later parse's did
				}
				if _, err := t.AddParseTree(d.Name(), d.Tree.Copy()); err != nil {
					return fmt.Errorf("add %s: %w", d.Name(), err)
				}
			}
		}
	}
}

// calledTemplates lists the names of the templates node calls with
// {{template}} (a {{block}} is a call too, once parsed).
func calledTemplates(node parse.Node) []string {
	var names []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			names = append(names, n.Name)
		}
	}
	walk(node)
	return names
}

// pageTemplate is one page's template, parsed once, when first needed.
type pageTemplate struct {
	parts *viewParts
	funcs template.FuncMap
	fsys  fs.FS
	file  string
	once  sync.Once
	t     *template.Template
	err   error
}

func (p *pageTemplate) get() (*template.Template, error) {
	p.once.Do(func() {
		t, err := template.New("base").Funcs(p.funcs).ParseFS(p.fsys, p.file)
		if err != nil {
			p.err = fmt.Errorf("parse %s: %w", p.file, err)
			return
		}
		// Every page runs in the layout, which calls what the page defines.
		if err := p.parts.addCalled(t, "layout"); err != nil {
			p.err = fmt.Errorf("add the partials %s calls: %w", p.file, err)
			return
		}
		p.t = t
	})
	return p.t, p.err
}

// page is the named page's template, parsed now if no one has yet.
func (v *viewSet) page(name string) (*template.Template, error) {
	p, ok := v.pages[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	return p.get()
}

// warm parses every page not parsed yet and reports the pages that do not
// parse (which the tests see on the first render of each page too).
func (v *viewSet) warm() error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(v.pages)) {
		if _, err := v.pages[name].get(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// brandIconSrc is the layout's icon address as its <img src> holds it.
func brandIconSrc(funcs template.FuncMap) (string, error) {
	const start, end = `<img src="`, `">`
	t, err := template.New("icon").Funcs(funcs).Parse(start + `{{asset "img/icon.svg"}}` + end)
	if err != nil {
		return "", fmt.Errorf("parse the icon's address: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, nil); err != nil {
		return "", fmt.Errorf("write the icon's address: %w", err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), start), end), nil
}

// render executes a page into a pooled buffer first, so a template error
// becomes a clean error page rather than half a page.
func (v *viewSet) render(c *fiber.Ctx, name string, data any) error {
	t, err := v.page(name)
	if err != nil {
		return err
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	sendHTML(c, buf.B)
	return nil
}

// sendHTML sets a copy of page as the response's body. A copy, because
// page is a pooled buffer that goes back to the pool when the handler
// returns, before the response is written out (c.Send would keep page
// itself, and another request could write over it meanwhile).
func sendHTML(c *fiber.Ctx, page []byte) {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Response().SetBody(page)
}

// renderFragment executes a named partial alone, for the preview endpoint.
func (v *viewSet) renderFragment(c *fiber.Ctx, page, name string, data any) error {
	t, err := v.page(page)
	if err != nil {
		return err
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	sendHTML(c, buf.B)
	return nil
}

func templateFuncs(assets *assets, now func() time.Time) template.FuncMap {
	return template.FuncMap{
		"asset": assets.url,
		"ago": func(t time.Time) string {
			return ago(now().Sub(t))
		},
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"stamp":      func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") },
		"plural":     plural,
		"add":        func(a, b int) int { return a + b },
		"profession": professionLabel,
		"int":        func(n int64) int { return int(n) },
		"cooked":     cookedHTML,
		"compose": func(form *composer, csrf string) composerView {
			return composerView{Form: form, CSRF: csrf}
		},
		"levelForm": func(l *levelControl, csrf string) levelView {
			return levelView{levelControl: l, CSRF: csrf}
		},
		// The text inputs of the verification application.
		"verifyField": verifyField,
		"adminField":  adminField,
		// The problems of a form, in the order of the fields named.
		"problems": func(errs map[string]string, fields string) []fieldProblem {
			return problemsInOrder(errs, strings.Fields(fields))
		},
	}
}

// cookedHTML marks HTML that was sanitized when the post was saved.
func cookedHTML(s string) template.HTML { return template.HTML(s) } //nolint:gosec // sanitized at write time

var professions = map[string]string{
	"physician":           "Physician",
	"nurse_practitioner":  "Nurse practitioner",
	"physician_assistant": "Physician assistant",
	"nurse":               "Nurse",
	"pharmacist":          "Pharmacist",
	"other":               "Licensed clinician",
}

func professionLabel(p string) string { return professions[p] }
