package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// A moderator's warning or suspension over an anonymous post is recorded
// against "the author of post N": nothing in the audit log, its filters or
// the member's record ties the account to the post.
func TestModerationOfAnAnonymousAuthorNamesOnlyThePost(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		anon, err := store.CreateReply(ctx, models.NewReply{TopicID: f.topic.ID, AuthorID: f.peer.ID, Anonymous: true,
			PostContent: models.PostContent{Source: "I gave the wrong dose once.", Cooked: "<p>I gave the wrong dose once.</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		// The account is never a subject: no entry names it, whatever
		// happens over the anonymous post.
		namesTheAccount := func(when string) {
			t.Helper()
			if n := count(t, store, `SELECT COUNT(*) FROM audit_events WHERE subject_type = 'user' AND subject_id = ?`, f.peer.ID); n != 0 {
				t.Fatalf("%s: %d audit entries name the anonymous author's account", when, n)
			}
		}

		if err := store.WarnAuthor(ctx, f.mod, anon.ID, "Write about errors with care."); err != nil {
			t.Fatal(err)
		}
		namesTheAccount("after a warning")
		if got, want := actions(t, store, models.SubjectPostAuthor, anon.ID), "user.warn:Dr. Lena Park"; got != want {
			t.Fatalf("audit of the author of the post %q, want %q", got, want)
		}
		// The member reads the warning; their record for moderators
		// does not show it.
		warnings, err := store.MemberWarnings(ctx, f.peer.ID)
		if err != nil || len(warnings) != 1 || !warnings[0].OverAnonymousPost {
			t.Fatalf("the member's warnings: %+v, %v", warnings, err)
		}

		until := store.Now().Add(48 * time.Hour)
		if err := store.SuspendAuthor(ctx, f.mod, anon.ID, &until, "Repeated"); err != nil {
			t.Fatal(err)
		}
		namesTheAccount("after a suspension")
		if here, err := store.AuthorSuspendedOver(ctx, anon.ID); err != nil || !here {
			t.Fatalf("suspended over the post: %v, %v", here, err)
		}
		if here, err := store.AuthorSuspendedOver(ctx, f.reply.ID); err != nil || here {
			t.Fatalf("suspended over another post of theirs: %v, %v", here, err)
		}
		// The member is told why when they try to sign in.
		if s, err := store.SuspensionOf(ctx, f.peer.ID); err != nil || s.Reason != "Repeated" {
			t.Fatalf("the member's suspension: %+v, %v", s, err)
		}
		rec, err := store.MemberRecordOf(ctx, f.peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Posts != 1 || len(rec.Warnings) != 0 || rec.Suspension != nil || !rec.SuspendedOverAnonymousPost || len(rec.History) != 0 {
			t.Fatalf("record: %d posts, warnings %+v, suspension %+v (over an anonymous post %v), history %+v",
				rec.Posts, rec.Warnings, rec.Suspension, rec.SuspendedOverAnonymousPost, rec.History)
		}

		// The suspension ends by itself, recorded against the post too.
		if n, err := store.LiftEndedSuspensions(ctx, until.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("lifted %d (%v), want 1", n, err)
		}
		namesTheAccount("after the suspension ended")
		if here, _ := store.AuthorSuspendedOver(ctx, anon.ID); here {
			t.Fatal("still suspended over the post after the suspension ended")
		}
		if got, want := actions(t, store, "post", anon.ID), "user.warn:Dr. Lena Park user.suspend:Dr. Lena Park user.unsuspend:rounds"; got != want {
			t.Fatalf("audit of the post %q, want %q", got, want)
		}

		// Filters: by the post, its author's entries come along; by the
		// account, nothing.
		byAccount, _, err := store.AuditLog(ctx, models.AuditFilter{SubjectType: "user", SubjectID: f.peer.ID})
		if err != nil || len(byAccount) != 0 {
			t.Fatalf("the log filtered by the account: %+v, %v", byAccount, err)
		}
		byPost, _, err := store.AuditLog(ctx, models.AuditFilter{SubjectType: "post", SubjectID: anon.ID})
		if err != nil || len(byPost) != 3 {
			t.Fatalf("the log filtered by the post: %+v, %v", byPost, err)
		}
		for _, e := range byPost {
			if want := fmt.Sprintf("the author of post %d", anon.ID); e.Subject() != want {
				t.Fatalf("entry %s is about %q, want %q", e.Action, e.Subject(), want)
			}
		}
		byAuthor, _, err := store.AuditLog(ctx, models.AuditFilter{SubjectType: models.SubjectPostAuthor})
		if err != nil || len(byAuthor) != 3 {
			t.Fatalf("the log filtered by authors of posts: %+v, %v", byAuthor, err)
		}

		// Over a post they signed, the account is the subject, as before.
		if err := store.SuspendAuthor(ctx, f.mod, f.reply.ID, nil, "Signed, this time"); err != nil {
			t.Fatal(err)
		}
		if err := store.LiftAuthorSuspension(ctx, f.mod.ID, f.reply.ID, "done"); err != nil {
			t.Fatal(err)
		}
		if got, want := actions(t, store, "user", f.peer.ID), "user.suspend:Dr. Lena Park user.unsuspend:Dr. Lena Park"; got != want {
			t.Fatalf("audit of the account %q, want %q", got, want)
		}
		if got, want := actions(t, store, models.SubjectPostAuthor, anon.ID), "user.warn:Dr. Lena Park user.suspend:Dr. Lena Park user.unsuspend:rounds"; got != want {
			t.Fatalf("audit of the author of the anonymous post after the signed one's %q, want %q", got, want)
		}
	})
}
