// Package search is Rounds' full-text search: a Bleve index on each node,
// derived from the database through the search outbox, and the query
// language members type.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"

	"rounds/models"
)

// The index directory holds one or more built indexes and a symlink,
// current, naming the one in use; a rebuild writes building-N, renames it
// index-N and swaps the link in one rename.
const (
	currentLink    = "current"
	indexPrefix    = "index-"
	buildingPrefix = "building-"
)

// Keys kept inside the index next to the documents, written in the same
// batch as the documents they describe.
var (
	keyMappingVersion = []byte("rounds.mapping_version")
	keyPosition       = []byte("rounds.outbox_position")
	keyAppliedAt      = []byte("rounds.applied_at")
	keyShardBuilt     = []byte("rounds.shard_built")
	keyLength         = []byte("rounds.average_length") // see lengthEstimate
)

// ErrRebuilding is returned by Search while the index is being built.
var ErrRebuilding = errors.New("the search index is being rebuilt")

// Index is this node's search index. Open it, then Run it for as long as
// the site serves: Run builds it when it is missing or out of date and
// applies the search outbox to it.
type Index struct {
	dir      string
	store    *models.Store
	log      *slog.Logger
	synonyms Synonyms
	analyzer analysis.Analyzer
	wake     chan struct{}

	mu      sync.RWMutex
	current *shardSet // nil until a usable index is open
	name    string    // the directory current points at
	reason  string    // why the index must be rebuilt; "" when it need not

	built, total atomic.Int64 // progress of a rebuild this process runs

	// The tailer's state; only Run's goroutine touches it.
	position int64
	seen     map[int64]time.Time

	// generation goes up after every change to the index, which empties
	// found, the answers of recent searches (see found_cache.go).
	generation atomic.Uint64
	found      *foundCache

	length   lengthEstimate // the average post's length, for scoring
	ranking  ranking        // how posts are scored and ordered
	countCap int            // hits a count reads before it estimates the rest

	// failBeforeCommit lets a test stop the indexer between reading the
	// outbox and committing what it read, as a crash would.
	failBeforeCommit func() error
}

// Open opens the index under dir (DATA_DIR/search), creating the folder.
// An index that is missing, unreadable or built with another mapping is
// not an error: Run rebuilds it while Search says so.
func Open(dir string, store *models.Store, log *slog.Logger) (*Index, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create search index folder: %w", err)
	}
	synonyms, err := LoadSynonyms()
	if err != nil {
		return nil, err
	}
	analyzer, err := textAnalyzerFor(newMapping())
	if err != nil {
		return nil, err
	}
	x := &Index{
		dir: dir, store: store, log: log, synonyms: synonyms, analyzer: analyzer,
		wake: make(chan struct{}, 1), seen: map[int64]time.Time{}, ranking: defaultRanking,
		countCap: countCap, found: newFoundCache(foundCacheSize),
	}
	x.openCurrent()
	x.removeStale()
	return x, nil
}

// openCurrent opens the index current names, or records why it cannot.
func (x *Index) openCurrent() {
	name, err := os.Readlink(filepath.Join(x.dir, currentLink))
	if err != nil {
		x.setReason("there is no search index yet")
		return
	}
	idx, position, err := openIndex(filepath.Join(x.dir, name))
	if err != nil {
		x.setReason(err.Error())
		return
	}
	x.mu.Lock()
	old := x.current
	x.current, x.name, x.reason = idx, name, ""
	// Under the lock: no search reads the new index under the old
	// generation.
	x.generation.Add(1)
	x.mu.Unlock()
	if old != nil {
		_ = old.Close()
	}
	x.position = position
	x.seen = map[int64]time.Time{}
}

func (x *Index) setReason(reason string) {
	x.mu.Lock()
	x.reason = reason
	x.mu.Unlock()
}

// openIndex opens a built index and checks it was built with this mapping.
func openIndex(path string) (*shardSet, int64, error) {
	idx, err := openShards(path, map[string]interface{}{"bolt_timeout": "2s", "unsafe_batch": false})
	if err != nil {
		return nil, 0, fmt.Errorf("the search index cannot be opened (%v)", err)
	}
	version, err := idx.GetInternal(keyMappingVersion)
	if err != nil || string(version) != MappingVersion {
		_ = idx.Close()
		return nil, 0, fmt.Errorf("the search index was built by another version of Rounds (mapping %q, now %q)", version, MappingVersion)
	}
	raw, err := idx.GetInternal(keyPosition)
	if err != nil {
		_ = idx.Close()
		return nil, 0, fmt.Errorf("the search index cannot be read (%v)", err)
	}
	position, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		_ = idx.Close()
		return nil, 0, fmt.Errorf("the search index has no outbox position")
	}
	return idx, position, nil
}

