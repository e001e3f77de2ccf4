package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

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
	rebuildPage = 1000 // posts read from the database at a time
	// rebuildBatch is how many documents a shard analyses and turns into
	// one segment at a time. Smaller batches are cheaper to build (50,000
	// posts: 265-276 µs of CPU a post with 1,000, 326-330 with 2,000, 225-230
	// with 500), for the batch's maps and arrays stay small and so does the
	// heap the collector walks. But zapx's merge compares each term with
	// every segment's dictionary, so its cost grows with the segments: at a
	// million posts, 500-post segments (1,000 a shard) would add about 50 µs
	// a post of merging, on one core, about what they save building; and
	// many small segments map more memory while merged (1.61 times the
	// merged segment with 500, 1.53 with 1,000, 1.45 with 2,000). See
	// "rounds reindex: segments of 1,000 posts" in docs/performance.md.
	// Built in parts, 500-post segments were no cheaper at 1M either.
	rebuildBatch = 1000
	// rebuildMergeMax is how many of a part's segments are merged at once
	// when it is full: more than a part holds, so that each posting is
	// rewritten once there rather than once per level of a tree of merges.
	rebuildMergeMax = 2000
	// rebuildPart is how many posts a shard builds as one part, its 64
	// segments merged into one as soon as it is full, while the other
	// shard goes on building; a shard's parts (8 at a million posts) are
	// merged at the end (see shardBuild). Each term is then compared with
	// 64 + 8 segments' in merging rather than 500, and the merging at the
	// end, one shard at a time with the other core idle, takes about a
	// third of the time it did (1M posts: 20-23 s against 58 s, load 1-3).
	// The parts' merges write every posting once more, beside the other
	// shard's building. See "rounds reindex in parts" in docs/performance.md.
	rebuildPart = 64 * rebuildBatch
	// parallelMergeMax is the most posts whose shards' parts are merged
	// at the same time: about 200 MB of index (a million posts make about
	// 760 MB).
	parallelMergeMax = 250_000
)

// Rebuild builds a new index under dir from every visible post in the
// database and swaps it in as current in one rename. A server using the
// old index switches to the new one at its next poll. progress, when not
// nil, is called with the posts written and the total to write.
func Rebuild(ctx context.Context, dir string, store *models.Store, progress func(done, total int64)) (RebuildStats, error) {
	return rebuild(ctx, dir, store, defaultSegments, progress)
}

// segments is how a build cuts and merges a shard's segments.
type segments struct {
	batch    int // posts analysed and written as one segment at a time
	mergeMax int // segments merged into one at a time
	part     int // posts a shard builds and merges as one part; 0: one part
}

var defaultSegments = segments{batch: rebuildBatch, mergeMax: rebuildMergeMax, part: rebuildPart}

