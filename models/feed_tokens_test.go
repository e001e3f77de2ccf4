package models_test

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestFeedTokens(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)

		if created, used, active, err := store.FeedTokenStatus(ctx, f.author.ID); err != nil || active || created != nil || used != nil {
			t.Fatalf("status before any token: %v %v %v %v", created, used, active, err)
		}
		first, err := store.CreateFeedToken(ctx, f.author.ID)
		if err != nil {
			t.Fatal(err)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(first); err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of unpadded base64url: %v", first, err)
		}
		var stored int64
		if err := store.DB().Raw(`SELECT COUNT(*) FROM feed_tokens WHERE token_hash = ?`, first).Scan(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if stored != 0 {
			t.Fatal("the token itself is stored; only its hash should be")
		}

		u, err := store.FeedTokenUser(ctx, first)
		if err != nil || u.ID != f.author.ID {
			t.Fatalf("token's member: %+v, %v", u, err)
		}
		created, used, active, err := store.FeedTokenStatus(ctx, f.author.ID)
		if err != nil || !active || created == nil || used == nil {
			t.Fatalf("status after use: %v %v %v %v", created, used, active, err)
		}

		// Within a minute a second use writes nothing.
		if _, err := store.FeedTokenUser(ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, again, _, _ := store.FeedTokenStatus(ctx, f.author.ID); again == nil || !again.Equal(*used) {
			t.Fatalf("last use moved from %v to %v within a minute", used, again)
		}
		// After a minute it is noted again.
		long := store.Now().Add(-time.Hour)
		if err := store.DB().Exec(`UPDATE feed_tokens SET last_used_at = ?`, long).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := store.FeedTokenUser(ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, later, _, _ := store.FeedTokenStatus(ctx, f.author.ID); later == nil || !later.After(long.Add(time.Minute)) {
			t.Fatalf("last use %v not moved on from %v", later, long)
		}

		// A new token turns off the old one.
		second, err := store.CreateFeedToken(ctx, f.author.ID)
		if err != nil {
			t.Fatal(err)
		}
		if second == first {
			t.Fatal("the new token repeats the old one")
		}
		if _, err := store.FeedTokenUser(ctx, first); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("replaced token: %v, want ErrNotFound", err)
		}
		if u, err := store.FeedTokenUser(ctx, second); err != nil || u.ID != f.author.ID {
			t.Fatalf("new token: %+v, %v", u, err)
		}

		// Another member's tokens are theirs alone.
		peers, err := store.CreateFeedToken(ctx, f.peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.RevokeFeedTokens(ctx, f.author.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.FeedTokenUser(ctx, second); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked token: %v, want ErrNotFound", err)
		}
		if _, _, active, err := store.FeedTokenStatus(ctx, f.author.ID); err != nil || active {
			t.Fatalf("status after revoking: active %v, %v", active, err)
		}
		if u, err := store.FeedTokenUser(ctx, peers); err != nil || u.ID != f.peer.ID {
			t.Fatalf("peer's token after another member revoked theirs: %+v, %v", u, err)
		}
		for _, bogus := range []string{"", "not-a-token", first + "x"} {
			if _, err := store.FeedTokenUser(ctx, bogus); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("token %q: %v, want ErrNotFound", bogus, err)
			}
		}
	})
}

func TestNewestTopicsForFeeds(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		older := f.topic(t, "Older topic")
		hidden := f.topic(t, "Hidden opening post")
		newest := f.topic(t, "Newest topic")
		// A reply bumps the older topic, which must not reorder a feed of
		// new topics.
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: older.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "Bump", Cooked: "<p>Bump</p>"}}); err != nil {
			t.Fatal(err)
		}
		if err := store.HidePost(ctx, hidden.ID, f.peer.ID, "Off topic"); err != nil {
			t.Fatal(err)
		}

		// A topic whose opening post is hidden is hidden with it: the feed
		// leaves it out, title and all.
		topics, err := store.NewestTopics(ctx, f.board.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(topics) != 2 || topics[0].ID != newest.ID || topics[1].ID != older.ID {
			t.Fatalf("newest two topics: %+v", topics)
		}
		if topics[0].OpeningCooked != "<p>Opening post of Newest topic</p>" || topics[0].Byline() != "Dr. Amara Okafor" {
			t.Fatalf("newest topic: %+v", topics[0])
		}
		// Shown again, it is back.
		if err := store.UnhidePost(ctx, hidden.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if topics, err = store.NewestTopics(ctx, f.board.ID, 2); err != nil || len(topics) != 2 || topics[1].ID != hidden.ID {
			t.Fatalf("newest two topics after showing the opening post again: %+v, %v", topics, err)
		}
	})
}
