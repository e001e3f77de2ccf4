package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"

	"rounds/app/links"
)

// visitor is one reader of the parsed document. Render walks the document
// once and hands every node to each visitor; a visitor that skips a node's
// children is not shown them, and is shown the node's exit, as ast.Walk
// would do for it alone.
type visitor interface {
	visit(n ast.Node, entering bool, src []byte) ast.WalkStatus
}

// walkAll walks doc once for all the visitors.
func walkAll(doc ast.Node, src []byte, visitors ...visitor) {
	skipping := make([]ast.Node, len(visitors))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		for i, v := range visitors {
			if skipping[i] != nil {
				if entering || n != skipping[i] {
					continue
				}
				skipping[i] = nil
			}
			if v.visit(n, entering, src) == ast.WalkSkipChildren && entering {
				skipping[i] = n
			}
		}
		return ast.WalkContinue, nil
	})
}

// linkVisitor feeds app/links' finder.
type linkVisitor struct{ links.Finder }

func (v *linkVisitor) visit(n ast.Node, entering bool, src []byte) ast.WalkStatus {
	return v.Visit(n, entering, src)
}

// plainVisitor gathers the readable text of a post for search indexing,
// snippets and excerpts, with whitespace collapsed. Raw HTML is left out,
// as Render leaves it out. The result is text, not HTML: a member's
// literal "<" stays "<", so escape it wherever it is displayed.
type plainVisitor struct {
	b            strings.Builder
	pendingSpace bool
}

func (w *plainVisitor) visit(n ast.Node, entering bool, src []byte) ast.WalkStatus {
	if n.Type() == ast.TypeBlock || n.Kind() == extast.KindTableCell {
		// Words in neighbouring blocks and cells must not run together.
		w.space()
	}
	if !entering {
		return ast.WalkContinue
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
		return ast.WalkSkipChildren
	case *ast.HTMLBlock, *ast.RawHTML, *extast.TaskCheckBox,
		*extast.FootnoteLink, *extast.FootnoteBacklink:
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

func (w *plainVisitor) space() {
	if w.b.Len() > 0 {
		w.pendingSpace = true
	}
}

func (w *plainVisitor) text(v []byte, raw bool) {
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

// maxMentions bounds the members one post can notify.
const maxMentions = 10

// mention is @username (lower-case letters, digits and underscores, as
// usernames are made) not glued to a word before it, so an email address
// is not a mention.
var mention = regexp.MustCompile(`(?i)(?:^|[^\w@.])@([a-z0-9_]{3,40})\b`)

// mentionVisitor gathers the usernames a post mentions with @username, in
// order of appearance, without duplicates and at most ten. Code spans,
// code blocks and raw HTML do not count.
type mentionVisitor struct {
	found []string
	seen  map[string]bool
	block strings.Builder
}

func (v *mentionVisitor) flush() {
	for _, m := range mention.FindAllStringSubmatch(v.block.String(), -1) {
		name := strings.ToLower(m[1])
		if !v.seen[name] && len(v.found) < maxMentions {
			if v.seen == nil {
				v.seen = map[string]bool{}
			}
			v.seen[name] = true
			v.found = append(v.found, name)
		}
	}
	v.block.Reset()
}

func (v *mentionVisitor) visit(n ast.Node, entering bool, src []byte) ast.WalkStatus {
	if n.Type() == ast.TypeBlock {
		v.flush()
	}
	if !entering {
		return ast.WalkContinue
	}
	switch n := n.(type) {
	case *ast.Text:
		v.block.Write(n.Value(src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			v.block.WriteByte(' ')
		}
	case *ast.String:
		v.block.Write(n.Value)
	case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.AutoLink:
		v.block.WriteByte(' ')
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

func (v *mentionVisitor) mentions() []string {
	v.flush()
	return v.found
}
