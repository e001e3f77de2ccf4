package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// A member's marks on a page of a topic are theirs only, and only the
// page's: reactions and bookmarks on its posts, their level on the topic.
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
		if err != nil || len(empty.Reacted) != 0 || len(empty.Bookmarked) != 0 || empty.Level != models.LevelDefault {
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

		marks, err := store.ReaderMarksOn(ctx, f.peer.ID, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
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
		if err != nil || len(marks.Reacted) != 0 || len(marks.Bookmarked) != 0 || marks.Level != models.LevelDefault {
			t.Fatalf("another member's marks: %+v, %v", marks, err)
		}
	})
}
