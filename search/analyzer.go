package search

import (
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// rememberingName is Bleve's English analysis ("en": Unicode words, then
// possessives, lower case, stop words and the Porter stemmer) with the
// filters' answer for each word remembered. The filters look at one word
// at a time and nothing else, so a word always becomes the same term (or
// is always dropped); a community's posts use a few tens of thousands of
// words over and over, and stemming each again cost about a twentieth of
// a rebuild. The terms are exactly those of "en", so an index built with
// either reads the same.
const rememberingName = "rounds_en"

// rememberedMax bounds how many words are remembered: past it, new words
// go through the filters each time, as they would without the memory.
const rememberedMax = 200_000

func init() {
	if err := registry.RegisterAnalyzer(rememberingName, newRememberingAnalyzer); err != nil {
		panic(err)
	}
}

func newRememberingAnalyzer(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	a, err := en.AnalyzerConstructor(config, cache)
	if err != nil {
		return nil, err
	}
	plain := a.(*analysis.DefaultAnalyzer)
	r := &rememberingAnalyzer{tokenizer: plain.Tokenizer, filters: plain.TokenFilters}
	r.words.Store(&map[string]remembered{})
	return r, nil
}

type rememberingAnalyzer struct {
	tokenizer analysis.Tokenizer
	filters   []analysis.TokenFilter

	// words is read without a lock by every goroutine that analyses;
	// new words wait in fresh, under mu, and are published in a new map
	// (the old one is never written again) once there are enough of them
	// to be worth the copy.
	words atomic.Pointer[map[string]remembered]
	mu    sync.Mutex
	fresh map[string]remembered
}

// remembered is what the filters make of a word. term is shared by every
// token of the word: nothing downstream writes into a token's term.
type remembered struct {
	term    []byte
	dropped bool // a stop word
}

func (a *rememberingAnalyzer) Analyze(input []byte) analysis.TokenStream {
	tokens := a.tokenizer.Tokenize(input)
	words := *a.words.Load()
	kept := tokens[:0]
	for _, tok := range tokens {
		w, ok := words[string(tok.Term)]
		if !ok {
			w = a.learn(tok.Term)
		}
		if w.dropped {
			continue
		}
		tok.Term = w.term
		kept = append(kept, tok)
	}
	return kept
}

// learn runs the filters on one word and remembers the answer.
func (a *rememberingAnalyzer) learn(word []byte) remembered {
	key := string(word)
	stream := analysis.TokenStream{{Term: []byte(key)}}
	for _, f := range a.filters {
		stream = f.Filter(stream)
	}
	w := remembered{dropped: len(stream) == 0}
	if !w.dropped {
		w.term = stream[0].Term
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	words := *a.words.Load()
	if len(words)+len(a.fresh) >= rememberedMax {
		return w
	}
	if a.fresh == nil {
		a.fresh = map[string]remembered{}
	}
	a.fresh[key] = w
	// Publishing copies every word known, so it waits until the new words
	// are a quarter of them: the copying adds up to a few times the words
	// remembered, not their square.
	if len(a.fresh) >= max(256, len(words)/4) {
		next := make(map[string]remembered, len(words)+len(a.fresh))
		for k, v := range words {
			next[k] = v
		}
		for k, v := range a.fresh {
			next[k] = v
		}
		a.words.Store(&next)
		a.fresh = nil
	}
	return w
}
