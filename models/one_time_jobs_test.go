package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// A one-time job a migration asked for runs until it has run to its end
// once, and never after; one that fails stays to do; one no migration
// asked for never runs.
func TestRunOneTimeJob(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		// Migrations ask for these; a fresh database has done none.
		const name = "plain_text_posts"
		if done, err := store.OneTimeJobDone(ctx, name); err != nil || done {
			t.Fatalf("%s done on a fresh database: %v, %v", name, done, err)
		}
		runs := 0
		failing := errors.New("the database went away")
		if err := store.RunOneTimeJob(ctx, name, func(context.Context) error { runs++; return failing }); !errors.Is(err, failing) {
			t.Fatalf("a failed run returned %v", err)
		}
		if done, err := store.OneTimeJobDone(ctx, name); err != nil || done {
			t.Fatalf("a failed run counts as done: %v, %v", done, err)
		}
		for range 2 {
			if err := store.RunOneTimeJob(ctx, name, func(context.Context) error { runs++; return nil }); err != nil {
				t.Fatal(err)
			}
		}
		if runs != 2 {
			t.Fatalf("the job ran %d times, want once failing and once to its end", runs)
		}
		if done, err := store.OneTimeJobDone(ctx, name); err != nil || !done {
			t.Fatalf("a job run to its end is not done: %v, %v", done, err)
		}
		if err := store.RunOneTimeJob(ctx, "never_asked_for", func(context.Context) error { runs++; return nil }); err != nil || runs != 2 {
			t.Fatalf("a job no migration asked for ran (%v)", err)
		}
	})
}
