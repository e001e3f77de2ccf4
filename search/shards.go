package search

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
)

// shardCount is how many parts a built index is split into. A search runs
// on every part at once, so a query that matches a large share of a big
// community uses every core. Each part scores with its own statistics, as
// search engines' shards commonly do: documents are spread by a hash of
// their id, so each part's word frequencies are close to the whole's.
// Changing it changes the mapping version.
const shardCount = 2

// shardSet is one built index: its documents spread over shards by id and
// searched together through an alias. The first shard also keeps the
// internal values (mapping version, outbox position).
type shardSet struct {
	shards []bleve.Index
	alias  bleve.IndexAlias
}

func shardPath(path string, i int) string {
	return filepath.Join(path, "shard-"+strconv.Itoa(i))
}

// createShards makes the shards of a new index under path.
func createShards(path string, m mapping.IndexMapping, config map[string]interface{}) (*shardSet, error) {
	set := &shardSet{}
	for i := range shardCount {
		idx, err := bleve.NewUsing(shardPath(path, i), m, scorch.Name, scorch.Name, config)
		if err != nil {
			_ = set.Close()
			return nil, err
		}
		set.shards = append(set.shards, idx)
	}
	set.link(m)
	return set, nil
}

// openShards opens the shards of a built index.
func openShards(path string, config map[string]interface{}) (*shardSet, error) {
	set := &shardSet{}
	for i := range shardCount {
		idx, err := bleve.OpenUsing(shardPath(path, i), config)
		if err != nil {
			_ = set.Close()
			return nil, err
		}
		set.shards = append(set.shards, idx)
	}
	set.link(set.shards[0].Mapping())
	return set, nil
}

func (s *shardSet) link(m mapping.IndexMapping) {
	alias := bleve.NewIndexAlias(s.shards...)
	_ = alias.SetIndexMapping(m) // fails only on a closed alias
	s.alias = alias
}

// forceMerge merges each shard into one segment, one shard at a time so
// that only one shard's segments are mapped into memory at once.
func (s *shardSet) forceMerge(ctx context.Context) error {
	for i, idx := range s.shards {
		raw, err := idx.Advanced()
		if err != nil {
			return err
		}
		sc, ok := raw.(*scorch.Scorch)
		if !ok {
			return fmt.Errorf("search: shard %d is not a scorch index", i)
		}
		if err := sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return fmt.Errorf("merge shard %d: %w", i, err)
		}
	}
	return nil
}

// Close closes every shard.
func (s *shardSet) Close() error {
	var errs []error
	for _, idx := range s.shards {
		errs = append(errs, idx.Close())
	}
	return errors.Join(errs...)
}

func (s *shardSet) shardOf(id string) int { return shardFor(id, len(s.shards)) }

// shardFor is the shard, of n, that holds the document id.
func shardFor(id string, n int) int { return int(shardHash(id) % uint32(n)) }

// shardHash spreads ids over shards. FNV-1a's low bit is only the parity
// of its input's bytes, so "12/12" and every other opening post whose
// topic and post numbers are the same would all land in one shard; mixing
// the high bits down (MurmurHash3's finaliser) spreads them evenly.
func shardHash(id string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	v := h.Sum32()
	v ^= v >> 16
	v *= 0x85ebca6b
	v ^= v >> 13
	v *= 0xc2b2ae35
	v ^= v >> 16
	return v
}

// SearchInContext searches every shard at once and merges their hits.
func (s *shardSet) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return s.alias.SearchInContext(ctx, req)
}

// DocCount counts the documents in every shard.
func (s *shardSet) DocCount() (uint64, error) {
	var n uint64
	for _, idx := range s.shards {
		c, err := idx.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// GetInternal reads an internal value.
func (s *shardSet) GetInternal(key []byte) ([]byte, error) { return s.shards[0].GetInternal(key) }

// shardBatch is a batch for every shard.
type shardBatch struct {
	set     *shardSet
	batches []*bleve.Batch
}

func (s *shardSet) NewBatch() *shardBatch {
	b := &shardBatch{set: s}
	for _, idx := range s.shards {
		b.batches = append(b.batches, idx.NewBatch())
	}
	return b
}

func (b *shardBatch) Index(id string, doc any) error {
	return b.batches[b.set.shardOf(id)].Index(id, doc)
}

func (b *shardBatch) Delete(id string) { b.batches[b.set.shardOf(id)].Delete(id) }

// SetInternal goes with the first shard's documents.
func (b *shardBatch) SetInternal(key, value []byte) { b.batches[0].SetInternal(key, value) }

// Batch writes a batch to every shard, the first shard last: its batch
// carries the outbox position, so a crash in between leaves the position
// behind and the entries are applied again.
func (s *shardSet) Batch(b *shardBatch) error {
	for i := len(s.shards) - 1; i >= 0; i-- {
		if b.batches[i].Size() == 0 && i != 0 {
			continue
		}
		if err := s.shards[i].Batch(b.batches[i]); err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
	}
	return nil
}

// postingsCount adds up, over every term of a field, the documents that
// hold it.
func (s *shardSet) postingsCount(field string) (uint64, error) {
	var n uint64
	for _, idx := range s.shards {
		dict, err := idx.FieldDict(field)
		if err != nil {
			return 0, err
		}
		for {
			entry, err := dict.Next()
			if err != nil {
				_ = dict.Close()
				return 0, err
			}
			if entry == nil {
				break
			}
			n += entry.Count
		}
		if err := dict.Close(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// termCount is how many distinct terms a field holds over every shard: for the
// topic field, how many topics have posts in the index.
func (s *shardSet) termCount(field string) (uint64, error) {
	seen := map[string]bool{}
	for _, idx := range s.shards {
		dict, err := idx.FieldDict(field)
		if err != nil {
			return 0, err
		}
		for {
			entry, err := dict.Next()
			if err != nil {
				_ = dict.Close()
				return 0, err
			}
			if entry == nil {
				break
			}
			seen[entry.Term] = true
		}
		if err := dict.Close(); err != nil {
			return 0, err
		}
	}
	return uint64(len(seen)), nil
}
