package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// mentionLookupMax bounds the names one post asks about; the mentions of
// any more stay text.
const mentionLookupMax = 200

// WithMembers keeps as links only the @mentions of members who have a
// profile: known says which of the names a post mentions do. A mention of
// anyone else stays text, so that no mention leads to a page that is not
// there.
func WithMembers(known func(names []string) (map[string]bool, error)) RenderOption {
	return func(o *renderOptions) { o.members = known }
}

// mentionLink is a link the mention parser made: to /u/NAME, reading
// @NAME.
func mentionLink(n ast.Node, src []byte) (*ast.Link, string, bool) {
	link, ok := n.(*ast.Link)
	if !ok || !bytes.HasPrefix(link.Destination, []byte("/u/")) || link.ChildCount() != 1 {
		return nil, "", false
	}
	t, ok := link.FirstChild().(*ast.Text)
	name := string(link.Destination[len("/u/"):])
	if !ok || !strings.EqualFold(string(t.Segment.Value(src)), "@"+name) {
		return nil, "", false
	}
	return link, name, true
}

// unlinkStrangers turns the mentions of names that known does not know
// back into text.
func unlinkStrangers(doc ast.Node, src []byte, known func([]string) (map[string]bool, error)) error {
	var found []*ast.Link
	var names []string
	seen := map[string]bool{}
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if link, name, ok := mentionLink(n, src); ok {
			found = append(found, link)
			if !seen[name] && len(names) < mentionLookupMax {
				seen[name] = true
				names = append(names, name)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if err != nil || len(found) == 0 {
		return err
	}
	members, err := known(names)
	if err != nil {
		return err
	}
	for _, link := range found {
		if members[string(link.Destination[len("/u/"):])] {
			continue
		}
		text := link.FirstChild()
		link.RemoveChild(link, text)
		link.Parent().ReplaceChild(link.Parent(), link, text)
	}
	return nil
}
