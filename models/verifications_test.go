package models_test

import (
	"errors"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestVerificationLifecycle(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := t.Context()
		u := modelstest.Applicant("newcomer", "newcomer").Make(t, store)
		mod := modelstest.Verified("park", "Dr. Park").Moderator().Make(t, store)
		if _, err := store.VerificationByUser(ctx, u.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("no application yet: %v", err)
		}
		v := &models.Verification{UserID: u.ID, FullName: "Amara Okafor", Profession: "physician", Specialty: "Cardiology",
			WorkEmail: "a@stmary.org"}
		if err := store.SubmitVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.UserByID(ctx, u.ID); got.Status != models.StatusApplied {
			t.Fatalf("status after applying: %s", got.Status)
		}

		// A code: wrong tries count, the fifth voids it.
		now := store.Now()
		code := &models.EmailCode{UserID: u.ID, Email: "a@stmary.org", CodeHash: "right", ExpiresAt: now.Add(15 * time.Minute)}
		if err := store.IssueEmailCode(ctx, code, now.Add(-time.Hour), 5); err != nil {
			t.Fatal(err)
		}
		is := func(want string) func(string) bool { return func(h string) bool { return h == want } }
		for try := 1; try <= 5; try++ {
			got, err := store.ConfirmEmailCode(ctx, u.ID, is("wrong"), now, 5)
			want := models.CodeWrong
			if try == 5 {
				want = models.CodeVoid
			}
			if err != nil || got != want {
				t.Fatalf("try %d: %v, %v", try, got, err)
			}
		}
		if got, _ := store.ConfirmEmailCode(ctx, u.ID, is("right"), now, 5); got != models.CodeVoid {
			t.Fatalf("the right code after five wrong tries: %v", got)
		}
		code = &models.EmailCode{UserID: u.ID, Email: "a@stmary.org", CodeHash: "right", ExpiresAt: now.Add(15 * time.Minute)}
		if err := store.IssueEmailCode(ctx, code, now.Add(-time.Hour), 5); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.ConfirmEmailCode(ctx, u.ID, is("right"), now.Add(16*time.Minute), 5); got != models.CodeExpired {
			t.Fatalf("an expired code: %v", got)
		}
		if got, _ := store.ConfirmEmailCode(ctx, u.ID, is("right"), now, 5); got != models.CodeConfirmed {
			t.Fatalf("the right code: %v", got)
		}
		if got, _ := store.ConfirmEmailCode(ctx, u.ID, is("right"), now, 5); got != models.CodeExpired {
			t.Fatalf("a used code again: %v", got)
		}
		if err := store.IssueEmailCode(ctx, &models.EmailCode{UserID: u.ID, Email: "a@stmary.org", CodeHash: "x",
			ExpiresAt: now}, now.Add(-time.Hour), 2); !errors.Is(err, models.ErrRateLimited) {
			t.Fatalf("a third code with a limit of two: %v", err)
		}
		if v, _ = store.VerificationByUser(ctx, u.ID); v.WorkEmailConfirmedAt == nil {
			t.Fatal("the work email is not confirmed")
		}

		// Editing the address undoes the confirmation.
		v.WorkEmail = "a@elsewhere.org"
		if err := store.SubmitVerification(ctx, v); err != nil || v.WorkEmailConfirmedAt != nil {
			t.Fatalf("resubmitted with a new address: %v, confirmed %v", err, v.WorkEmailConfirmedAt)
		}

		queue, err := store.VerificationQueue(ctx, 10)
		if err != nil || len(queue) != 1 {
			t.Fatalf("queue: %v, %v", queue, err)
		}
		decided, err := store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, ModeratorID: mod.ID, Status: models.VerificationApproved})
		if err != nil || decided.Status != models.VerificationApproved {
			t.Fatalf("approve: %+v, %v", decided, err)
		}
		got, _ := store.UserByID(ctx, u.ID)
		if got.Status != models.StatusVerified || got.DisplayName != "Amara Okafor" || got.Specialty != "Cardiology" {
			t.Fatalf("member after approval: %+v", got)
		}
		if _, err := store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, ModeratorID: mod.ID,
			Status: models.VerificationRejected, Reason: "x"}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("deciding twice: %v", err)
		}
		if _, err := store.DecideVerification(ctx, models.Decision{VerificationID: 9999, ModeratorID: mod.ID,
			Status: models.VerificationApproved}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deciding a missing application: %v", err)
		}
		events, err := store.AuditEventsFor(ctx, "verification", v.ID)
		if err != nil || len(events) != 1 || *events[0].ActorID != mod.ID || events[0].Action != "verification.approved" {
			t.Fatalf("audit log: %+v, %v", events, err)
		}
	})
}
