// Package revdiff shows what changed between two versions of a post, word
// by word, for its edit history.
//
// Compare takes the markdown source of two versions and returns HTML in
// which removed words are in <del> and added ones in <ins>, each opened
// and closed by words a screen reader speaks ("removed:", "end removed")
// and the site's CSS hides, so that a change is told in text and in the
// browser's strike-through and underline, never by colour alone. The HTML
// escapes everything in both versions and keeps their line breaks and
// indentation; it belongs in an element that keeps white space, such as
// the history page's <pre class="source">.
//
// The source is compared, not the rendered post: it is what the author
// edited, and it shows changes to links and formatting that rendered text
// hides. Posts are short, but a version can be rewritten entirely: past
// MaxEdits changed words the comparison goes line by line, and past that
// it shows the old text removed and the new added, so a huge edit costs
// little.
//
// The history page lists versions newest first; each version after the
// first is shown as Compare(previous.Source, version.Source). A version a
// moderator erased has no source left: show that it was erased, and the
// version after it as it stands, since a comparison with the empty text
// would only say that everything was added.
package revdiff

import (
	"html/template"
	"strings"
	"unicode/utf8"
)

// MaxEdits bounds the words added and removed that Compare matches word by
// word; the work grows with their square.
const MaxEdits = 1000

// Labels a screen reader speaks around each change, hidden from sight by
// the site's CSS class visually-hidden.
const (
	removedLabel    = "removed: "
	removedEndLabel = " end removed"
	addedLabel      = "added: "
	addedEndLabel   = " end added"
)

// Level says how finely Compare could match the two versions.
type Level int

const (
	// ByWord: every change is marked word by word.
	ByWord Level = iota
	// ByLine: too many changes for words; changed lines are marked whole.
	ByLine
	// Whole: too many changes for lines; the old text is shown removed
	// and the new one added.
	Whole
)

// Diff is what changed between two versions.
type Diff struct {
	HTML template.HTML
	// Added and Removed count the words the new version adds and
	// removes, for a summary; punctuation, symbols and white space change
	// without counting.
	Added, Removed int
	changed        bool
	// Level says how finely the versions were matched; a page can say
	// when it is not ByWord.
	Level Level
}

// Unchanged says whether the two versions are the same.
func (d Diff) Unchanged() bool { return !d.changed }

// Compare shows what changed from old to new, both markdown source.
func Compare(old, new string) Diff {
	old = strings.ReplaceAll(old, "\r\n", "\n")
	new = strings.ReplaceAll(new, "\r\n", "\n")
	a, b := tokenize(old), tokenize(new)
	segs, level := diffTokens(a, b)
	segs = group(segs)
	return render(segs, level)
}

// segment is a run of tokens that are equal in both versions, or a change:
// tokens removed and tokens added in their place.
type segment struct {
	equal   []string
	removed []string
	added   []string
}

func (s segment) isChange() bool { return len(s.removed) > 0 || len(s.added) > 0 }

// diffTokens matches a against b, by word when it can, by line when there
// are too many changes, and gives up matching when even lines are too many.
func diffTokens(a, b []string) ([]segment, Level) {
	// What the versions start and end with in common costs nothing to
	// match and is most of a typical edit.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	midA, midB := a[pre:len(a)-suf], b[pre:len(b)-suf]

	var segs []segment
	if pre > 0 {
		segs = append(segs, segment{equal: a[:pre]})
	}
	level := ByWord
	mid, ok := diffUnits(midA, midB)
	if !ok {
		level = ByLine
		la, lb := lines(midA), lines(midB)
		if mid, ok = diffUnits(la, lb); ok {
			mid = flattenLines(mid)
		} else {
			level = Whole
			mid = []segment{{removed: midA, added: midB}}
		}
	}
	segs = append(segs, mid...)
	if suf > 0 {
		segs = append(segs, segment{equal: a[len(a)-suf:]})
	}
	return segs, level
}

