package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPhraseQueryMatchesBleves checks that phraseQuery finds exactly the
// posts Bleve's own phrase query finds: phrases of two to four words,
// with words left out ("") inside them and words repeated, alone and
// joined with another query (which moves it with Advance), over posts of
// random words, some repeated, in several segments.
func TestPhraseQueryMatchesBleves(t *testing.T) {
	idx, err := bleve.NewMemOnly(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	words := []string{"septic", "shock", "heart", "failur", "loop", "diuret", "acut", "renal"}
	rnd := rand.New(rand.NewPCG(16, 38))
	for segment := range 4 {
		batch := idx.NewBatch()
		for i := range 300 {
			n := 2 + rnd.IntN(12)
			var body []string
			for range n {
				body = append(body, words[rnd.IntN(len(words))])
			}
			doc := document{Body: strings.Join(body, " "), Topic: "1", Board: "1", Kind: "discussion",
				Created: dateTerms(time.Unix(int64(i), 0)), Newest: newestKey(time.Unix(int64(i), 0))}
			if err := batch.Index(fmt.Sprintf("%d/%d", segment, i), doc); err != nil {
				t.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q query.Query) []string {
		t.Helper()
		req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
		req.SortBy([]string{"_id"})
		sr, err := idx.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range sr.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	phrases := [][]string{
		{"septic", "shock"}, {"shock", "septic"}, {"heart", "failur"}, {"loop", "", "diuret"},
		{"acut", "", "", "renal"}, {"renal", "renal"}, {"septic", "septic", "shock"},
		{"heart", "failur", "loop", "diuret"}, {"", "acut", "renal"}, {"acut", "renal", ""},
		{"septic", "", "septic"},
	}
	other := query.NewTermQuery("loop")
	other.SetField(fieldBody)
	for _, p := range phrases {
		want := ids(query.NewPhraseQuery(p, fieldBody))
		got := ids(newPhraseQuery(p, fieldBody))
		if !slices.Equal(got, want) {
			t.Errorf("%q: found %d posts %v, Bleve's phrase query %d %v", p, len(got), got, len(want), want)
		}
		if len(want) == 0 {
			t.Errorf("%q: no post has it; the test proves nothing for it", p)
		}
		want = ids(query.NewConjunctionQuery([]query.Query{other, query.NewPhraseQuery(p, fieldBody)}))
		got = ids(query.NewConjunctionQuery([]query.Query{other, newPhraseQuery(p, fieldBody)}))
		if !slices.Equal(got, want) {
			t.Errorf("loop and %q: found %v, Bleve's phrase query %v", p, got, want)
		}
	}
}

// TestNewestKeySortsAsTime checks that the keys order:newest sorts on sort
// as strings as their times do, to the microsecond and across the digits'
// boundaries.
func TestNewestKeySortsAsTime(t *testing.T) {
	base := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	times := []time.Time{
		time.Unix(0, 0), time.Unix(63, 0), time.Unix(64, 0), base.Add(-365 * 24 * time.Hour),
		base, base.Add(time.Microsecond), base.Add(63 * time.Microsecond), base.Add(64 * time.Microsecond),
		base.Add(time.Second), time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := newestKey(times[i-1]), newestKey(times[i])
		if len(a) != 9 || len(b) != 9 || a >= b {
			t.Errorf("%s → %q, then %s → %q: want two nine-character keys in that order", times[i-1], a, times[i], b)
		}
	}
	if newestKey(base.In(time.FixedZone("x", 3600))) != newestKey(base) {
		t.Error("the key depends on the time zone")
	}
}
