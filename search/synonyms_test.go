package search

import (
	"fmt"
	"strings"
	"testing"
)

func TestTheReviewedSynonymListLoads(t *testing.T) {
	s, err := LoadSynonyms()
	if err != nil {
		t.Fatal(err)
	}
	for term, want := range map[string]string{
		"MI":                     "[heart attack myocardial infarction]",
		"afib":                   "[af atrial fibrillation]",
		"Eliquis":                "[apixaban]",
		"myocardial  infarction": "[heart attack mi]",
		"paracetamol":            "[acetaminophen tylenol]",
		"stethoscope":            "[]",
	} {
		if got := fmt.Sprint(s.Expand(term)); got != want {
			t.Errorf("Expand(%q) = %s, want %s", term, got, want)
		}
	}
	if len(s) < 150 {
		t.Errorf("the list knows only %d terms", len(s))
	}
}

func TestParseSynonymsRefusesAmbiguity(t *testing.T) {
	for _, tc := range []struct{ text, says string }{
		{"mi = myocardial infarction\nmi = mitral insufficiency", "already appears on line 1"},
		{"afib", "at least two terms"},
		{"afib = = atrial fibrillation", "empty term"},
	} {
		_, err := ParseSynonyms(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ParseSynonyms(%q) = %v, want an error saying %q", tc.text, err, tc.says)
		}
	}
	s, err := ParseSynonyms("# a comment\n\n  Apixaban =  ELIQUIS  \n")
	if err != nil || fmt.Sprint(s.Expand("eliquis")) != "[apixaban]" {
		t.Fatalf("comments, blank lines and case: %v %v", s, err)
	}
}
