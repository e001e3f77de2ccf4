package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// Tests write into a built index behind the indexer's back, to see that
// it notices.

// SetInternal writes an internal value.
func (s *shardSet) SetInternal(key, value []byte) error { return s.shards[0].SetInternal(key, value) }

// Index writes one document to its shard.
func (s *shardSet) Index(id string, doc any) error { return s.shards[s.shardOf(id)].Index(id, doc) }

// Search is SearchInContext without a deadline.
func (s *shardSet) Search(req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return s.SearchInContext(context.Background(), req)
}
