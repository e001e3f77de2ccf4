package phi

import "testing"

func TestLexiconKnowsNamesPlacesAndWords(t *testing.T) {
	lex := theLexicon()
	cases := []struct {
		key       string
		want, not uint16
	}{
		{"maria", lexGiven, 0},
		{"garcia", lexSurname, 0},
		{"nguyen", lexSurname, 0},
		{"dayton", lexCity, 0},
		{"new york", lexCity, 0},
		{"new", lexPrefix, 0},
		{"cook", lexCounty, 0},
		{"ohio", lexState, 0},
		{"mount sinai", lexFacility, 0},
		{"st. jude's", lexFacility, 0},
		{"eliquis", lexDrug, lexGiven | lexSurname},
		{"parkinson", lexMedical, 0},
		{"reading", lexWord, 0},
		{"xqzzyv", 0, 0xffff},
	}
	for _, c := range cases {
		got := lex.lookup(c.key)
		if got&c.want != c.want || got&c.not != 0 {
			t.Errorf("lookup(%q) = %013b, want %013b set and %013b clear", c.key, got, c.want, c.not)
		}
	}
	lower := "seen at st. jude's hospital"
	if end, f := lex.phrase(lower, 8, lexFacility, 4); lower[8:end] != "st. jude's" || f&lexFacility == 0 {
		t.Errorf("phrase at %q = %q %b", lower[8:], lower[8:end], f)
	}
}

func TestLexiconLookupDoesNotAllocate(t *testing.T) {
	lex := theLexicon()
	text := "transferred from new york presbyterian"
	allocs := testing.AllocsPerRun(100, func() {
		lex.lookup(text[17:25])
		lex.phrase(text, 17, lexCity, 4)
	})
	if allocs != 0 {
		t.Errorf("a look-up allocates %.0f times", allocs)
	}
}

// BenchmarkLoadLexicon measures what the first scan pays once: unpacking
// the embedded word list and indexing it.
func BenchmarkLoadLexicon(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadLexicon(lexiconGz)
	}
}
