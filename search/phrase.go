package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches posts holding its terms side by side, in order, in
// one field: what Bleve's phrase query with no slop matches ("" is a common
// word left out, and any word fits there), at a fraction of the cost. For
// every post holding all the words, Bleve's builds a map of each word's
// places and a list of every way the phrase fits; at a million posts a
// phrase of two common words cost about 180 ms of CPU, most of it there.
// This one compares the places the index reads, as they come, and stops
// at the first fit. Its score is not used: a phrase's words are scored as
// words (see scorer.phrase).
type phraseQuery struct {
	terms []string
	field string
}

func newPhraseQuery(terms []string, field string) *phraseQuery {
	return &phraseQuery{terms: terms, field: field}
}

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s := &phraseSearcher{}
	first := -1
	for i, t := range q.terms {
		if t == "" {
			continue
		}
		if first < 0 {
			first = i
		}
		at := slices.Index(s.words, t)
		if at < 0 {
			reader, err := r.TermFieldReader(ctx, []byte(t), q.field, false, false, true)
			if err != nil {
				_ = s.Close()
				return nil, err
			}
			at = len(s.words)
			s.words = append(s.words, t)
			s.readers = append(s.readers, reader)
			s.docs = append(s.docs, &index.TermFieldDoc{})
			s.at = append(s.at, nil)
		}
		s.steps = append(s.steps, phraseStep{word: at, offset: uint64(i - first)})
	}
	return s, nil
}

// phraseStep is one word of the phrase: which of the searcher's words,
// and how many places after the phrase's first word it must be.
type phraseStep struct {
	word   int
	offset uint64
}

// phraseSearcher walks the postings of every word of a phrase together
// (each word once, however often the phrase repeats it) and keeps the
// posts where the words' places line up.
type phraseSearcher struct {
	words   []string
	readers []index.TermFieldReader
	docs    []*index.TermFieldDoc // the reused buffers each reader fills
	at      []*index.TermFieldDoc // where each reader is; nil past its last post
	steps   []phraseStep
	target  index.IndexInternalID // the post the readers are brought to
	started bool
	done    bool
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done || len(s.readers) == 0 {
		return nil, nil
	}
	if !s.started {
		s.started = true
		for i := range s.readers {
			if err := s.move(i, nil); err != nil {
				return nil, err
			}
		}
	} else if err := s.move(0, nil); err != nil { // past the post found last
		return nil, err
	}
	return s.find(ctx)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done || len(s.readers) == 0 {
		return nil, nil
	}
	s.started = true
	for i := range s.readers {
		if s.at[i] != nil && s.at[i].ID.Compare(id) >= 0 {
			continue // already there (before the first move, at is nil)
		}
		if err := s.move(i, id); err != nil {
			return nil, err
		}
	}
	return s.find(ctx)
}

// move brings reader i to its next post, or to its first at or after id.
func (s *phraseSearcher) move(i int, id index.IndexInternalID) error {
	var err error
	if id == nil {
		s.at[i], err = s.readers[i].Next(s.docs[i].Reset())
	} else {
		s.at[i], err = s.readers[i].Advance(id, s.docs[i].Reset())
	}
	if err == nil && s.at[i] == nil {
		s.done = true
	}
	return err
}

// find moves the readers until they are all on one post where the phrase
// fits, and returns it.
func (s *phraseSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for !s.done {
		// The furthest reader's post is the first any other could share.
		far := 0
		for i := 1; i < len(s.at); i++ {
			if s.at[i].ID.Compare(s.at[far].ID) > 0 {
				far = i
			}
		}
		s.target = append(s.target[:0], s.at[far].ID...)
		target := s.target
		together := true
		for i := range s.at {
			if s.at[i].ID.Equals(target) {
				continue
			}
			together = false
			if err := s.move(i, target); err != nil {
				return nil, err
			}
			if s.done {
				return nil, nil
			}
		}
		if !together {
			continue
		}
		if s.fits() {
			m := ctx.DocumentMatchPool.Get()
			m.IndexInternalID = index.NewIndexInternalIDFrom(m.IndexInternalID, target)
			return m, nil
		}
		if err := s.move(0, nil); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// fits says whether, in the post every reader is on, some place of the
// phrase's first word has each other word at its offset from it, in the
// same element of the field.
func (s *phraseSearcher) fits() bool {
	first := s.steps[0]
	for _, start := range s.at[first.word].Vectors {
		if s.fitsFrom(start) {
			return true
		}
	}
	return false
}

func (s *phraseSearcher) fitsFrom(start *index.TermFieldVector) bool {
	for _, step := range s.steps[1:] {
		want := start.Pos + step.offset
		found := false
		for _, v := range s.at[step.word].Vectors {
			if v.Pos == want && slices.Equal(v.ArrayPositions, start.ArrayPositions) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *phraseSearcher) Close() error {
	var err error
	for _, r := range s.readers {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (s *phraseSearcher) Weight() float64      { return 1 }
func (s *phraseSearcher) SetQueryNorm(float64) {}
func (s *phraseSearcher) Min() int             { return 0 }

// Count is at most the count of its rarest word's posts.
func (s *phraseSearcher) Count() uint64 {
	var n uint64
	for i, r := range s.readers {
		if c := r.Count(); i == 0 || c < n {
			n = c
		}
	}
	return n
}

func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *phraseSearcher) Size() int {
	n := 64
	for _, r := range s.readers {
		n += r.Size()
	}
	return n
}
