package search

import (
	"html"
	"html/template"
	"strings"
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

// Snippet is the part of a post's plain text (models.Post.Plain, stored
// when the post was written) that best matches the search, with the
// matches marked.
func (r *Results) Snippet(plain string) template.HTML {
	text := strings.Join(strings.Fields(plain), " ")
	spans := r.highlight.matches(text)
	start, end := window(text, spans)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	writeMarked(&b, text, spans, start, end)
	if end < len(text) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
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
