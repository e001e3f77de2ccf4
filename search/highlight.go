package search

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// highlighter marks the words of a search in text, matching them the way
// the index does (after stemming), so "infarcts" marks "infarction"'s stem.
type highlighter struct {
	analyzer analysis.Analyzer
	terms    map[string]bool
}

// snippetBytes is about how much of a post a result shows.
const snippetBytes = 240

type span struct {
	start, end int
	term       string
}

func (h highlighter) matches(text string) []span {
	if h.analyzer == nil || len(h.terms) == 0 {
		return nil
	}
	var out []span
	for _, tok := range h.analyzer.Analyze([]byte(text)) {
		if h.terms[string(tok.Term)] {
			out = append(out, span{tok.Start, tok.End, string(tok.Term)})
		}
	}
	return out
}

// snippetScan is how much of a post's text is analysed at a time when
// looking for the words of a search; snippetScanMax is where the search
// for them stops. A post's first matches are usually near its start, and
// analysing the whole of a long post (stemming every word) was about a
// quarter of a search's time; past snippetScanMax the snippet is the
// post's opening.
const (
	snippetScan    = 2 << 10
	snippetScanMax = 32 << 10
)

// Snippet is the part of a post's plain text (models.Post.Plain, stored
// when the post was written) that best matches the search, with the
// matches marked. Only the first stretch of text holding a match is
// analysed, not the whole post: the snippet is the best window within it.
func (r *Results) Snippet(plain string) template.HTML {
	text, more := squeeze(plain, snippetScanMax+snippetScan)
	spans := r.highlight.firstMatches(text)
	start, end := window(text, spans)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	writeMarked(&b, text, spans, start, end)
	if end < len(text) || more {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}

// squeeze is text with every run of white space made one space and the
// ends trimmed, as strings.Fields and a join would make it, but only up to
// about limit bytes (cut after a word); more says that text went on.
func squeeze(text string, limit int) (string, bool) {
	var b strings.Builder
	b.Grow(min(len(text), limit+64))
	space := func(i int) (bool, int) {
		if c := text[i]; c < utf8.RuneSelf {
			return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f', 1
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		return unicode.IsSpace(r), n
	}
	i := 0
	for i < len(text) {
		for i < len(text) {
			sp, n := space(i)
			if !sp {
				break
			}
			i += n
		}
		j := i
		for j < len(text) {
			sp, n := space(j)
			if sp {
				break
			}
			j += n
		}
		if i == j {
			break
		}
		if b.Len() >= limit {
			return b.String(), true
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(text[i:j])
		i = j
	}
	return b.String(), false
}

// firstMatches analyses text a stretch of snippetScan bytes at a time (cut
// at a space, so no word is split) until one holds a match, and returns
// that stretch's matches with those of the snippet's length of text after
// it, where a window around them may reach. None: the snippet is the
// post's opening.
func (h highlighter) firstMatches(text string) []span {
	if h.analyzer == nil || len(h.terms) == 0 {
		return nil
	}
	for from := 0; from < len(text); {
		spans, to := h.matchesIn(text, from, from+snippetScan)
		if len(spans) > 0 {
			more, _ := h.matchesIn(text, to, to+snippetBytes)
			return append(spans, more...)
		}
		from = to + 1
	}
	return nil
}

// matchesIn is matches in text[from:to], to moved back to a space unless
// it is the end of text, at their place in text; it returns where the
// stretch ended.
func (h highlighter) matchesIn(text string, from, to int) ([]span, int) {
	to = min(to, len(text))
	if from >= to {
		return nil, to
	}
	if to < len(text) {
		if sp := strings.LastIndexByte(text[from:to], ' '); sp > 0 {
			to = from + sp
		}
	}
	spans := h.matches(text[from:to])
	for i := range spans {
		spans[i].start += from
		spans[i].end += from
	}
	return spans, to
}

// Highlight marks the search's words in a short text such as a title.
func (r *Results) Highlight(text string) template.HTML {
	var b strings.Builder
	writeMarked(&b, text, r.highlight.matches(text), 0, len(text))
	return template.HTML(b.String())
}

// window picks the stretch of about snippetBytes holding the most distinct
// matched terms, cut at spaces.
func window(text string, spans []span) (int, int) {
	if len(text) <= snippetBytes {
		return 0, len(text)
	}
	best, bestCount := 0, -1
	for i := range spans {
		from := max(0, spans[i].start-snippetBytes/6)
		distinct := map[string]bool{}
		for _, s := range spans[i:] {
			if s.end > from+snippetBytes {
				break
			}
			distinct[s.term] = true
		}
		if len(distinct) > bestCount {
			best, bestCount = from, len(distinct)
		}
	}
	start := best
	if start > 0 {
		if sp := strings.IndexByte(text[start:], ' '); sp >= 0 && sp < snippetBytes/6 {
			start += sp + 1
		}
	}
	end := min(len(text), start+snippetBytes)
	if end < len(text) {
		if sp := strings.LastIndexByte(text[start:end], ' '); sp > snippetBytes/2 {
			end = start + sp
		}
	}
	for start < len(text) && !utf8.RuneStart(text[start]) {
		start++
	}
	for end < len(text) && end > start && !utf8.RuneStart(text[end]) {
		end--
	}
	return start, end
}

// writeMarked writes text[start:end] escaped, with the spans inside it in
// <mark>.
func writeMarked(b *strings.Builder, text string, spans []span, start, end int) {
	at := start
	for _, s := range spans {
		if s.start < at || s.end > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:end]))
}
