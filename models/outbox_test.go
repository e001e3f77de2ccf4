package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func outboxSince(t *testing.T, store *models.Store, position int64) []string {
	t.Helper()
	entries, err := store.OutboxAfter(context.Background(), position, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.PostID == nil {
			got = append(got, fmt.Sprintf("topic %d", e.TopicID))
		} else {
			got = append(got, fmt.Sprintf("post %d/%d", e.TopicID, *e.PostID))
		}
	}
	return got
}

func lastOutbox(t *testing.T, store *models.Store) int64 {
	t.Helper()
	entries, err := store.OutboxAfter(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[len(entries)-1].ID
}

func TestWritesQueueSearchUpdatesInTheirTransaction(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mark := lastOutbox(t, store)
		topic := f.topic(t, "Digoxin toxicity with normal levels", "digoxin")
		if got := fmt.Sprint(outboxSince(t, store, mark)); got != fmt.Sprintf("[topic %d]", topic.ID) {
			t.Fatalf("a new topic queued %s", got)
		}

		mark = lastOutbox(t, store)
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 1, PostContent: models.PostContent{Source: "r2", Cooked: "<p>r2</p>"}}); err != nil {
			t.Fatal(err)
		}
		opening, err := store.PostsInTopic(ctx, topic.ID, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		title := "Digoxin toxicity despite normal levels"
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: opening[0].ID, EditorID: f.author.ID, BaseVersion: 1, Title: &title, PostContent: models.PostContent{Source: "o", Cooked: "<p>o</p>"}}); err != nil {
			t.Fatal(err)
		}
		if err := store.DeletePost(ctx, reply.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.DeletePost(ctx, reply.ID, f.peer.ID); err != nil { // twice: nothing new to index
			t.Fatal(err)
		}
		want := fmt.Sprintf("[post %d/%d post %d/%d topic %d post %d/%d]", topic.ID, reply.ID, topic.ID, reply.ID, topic.ID, topic.ID, reply.ID)
		if got := fmt.Sprint(outboxSince(t, store, mark)); got != want {
			t.Fatalf("queued %s, want %s", got, want)
		}

		// A write that fails leaves no entry behind.
		mark = lastOutbox(t, store)
		if err := store.DB().Exec(`UPDATE topics SET locked = ? WHERE id = ?`, true, topic.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "x", Cooked: "x"}}); !errors.Is(err, models.ErrLocked) {
			t.Fatalf("reply to a locked topic: %v", err)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: opening[0].ID, EditorID: f.author.ID, BaseVersion: 1, PostContent: models.PostContent{Source: "stale", Cooked: "x"}}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		if got := outboxSince(t, store, mark); len(got) != 0 {
			t.Fatalf("failed writes queued %v", got)
		}

		// An import queues each topic once, however many posts it has.
		mark = lastOutbox(t, store)
		at := store.Now()
		var topics []models.ImportTopic
		for i := range 3 {
			topics = append(topics, models.ImportTopic{BoardID: f.board.ID, Title: fmt.Sprintf("Imported topic %d", i),
				Posts: []models.ImportPost{{AuthorID: f.author.ID, Source: "a", Cooked: "a", At: at}, {AuthorID: f.peer.ID, Source: "b", Cooked: "b", At: at.Add(time.Minute)}}})
		}
		if err := store.ImportTopics(ctx, topics); err != nil {
			t.Fatal(err)
		}
		if got := outboxSince(t, store, mark); len(got) != 3 || got[0] != fmt.Sprintf("topic %d", topic.ID+1) {
			t.Fatalf("an import of 3 topics queued %v", got)
		}
	})
}
