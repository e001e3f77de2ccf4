package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestReactionsToggleCountAndNotifyInBatches(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		post := openingPost(t, store, f.topic(t, "Apixaban in dialysis").ID)
		third := &models.User{Username: "patel", DisplayName: "Dr. Ravi Patel", Specialty: "Nephrology", Status: models.StatusVerified}
		if err := store.CreateUser(ctx, third); err != nil {
			t.Fatal(err)
		}
		react := func(u *models.User, k models.ReactionKind, want bool) {
			t.Helper()
			added, err := store.ToggleReaction(ctx, u.ID, post, k)
			if err != nil || added != want {
				t.Fatalf("%s reacts %s: added %v, %v; want added %v", u.Username, k, added, err, want)
			}
		}
		react(f.peer, models.ReactHelpful, true)
		react(third, models.ReactHelpful, true)
		react(third, models.ReactThanks, true)
		// The author hears of all three in one unread notification.
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?`, f.author.ID, models.NotifyReaction); n != 1 {
			t.Fatalf("%d reaction notifications, want one for the batch", n)
		}
		// Taking a reaction back, and giving it again.
		react(third, models.ReactThanks, false)
		react(third, models.ReactThanks, true)
		if _, err := store.ToggleReaction(ctx, f.author.ID, post, models.ReactHelpful); !errors.Is(err, models.ErrOwnPost) {
			t.Fatalf("reacting to one's own post: %v", err)
		}
		if _, err := store.ToggleReaction(ctx, f.peer.ID, post, "love"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an unknown reaction: %v", err)
		}

		counts, err := store.ReactionsOn(ctx, f.peer.ID, []int64{post})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(counts[post]), "[{helpful 2 true} {thanks 1 false}]"; got != want {
			t.Fatalf("counts as the peer sees them: %s, want %s", got, want)
		}
		reactors, err := store.ReactorsOf(ctx, post)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range reactors {
			names = append(names, string(r.Kind)+":"+r.Username)
		}
		if got, want := fmt.Sprint(names), "[helpful:weber helpful:patel thanks:patel]"; got != want {
			t.Fatalf("reactors %s, want %s", got, want)
		}

		// Once the author has read it, the next reaction is a new
		// notification.
		if err := store.ReadAllNotifications(ctx, f.author.ID); err != nil {
			t.Fatal(err)
		}
		react(f.peer, models.ReactAgree, true)
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ? AND read_at IS NULL`, f.author.ID, models.NotifyReaction); n != 1 {
			t.Fatalf("%d unread reaction notifications after reading the first, want 1", n)
		}
	})
}
