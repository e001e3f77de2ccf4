package markdown

import (
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// WithTimestamps links the times written in a post of a podcast topic
// ("12:34", "1:02:03") to the moment of its episode: href is the audio
// address with a media fragment (#t=754), which a browser plays even
// without script, and data-seek lets the page's script move its own player
// instead. Text inside links and code is left alone. An empty audioURL
// links nothing.
func WithTimestamps(audioURL string) RenderOption {
	return func(o *renderOptions) {
		// The link adds its own fragment; one already in the address
		// would hide it.
		o.audioURL, _, _ = strings.Cut(audioURL, "#")
	}
}

// timestamp matches 12:34 or 1:02:03 standing alone in text.
var timestamp = regexp.MustCompile(`(^|[^\d:])((?:(\d{1,2}):)?([0-5]?\d):([0-5]\d))($|[^\d:])`)

// seconds reads a timestamp ("12:34", "1:02:03").
func seconds(ts string) (int, bool) {
	m := timestamp.FindStringSubmatch(" " + ts + " ")
	if m == nil || m[2] != ts {
		return 0, false
	}
	h, _ := strconv.Atoi(m[3])
	mm, _ := strconv.Atoi(m[4])
	ss, _ := strconv.Atoi(m[5])
	return h*3600 + mm*60 + ss, true
}

// kindTimestamp is the node of a linked timestamp.
var kindTimestamp = ast.NewNodeKind("Timestamp")

// timestampLink is a timestamp linked to its moment of the episode.
type timestampLink struct {
	ast.BaseInline
	text    string
	seconds int
	audio   string
}

func (n *timestampLink) Kind() ast.NodeKind { return kindTimestamp }

func (n *timestampLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Text": n.text}, nil)
}

// linkTimestamps is the AST transformer WithTimestamps asks for: it runs
// on the parsed post before it is rendered and sanitised.
func linkTimestamps(doc ast.Node, src []byte, audioURL string) {
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.CodeSpan, *ast.Image, *ast.CodeBlock, *ast.FencedCodeBlock,
			*ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			texts = append(texts, n)
		}
		return ast.WalkContinue, nil
	})
	for i := 0; i < len(texts); i++ {
		t := texts[i]
		if t.Parent() == nil {
			continue // merged into the text before it
		}
		// Inline parsers split text at their trigger characters: join the
		// pieces of one run back, so a time is read whole with what stands
		// around it.
		for {
			next, ok := t.NextSibling().(*ast.Text)
			if !ok || t.SoftLineBreak() || t.HardLineBreak() || t.IsRaw() || next.IsRaw() ||
				t.Segment.Stop != next.Segment.Start || t.Segment.Padding != 0 || next.Segment.Padding != 0 {
				break
			}
			t.Segment = t.Segment.WithStop(next.Segment.Stop)
			t.SetSoftLineBreak(next.SoftLineBreak())
			t.SetHardLineBreak(next.HardLineBreak())
			t.Parent().RemoveChild(t.Parent(), next)
		}
		if !t.IsRaw() {
			splitTimestamps(t, src, audioURL)
		}
	}
}

// splitTimestamps puts a link in place of each timestamp in t.
func splitTimestamps(t *ast.Text, src []byte, audioURL string) {
	parent := t.Parent()
	for {
		value := t.Segment.Value(src)
		loc := timestamp.FindSubmatchIndex(value)
		if loc == nil {
			return
		}
		start, end := loc[4], loc[5] // the timestamp itself
		ts := string(value[start:end])
		secs, ok := seconds(ts)
		seg := t.Segment
		if !ok {
			// Keep the text up to the end of what was read as it is.
			parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+end)))
		} else {
			if start > 0 {
				parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+start)))
			}
			parent.InsertBefore(parent, t, &timestampLink{text: ts, seconds: secs, audio: audioURL})
		}
		t.Segment = text.NewSegment(seg.Start+end, seg.Stop)
	}
}

func renderTimestamp(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*timestampLink)
	secs := strconv.Itoa(n.seconds)
	_, _ = w.WriteString(`<a class="timestamp" href="`)
	_, _ = w.WriteString(html.EscapeString(n.audio + "#t=" + secs))
	_, _ = w.WriteString(`" data-seek="` + secs + `" rel="` + linkRel + `">`)
	_, _ = w.WriteString(n.text)
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}
