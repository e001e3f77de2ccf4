package app

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// The batcher keeps the furthest position per member and topic, writes
// them all in one flush, and writes what is left when it closes.
func TestReadBatcherKeepsTheFurthestPositionAndFlushesOnClose(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		author := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(t, store)
		reader := modelstest.Verified("weber", "Jonas Weber, RN").Make(t, store)
		board := modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store)
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: "Heparin nomograms",
			PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>", Plain: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		r := newReadBatcher(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
