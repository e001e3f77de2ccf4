package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// busyWorld writes posts posts across a few topics, editing, deleting and
// hiding some of them, with the indexer catching up every so often.
func busyWorld(t *testing.T, w *world, posts int) {
	t.Helper()
	ctx := context.Background()
	var topics []*models.Topic
	var written []*models.Post
	for i := range posts {
		var p *models.Post
		if i%25 == 0 {
			var topic *models.Topic
			title := fmt.Sprintf("Case conference %d", i/25)
			board := w.board
			if i%50 == 0 {
				board = w.restricted
			}
			topic, p = w.topic(t, board, title, fmt.Sprintf("Opening case %d: dyspnoea on exertion.", i), "cases")
			topics = append(topics, topic)
		} else {
			p = w.reply(t, topics[len(topics)-1], fmt.Sprintf("Reply %d: check the troponin.", i))
		}
		written = append(written, p)
		switch {
		case i%7 == 3: // edited twice
			p = w.edit(t, p, nil, fmt.Sprintf("Edited %d: check the BNP instead.", i))
			w.edit(t, p, nil, fmt.Sprintf("Edited again %d: and the troponin.", i))
		case i%11 == 5:
			if err := w.store.DeletePost(ctx, p.ID, w.author.ID); err != nil {
				t.Fatal(err)
			}
		case i%13 == 6:
			if err := w.store.HidePost(ctx, p.ID, w.author.ID, "off topic"); err != nil {
				t.Fatal(err)
			}
		case i%25 == 0 && i%75 == 0: // retitled topic: its opening post's version goes up
			title := fmt.Sprintf("Retitled conference %d", i/25)
			w.edit(t, p, &title, "Opening case, retitled.")
		}
		if i%40 == 39 {
			w.catchUp(t)
		}
	}
	// Unhide a few so that hidden and visible again are both covered.
	for i := 6; i < posts; i += 13 * 3 {
		if err := w.store.UnhidePost(ctx, written[i].ID, w.author.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.catchUp(t)
}

func TestRebuildEqualsTheDatabase(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		busyWorld(t, w, 300)
		want := dbVersions(t, store)
		if len(want) < 200 || len(want) >= 300 {
			t.Fatalf("the fixture left %d visible posts of 300", len(want))
		}
		edited := 0
		for _, v := range want {
			if v > 1 {
				edited++
			}
		}
		if edited < 20 {
			t.Fatalf("only %d visible posts have been edited", edited)
		}
		if err := sameVersions(want, indexVersions(t, x)); err != nil {
			t.Fatalf("the incrementally kept index: %v", err)
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}

		stats, err := Rebuild(ctx, w.dir, store, nil)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Posts != int64(len(want)) {
			t.Errorf("Rebuild says it wrote %d posts, want %d", stats.Posts, len(want))
		}
		x = w.reopen(t)
		if st := x.Status(); !st.Ready || st.Reason != "" {
			t.Fatalf("the rebuilt index is not ready: %+v", st)
		}
		if err := sameVersions(want, indexVersions(t, x)); err != nil {
			t.Fatalf("the rebuilt index: %v", err)
		}
		// Catching up from the rebuild's position changes nothing.
		w.catchUp(t)
		if err := sameVersions(want, indexVersions(t, x)); err != nil {
			t.Fatalf("the rebuilt index, caught up: %v", err)
		}
	})
}

func TestMissingOrOutdatedIndexIsRebuilt(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		_, post := w.topic(t, w.board, "Pericarditis recurrence", "Colchicine for three months.")

		// An empty folder: no index yet.
		x, err := Open(w.dir, store, discardLog())
		if err != nil {
			t.Fatal(err)
		}
		if st := x.Status(); st.Ready || st.Reason == "" {
			t.Fatalf("a missing index: %+v, want not ready with a reason", st)
		}
		if _, err := x.CatchUp(ctx); !errors.Is(err, ErrRebuilding) {
			t.Fatalf("CatchUp on a missing index: %v, want ErrRebuilding", err)
		}
		if _, err := x.Search(ctx, Request{Query: Query{Words: []string{"colchicine"}}, Scope: w.everyone()}); !errors.Is(err, ErrRebuilding) {
			t.Fatalf("Search on a missing index: %v, want ErrRebuilding", err)
		}
		if err := x.rebuildHere(ctx); err != nil {
			t.Fatal(err)
		}
		if st := x.Status(); !st.Ready || st.Reason != "" {
			t.Fatalf("after rebuildHere: %+v", st)
		}
		w.index = x
		w.want(t, "colchicine", w.everyone(), post.ID)

		// An index built with another mapping.
		x.mu.RLock()
		err = x.current.SetInternal(keyMappingVersion, []byte("0-older"))
		x.mu.RUnlock()
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		x = w.reopen(t)
		st := x.Status()
		if st.Ready || !strings.Contains(st.Reason, "another version") {
			t.Fatalf("an index with another mapping: %+v, want not ready, built by another version", st)
		}
		runBackground(t, x)
		waitFor(t, 5*time.Second, "Run to rebuild the index", func() bool { return x.Status().Ready })
		if st := x.Status(); st.Reason != "" {
			t.Fatalf("rebuilt by Run, still: %+v", st)
		}
		w.want(t, "colchicine", w.everyone(), post.ID)
		raw, err := x.internal(keyMappingVersion)
		if err != nil || string(raw) != MappingVersion {
			t.Fatalf("the rebuilt index has mapping %q (%v), want %q", raw, err, MappingVersion)
		}
	})
}

