package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// The remembering analyser gives exactly the tokens of Bleve's "en"
// analyser, the first time it meets a word and every time after, from
// several goroutines at once: an index built with it answers as one built
// with "en".
func TestRememberingAnalyzerMatchesEnglish(t *testing.T) {
	cache := registry.NewCache()
	plain, err := cache.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	remembering, err := cache.AnalyzerNamed(rememberingName)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"The patient's INR was 3.5; warfarin’s dose halved. Patients’ families asked why.",
		"Heparin HEPARIN heparinized heparinised: anticoagulation, anticoagulants, anticoagulated!",
		"a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with",
		"e.g. i.e. q8h 0.9% NaCl, 1,000 mL/h; BP 90/60 mmHg, HR 120 bpm, SpO₂ 88 %.",
		"Ärzte überwachen Fieber — naïve café résumé; 心房細動 と 抗凝固; Ελληνικά ΣΊΣΥΦΟΣ",
		"don't can't won't it's ITS It's O'Brien's rock'n'roll",
		"", "   ", "!!!", strings.Repeat("sepsis septic shock norepinephrine ", 50),
		benchPost,
	}
	for _, name := range []string{"corpus.json", "queries.json"} {
		raw, err := os.ReadFile(filepath.Join("..", "testdata", "search", name))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.Split(string(raw), "\n")...)
	}
	// Twice through, so that the second pass reads what the first
	// remembered, and on four goroutines, so that words are learnt and
	// published while others read.
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pass := range 2 {
				for i := range texts {
					text := texts[(i+g*len(texts)/4)%len(texts)]
					want, got := plain.Analyze([]byte(text)), remembering.Analyze([]byte(text))
					if !sameTokens(want, got) {
						errs <- "pass " + string(rune('1'+pass)) + " of " + text + ":\n en:         " + tokensString(want) + "\n remembering: " + tokensString(got)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func sameTokens(a, b analysis.TokenStream) bool {
	return slices.EqualFunc(a, b, func(x, y *analysis.Token) bool {
		return string(x.Term) == string(y.Term) && x.Start == y.Start && x.End == y.End &&
			x.Position == y.Position && x.Type == y.Type && x.KeyWord == y.KeyWord
	})
}

func tokensString(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.String())
		b.WriteString(" ")
	}
	return b.String()
}

// The mapping's text fields use the remembering analyser.
func TestMappingAnalysesTextWithTheRememberingAnalyzer(t *testing.T) {
	a, err := textAnalyzerFor(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.(*rememberingAnalyzer); !ok {
		t.Fatalf("text analyser is %T", a)
	}
}
