package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"gorm.io/gorm"

	"rounds/models"
	"rounds/models/modelstest"
)

// Helpers shared by outbox_test.go, permissions_test.go and rebuild_test.go.

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// reopen opens the index under dir again, as a restarted node does, without
// rebuilding it.
func (w *world) reopen(t *testing.T) *Index {
	t.Helper()
	x, err := Open(w.dir, w.store, discardLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	w.index = x
	return x
}

// indexDocs lists every document in x by id, with its stored version,
// paging through a MatchAll search.
func indexDocs(t *testing.T, x *Index) map[string]int {
	t.Helper()
	docs := map[string]int{}
	const page = 200
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, from, false)
		req.Fields = []string{fieldVersion}
		req.SortBy([]string{"_id"})
		x.mu.RLock()
		idx := x.current
		var res *bleve.SearchResult
		err := ErrRebuilding
		if idx != nil {
			res, err = idx.Search(req)
		}
		x.mu.RUnlock()
		if err != nil {
			t.Fatalf("list the index: %v", err)
		}
		for _, hit := range res.Hits {
			v, ok := hit.Fields[fieldVersion].(float64)
			if !ok {
				t.Fatalf("document %s has no stored version: %v", hit.ID, hit.Fields)
			}
			if _, dup := docs[hit.ID]; dup {
				t.Fatalf("document %s listed twice", hit.ID)
			}
			docs[hit.ID] = int(v)
		}
		if len(res.Hits) < page {
			return docs
		}
	}
}

// indexVersions maps each post in the index to its version, failing when a
// post is held under two documents (say, under its old topic and its new).
func indexVersions(t *testing.T, x *Index) map[int64]int {
	t.Helper()
	versions := map[int64]int{}
	for id, v := range indexDocs(t, x) {
		_, postID, ok := parseDocID(id)
		if !ok {
			t.Fatalf("document id %q is not topic/post", id)
		}
		if _, dup := versions[postID]; dup {
			t.Fatalf("post %d is in the index twice", postID)
		}
		versions[postID] = v
	}
	return versions
}

// dbVersions maps every post search should find to its version.
func dbVersions(t *testing.T, store *models.Store) map[int64]int {
	t.Helper()
	all := map[int64]int{}
	after := int64(0)
	for {
		page, err := store.SearchVersions(context.Background(), after, 100)
		if err != nil {
			t.Fatal(err)
		}
		for id, v := range page {
			all[id] = v
			after = max(after, id)
		}
		if len(page) < 100 {
			return all
		}
	}
}

// sameVersions reports how two (post → version) maps differ.
func sameVersions(want, got map[int64]int) error {
	var diffs []string
	for id, v := range want {
		if g, ok := got[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("post %d v%d missing", id, v))
		} else if g != v {
			diffs = append(diffs, fmt.Sprintf("post %d at v%d, want v%d", id, g, v))
		}
	}
	for id, v := range got {
		if _, ok := want[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("post %d v%d should not be there", id, v))
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("… and %d more", len(diffs)-10))
	}
	return fmt.Errorf("%d posts in the database, %d in the index: %v", len(want), len(got), diffs)
}

func (w *world) edit(t *testing.T, post *models.Post, title *string, body string) *models.Post {
	t.Helper()
	edited, err := w.store.EditPost(context.Background(), models.PostEdit{
		PostID: post.ID, EditorID: post.AuthorID, BaseVersion: post.Version, Title: title,
		PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return edited
}

// moveTopic moves a topic to another board the way a move must: in one
// transaction with an outbox entry for the whole topic. models has no
// move yet, so it is written here in SQL.
func (w *world) moveTopic(t *testing.T, topic *models.Topic, to *models.Board) {
	t.Helper()
	err := w.store.DB().Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE topics SET board_id = ? WHERE id = ?`, to.ID, topic.ID).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO search_outbox (topic_id, created_at) VALUES (?, ?)`,
			topic.ID, time.Now().UTC()).Error
	})
	if err != nil {
		t.Fatalf("move topic %d: %v", topic.ID, err)
	}
	topic.BoardID = to.ID
}