func TestRunningIndexFollowsARebuildFromOutside(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		_, post := w.topic(t, w.board, "Aortic stenosis", "TAVI versus surgery at 75.")
		w.catchUp(t)
		old := x.name
		// Something only the old index holds, to tell the two apart.
		x.mu.RLock()
		err := x.current.Index(docID(999, 999), document{Body: "phantom", Board: fmt.Sprint(w.board.ID), Kind: "discussion"})
		x.mu.RUnlock()
		if err != nil {
			t.Fatal(err)
		}
		w.want(t, "phantom", w.everyone(), 999)

		if _, err := Rebuild(ctx, w.dir, store, nil); err != nil {
			t.Fatal(err)
		}
		// Until it looks, the node serves from the index it has open.
		w.want(t, "phantom", w.everyone(), 999)
		x.followSwap()
		if x.name == old {
			t.Fatalf("still on %s after the swap", old)
		}
		if _, err := os.Stat(filepath.Join(w.dir, old)); !os.IsNotExist(err) {
			t.Fatalf("the old index %s is still on disk: %v", old, err)
		}
		w.want(t, "phantom", w.everyone())
		w.want(t, "tavi", w.everyone(), post.ID)
		later := w.reply(t, &models.Topic{ID: post.TopicID}, "Valve-in-valve later on.")
		w.catchUp(t)
		w.want(t, "valve", w.everyone(), later.ID)
	})
}

func TestOneRebuildAtATime(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.topic(t, w.board, "Statins in the elderly", "Primary prevention past 80.")

		inside, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			once := false
			_, err := Rebuild(ctx, w.dir, store, func(done, total int64) {
				if !once {
					once = true
					close(inside)
					<-release
				}
			})
			first <- err
		}()
		select {
		case <-inside:
		case err := <-first:
			t.Fatalf("the first rebuild ended before writing anything: %v", err)
		case <-time.After(5 * time.Second):
			t.Fatal("the first rebuild never wrote a batch")
		}
		_, err := Rebuild(ctx, w.dir, store, nil)
		close(release)
		if !errors.Is(err, errRebuildRunning) || !strings.Contains(err.Error(), "another rebuild") {
			t.Fatalf("a second rebuild while one runs: %v, want %v", err, errRebuildRunning)
		}
		if err := <-first; err != nil {
			t.Fatalf("the first rebuild: %v", err)
		}
		// Once it is done, another may run.
		if _, err := Rebuild(ctx, w.dir, store, nil); err != nil {
			t.Fatalf("a rebuild after the first ended: %v", err)
		}
	})
}

func TestIndexBehindThePrunedOutboxRebuilds(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		topic, _ := w.topic(t, w.board, "Heart failure clinic", "Sacubitril titration.")
		w.catchUp(t)

		// Pruning what the index has applied is harmless.
		if _, err := store.PruneOutbox(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		if st := x.Status(); !st.Ready || st.Reason != "" {
			t.Fatalf("an index at the head of a pruned outbox: %+v", st)
		}

		// The index falls behind (the node is down), and the outbox is
		// pruned past it.
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		var missed []*models.Post
		for i := range 3 {
			missed = append(missed, w.reply(t, topic, fmt.Sprintf("Missed reply %d about empagliflozin.", i)))
		}
		if n, err := store.PruneOutbox(ctx, time.Now().Add(time.Hour)); err != nil || n == 0 {
			t.Fatalf("pruned %d entries: %v", n, err)
		}
		x = w.reopen(t)
		if _, err := x.CatchUp(ctx); !errors.Is(err, ErrRebuilding) {
			t.Fatalf("CatchUp behind the outbox: %v, want ErrRebuilding", err)
		}
		if st := x.Status(); st.Reason == "" {
			t.Fatalf("an index behind the outbox does not say it must rebuild: %+v", st)
		}
		runBackground(t, x)
		waitFor(t, 5*time.Second, "Run to rebuild the index", func() bool { return x.Status().Reason == "" })
		waitFor(t, 2*time.Second, "the missed replies", func() bool {
			return len(w.find(t, "empagliflozin", w.everyone())) == len(missed)
		})
	})
}

