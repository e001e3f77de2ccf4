package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// maxMentions bounds the members one post can notify.
const maxMentions = 10

// mention is @username (lower-case letters, digits and underscores, as
// usernames are made) not glued to a word before it, so an email address
// is not a mention.
var mention = regexp.MustCompile(`(?i)(?:^|[^\w@.])@([a-z0-9_]{3,40})\b`)

// Mentions returns the usernames a post mentions with @username, in order
// of appearance, without duplicates and at most ten. Code spans, code
// blocks and raw HTML do not count.
func (r *Renderer) Mentions(source string) []string {
	if !strings.Contains(source, "@") {
		return nil
	}
	src := []byte(normalizeSource(source))
	doc := r.md.Parser().Parse(text.NewReader(src))
	var (
		found []string
		seen  = map[string]bool{}
		block strings.Builder
	)
	flush := func() {
		for _, m := range mention.FindAllStringSubmatch(block.String(), -1) {
			name := strings.ToLower(m[1])
			if !seen[name] && len(found) < maxMentions {
				seen[name] = true
				found = append(found, name)
			}
		}
		block.Reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			flush()
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			block.Write(n.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				block.WriteByte(' ')
			}
		case *ast.String:
			block.Write(n.Value)
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.AutoLink:
			block.WriteByte(' ')
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	return found
}
