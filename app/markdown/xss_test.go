package markdown

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"rounds/models/testenv"
)

// payloadList is one file of the shared XSS payload lists.
type payloadList struct {
	name  string
	lines []string // non-empty lines, in file order
}

func readPayloads(dir string) ([]payloadList, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("list XSS payloads in %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.txt XSS payload lists in %s", dir)
	}
	var lists []payloadList
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open XSS payloads: %w", err)
		}
		list := payloadList{name: filepath.Base(path)}
		scanner := bufio.NewScanner(f)
		scanner.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for scanner.Scan() {
			if line := strings.TrimRight(scanner.Text(), "\r"); strings.TrimSpace(line) != "" {
				list.lines = append(list.lines, line)
			}
		}
		err = scanner.Err()
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return nil, fmt.Errorf("read XSS payloads %s: %w", path, err)
		}
		lists = append(lists, list)
	}
	return lists, nil
}

// payloadForms are the ways a payload reaches the renderer: as a post body,
// and in each place markdown takes a URL.
var payloadForms = []struct {
	name string
	wrap func(payload string) string
}{
	{"raw", func(p string) string { return p }},
	{"link", func(p string) string { return "[x](" + p + ")" }},
	{"image", func(p string) string { return "![x](" + p + ")" }},
	{"autolink", func(p string) string { return "<" + p + ">" }},
	{"reference", func(p string) string { return "[x][r]\n\n[r]: " + p + "\n" }},
}

func TestRenderIsSafeForXSSPayloads(t *testing.T) {
	lists, err := readPayloads(testenv.SharedData(t, "xss"))
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	for _, list := range lists {
		t.Run(list.name, func(t *testing.T) {
			if len(list.lines) == 0 {
				t.Fatalf("%s has no payloads", list.name)
			}
			for _, form := range payloadForms {
				t.Run(form.name, func(t *testing.T) {
					for i, payload := range list.lines {
						out, err := renderHTML(r, form.wrap(payload))
						if err != nil {
							t.Errorf("line %d %q: Render: %v", i+1, payload, err)
							continue
						}
						if err := checkSafe(out); err != nil {
							t.Errorf("line %d %q: %v\nHTML: %s", i+1, payload, err, out)
						}
					}
				})
			}
		})
	}
}

// assertSafe fails the test unless rendered is safe to put in a page.
func assertSafe(t testing.TB, rendered string) {
	t.Helper()
	if err := checkSafe(rendered); err != nil {
		t.Errorf("unsafe HTML: %v\nHTML: %s", err, rendered)
	}
}

// forbiddenElements can run script, load other documents, restyle the
// page or collect input.
var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "object": true, "embed": true,
	"style": true, "link": true, "meta": true, "base": true, "form": true,
	"svg": true, "math": true, "frame": true, "frameset": true,
	"applet": true, "input": true, "textarea": true, "button": true,
	"select": true,
}

// urlAttributes are the attributes a browser resolves as a URL.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "srcset": true, "action": true,
	"formaction": true, "xlink:href": true, "background": true,
	"poster": true, "cite": true, "data": true, "ping": true,
	"longdesc": true, "lowsrc": true, "dynsrc": true,
}

var footnoteID = regexp.MustCompile(`^fn[0-9a-f]{8}-fn(ref[0-9]*)?:[0-9]+$`)

// checkSafe parses rendered the way a browser does when it appears inside
// a post's container and reports the first thing in it that could run
// script, load a non-http(s) resource or clobber the page.
func checkSafe(rendered string) error {
	container := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(rendered), container)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	for _, n := range nodes {
		if err := checkNode(n); err != nil {
			return err
		}
	}
	return nil
}

