package search

import (
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// When a post was written is indexed as three keyword terms, its day, its
// month and its year ("d20260314", "m202603", "y2026", in UTC), and a range
// of days is searched as the few whole years, months and days that cover
// it. Bleve's own date field indexed sixteen terms a post, most of them
// unique to the post: those terms were about two fifths of the CPU of
// building the index at a million posts, while a day's terms are shared
// by every post written that day. Every date a search takes (before:,
// after:, a newest-first search's windows) is a day or wider.

// Each level's terms start with its own letter, so a range of one level's
// terms never takes in another's, and the letter after it bounds a range
// with no end.
const (
	yearLevel  = 'y'
	monthLevel = 'm'
	dayLevel   = 'd'
)

// dateTerms are the terms a post written at t is indexed under.
func dateTerms(t time.Time) []string {
	t = t.UTC()
	return []string{
		levelTerm(dayLevel, t),
		levelTerm(monthLevel, t),
		levelTerm(yearLevel, t),
	}
}

// levelTerm is t's term at one level: its letter and the year, month and
// day as far as the level goes, each as fixed-width digits so that terms
// sort as the dates do.
func levelTerm(level byte, t time.Time) string {
	year := min(max(t.Year(), 0), 9999)
	b := make([]byte, 0, 9)
	b = append(b, level)
	b = appendDigits(b, year, 4)
	if level == yearLevel {
		return string(b)
	}
	b = appendDigits(b, int(t.Month()), 2)
	if level == monthLevel {
		return string(b)
	}
	return string(appendDigits(b, t.Day(), 2))
}

func appendDigits(b []byte, n, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}

// termSpan is the terms of one level from min (inclusive) up to max
// (exclusive), or to the level's end when open.
type termSpan struct {
	level    byte
	min, max time.Time
	open     bool
}

// dateSpans covers the days from from's day up to to (exclusive) with as
// few spans as whole years and months allow. A zero from starts at the
// first day indexed, a zero to runs past the last. to is a day's start;
// a time within a day counts that whole day in.
func dateSpans(from, to time.Time) []termSpan {
	day := func(t time.Time) time.Time {
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	month := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	year := func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) }

	open := to.IsZero()
	var end time.Time
	if !open {
		end = day(to)
		if !end.Equal(to.UTC()) {
			end = end.AddDate(0, 0, 1)
		}
	}
	var spans []termSpan
	if from.IsZero() {
		// Everything before to: whole years, then months, then days.
		if open {
			return []termSpan{{level: yearLevel, open: true}}
		}
		spans = append(spans, termSpan{level: yearLevel, max: year(end)})
		if m := month(end); m.After(year(end)) {
			spans = append(spans, termSpan{level: monthLevel, min: year(end), max: m})
		}
		if end.After(month(end)) {
			spans = append(spans, termSpan{level: dayLevel, min: month(end), max: end})
		}
		return spans
	}
	cur := day(from)
	before := func(t time.Time) bool { return open || t.Before(end) }
	// Days up to the first month's end (or to end).
	if !cur.Equal(month(cur)) && before(cur) {
		next := month(cur).AddDate(0, 1, 0)
		if !open && end.Before(next) {
			return append(spans, termSpan{level: dayLevel, min: cur, max: end})
		}
		spans = append(spans, termSpan{level: dayLevel, min: cur, max: next})
		cur = next
	}
	// Months up to the first year's end (or to end's month).
	if !cur.Equal(year(cur)) && before(cur) {
		next := year(cur).AddDate(1, 0, 0)
		if !open && month(end).Before(next) {
			next = month(end)
		}
		if next.After(cur) {
			spans = append(spans, termSpan{level: monthLevel, min: cur, max: next})
			cur = next
		}
	}
	if open {
		return append(spans, termSpan{level: yearLevel, min: cur, open: true})
	}
	// Whole years, then the months and days of end's year and month.
	if y := year(end); y.After(cur) {
		spans = append(spans, termSpan{level: yearLevel, min: cur, max: y})
		cur = y
	}
	if m := month(end); m.After(cur) {
		spans = append(spans, termSpan{level: monthLevel, min: cur, max: m})
		cur = m
	}
	if end.After(cur) {
		spans = append(spans, termSpan{level: dayLevel, min: cur, max: end})
	}
	return spans
}

// bounds are the span's terms as a range: min inclusive, max exclusive.
// A span with no start starts at its level's letter, below every term of
// the level; an open one ends at the next letter, above them all.
func (s termSpan) bounds() (string, string) {
	lo := string(s.level)
	if !s.min.IsZero() {
		lo = levelTerm(s.level, s.min)
	}
	hi := string(s.level + 1)
	if !s.open {
		hi = levelTerm(s.level, s.max)
	}
	return lo, hi
}

// writtenBetween matches the posts written from from's day up to to (see
// dateSpans for zero times).
func writtenBetween(from, to time.Time) query.Query {
	spans := dateSpans(from, to)
	yes, no := true, false
	var parts []query.Query
	for _, s := range spans {
		lo, hi := s.bounds()
		r := query.NewTermRangeInclusiveQuery(lo, hi, &yes, &no)
		r.SetField(fieldCreated)
		parts = append(parts, r)
	}
	if len(parts) == 0 {
		return query.NewMatchNoneQuery()
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return query.NewDisjunctionQuery(parts)
}
