package app

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// newBatcherWorld makes a batcher on store, a topic by author and a member
// to read it.
func newBatcherWorld(t *testing.T, store *models.Store) (r *readBatcher, author, reader *models.User, topic *models.Topic) {
	t.Helper()
	author = modelstest.Verified("okafor", "Dr. Amara Okafor").Make(t, store)
	reader = modelstest.Verified("weber", "Jonas Weber, RN").Make(t, store)
	board := modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store)
	topic, _, err := store.CreateTopic(context.Background(), models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: "Heparin nomograms",
		PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>", Plain: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	return newReadBatcher(store, slog.New(slog.NewTextHandler(io.Discard, nil))), author, reader, topic
}

// The batcher keeps the furthest position per member and topic, writes
// them all in one flush, and writes what is left when it closes.
func TestReadBatcherKeepsTheFurthestPositionAndFlushesOnClose(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		r, author, reader, topic := newBatcherWorld(t, store)
		r.record(reader.ID, topic.ID, 7, store.Now())
		r.record(reader.ID, topic.ID, 3, store.Now())
		r.record(reader.ID, topic.ID, 0, store.Now())
		if n := r.ahead(reader.ID, topic.ID, 5); n != 7 {
			t.Fatalf("position before a flush: %d; want 7 from memory", n)
		}
		if n := r.ahead(reader.ID, topic.ID, 9); n != 9 {
			t.Fatalf("position stored further: %d; want the stored 9", n)
		}
		if n, _ := store.LastRead(ctx, reader.ID, topic.ID); n != 0 {
			t.Fatalf("stored before a flush: %d, want nothing yet", n)
		}
		if err := r.flush(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, reader.ID, topic.ID); n != 7 {
			t.Fatalf("stored after a flush: %d, want 7", n)
		}
		// A position behind the stored one, flushed, leaves it.
		r.record(reader.ID, topic.ID, 2, store.Now())
		r.record(author.ID, topic.ID, 4, store.Now())
		// One member's positions go alone, before their lists.
		if err := r.flushMember(ctx, reader.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, author.ID, topic.ID); n != 1 {
			t.Fatalf("another member's flush wrote the author's position: %d, want 1 (their own post)", n)
		}
		if err := r.close(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, reader.ID, topic.ID); n != 7 {
			t.Fatalf("stored after an older position: %d, want 7", n)
		}
		if n, _ := store.LastRead(ctx, author.ID, topic.ID); n != 4 {
			t.Fatalf("closing did not write what was left: author at %d, want 4", n)
		}
	})
}

// A position being written is still the member's while the write waits
// for the database: a page read then must not find it neither in memory
// nor stored yet (the topic page once showed a member the posts they had
// just read as new, when its read fell inside a flush).
func TestReadPositionBeingWrittenIsStillSeen(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		r, author, reader, topic := newBatcherWorld(t, store)
		r.record(reader.ID, topic.ID, 7, store.Now())

		// Another write holds the database, so the flush's write waits.
		hold := store.DB().Begin()
		if hold.Error != nil {
			t.Fatal(hold.Error)
		}
		if store.Engine() == models.Postgres {
			if err := hold.Exec(`LOCK TABLE topic_reads IN EXCLUSIVE MODE`).Error; err != nil {
				t.Fatal(err)
			}
		} else if err := hold.Exec(`UPDATE users SET display_name = display_name WHERE id = ?`, author.ID).Error; err != nil {
			t.Fatal(err)
		}
		flushed := make(chan error, 1)
		go func() { flushed <- r.flush(ctx) }()
		for taken := false; !taken; {
			r.mu.Lock()
			taken = len(r.pending) == 0
			r.mu.Unlock()
			runtime.Gosched()
		}
		select {
		case err := <-flushed:
			t.Fatalf("the flush ended (%v) while another write held the database", err)
		default:
		}
		if n := r.ahead(reader.ID, topic.ID, 0); n != 7 {
			t.Errorf("position while it is written: %d, want 7", n)
		}
		if got := r.aheadAmong(reader.ID, []int64{topic.ID}, nil); got[topic.ID] != 7 {
			t.Errorf("positions while they are written: %v, want topic %d at 7", got, topic.ID)
		}
		if err := hold.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		if err := <-flushed; err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, reader.ID, topic.ID); n != 7 {
			t.Fatalf("stored after the flush: %d, want 7", n)
		}
		if n := r.ahead(reader.ID, topic.ID, 7); n != 7 {
			t.Errorf("position after the flush: %d, want 7", n)
		}
	})
}
