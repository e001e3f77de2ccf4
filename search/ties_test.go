package search

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
)

// TestEqualHitsKeepOneOrder checks that hits which sort equal, as two from
// different shards with the same score and the same number within their
// shard do, come out in one order whichever shard answered first.
func TestEqualHitsKeepOneOrder(t *testing.T) {
	hit := func(id string, score float64, n uint64, newest string) *search.DocumentMatch {
		return &search.DocumentMatch{ID: id, Score: score, HitNumber: n, Sort: []string{newest}}
	}
	orders := map[string]search.SortOrder{
		"best first":   search.ParseSortOrderStrings([]string{"-_score"}),
		"newest first": search.ParseSortOrderStrings([]string{"-" + fieldNewest}),
	}
	for name, order := range orders {
		// Shard 0's hits, then shard 1's; and the other way round.
		a := search.DocumentMatchCollection{hit("3/4", 2.5, 1, "b"), hit("9/12", 1.5, 2, "a"), hit("1/1", 2.5, 1, "b"), hit("7/9", 1.5, 2, "a")}
		b := search.DocumentMatchCollection{a[2], a[3], a[0], a[1]}
		settleTies(order, a)
		settleTies(order, b)
		var got, other []string
		for i := range a {
			got, other = append(got, a[i].ID), append(other, b[i].ID)
		}
		if want := []string{"1/1", "3/4", "7/9", "9/12"}; !slices.Equal(got, want) || !slices.Equal(other, want) {
			t.Errorf("%s: %v and %v, want %v both times", name, got, other, want)
		}
	}
}
