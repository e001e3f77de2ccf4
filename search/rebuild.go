package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rounds/models"
)

var errRebuildRunning = errors.New("another rebuild of the search index is running")

// RebuildStats says what a rebuild did.
type RebuildStats struct {
	Posts int64
	Took  time.Duration
	Dir   string // the index now in use
}

// How a rebuild reads and writes.
const (
	rebuildPage  = 1000 // posts read from the database at a time
	rebuildBatch = 2000 // documents written to the index at a time
	unpersisted  = 4    // batches written but not yet on disk
)

// Rebuild builds a new index under dir from every visible post in the
// database and swaps it in as current in one rename. A server using the
// old index switches to the new one at its next poll. progress, when not
// nil, is called with the posts written and the total to write.
func Rebuild(ctx context.Context, dir string, store *models.Store, progress func(done, total int64)) (RebuildStats, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return RebuildStats{}, fmt.Errorf("create search index folder: %w", err)
	}
	unlock, err := lockRebuild(filepath.Join(dir, "rebuild.lock"))
	if err != nil {
		return RebuildStats{}, err
	}
	defer unlock()
	removeBuilding(dir)

	// Start from an outbox position a little in the past: entries written
	// since may belong to transactions not yet committed when the posts are
	// read, and applying an entry twice does no harm.
	position, err := store.OutboxPositionBefore(ctx, time.Now().Add(-gapGrace))
	if err != nil {
		return RebuildStats{}, err
	}
	oldest, err := store.OutboxOldest(ctx)
	if err != nil {
		return RebuildStats{}, err
	}
	if position < oldest-1 {
		position = oldest - 1
	}
	total, err := store.CountSearchDocs(ctx)
	if err != nil {
		return RebuildStats{}, err
	}

	stamp := strconv.FormatInt(time.Now().UnixNano(), 10)
	building := filepath.Join(dir, buildingPrefix+stamp)
	// Unsafe batches return before they reach the disk, which lets the
	// next batch be analysed meanwhile; a half-built index is never read.
	idx, err := createShards(building, newMapping(), map[string]interface{}{"unsafe_batch": true})
	if err != nil {
		return RebuildStats{}, fmt.Errorf("create search index: %w", err)
	}
	done, err := fill(ctx, idx, store, total, progress)
	if err == nil {
		// The marks that make the index usable go last, and the rebuild
		// waits until they, and so every batch before them, are on disk:
		// closing the index does not wait for unsafe batches.
		err = markBuilt(ctx, idx, position)
	}
	if err == nil {
		// One segment per shard: a search then walks one list per word.
		err = idx.forceMerge(ctx)
	}
	if cerr := idx.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		_ = os.RemoveAll(building)
		return RebuildStats{}, fmt.Errorf("rebuild search index: %w", err)
	}

	name := indexPrefix + stamp
	if err := os.Rename(building, filepath.Join(dir, name)); err != nil {
		_ = os.RemoveAll(building)
		return RebuildStats{}, fmt.Errorf("rebuild search index: %w", err)
	}
	link := filepath.Join(dir, currentLink)
	next := filepath.Join(dir, currentLink+".next")
	_ = os.Remove(next)
	if err := os.Symlink(name, next); err != nil {
		return RebuildStats{}, fmt.Errorf("point at rebuilt search index: %w", err)
	}
	if err := os.Rename(next, link); err != nil {
		return RebuildStats{}, fmt.Errorf("point at rebuilt search index: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the swap survives a crash
		_ = d.Close()
	}
	return RebuildStats{Posts: done, Took: time.Since(start), Dir: name}, nil
}

