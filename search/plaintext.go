package search

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// markdown parses posts the way the site renders them, so the index sees
// the same words a reader does.
var markdown = goldmark.New(goldmark.WithExtensions(
	extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote,
))

// PlainText is a post's markdown source as words a reader sees: link and
// image text kept, markup, link targets and raw HTML dropped, one line per
// block.
func PlainText(source string) string {
	src := []byte(source)
	doc := markdown.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	b.Grow(len(source))
	space := func() {
		if b.Len() > 0 {
			s := b.String()
			if c := s[len(s)-1]; c != ' ' && c != '\n' {
				b.WriteByte(' ')
			}
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			space()
			b.Write(n.Label(src))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				line := lines.At(i)
				b.Write(line.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *extast.TableCell:
			space()
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
