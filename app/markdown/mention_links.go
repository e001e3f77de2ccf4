package markdown

import (
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// mentionParser makes @username a link to the member's profile, under the
// same rule Mentions finds them by: not glued to a word, an @ or a dot
// before it (so an email address stays text), three to forty letters,
// digits or underscores, and not in code. The link is made whether or not
// the member exists, as the notification is only sent to one who does:
// the renderer does not know the members.
type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'@'} }

func (mentionParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if pc.IsInLinkLabel() {
		return nil
	}
	if prev := block.PrecendingCharacter(); prev == '@' || prev == '.' || prev == '_' ||
		unicode.IsLetter(prev) || unicode.IsDigit(prev) {
		return nil
	}
	line, segment := block.PeekLine()
	n := 1
	for n < len(line) && n <= 41 && isUsernameByte(line[n]) {
		n++
	}
	// Three to forty characters, and the name must end there (as \b does
	// in Mentions: not followed by another word character).
	if n-1 < 3 || n-1 > 40 || (n < len(line) && isUsernameByte(line[n])) {
		return nil
	}
	name := make([]byte, 0, n-1)
	for _, c := range line[1:n] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		name = append(name, c)
	}
	block.Advance(n)
	link := ast.NewLink()
	link.Destination = append([]byte("/u/"), name...)
	link.AppendChild(link, ast.NewTextSegment(text.NewSegment(segment.Start, segment.Start+n)))
	return link
}

func isUsernameByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