// markBuilt records the mapping version and outbox position in a built
// index and waits until they, and so every batch before them, are
// persisted in every shard.
func markBuilt(ctx context.Context, idx *shardSet, position int64) error {
	persisted := make(chan error, len(idx.shards))
	for i, shard := range idx.shards {
		batch := shard.NewBatch()
		if i == 0 {
			batch.SetInternal(keyMappingVersion, []byte(MappingVersion))
			batch.SetInternal(keyPosition, []byte(strconv.FormatInt(position, 10)))
			batch.SetInternal(keyAppliedAt, []byte(time.Now().UTC().Format(time.RFC3339)))
		} else {
			// Something to persist, so the callback says when the shard's
			// earlier unsafe batches are on disk too.
			batch.SetInternal(keyShardBuilt, []byte(strconv.Itoa(i)))
		}
		batch.SetPersistedCallback(func(err error) { persisted <- err })
		if err := shard.Batch(batch); err != nil {
			return err
		}
	}
	for range idx.shards {
		select {
		case err := <-persisted:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// removeBuilding deletes what an interrupted rebuild left behind; the
// caller holds the rebuild lock, so none is in progress.
func removeBuilding(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), buildingPrefix) {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// fill writes every visible post into idx: one goroutine reads pages from
// the database, workers turn posts into documents, and one writer per
// shard sends them in batches, which Bleve analyses in parallel.
func fill(ctx context.Context, idx *shardSet, store *models.Store, total int64, progress func(done, total int64)) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan []models.SearchDoc, 4)
	type converted struct {
		ids  []string
		docs []document
	}
	out := make([]chan converted, len(idx.shards))
	for i := range out {
		out[i] = make(chan converted, 4)
	}

	var readErr error
	go func() {
		defer close(pages)
		after := int64(0)
		for {
			docs, err := store.SearchDocsAfter(ctx, after, rebuildPage)
			if err != nil {
				readErr = err
				cancel()
				return
			}
			if len(docs) == 0 {
				return
			}
			after = docs[len(docs)-1].PostID
			select {
			case pages <- docs:
			case <-ctx.Done():
				return
			}
		}
	}()
	var workers sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for page := range pages {
				parts := make([]converted, len(out))
				for _, d := range page {
					if !d.Visible {
						continue // hidden with its topic's opening post
					}
					id := docID(d.TopicID, d.PostID)
					part := &parts[idx.shardOf(id)]
					part.ids = append(part.ids, id)
					part.docs = append(part.docs, toDocument(d))
				}
				for i, part := range parts {
					select {
					case out[i] <- part:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	go func() {
		workers.Wait()
		for _, ch := range out {
			close(ch)
		}
	}()

	// One writer per shard: while one batch is turned into a segment (one
	// goroutine in Bleve), another's documents are analysed.
	inMemory := make(chan struct{}, unpersisted)
	var (
		done     atomic.Int64
		writers  sync.WaitGroup
		writeErr error
		errOnce  sync.Once
	)
	for shard, in := range out {
		writers.Add(1)
		go func() {
			defer writers.Done()
			target := idx.shards[shard]
			batch := target.NewBatch()
			flush := func() error {
				if batch.Size() == 0 {
					return nil
				}
				n := int64(batch.Size())
				// Unsafe batches return before they are on disk; at most
				// unpersisted of them may wait there, which keeps memory flat.
				select {
				case inMemory <- struct{}{}:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch.SetPersistedCallback(func(err error) {
					<-inMemory
					if err != nil {
						errOnce.Do(func() { writeErr = err; cancel() })
					}
				})
				if err := target.Batch(batch); err != nil {
					return err
				}
				batch.Reset()
				d := done.Add(n)
				if progress != nil {
					progress(d, max(d, total))
				}
				return nil
			}
			for c := range in {
				for i := range c.docs {
					if err := batch.Index(c.ids[i], c.docs[i]); err != nil {
						errOnce.Do(func() { writeErr = err; cancel() })
						return
					}
				}
				if batch.Size() >= rebuildBatch {
					if err := flush(); err != nil {
						errOnce.Do(func() { writeErr = err; cancel() })
						return
					}
				}
			}
			if ctx.Err() == nil {
				if err := flush(); err != nil {
					errOnce.Do(func() { writeErr = err; cancel() })
				}
			}
		}()
	}
	writers.Wait()
	for _, ch := range out {
		for range ch {
			// drain what workers sent after a failure
		}
	}
	switch {
	case writeErr != nil:
		return done.Load(), writeErr
	case readErr != nil:
		return done.Load(), readErr
	case ctx.Err() != nil:
		return done.Load(), ctx.Err()
	}
	return done.Load(), nil
}
