package inbound

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLText turns the HTML of an email into the markdown-flavoured plain
// text a member would have typed: paragraphs and line breaks kept, lists
// as "- " or "1. " items, quoted mail (<blockquote>) as "> " lines so that
// ReplyText can find it, links as [text](address) when the text is not the
// address itself, preformatted text fenced. Scripts, styles, images and
// everything else that is not text are left out, as is emphasis, which
// mail clients scatter over whitespace and empty spans.
func HTMLText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		// html.Parse fails only when reading fails, which a string cannot.
		return ""
	}
	w := &textWriter{}
	w.node(doc)
	return w.String()
}

// htmlLine is one line of output: its text and how deeply it is quoted.
type htmlLine struct {
	depth int
	text  strings.Builder
}

// textWriter lays text out in lines. Blocks ask for line breaks, which are
// written only when more text follows, so that nested blocks never stack
// up blank lines; <br> writes its line break at once.
type textWriter struct {
	lines    []*htmlLine // the last one is being written
	newlines int         // line breaks written since the last text
	pending  int         // line breaks wanted before the next text
	space    bool        // a space is wanted before the next word
	depth    int         // blockquotes open now
	lists    []listState
	pre      int
}

type listState struct {
	ordered bool
	n       int
}

// skipped elements hold nothing a reader sees as the message's text.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Title: true, atom.Template: true,
	atom.Noscript: true, atom.Svg: true, atom.Math: true, atom.Img: true, atom.Object: true,
	atom.Iframe: true, atom.Video: true, atom.Audio: true, atom.Canvas: true, atom.Select: true,
	atom.Button: true, atom.Input: true, atom.Textarea: true,
}

// paragraphs are blocks separated from their neighbours by a blank line;
// lineBlocks only by a line break.
var (
	paragraphs = map[atom.Atom]bool{
		atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
		atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Table: true, atom.Pre: true, atom.Blockquote: true,
		atom.Figure: true, atom.Hr: true,
	}
	lineBlocks = map[atom.Atom]bool{
		atom.Div: true, atom.Li: true, atom.Tr: true, atom.Dt: true, atom.Dd: true, atom.Section: true,
		atom.Article: true, atom.Header: true, atom.Footer: true, atom.Address: true, atom.Center: true,
		atom.Caption: true, atom.Figcaption: true, atom.Main: true, atom.Nav: true, atom.Aside: true,
		atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	}
)

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if w.pre > 0 {
			w.raw(n.Data)
		} else {
			w.text(n.Data)
		}
		return
	case html.ElementNode:
	case html.DocumentNode:
		w.children(n)
		return
	default:
		return // comments, doctypes
	}
	a := n.DataAtom
	if skipped[a] || n.Namespace != "" || isSignature(n) {
		return
	}
	switch {
	case a == atom.Br:
		w.br()
		return
	case a == atom.Blockquote:
		w.lineBreak(2)
		w.depth++
		w.children(n)
		w.lineBreak(2)
		w.depth--
		return
	case a == atom.Pre:
		w.lineBreak(2)
		w.inline("```")
		w.lineBreak(1)
		w.pre++
		w.children(n)
		w.pre--
		w.lineBreak(1)
		w.inline("```")
		w.lineBreak(2)
		return
	case a == atom.Ul || a == atom.Ol:
		gap := 2
		if len(w.lists) > 0 {
			gap = 1 // a list within a list item
		}
		w.lineBreak(gap)
		w.lists = append(w.lists, listState{ordered: a == atom.Ol, n: startOf(n)})
		w.children(n)
		w.lists = w.lists[:len(w.lists)-1]
		w.lineBreak(gap)
		return
	case a == atom.Li:
		w.lineBreak(1)
		w.inline(w.listMarker())
		w.children(n)
		w.lineBreak(1)
		return
	case a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6:
		w.lineBreak(2)
		w.inline(strings.Repeat("#", int(n.Data[1]-'0')) + " ")
		w.children(n)
		w.lineBreak(2)
		return
	case a == atom.Td || a == atom.Th:
		if w.pending == 0 && w.newlines == 0 && len(w.lines) > 0 {
			w.inline(" | ")
		}
		w.children(n)
		return
	case a == atom.A:
		w.link(n)
		return
	case paragraphs[a]:
		w.lineBreak(2)
		w.children(n)
		w.lineBreak(2)
		return
	case lineBlocks[a]:
		w.lineBreak(1)
		w.children(n)
		w.lineBreak(1)
		return
	}
	w.children(n)
}

func (w *textWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

// link writes an <a> as [text](address) when it goes somewhere on the web
// and says something else than its address; otherwise as its text.
func (w *textWriter) link(n *html.Node) {
	href := ""
	for _, at := range n.Attr {
		if at.Key == "href" {
			href = strings.TrimSpace(at.Val)
		}
	}
	var text strings.Builder
	collectText(n, &text)
	label := strings.Join(strings.Fields(text.String()), " ")
	u, err := url.Parse(href)
	web := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	if !web || label == "" || label == href || strings.TrimSuffix(label, "/") == strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(href, "https://"), "http://"), "/") {
		if label == "" && web {
			w.text(href)
			return
		}
		w.children(n)
		return
	}
	label = strings.NewReplacer("[", `\[`, "]", `\]`).Replace(label)
	w.text("[" + label + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(href) + ")")
}

