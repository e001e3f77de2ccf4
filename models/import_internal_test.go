package models

import "testing"

// An import refreshes PostgreSQL's statistics when the posts cross a power
// of two, so a seed of a million in imports of 10,000 analyses the tables
// a handful of times rather than after every import, and the statistics
// are never more than a factor of two behind.
func TestAnalyzeAfterImportWhenThePostsCrossAPowerOfTwo(t *testing.T) {
	for _, c := range []struct {
		before, after int64
		want          bool
	}{
		{0, 1, true},
		{0, 10000, true},
		{10000, 20000, true}, // 16,384
		{20000, 30000, false},
		{30000, 40000, true}, // 32,768
		{40000, 50000, false},
		{990000, 1000000, false},
		{1040000, 1050000, true}, // 1,048,576
		{5, 5, false},
	} {
		if got := analyzeAfterImport(c.before, c.after); got != c.want {
			t.Errorf("analyzeAfterImport(%d, %d) = %v, want %v", c.before, c.after, got, c.want)
		}
	}
	analyses := 0
	for before := int64(0); before < 1000000; before += 10000 {
		if analyzeAfterImport(before, before+10000) {
			analyses++
		}
	}
	if analyses > 8 {
		t.Errorf("a seed of a million in imports of 10,000 analyses %d times", analyses)
	}
}