// diffUnits matches two sequences of strings (tokens, or whole lines) and
// returns the segments, or false past MaxEdits.
func diffUnits(a, b []string) ([]segment, bool) {
	if len(a) == 0 && len(b) == 0 {
		return nil, true
	}
	ids := map[string]int32{}
	intern := func(units []string) []int32 {
		out := make([]int32, len(units))
		for i, u := range units {
			id, ok := ids[u]
			if !ok {
				id = int32(len(ids))
				ids[u] = id
			}
			out[i] = id
		}
		return out
	}
	ops, ok := myers(intern(a), intern(b), MaxEdits)
	if !ok {
		return nil, false
	}
	var segs []segment
	var cur segment
	flush := func() {
		if len(cur.equal) > 0 || cur.isChange() {
			segs = append(segs, cur)
		}
		cur = segment{}
	}
	for _, o := range ops {
		switch o.kind {
		case opEqual:
			if cur.isChange() {
				flush()
			}
			cur.equal = append(cur.equal, a[o.a])
		case opRemove:
			if len(cur.equal) > 0 {
				flush()
			}
			cur.removed = append(cur.removed, a[o.a])
		case opAdd:
			if len(cur.equal) > 0 {
				flush()
			}
			cur.added = append(cur.added, b[o.b])
		}
	}
	flush()
	return segs, true
}

// lines joins tokens back into lines, each keeping its newline, for the
// comparison by line.
func lines(tokens []string) []string {
	var out []string
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString(t)
		if t == "\n" {
			out = append(out, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// flattenLines turns segments of whole lines back into segments of
// tokens, so that rendering and counting treat both alike.
func flattenLines(segs []segment) []segment {
	re := func(ls []string) []string {
		var out []string
		for _, l := range ls {
			out = append(out, tokenize(l)...)
		}
		return out
	}
	for i := range segs {
		segs[i] = segment{equal: re(segs[i].equal), removed: re(segs[i].removed), added: re(segs[i].added)}
	}
	return segs
}

// group joins changes separated only by white space, or by a single word
// between larger changes, so that a rewritten phrase reads as one removal
// and one addition rather than alternating fragments. An equal run with a
// line break is never swallowed, so changes stay on their lines.
func group(segs []segment) []segment {
	var out []segment
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		n := len(out)
		if s.isChange() && n >= 2 && !out[n-1].isChange() && out[n-2].isChange() && absorbable(out[n-1], out[n-2], s) {
			eq := out[n-1].equal
			prev := out[n-2]
			prev.removed = append(append(prev.removed, eq...), s.removed...)
			prev.added = append(append(prev.added, eq...), s.added...)
			out = append(out[:n-2], prev)
			continue
		}
		out = append(out, s)
	}
	return out
}

func absorbable(eq, left, right segment) bool {
	words := 0
	for _, t := range eq.equal {
		if t == "\n" {
			return false
		}
		if !isSpaceToken(t) {
			words++
		}
	}
	if words == 0 {
		return true
	}
	return words == 1 && wordCount(left.removed)+wordCount(left.added) >= 2 && wordCount(right.removed)+wordCount(right.added) >= 2
}

func wordCount(tokens []string) int {
	n := 0
	for _, t := range tokens {
		if !isSpaceToken(t) {
			n++
		}
	}
	return n
}

// wordsIn counts the tokens that are words.
func wordsIn(tokens []string) int {
	n := 0
	for _, t := range tokens {
		if r, _ := utf8.DecodeRuneInString(t); isWordRune(r) {
			n++
		}
	}
	return n
}

func render(segs []segment, level Level) Diff {
	d := Diff{Level: level}
	var b strings.Builder
	for _, s := range segs {
		for _, t := range s.equal {
			b.WriteString(template.HTMLEscapeString(t))
		}
		d.changed = d.changed || s.isChange()
		if len(s.removed) > 0 {
			d.Removed += wordsIn(s.removed)
			b.WriteString(`<del><span class="visually-hidden">` + removedLabel + `</span>`)
			writeChange(&b, s.removed)
			b.WriteString(`<span class="visually-hidden">` + removedEndLabel + `</span></del>`)
		}
		if len(s.added) > 0 {
			d.Added += wordsIn(s.added)
			b.WriteString(`<ins><span class="visually-hidden">` + addedLabel + `</span>`)
			writeChange(&b, s.added)
			b.WriteString(`<span class="visually-hidden">` + addedEndLabel + `</span></ins>`)
		}
	}
	d.HTML = template.HTML(b.String())
	return d
}

// writeChange writes the tokens of a change. A change of white space alone
// would be invisible, so its spaces, tabs and line breaks are shown as
// marks: · → ¶.
func writeChange(b *strings.Builder, tokens []string) {
	if wordCount(tokens) > 0 {
		for _, t := range tokens {
			b.WriteString(template.HTMLEscapeString(t))
		}
		return
	}
	for _, t := range tokens {
		for _, r := range t {
			switch r {
			case '\n':
				b.WriteString("¶\n")
			case '\t':
				b.WriteString("→")
			default:
				b.WriteString("·")
			}
		}
	}
}
