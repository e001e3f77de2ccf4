package search

import (
	"bytes"
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
	// needles are the start of each term (see needle), which a word must
	// hold to be worth analysing.
	needles [][]byte
}

func newHighlighter(analyzer analysis.Analyzer, terms map[string]bool) highlighter {
	h := highlighter{analyzer: analyzer, terms: terms}
	for t := range terms {
		h.needles = append(h.needles, needle(t)...)
	}
	return h
}

// needle is what a word whose stem is term always holds, in lower case:
// the Porter stemmer keeps a word's start and rewrites only its last
// letters ("infarction" → "infarct", "happy" → "happi", "ray" → "rai",
// "hopping" → "hop", "dying" → "die"), so the stem less its last letter
// or two is in the word. TestNeedlesFindEveryWord checks this on every
// word of a collection.
func needle(term string) [][]byte {
	var out [][]byte
	switch n := len(term); {
	case n >= 6:
		out = append(out, []byte(term[:n-2]))
	case n >= 3:
		out = append(out, []byte(term[:n-1]))
	default:
		out = append(out, []byte(term))
	}
	if base, ok := strings.CutSuffix(term, "ie"); ok {
		out = append(out, []byte(base+"y")) // "lying" → "lie"
	}
	return out
}

// mayMatch says whether a word (text between spaces) may hold a term: it
// holds one of the needles, ignoring case. A word with letters beyond
// ASCII is always analysed.
func (h highlighter) mayMatch(word string, buf []byte) (bool, []byte) {
	buf = buf[:0]
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf {
			return true, buf
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	for _, n := range h.needles {
		if bytes.Contains(buf, n) {
			return true, buf
		}
	}
	return false, buf
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

// snippetScan is how far past a post's first match its snippet looks for
// more; snippetScanMax is where the search for a first match stops, past
// which the snippet is the post's opening.
const (
	snippetScan    = 2 << 10
	snippetScanMax = 32 << 10
)

// Snippet is the part of a post's plain text (models.Post.Plain, stored
// when the post was written) that best matches the search, with the
// matches marked: the best window from its first match to snippetScan
// bytes on.
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

// firstMatches finds the first match in text and those within
// snippetScan bytes after it, where a snippet's window may go. Stemming
// every word of a post was about a quarter of a search's time, so only
// the words that may hold a term (see mayMatch) are analysed, each on its
// own: words are cut at spaces, which the analyser never joins across.
// None: the snippet is the post's opening.
func (h highlighter) firstMatches(text string) []span {
	if h.analyzer == nil || len(h.terms) == 0 {
		return nil
	}
	var out []span
	stop := len(text)
	buf := make([]byte, 0, 64)
	for i := 0; i < stop; {
		j := strings.IndexByte(text[i:], ' ')
		if j < 0 {
			j = len(text)
		} else {
			j += i
		}
		var may bool
		if may, buf = h.mayMatch(text[i:j], buf); may {
			for _, tok := range h.analyzer.Analyze([]byte(text[i:j])) {
				if h.terms[string(tok.Term)] {
					if out == nil {
						stop = min(len(text), i+tok.Start+snippetScan)
					}
					out = append(out, span{i + tok.Start, i + tok.End, string(tok.Term)})
				}
			}
		}
		i = j + 1
	}
	return out
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