// removeStale deletes built indexes that current no longer names.
func (x *Index) removeStale() {
	entries, err := os.ReadDir(x.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), indexPrefix) && e.Name() != x.name {
			if err := os.RemoveAll(filepath.Join(x.dir, e.Name())); err != nil {
				x.log.Warn("remove old search index", "dir", e.Name(), "err", err)
			}
		}
	}
}

// Close closes the index; Run must have returned.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.current == nil {
		return nil
	}
	err := x.current.Close()
	x.current = nil
	x.generation.Add(1)
	return err
}

// Wake tells the indexer the outbox has grown, so a post written on this
// node is searchable at once rather than at the next poll.
func (x *Index) Wake() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Status says whether the index can answer, and how far a rebuild is.
type Status struct {
	Ready        bool
	Reason       string // why it is being rebuilt
	Built, Total int64  // documents written so far by a rebuild in this process
}

// Status reports the index's state.
func (x *Index) Status() Status {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return Status{Ready: x.current != nil, Reason: x.reason, Built: x.built.Load(), Total: x.total.Load()}
}

// Position is the last outbox entry the index has applied with none
// missing before it.
func (x *Index) Position() int64 {
	raw, err := x.internal(keyPosition)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(raw), 10, 64)
	return n
}

func (x *Index) internal(key []byte) ([]byte, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.current == nil {
		return nil, ErrRebuilding
	}
	return x.current.GetInternal(key)
}

// Timing of the indexer.
const (
	pollEvery  = 250 * time.Millisecond // how often other nodes' writes are looked for
	gatherFor  = 100 * time.Millisecond // how long a wake waits for more writes to apply with it
	gapGrace   = 2 * time.Minute        // how long a missing outbox id may still be committed
	retryAfter = 5 * time.Second        // pause after a failure before trying again
)

// KeepOutbox is how long search outbox entries are kept; a node whose
// index is further behind rebuilds it.
const KeepOutbox = 7 * 24 * time.Hour

// Run keeps the index current until ctx ends: it rebuilds the index when
// it must, then applies the outbox whenever Wake is called and every
// pollEvery, and picks up an index swapped in by `rounds reindex`.
func (x *Index) Run(ctx context.Context) {
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	for ctx.Err() == nil {
		if x.Status().Reason != "" {
			if err := x.rebuildHere(ctx); err != nil {
				if ctx.Err() == nil {
					x.log.Error("rebuild search index", "err", err)
					sleep(ctx, retryAfter)
				}
				continue
			}
		}
		x.followSwap()
		if _, err := x.CatchUp(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("apply search outbox", "err", err)
			sleep(ctx, retryAfter)
		}
		select {
		case <-ctx.Done():
		case <-x.wake:
			// Under a stream of writes every one of them wakes the
			// indexer: gather those of the next gatherFor into the same
			// batch, one index segment (to persist, then merge) and one
			// emptying of the kept searches for them all, instead of one
			// each.
			sleep(ctx, gatherFor)
		case <-ticker.C:
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// rebuildHere rebuilds the index while the site serves.
func (x *Index) rebuildHere(ctx context.Context) error {
	x.log.Info("rebuilding the search index", "reason", x.Status().Reason)
	start := time.Now()
	stats, err := Rebuild(ctx, x.dir, x.store, func(done, total int64) {
		x.built.Store(done)
		x.total.Store(total)
	})
	if err != nil {
		return err
	}
	x.openCurrent()
	if reason := x.Status().Reason; reason != "" {
		return fmt.Errorf("open the rebuilt index: %s", reason)
	}
	x.removeStale()
	x.log.Info("search index rebuilt", "posts", stats.Posts, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// followSwap opens the index current names when another process (`rounds
// reindex`) has swapped in a new one.
func (x *Index) followSwap() {
	name, err := os.Readlink(filepath.Join(x.dir, currentLink))
	if err != nil {
		return
	}
	x.mu.RLock()
	same := name == x.name
	x.mu.RUnlock()
	if same {
		return
	}
	x.log.Info("switching to the rebuilt search index", "dir", name)
	x.openCurrent()
	x.removeStale()
}