func checkNode(n *html.Node) error {
	if n.Type == html.ElementNode {
		if err := checkElement(n); err != nil {
			return err
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := checkNode(c); err != nil {
			return err
		}
	}
	return nil
}

func checkElement(n *html.Node) error {
	name := strings.ToLower(n.Data)
	if n.Namespace != "" {
		return fmt.Errorf("foreign element <%s:%s>", n.Namespace, name)
	}
	if forbiddenElements[name] && !(name == "input" && isDisabledCheckbox(n)) {
		return fmt.Errorf("forbidden element <%s>", name)
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = strings.ToLower(a.Namespace) + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on"):
			return fmt.Errorf("event handler attribute %s on <%s>", key, name)
		case key == "style":
			// Table alignment uses the align attribute, so no CSS at all.
			return fmt.Errorf("style attribute on <%s>", name)
		case key == "id" || key == "name":
			if !footnoteID.MatchString(a.Val) {
				return fmt.Errorf("%s=%q on <%s> could clobber the page", key, a.Val, name)
			}
		case key == "srcset":
			for _, candidate := range strings.Split(a.Val, ",") {
				fields := strings.Fields(candidate)
				if len(fields) > 0 && !isSafeURL(fields[0]) {
					return fmt.Errorf("srcset=%q on <%s>", a.Val, name)
				}
			}
		case urlAttributes[key]:
			if !isSafeURL(a.Val) {
				return fmt.Errorf("%s=%q on <%s>", key, a.Val, name)
			}
		}
	}
	switch name {
	case "img":
		if src, ok := attr(n, "src"); ok {
			if scheme, _ := urlScheme(src); scheme != "http" && scheme != "https" {
				return fmt.Errorf("img src=%q is not http(s)", src)
			}
		}
	case "a":
		if _, ok := attr(n, "href"); ok {
			if rel, _ := attr(n, "rel"); rel != linkRel {
				return fmt.Errorf("<a> has rel=%q, want %q", rel, linkRel)
			}
		}
	}
	return nil
}

func isDisabledCheckbox(n *html.Node) bool {
	typ, _ := attr(n, "type")
	_, disabled := attr(n, "disabled")
	return strings.EqualFold(typ, "checkbox") && disabled
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// isSafeURL reports whether a browser would treat raw as a reference
// without a scheme (relative or fragment) or as an http, https or mailto URL.
func isSafeURL(raw string) bool {
	scheme, ok := urlScheme(raw)
	if !ok {
		return true
	}
	switch scheme {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// urlScheme returns the lower-cased scheme a browser would find in raw,
// following the WHATWG URL parser: it removes tabs and newlines anywhere and
// C0 controls and spaces at both ends, then looks for an ASCII letter followed
// by letters, digits, "+", "-" or "." up to the first ":".
func urlScheme(raw string) (string, bool) {
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return "", false
	}
	scheme := s[:colon]
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		isLetter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		isOther := '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
		if !isLetter && (i == 0 || !isOther) {
			return "", false
		}
	}
	return strings.ToLower(scheme), true
}

func TestCheckSafeCatchesUnsafeHTML(t *testing.T) {
	// The safety check is only worth something if it fails on what it is
	// meant to catch.
	tests := []struct {
		name string
		html string
	}{
		{"script", `<script>alert(1)</script>`},
		{"event handler", `<img src="https://x/y.png" onerror="alert(1)">`},
		{"javascript link", `<a href="javascript:alert(1)" rel="nofollow ugc noopener noreferrer">x</a>`},
		{"obfuscated scheme", "<a href=\" \x01java\tscr\nipt:alert(1)\" rel=\"nofollow ugc noopener noreferrer\">x</a>"},
		{"entity scheme", `<a href="javascript&#58;alert(1)" rel="nofollow ugc noopener noreferrer">x</a>`},
		{"data image", `<img src="data:image/png;base64,AAAA">`},
		{"relative image", `<img src="/logout">`},
		{"vbscript", `<a href="VBScript:msgbox(1)" rel="nofollow ugc noopener noreferrer">x</a>`},
		{"missing rel", `<a href="https://example.com">x</a>`},
		{"style", `<p style="position:fixed">x</p>`},
		{"svg", `<svg><a href="https://x">x</a></svg>`},
		{"text input", `<input type="text">`},
		{"enabled checkbox", `<input type="checkbox">`},
		{"clobbering id", `<p id="currentUser">x</p>`},
		{"srcset", `<img src="https://x/y.png" srcset="javascript:alert(1) 1x">`},
		{"form", `<form action="https://x"><p>x</p></form>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkSafe(tt.html); err == nil {
				t.Errorf("checkSafe(%q) = nil, want an error", tt.html)
			}
		})
	}
}