// A rebuild reads the database a page at a time, and each shard writes
// its posts in segments that it merges at the end: every page and every
// segment must reach the index.
func TestRebuildKeepsEveryPage(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		n := 2*rebuildPage + 37
		at := store.Now().Add(-time.Hour)
		imports := make([]models.ImportTopic, n)
		for i := range imports {
			body := fmt.Sprintf("Imported case %d with a murmur.", i)
			imports[i] = models.ImportTopic{BoardID: w.board.ID, Title: fmt.Sprintf("Imported %d", i),
				Posts: []models.ImportPost{{AuthorID: w.author.ID, Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body), At: at}}}
		}
		if err := store.ImportTopics(ctx, imports); err != nil {
			t.Fatal(err)
		}
		// Segments of 300 posts: each shard writes several and merges them;
		// then in parts of 400 posts (about three a shard), each merged
		// when full and the parts merged at the end.
		for _, seg := range []segments{{batch: 300, mergeMax: rebuildMergeMax}, {batch: 300, mergeMax: rebuildMergeMax, part: 400}} {
			stats, err := rebuild(ctx, w.dir, store, seg, nil)
			if err != nil {
				t.Fatal(err)
			}
			x := w.reopen(t)
			got := indexVersions(t, x)
			if err := sameVersions(dbVersions(t, store), got); err != nil {
				t.Fatalf("%+v: Rebuild wrote %d posts, the index holds %d: %v", seg, stats.Posts, len(got), err)
			}
			// Nothing of the build is left beside the shards, each one
			// segment.
			entries, err := os.ReadDir(filepath.Join(w.dir, stats.Dir))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), "shard-") {
					t.Errorf("%+v: the rebuilt index holds %s", seg, e.Name())
					continue
				}
				zaps, _ := filepath.Glob(filepath.Join(w.dir, stats.Dir, e.Name(), "store", "*.zap"))
				if len(zaps) != 1 {
					t.Errorf("%+v: %s holds %d segments, want 1", seg, e.Name(), len(zaps))
				}
			}
		}
	})
}

// A rebuild starts its index after every outbox entry committed when it
// began: the posts it reads hold those entries' changes, so the indexer has
// nothing to apply again (after a bulk import, that was the whole index's
// worth of work a second time).
func TestRebuildStartsAfterTheCommittedOutbox(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		busyWorld(t, w, 60)
		if err := w.index.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := Rebuild(ctx, w.dir, store, nil); err != nil {
			t.Fatal(err)
		}
		x := w.reopen(t)
		head, err := store.OutboxHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if head == 0 {
			t.Fatal("the fixture wrote no outbox entries")
		}
		if got := x.Position(); got != head {
			t.Fatalf("the rebuilt index starts at outbox entry %d, want %d (every entry was committed)", got, head)
		}
		applied, err := x.CatchUp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if applied != 0 {
			t.Errorf("catching up after the rebuild applied %d entries again, want none", applied)
		}
		if err := sameVersions(dbVersions(t, store), indexVersions(t, x)); err != nil {
			t.Fatal(err)
		}
	})
}

// An entry whose transaction is still open when a rebuild begins may hold
// a change the rebuild does not read: the rebuilt index starts below it,
// and the indexer applies it once it commits.
func TestRebuildStartsBelowAnOpenTransaction(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		if store.Engine() != models.Postgres {
			t.Skip("SQLite commits one writer at a time, in id order")
		}
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		tx, low, slowPost, reply := w.writeOutOfOrder(t)

		if err := w.index.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := Rebuild(ctx, w.dir, store, nil); err != nil {
			t.Fatal(err)
		}
		x := w.reopen(t)
		if got := x.Position(); got >= low {
			t.Fatalf("the rebuilt index starts at %d, past entry %d whose transaction is still open", got, low)
		}
		w.want(t, "procalcitonin", w.everyone(), reply.ID)

		if err := tx.Commit().Error; err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "lactate", w.everyone(), slowPost.ID)
		if err := sameVersions(dbVersions(t, store), indexVersions(t, x)); err != nil {
			t.Fatal(err)
		}
	})
}