// want fails unless q finds exactly the posts given, in any order.
func (w *world) want(t *testing.T, q string, scope Scope, posts ...int64) {
	t.Helper()
	got := w.find(t, q, scope)
	slices.Sort(got)
	want := slices.Clone(posts)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%q found posts %v, want %v", q, got, want)
	}
}

func TestOutboxKeepsTheIndexCurrent(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		all := w.everyone()

		topic, first := w.topic(t, w.board, "Syncope after carotid massage", "Elderly patient, bradycardia on massage.")
		reply := w.reply(t, topic, "Consider pacemaker evaluation for hypersensitivity.")
		w.want(t, "pacemaker", all) // not caught up: nothing yet
		w.catchUp(t)
		w.want(t, "pacemaker", all, reply.ID)
		w.want(t, "syncope carotid", all, first.ID)

		// Editing a reply replaces its words.
		reply = w.edit(t, reply, nil, "Tilt table testing before any device.")
		w.catchUp(t)
		w.want(t, "pacemaker", all)
		w.want(t, "tilt table", all, reply.ID)

		// Retitling the topic through its opening post.
		title := "Vasovagal presyncope in a marathon runner"
		w.edit(t, first, &title, "Elderly patient, bradycardia on massage.")
		w.catchUp(t)
		w.want(t, "marathon", all, first.ID)
		w.want(t, "carotid", all)
		w.want(t, "bradycardia", all, first.ID)
		w.want(t, "tilt", all, reply.ID) // the reply is still there after the topic was reindexed

		// Deleting.
		doomed := w.reply(t, topic, "Holter monitoring for a week.")
		w.catchUp(t)
		w.want(t, "holter", all, doomed.ID)
		if err := store.DeletePost(ctx, doomed.ID, w.peer.ID); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "holter", all)

		// Hiding, then unhiding.
		if err := store.HidePost(ctx, reply.ID, w.peer.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "tilt", all)
		if err := store.UnhidePost(ctx, reply.ID, w.peer.ID); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "tilt", all, reply.ID)

		// Moving the topic to another board moves every post with it.
		w.want(t, "board:cardiology tilt", all, reply.ID)
		w.moveTopic(t, topic, w.restricted)
		w.catchUp(t)
		w.want(t, "board:cardiology tilt", all)
		w.want(t, "board:pharmacy-only tilt", all, reply.ID)
		w.want(t, "board:pharmacy-only marathon", all, first.ID)
		onlyCardiology := Scope{Boards: map[string]int64{w.board.Slug: w.board.ID}}
		w.want(t, "tilt", onlyCardiology)

		if err := sameVersions(dbVersions(t, store), indexVersions(t, w.index)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCrashBeforeCommitLosesNothing(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		start := x.Position()

		// Enough outbox entries for three batches.
		const n = 2*applyBatch + 200
		at := store.Now().Add(-time.Hour)
		imports := make([]models.ImportTopic, n)
		for i := range imports {
			imports[i] = models.ImportTopic{BoardID: w.board.ID, Title: fmt.Sprintf("Crash topic %d", i),
				Posts: []models.ImportPost{{AuthorID: w.author.ID, Source: "echocardiogram findings", Cooked: "<p>echocardiogram findings</p>", Plain: plainOf("echocardiogram findings"), At: at}}}
		}
		if err := store.ImportTopics(ctx, imports); err != nil {
			t.Fatal(err)
		}
		head, err := store.OutboxHead(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// failOn makes the nth commit from now fail, as a crash between
		// reading the outbox and committing would.
		crash := errors.New("crash before commit")
		failOn := func(nth int) {
			commits := 0
			x.failBeforeCommit = func() error {
				commits++
				if commits == nth {
					return crash
				}
				return nil
			}
		}
		failOn(2)
		if _, err := x.CatchUp(ctx); !errors.Is(err, crash) {
			t.Fatalf("CatchUp with a failing commit returned %v, want the failure", err)
		}
		first := x.Position()
		if first <= start || first >= head {
			t.Fatalf("after one batch the position is %d, want between %d and %d", first, start, head)
		}
		// The same process tries again and fails again, one batch further.
		failOn(2)
		if _, err := x.CatchUp(ctx); !errors.Is(err, crash) {
			t.Fatalf("CatchUp with a failing commit returned %v, want the failure", err)
		}
		mid := x.Position()
		if mid <= first || mid >= head {
			t.Fatalf("after one more batch the position is %d, want between %d and %d", mid, first, head)
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}

		x = w.reopen(t)
		if st := x.Status(); !st.Ready {
			t.Fatalf("the index is not usable after the crash: %+v", st)
		}
		if got := x.Position(); got != mid {
			t.Fatalf("reopened at position %d, want %d (kept inside the index)", got, mid)
		}
		w.catchUp(t)
		if got := x.Position(); got != head {
			t.Fatalf("caught up to %d, want %d", got, head)
		}
		versions := indexVersions(t, x) // fails on a post held twice
		if err := sameVersions(dbVersions(t, store), versions); err != nil {
			t.Fatal(err)
		}
		parsed, err := Parse("echocardiogram")
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(ctx, Request{Query: parsed, Scope: w.everyone()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Posts != n {
			t.Fatalf("%d posts match, want %d", res.Posts, n)
		}
	})
}

func TestOutOfOrderCommitsAreNotSkipped(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		if store.Engine() != models.Postgres {
			t.Skip("SQLite commits one writer at a time, in id order")
		}
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		tx, low, slowPost, reply := w.writeOutOfOrder(t)
		before := x.Position() // where the helper's catching up left it
		w.catchUp(t)
		w.want(t, "procalcitonin", w.everyone(), reply.ID)
		if got := x.Position(); got >= low {
			t.Fatalf("position %d went past entry %d, whose transaction is still open", got, low)
		}
		if got := x.Position(); got != before {
			t.Fatalf("position moved from %d to %d with entry %d missing", before, got, low)
		}

		if err := tx.Commit().Error; err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "lactate", w.everyone(), slowPost.ID)
		head, err := store.OutboxHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := x.Position(); got != head {
			t.Fatalf("position %d once every entry is in, want %d", got, head)
		}
		if err := sameVersions(dbVersions(t, store), indexVersions(t, x)); err != nil {
			t.Fatal(err)
		}
	})
}

