package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestUnsubscribeToken(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := modelstest.Verified("leaver", "Leaver").WithEmail().Make(t, store)
		token, err := store.CreateUnsubscribeToken(ctx, u.ID)
		must(t, err)
		if len(token) < 22 {
			t.Fatalf("token %q is shorter than 128 bits", token)
		}
		var stored int64
		must(t, store.DB().Raw(`SELECT COUNT(*) FROM unsubscribe_tokens WHERE token_hash = ?`, token).Scan(&stored).Error)
		if stored != 0 {
			t.Fatal("the token itself is stored")
		}
		if _, err := store.UnsubscribeByToken(ctx, "not-a-token"); !models.IsNotFound(err) {
			t.Fatalf("unknown token: %v, want ErrNotFound", err)
		}
		for range 2 {
			id, err := store.UnsubscribeByToken(ctx, token)
			if err != nil || id != u.ID {
				t.Fatalf("unsubscribe: %d, %v", id, err)
			}
		}
		s, err := store.DigestSettingsFor(ctx, u.ID)
		must(t, err)
		if s.Frequency != models.DigestNever {
			t.Fatalf("frequency %q after unsubscribing", s.Frequency)
		}
		due, err := store.DueMembers(ctx, store.Now())
		must(t, err)
		if len(due) != 0 {
			t.Fatalf("unsubscribed member still due: %+v", due)
		}
	})
}
