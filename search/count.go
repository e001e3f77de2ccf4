package search

import (
	"context"
	"encoding/binary"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// capQuery matches what its query matches, but each shard stops after
// limit hits and estimates the rest into an estimate shared by the shards.
type capQuery struct {
	query.Query
	limit int
	into  *countEstimate
}

// Searcher implements query.Query.
func (q *capQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.Query.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	docs, err := r.DocCount()
	if err != nil {
		_ = inner.Close()
		return nil, err
	}
	return &capSearcher{Searcher: inner, limit: max(q.limit, 1), docs: docs, into: q.into}, nil
}

type capSearcher struct {
	search.Searcher
	limit int
	docs  uint64 // documents in the shard
	into  *countEstimate
	seen  int
	done  bool
}

func (s *capSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	m, err := s.Searcher.Next(ctx)
	return s.note(m, err)
}

func (s *capSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	m, err := s.Searcher.Advance(ctx, id)
	return s.note(m, err)
}

// note counts a hit; at the limit it estimates the shard's hits from how
// far through its documents (numbered in the order they were added) the
// hits reached, assuming the rest are as dense.
func (s *capSearcher) note(m *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if err != nil {
		return nil, err
	}
	if m == nil {
		s.done = true
		s.into.add(uint64(s.seen), float64(s.seen), false)
		return nil, nil
	}
	s.seen++
	if s.seen < s.limit {
		return m, nil
	}
	s.done = true
	estimate := float64(s.seen)
	if id := m.IndexInternalID; len(id) == 8 {
		if at := binary.BigEndian.Uint64(id) + 1; at < s.docs {
			estimate = float64(s.seen) * float64(s.docs) / float64(at)
		}
	}
	s.into.add(uint64(s.seen), estimate, true)
	return m, nil
}

// countEstimate gathers the shards' counts.
type countEstimate struct {
	mu        sync.Mutex
	counted   uint64
	estimate  float64
	estimated bool
}

func (e *countEstimate) add(counted uint64, estimate float64, estimated bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counted += counted
	e.estimate += estimate
	e.estimated = e.estimated || estimated
}

// total is the estimate, rounded to two significant figures and never
// under what was counted, and whether it is one.
func (e *countEstimate) total() (uint64, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.estimated {
		return e.counted, false
	}
	n := uint64(e.estimate)
	scale := uint64(1)
	for n/scale >= 100 {
		scale *= 10
	}
	n = (n + scale/2) / scale * scale
	return max(n, e.counted), true
}
