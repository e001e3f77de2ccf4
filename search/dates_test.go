package search

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// Every range of days a search can ask for is covered by its spans'
// terms exactly: each day inside by one span, each day outside by none.
func TestDateSpansCoverExactlyTheDaysAsked(t *testing.T) {
	dates := []string{"2019-01-01", "2019-12-31", "2020-02-29", "2020-03-01", "2021-07-15", "2022-01-01",
		"2022-01-02", "2022-12-01", "2022-12-31", "2023-06-30", "2024-01-31", "2024-02-01", "2025-03-14"}
	var times []time.Time
	for _, d := range dates {
		times = append(times, day(d))
	}
	// A newest-first search's window starts within a day.
	times = append(times, day("2021-07-15").Add(13*time.Hour+5*time.Minute))
	covered := func(spans []termSpan, d time.Time) int {
		n := 0
		for _, s := range spans {
			lo, hi := s.bounds()
			for _, term := range dateTerms(d) {
				if term[0] == s.level && term >= lo && term < hi {
					n++
				}
			}
		}
		return n
	}
	check := func(from, to time.Time) {
		t.Helper()
		spans := dateSpans(from, to)
		if len(spans) > 6 {
			t.Errorf("%v to %v took %d spans", from, to, len(spans))
		}
		start := time.Time{}
		if !from.IsZero() {
			start = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
		}
		for d := day("2018-11-20"); d.Before(day("2026-02-10")); d = d.AddDate(0, 0, 1) {
			want := 0
			if !d.Before(start) && (to.IsZero() || d.Before(to)) {
				want = 1
			}
			if got := covered(spans, d); got != want {
				t.Fatalf("from %v to %v: %s is covered %d times, want %d (spans %+v)", from, to, d.Format("2006-01-02"), got, want, spans)
			}
		}
	}
	for _, from := range append(times, time.Time{}) {
		for _, to := range append(times, time.Time{}) {
			if !from.IsZero() && !to.IsZero() && !from.Before(to) {
				continue
			}
			if to.Hour() != 0 {
				continue // an end is always a day's start
			}
			check(from, to)
		}
	}
}

func TestDateTermsSortAsTheDatesDo(t *testing.T) {
	at := time.Date(2026, 3, 4, 23, 59, 59, 0, time.FixedZone("UTC+2", 2*3600))
	if got, want := strings.Join(dateTerms(at), " "), "d20260304 m202603 y2026"; got != want {
		t.Fatalf("terms of %v are %s, want %s (the day in UTC)", at, got, want)
	}
	prev := ""
	for d := time.Date(1999, 12, 25, 0, 0, 0, 0, time.UTC); d.Year() < 2001; d = d.AddDate(0, 0, 1) {
		if term := dateTerms(d)[0]; term <= prev {
			t.Fatalf("%s sorts before %s", term, prev)
		} else {
			prev = term
		}
	}
}

// before:, after: and newest-first searches find posts by the day they
// were written, at the edges of days, months and years.
func TestPostsAreFoundByTheDayTheyWereWritten(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		now := time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC)
		store.SetClock(func() time.Time { return now })
		w := newWorld(t, store)
		w.open(t)
		written := map[int64]string{}
		for _, at := range []time.Time{
			time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC),
			time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 3, 14, 23, 59, 59, 0, time.UTC),
			time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 4, 30, 12, 0, 0, 0, time.UTC),
			time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
		} {
			now = at
			_, post := w.topic(t, w.board, "Vasopressin "+at.Format("Jan 2006"), "Vasopressin in septic shock.")
			written[post.ID] = at.Format("2006-01-02")
		}
		w.catchUp(t)
		now = time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
		days := func(q string) string {
			t.Helper()
			var got []string
			for _, id := range w.find(t, q+" order:newest", w.everyone()) {
				got = append(got, written[id])
			}
			return strings.Join(got, " ")
		}
		for _, c := range []struct{ q, want string }{
			{"vasopressin", "2026-06-01 2025-04-30 2025-03-15 2025-03-14 2025-01-01 2024-12-31"},
			{"vasopressin before:2025", "2024-12-31"},
			{"vasopressin after:2024", "2026-06-01 2025-04-30 2025-03-15 2025-03-14 2025-01-01"},
			{"vasopressin after:2025-03-14", "2026-06-01 2025-04-30 2025-03-15"},
			{"vasopressin before:2025-03-15", "2025-03-14 2025-01-01 2024-12-31"},
			{"vasopressin after:2025-02 before:2025-05", "2025-04-30 2025-03-15 2025-03-14"},
			{"vasopressin after:2024-12 before:2026", "2025-04-30 2025-03-15 2025-03-14 2025-01-01"},
			{"vasopressin after:2025-04-30", "2026-06-01"},
			{"before:2025-01-02", "2025-01-01 2024-12-31"},
			{"after:2025-12-31", "2026-06-01"},
		} {
			if got := days(c.q); got != c.want {
				t.Errorf("%s found posts of %s, want %s", c.q, got, c.want)
			}
		}
		if t.Failed() {
			t.Log(fmt.Sprint(written))
		}
	})
}