// rebuild is Rebuild with each shard's segments cut and merged as seg says.
func rebuild(ctx context.Context, dir string, store *models.Store, seg segments, progress func(done, total int64)) (RebuildStats, error) {
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
	// Entries past it in an unbroken run were committed before the posts
	// are read, so the posts as read hold their changes: the indexer need
	// not apply them again. Right after a bulk write (an import, a seed)
	// that is the whole index's worth of work saved. A hole (a write not
	// committed yet, or rolled back) ends the run; what follows it is
	// applied again as before.
	if position, err = store.OutboxContiguousAfter(ctx, position); err != nil {
		return RebuildStats{}, err
	}
	total, err := store.CountSearchDocs(ctx)
	if err != nil {
		return RebuildStats{}, err
	}

	stamp := strconv.FormatInt(time.Now().UnixNano(), 10)
	building := filepath.Join(dir, buildingPrefix+stamp)
	done, err := build(ctx, building, store, total, seg, progress)
	if err == nil {
		err = finish(ctx, building, position)
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

// finish opens a built index, records in it the mapping version and the
// outbox position the tailer goes on from, and closes it, leaving every
// shard one segment: a search then walks one list per word.
func finish(ctx context.Context, path string, position int64) error {
	idx, err := openShards(path, map[string]interface{}{"unsafe_batch": false})
	if err != nil {
		return fmt.Errorf("open the built index: %w", err)
	}
	err = markBuilt(ctx, idx, position)
	if err == nil {
		// The builder leaves one segment a shard already; this only
		// makes sure of it.
		err = idx.forceMerge(ctx)
	}
	if err == nil {
		err = keepLength(ctx, idx)
	}
	if cerr := idx.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
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

// keepLength measures a built index's average lengths and keeps them in
// it, so that the server reads them rather than measuring them (see
// lengthEstimate), and waits until they are persisted.
func keepLength(ctx context.Context, idx *shardSet) error {
	docs, err := idx.DocCount()
	if err != nil || docs == 0 {
		return err
	}
	f, err := measureLength(idx, docs)
	if err != nil {
		return fmt.Errorf("measure the built index: %w", err)
	}
	batch := idx.shards[0].NewBatch()
	batch.SetInternal(keyLength, f.encode())
	persisted := make(chan error, 1)
	batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := idx.shards[0].Batch(batch); err != nil {
		return err
	}
	select {
	case err := <-persisted:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
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

// build writes every visible post into a new index at path, up to batch
// posts a segment. It uses
// Bleve's offline builder, one per shard, each fed by its own goroutine:
// a builder analyses its documents a batch at a time, writes each batch
// as a segment file without waiting on the live index's snapshots,
// persister and background merges, and merges its segments once, when
// every document is in. One goroutine reads the posts from the database
// and hands each to its shard, so with two shards both cores build while
// the reading costs little beside them.
func build(ctx context.Context, path string, store *models.Store, total int64, seg segments, progress func(done, total int64)) (int64, error) {
	batch := seg.batch
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := os.MkdirAll(path, 0o700); err != nil {
		return 0, fmt.Errorf("create search index folder: %w", err)
	}
	m := newMapping()
	type post struct {
		id  string
		doc document
	}
	// Pages of documents, per shard, so that handing them over costs one
	// channel send per page rather than per post. A shard takes no posts
	// while it turns a batch into a segment; the reader keeps reading
	// meanwhile, up to a batch ahead of each shard, so that the shards do
	// not wait on the database when they are done (posts as text are small
	// beside the batch being analysed).
	out := make([]chan []post, shardCount)
	for i := range out {
		out[i] = make(chan []post, max(2, 2*batch*len(out)/rebuildPage))
	}
	var readErr error
	go func() {
		defer func() {
			for _, ch := range out {
				close(ch)
			}
		}()
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
			parts := make([][]post, len(out))
			for _, d := range docs {
				if !d.Visible {
					continue // hidden with its topic's opening post
				}
				id := docID(d.TopicID, d.PostID)
				i := shardFor(id, len(out))
				parts[i] = append(parts[i], post{id: id, doc: toDocument(d)})
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

	var (
		done       atomic.Int64
		progressMu sync.Mutex
		mergeMu    sync.Mutex
		writers    sync.WaitGroup
		writeErr   error
		errOnce    sync.Once
	)
	fail := func(err error) { errOnce.Do(func() { writeErr = err; cancel() }) }
	for shard, in := range out {
		writers.Add(1)
		go func() {
			defer writers.Done()
			sb := &shardBuild{path: path, shard: shard, m: m, seg: seg}
			for page := range in {
				if ctx.Err() != nil {
					continue // drain what the reader sent before it stopped
				}
				for _, p := range page {
					if err := sb.index(p.id, p.doc); err != nil {
						fail(fmt.Errorf("index post %s: %w", p.id, err))
						break
					}
				}
				if progress != nil {
					// One call at a time, in order, from both shards.
					progressMu.Lock()
					d := done.Add(int64(len(page)))
					progress(d, max(d, total))
					progressMu.Unlock()
				} else {
					done.Add(int64(len(page)))
				}
			}
			if ctx.Err() != nil {
				return
			}
			if sb.empty() {
				empty, err := bleve.NewUsing(shardPath(path, shard), m, scorch.Name, scorch.Name, nil)
				if err == nil {
					err = empty.Close()
				}
				if err != nil {
					fail(fmt.Errorf("create empty shard %d: %w", shard, err))
				}
				return
			}
			// The last part, merged on its own: small, so both shards may
			// at once.
			if err := sb.closePart(); err != nil {
				fail(fmt.Errorf("finish shard %d: %w", shard, err))
				return
			}
			// The merge of the shard's parts. A merge maps every segment
			// it reads, and mapped pages count against the process's
			// memory: past parallelMergeMax posts the shards merge one at
			// a time, so that at most half the index is mapped at once.
			if max(total, done.Load()) > parallelMergeMax {
				mergeMu.Lock()
				defer mergeMu.Unlock()
			}
			if err := sb.mergeParts(ctx); err != nil {
				fail(fmt.Errorf("finish shard %d: %w", shard, err))
			}
		}()
	}
	writers.Wait()
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
