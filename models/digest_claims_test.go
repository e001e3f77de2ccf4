package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestDueMembersAndClaims(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		monday := modelstest.Verified("monday", "Monday").WithEmail().Make(t, store)                            // defaults: Monday 07:00 UTC
		tokyo := modelstest.Verified("tokyo", "Tokyo").WithEmail().Make(t, store)                               // daily 08:00 Tokyo
		never := modelstest.Verified("never", "Never").WithEmail().Make(t, store)                               // turned off
		modelstest.Verified("suspended", "Suspended").Status(models.StatusSuspended).WithEmail().Make(t, store) // not a member in good standing
		modelstest.Verified("nomail", "No mail").Make(t, store)                                                 // nowhere to send a digest
		must(t, store.SaveDigestSettings(ctx, models.DigestSettings{UserID: tokyo.ID, Frequency: models.DigestDaily, Hour: 8, TimeZone: "Asia/Tokyo"}))
		must(t, store.SaveDigestSettings(ctx, models.DigestSettings{UserID: never.ID, Frequency: models.DigestNever, Hour: 7, Weekday: 1, TimeZone: "UTC"}))

		ids := func(due []models.DueDigest) []string {
			var out []string
			for _, d := range due {
				u, err := store.UserByID(ctx, d.UserID)
				must(t, err)
				out = append(out, u.Username+" "+d.Period.Key)
			}
			return out
		}
		now := time.Date(2026, 11, 23, 6, 30, 0, 0, time.UTC) // Monday 06:30 UTC, 15:30 in Tokyo
		due, err := store.DueMembers(ctx, now)
		must(t, err)
		if got, want := ids(due), []string{"monday 2026-11-16/weekly", "tokyo 2026-11-23/daily"}; !slices.Equal(got, want) {
			t.Fatalf("due %q, want %q", got, want)
		}

		p := due[0].Period
		c, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if c.Outcome != models.ClaimFirst {
			t.Fatalf("first claim: %v", c.Outcome)
		}
		due, err = store.DueMembers(ctx, now)
		must(t, err)
		if got := ids(due); !slices.Equal(got, []string{"tokyo 2026-11-23/daily"}) {
			t.Fatalf("after a claim, due %q", got)
		}
		again, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if again.Outcome != models.ClaimHeld || again.Holds() {
			t.Fatalf("second claim while the first holds: %v", again.Outcome)
		}
		must(t, store.ReleaseDigestClaim(ctx, c, "421 try later"))
		retry, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if retry.Outcome != models.ClaimRetry {
			t.Fatalf("claim after a release: %v", retry.Outcome)
		}
		if err := store.MarkDigestSent(ctx, c, "x@y", 1, now, now); !errors.Is(err, models.ErrClaimLost) {
			t.Fatalf("finishing a released claim: %v, want ErrClaimLost", err)
		}
		later := now.Add(2 * time.Minute)
		taken, err := store.ClaimDigest(ctx, monday.ID, p, later, time.Minute)
		must(t, err)
		if taken.Outcome != models.ClaimTakenOver || !taken.PreviousClaimAt.Equal(now) {
			t.Fatalf("claim after the lease: %v (previous %v)", taken.Outcome, taken.PreviousClaimAt)
		}
		must(t, store.MarkDigestSent(ctx, taken, "digest-1@rounds.test", 3, later, later))
		done, err := store.ClaimDigest(ctx, monday.ID, p, later.Add(time.Hour), time.Minute)
		must(t, err)
		if done.Outcome != models.ClaimFinished || done.Status != models.DeliverySent {
			t.Fatalf("claim after sending: %v %q", done.Outcome, done.Status)
		}
		rows, err := store.DigestDeliveries(ctx, monday.ID, 10)
		must(t, err)
		if len(rows) != 1 || rows[0].Attempts != 3 || rows[0].MessageID != "digest-1@rounds.test" || rows[0].SentAt == nil {
			t.Fatalf("delivery rows %+v", rows)
		}

		// The next period continues where the sent one stopped.
		next, ok := models.DigestPeriod(models.DefaultDigestSettings(monday.ID), now.Add(7*24*time.Hour))
		if !ok {
			t.Fatal("no next period")
		}
		since, err := store.DigestSince(ctx, monday.ID, next)
		must(t, err)
		if !since.Equal(later) {
			t.Fatalf("next digest starts %v, want where the last stopped, %v", since, later)
		}
		// Without a sent digest, one period back.
		since, err = store.DigestSince(ctx, tokyo.ID, due[0].Period)
		must(t, err)
		if !since.Equal(due[0].Period.WindowStart) {
			t.Fatalf("first digest starts %v, want %v", since, due[0].Period.WindowStart)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
