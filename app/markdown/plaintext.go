package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PlainText strips markup for search indexing, snippets and excerpts: it
// returns the readable text of the markdown with whitespace collapsed. Raw
// HTML is left out, as Render leaves it out. The result is text, not HTML:
// a member's literal "<" stays "<", so escape it wherever it is displayed.
func (r *Renderer) PlainText(source string) string {
	src := []byte(normalizeSource(source))
	doc := r.md.Parser().Parse(text.NewReader(src))

	w := plainWriter{}
	w.b.Grow(len(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock || n.Kind() == extast.KindTableCell {
			// Words in neighbouring blocks and cells must not run together.
			w.space()
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			w.text(n.Value(src), n.IsRaw())
			if n.SoftLineBreak() || n.HardLineBreak() {
				w.space()
			}
		case *ast.String:
			w.text(n.Value, n.IsRaw())
		case *ast.AutoLink:
			w.text(n.Label(src), true)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				line := lines.At(i)
				w.text(line.Value(src), true)
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML, *extast.TaskCheckBox,
			*extast.FootnoteLink, *extast.FootnoteBacklink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return w.b.String()
}

// plainWriter collapses every run of whitespace to one space and drops it at
// both ends.
type plainWriter struct {
	b            strings.Builder
	pendingSpace bool
}

func (w *plainWriter) space() {
	if w.b.Len() > 0 {
		w.pendingSpace = true
	}
}

func (w *plainWriter) text(v []byte, raw bool) {
	if !raw && bytes.ContainsAny(v, `\&`) {
		v = util.UnescapePunctuations(v)
		v = util.ResolveNumericReferences(v)
		v = util.ResolveEntityNames(v)
	}
	// Copy whole words at a time rather than rune by rune.
	for len(v) > 0 {
		word := 0
		for word < len(v) {
			c, size := rune(v[word]), 1
			if c >= utf8.RuneSelf {
				c, size = utf8.DecodeRune(v[word:])
			}
			if unicode.IsSpace(c) {
				break
			}
			word += size
		}
		if word > 0 {
			if w.pendingSpace {
				w.b.WriteByte(' ')
				w.pendingSpace = false
			}
			w.b.Write(v[:word])
			v = v[word:]
			continue
		}
		_, size := utf8.DecodeRune(v)
		w.space()
		v = v[size:]
	}
}
