package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	nethtml "golang.org/x/net/html"
)

// mentionParser makes @username a link to the member's profile, under the
// same rule Mentions finds them by: not glued to a word, an @ or a dot
// before it (so an email address stays text), three to forty letters,
// digits or underscores, and not in code. The link is made whether or not
// the member exists, as the renderer does not know the members; with
// WithMembers, the mentions of names that are no member's go back to text.
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

// mentionInText is a mention in the escaped text of cooked HTML, with the
// character before it (or none, at the start of the text).
var mentionInText = regexp.MustCompile(`(^|[^\w@.])@([A-Za-z0-9_]{3,40})\b`)

// LinkMentions links the mentions in cooked HTML written before Render
// linked them, as Render now does: in text, not inside a link, code or a
// preformatted block, and only the names member says are members' (nil:
// every name). It says whether anything changed; HTML it already linked is
// left as it is.
func LinkMentions(cooked string, member func(name string) bool) (string, bool) {
	if !strings.Contains(cooked, "@") {
		return cooked, false
	}
	z := nethtml.NewTokenizer(strings.NewReader(cooked))
	var b strings.Builder
	b.Grow(len(cooked) + 128)
	changed, inside := false, 0
	for {
		kind := z.Next()
		if kind == nethtml.ErrorToken {
			break // the end: cooked HTML is whole
		}
		raw := z.Raw()
		switch kind {
		case nethtml.StartTagToken, nethtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "a", "code", "pre":
				if kind == nethtml.StartTagToken {
					inside++
				} else if inside > 0 {
					inside--
				}
			}
		case nethtml.TextToken:
			if inside == 0 && bytes.IndexByte(raw, '@') >= 0 {
				linked := mentionInText.ReplaceAllStringFunc(string(raw), func(m string) string {
					at := strings.IndexByte(m, '@')
					name := m[at+1:]
					if member != nil && !member(strings.ToLower(name)) {
						return m
					}
					return m[:at] + `<a href="/u/` + strings.ToLower(name) + `" rel="` + linkRel + `">@` + name + `</a>`
				})
				if linked != string(raw) {
					changed = true
					b.WriteString(linked)
					continue
				}
			}
		}
		b.Write(raw)
	}
	return b.String(), changed
}
