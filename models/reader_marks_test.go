package models_test

import (
	"context"
	"net/url"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// A member's marks on a page of a topic are theirs only, and only the
// page's: reactions and bookmarks on its posts, their level on the topic,
// their position in it and their draft of a reply to it.
func TestReaderMarksAreTheMembersOnThePage(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		other := f.topic(t, "Heparin bridging")
		opening := openingPost(t, store, topic.ID)
		elsewhere := openingPost(t, store, other.ID)
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID,
			PostContent: models.PostContent{Source: "Half the dose.", Cooked: "<p>Half the dose.</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		empty, err := store.ReaderMarksOn(ctx, f.peer.ID, topic.ID, 1, 20)
		if err != nil || len(empty.Reacted) != 0 || len(empty.Bookmarked) != 0 || empty.Level != models.LevelDefault ||
			empty.LastRead != 0 || empty.ReplyDraft != nil {
			t.Fatalf("marks before any: %+v, %v", empty, err)
		}
		for _, k := range []models.ReactionKind{models.ReactHelpful, models.ReactThanks} {
			if _, err := store.ToggleReaction(ctx, f.peer.ID, reply.ID, k); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.ToggleReaction(ctx, f.peer.ID, elsewhere, models.ReactAgree); err != nil {
			t.Fatal(err)
		}
		at := store.Now().Add(time.Hour)
		for _, post := range []int64{opening, elsewhere} {
			if _, err := store.SaveBookmark(ctx, f.peer.ID, post, "", &at); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.SetTopicLevel(ctx, f.peer.ID, topic.ID, models.LevelWatch); err != nil {
			t.Fatal(err)
		}
		if err := store.SetTopicLevel(ctx, f.peer.ID, other.ID, models.LevelMute); err != nil {
			t.Fatal(err)
		}
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{{UserID: f.peer.ID, TopicID: topic.ID, Number: 2, At: at},
			{UserID: f.peer.ID, TopicID: other.ID, Number: 1, At: at}}); err != nil {
			t.Fatal(err)
		}
		// The author's position is their own: the last post, theirs.
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID,
			PostContent: models.PostContent{Source: "Or none.", Cooked: "<p>Or none.</p>"}}); err != nil {
			t.Fatal(err)
		}
		// The reply's draft, not the one for the other topic, nor the
		// draft of an edit whose post has the topic's number as its id.
		saved, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(topic.ID), url.Values{"body": {"Half the dose, & then?"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, place := range []models.DraftPlace{models.ReplyDraft(other.ID), models.EditDraft(topic.ID)} {
			if _, err := store.SaveDraft(ctx, f.peer.ID, place, url.Values{"body": {"elsewhere"}}); err != nil {
				t.Fatal(err)
			}
		}

		marks, err := store.ReaderMarksOn(ctx, f.peer.ID, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if marks.LastRead != 2 {
			t.Fatalf("position %d, want 2", marks.LastRead)
		}
		if d := marks.ReplyDraft; d == nil || d.Values().Get("body") != "Half the dose, & then?" || d.Place() != models.ReplyDraft(topic.ID) ||
			!d.UpdatedAt.Equal(saved.UpdatedAt.Truncate(time.Second)) {
			t.Fatalf("reply draft %+v, want %+v", d, saved)
		}
		got := slices.Clone(marks.Reacted[reply.ID])
		slices.Sort(got)
		if want := []models.ReactionKind{models.ReactHelpful, models.ReactThanks}; !slices.Equal(got, want) || len(marks.Reacted) != 1 {
			t.Fatalf("reacted: %v, want %v on post %d only", marks.Reacted, want, reply.ID)
		}
		if !marks.Bookmarked[opening] || len(marks.Bookmarked) != 1 {
			t.Fatalf("bookmarked: %v, want post %d only", marks.Bookmarked, opening)
		}
		if marks.Level != models.LevelWatch {
			t.Fatalf("level %q, want %q", marks.Level, models.LevelWatch)
		}
		// Only the page asked for: the reply is post 2.
		marks, err = store.ReaderMarksOn(ctx, f.peer.ID, topic.ID, 1, 1)
		if err != nil || len(marks.Reacted) != 0 || !marks.Bookmarked[opening] {
			t.Fatalf("marks on post 1 alone: %+v, %v", marks, err)
		}
		// Another member has none of them.
		marks, err = store.ReaderMarksOn(ctx, f.author.ID, topic.ID, 1, 20)
		if err != nil || len(marks.Reacted) != 0 || len(marks.Bookmarked) != 0 || marks.Level != models.LevelDefault ||
			marks.LastRead != 3 || marks.ReplyDraft != nil {
			t.Fatalf("another member's marks: %+v, %v", marks, err)
		}
	})
}