func collectText(n *html.Node, b *strings.Builder) {
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
	}
	if n.Type == html.ElementNode && skipped[n.DataAtom] {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, b)
	}
}

func startOf(n *html.Node) int {
	for _, at := range n.Attr {
		if at.Key == "start" {
			if v, err := strconv.Atoi(strings.TrimSpace(at.Val)); err == nil && v >= 0 && v < 1e6 {
				return v
			}
		}
	}
	return 1
}

func (w *textWriter) listMarker() string {
	if len(w.lists) == 0 {
		return "- "
	}
	indent := strings.Repeat("  ", len(w.lists)-1)
	l := &w.lists[len(w.lists)-1]
	if !l.ordered {
		return indent + "- "
	}
	marker := indent + strconv.Itoa(l.n) + ". "
	l.n++
	return marker
}

// lineBreak asks for n line breaks before any more text.
func (w *textWriter) lineBreak(n int) {
	if len(w.lines) == 0 {
		return // nothing written yet
	}
	w.pending = max(w.pending, n)
	w.space = false
}

// newline ends the current line; after two in a row it writes no more,
// so there is never more than one blank line.
func (w *textWriter) newline() {
	if w.newlines < 2 {
		w.lines = append(w.lines, &htmlLine{depth: w.depth})
	}
	w.newlines++
}

// br writes the pending breaks and one more, as a <br> does.
func (w *textWriter) br() {
	if len(w.lines) == 0 {
		w.lines = append(w.lines, &htmlLine{depth: w.depth})
	}
	w.flush()
	w.newline()
	w.space = false
}

// flush writes the pending line breaks.
func (w *textWriter) flush() {
	for w.newlines < w.pending {
		w.newline()
	}
	w.pending = 0
}

// write puts s on the current line, starting one if need be.
func (w *textWriter) write(s string) {
	if len(w.lines) == 0 {
		w.lines = append(w.lines, &htmlLine{depth: w.depth})
	}
	w.flush()
	cur := w.lines[len(w.lines)-1]
	if cur.text.Len() == 0 {
		cur.depth = w.depth
	}
	cur.text.WriteString(s)
	w.newlines = 0
	w.space = false
}

// text writes ordinary HTML text, its whitespace collapsed.
func (w *textWriter) text(s string) {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	words := strings.Fields(s)
	if len(words) == 0 {
		w.space = w.space || s != ""
		return
	}
	if startsWithSpace(s) {
		w.space = true
	}
	for _, word := range words {
		if w.space && w.pending == 0 && len(w.lines) > 0 && w.lines[len(w.lines)-1].text.Len() > 0 {
			w.write(" ")
		}
		w.write(word)
		w.space = true
	}
	w.space = endsWithSpace(s)
}

// inline writes s as it is, where a block starts.
func (w *textWriter) inline(s string) { w.write(s) }

// raw writes preformatted text, its line breaks kept.
func (w *textWriter) raw(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.flush()
			w.lines = append(w.lines, &htmlLine{depth: w.depth})
			w.newlines = 1
		}
		if line != "" {
			w.write(line)
		}
	}
}

func (w *textWriter) String() string {
	var b strings.Builder
	for i, l := range w.lines {
		text := strings.TrimRight(l.text.String(), " ")
		depth := l.depth
		if text == "" {
			// A blank line belongs to the shallower of its neighbours, so
			// that the line before a quote does not start it.
			if i > 0 {
				depth = min(depth, w.lines[i-1].depth)
			}
			if i+1 < len(w.lines) {
				depth = min(depth, w.lines[i+1].depth)
			}
		}
		if depth > 0 {
			b.WriteString(strings.Repeat(">", depth))
			if text != "" {
				b.WriteByte(' ')
			}
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	return strings.Trim(b.String(), "\n")
}

func startsWithSpace(s string) bool { return s != "" && isHTMLSpace(s[0]) }
func endsWithSpace(s string) bool   { return s != "" && isHTMLSpace(s[len(s)-1]) }
func isHTMLSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// isSignature says whether an element holds the signature a mail client
// inserted (Gmail, Thunderbird, Outlook on the web), which has no "-- "
// above it in some of them.
func isSignature(n *html.Node) bool {
	for _, at := range n.Attr {
		switch at.Key {
		case "class":
			for _, c := range strings.Fields(at.Val) {
				if c == "gmail_signature" || c == "moz-signature" {
					return true
				}
			}
		case "id":
			if strings.EqualFold(at.Val, "signature") {
				return true
			}
		}
	}
	return false
}