// writeOutOfOrder writes two topics and has the index catch up, then
// leaves a transaction open that edits the first topic's post and queues it
// in the outbox (the lower id, low) while a reply to the second commits
// (the higher id). It returns the open transaction, low, the edited post
// and the reply.
func (w *world) writeOutOfOrder(t *testing.T) (tx *gorm.DB, low int64, slowPost, reply *models.Post) {
	t.Helper()
	slow, slowPost := w.topic(t, w.board, "Slow transaction", "Nothing to see.")
	fast, _ := w.topic(t, w.board, "Fast transaction", "Nothing either.")
	w.catchUp(t)
	tx = w.store.DB().Begin()
	t.Cleanup(func() { tx.Rollback() })
	if err := tx.Exec(`UPDATE posts SET source = ?, plain = ?, version = version + 1 WHERE id = ?`,
		"Late lactate clearance noted.", "Late lactate clearance noted.", slowPost.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := tx.Raw(`INSERT INTO search_outbox (topic_id, post_id, created_at) VALUES (?, ?, ?) RETURNING id`,
		slow.ID, slowPost.ID, time.Now().UTC()).Scan(&low).Error; err != nil {
		t.Fatal(err)
	}
	return tx, low, slowPost, w.reply(t, fast, "Procalcitonin guided antibiotics.")
}

func TestRunAppliesWritesWhenWoken(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		x := w.open(t)
		// Wake never blocks, and wakes the indexer once however often it
		// is called before the indexer looks.
		x.Wake()
		x.Wake()
		if len(x.wake) != 1 {
			t.Fatalf("%d wake-ups pending, want 1", len(x.wake))
		}
		runBackground(t, x)

		topic, _ := w.topic(t, w.board, "Background indexing", "Nothing yet.")
		reply := w.reply(t, topic, "Takotsubo after bereavement.")
		written := time.Now()
		x.Wake()
		waitFor(t, 2*time.Second, "the reply to be searchable", func() bool {
			return slices.Contains(w.find(t, "takotsubo", w.everyone()), reply.ID)
		})
		t.Logf("searchable %v after the write", time.Since(written).Round(time.Millisecond))
	})
}

// runBackground runs x until the test ends, and waits for Run to return
// before the index is closed.
func runBackground(t *testing.T, x *Index) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
