package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// One member's word alone does not take a post down: a report that it
// identifies a patient hides it at once only when something bears the
// report out.
func TestIdentifierReportsHideOnlyWhenBorneOut(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		second := modelstest.Verified("byrne", "Siobhan Byrne").Make(t, store)
		post := func(body string) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: f.topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		report := func(p *models.Post, by *models.User, found bool) bool {
			t.Helper()
			hid, err := store.FlagPost(ctx, models.NewFlag{PostID: p.ID, ReporterID: by.ID, Reason: models.FlagPHI, IdentifierFound: found})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := store.PostByID(ctx, p.ID); got.IsHidden() != hid {
				t.Fatalf("FlagPost said hid %v, the post is hidden %v", hid, got.IsHidden())
			}
			return hid
		}
		record := func(u *models.User) models.ReporterRecord {
			t.Helper()
			rec, err := store.ReporterRecordOf(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		hideReason := func(p *models.Post) string {
			t.Helper()
			var reason string
			if err := store.DB().Raw(`SELECT reason FROM audit_events WHERE action = 'post.hide' AND actor_id IS NULL AND subject_id = ?`,
				p.ID).Scan(&reason).Error; err != nil {
				t.Fatal(err)
			}
			return reason
		}

		// Alone and unsupported, a report waits at the top of the queue.
		quiet := post("A quiet reply about potassium.")
		if report(quiet, f.reporter, false) {
			t.Fatal("one member's report hid a post nothing else marks")
		}
		queue, err := store.ReviewQueue(ctx, 10)
		if err != nil || len(queue) != 1 || !queue[0].Identifier || !queue[0].Urgent() {
			t.Fatalf("queue after an unsupported report: %+v, %v", queue, err)
		}
		if c, err := store.CountsFor(ctx, f.mod); err != nil || c.Reported != 1 || c.ToVerify != 1 {
			t.Fatalf("a moderator's header counts %+v, %v; want 1 reported, 1 to verify", c, err)
		}
		// A second member's report hides it.
		if !report(quiet, second, false) {
			t.Fatal("a second member's report did not hide the post")
		}
		if got := hideReason(quiet); got != "reported as identifying a patient by a second member; hidden pending review" {
			t.Fatalf("hidden because %q", got)
		}
		if queue, _ = store.ReviewQueue(ctx, 10); queue[0].Urgent() || !queue[0].Hidden {
			t.Fatalf("a hidden post is still urgent: %+v", queue[0])
		}

		// The identifier check bears a report out on its own.
		mrn := post("MRN 4417823, potassium 6.8")
		if !report(mrn, second, true) {
			t.Fatal("a report the identifier check bears out did not hide the post")
		}
		if got := hideReason(mrn); got != "reported as identifying a patient, and the identifier check finds one; hidden pending review" {
			t.Fatalf("hidden because %q", got)
		}

		// A moderator upholds the reports on both; each reporter's record
		// counts it (the first reporter of quiet too).
		if err := store.HidePost(ctx, quiet.ID, f.mod.ID, "Identifies the patient"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.PurgePost(ctx, mrn.ID, f.mod.ID, "record number"); err != nil {
			t.Fatal(err)
		}
		if got := record(f.reporter); got != (models.ReporterRecord{Upheld: 1}) || !got.Trusted() {
			t.Fatalf("record of the first reporter %+v", got)
		}
		if got := record(second); got != (models.ReporterRecord{Upheld: 2}) {
			t.Fatalf("record of the second reporter after a hide and a purge %+v", got)
		}

		// Upheld before, a reporter's word hides at once.
		trusted := post("Another quiet reply.")
		if !report(trusted, f.reporter, false) {
			t.Fatal("a reporter whose report was upheld could not hide a post")
		}
		if got := hideReason(trusted); got != "reported as identifying a patient by a member whose earlier such reports were upheld; hidden pending review" {
			t.Fatalf("hidden because %q", got)
		}
		// Dismissed, that trust is spent: one upheld, one dismissed.
		if err := store.DismissFlags(ctx, trusted.ID, f.mod.ID, "nothing there"); err != nil {
			t.Fatal(err)
		}
		if got := record(f.reporter); got != (models.ReporterRecord{Upheld: 1, Dismissed: 1}) || got.Trusted() {
			t.Fatalf("record after a dismissal %+v", got)
		}
		if report(post("Yet another quiet reply."), f.reporter, false) {
			t.Fatal("a reporter with as many reports dismissed as upheld hid a post alone")
		}

		// The author deleting a post before anyone looks upholds nothing,
		// and other reasons never hide, nor count.
		gone := post("Regretted.")
		report(gone, second, false)
		if err := store.DeletePost(ctx, gone.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		spam := post("Buy supplements.")
		if hid, err := store.FlagPost(ctx, models.NewFlag{PostID: spam.ID, ReporterID: second.ID, Reason: models.FlagSpam, IdentifierFound: true}); err != nil || hid {
			t.Fatalf("a spam report hid the post (%v, %v)", hid, err)
		}
		if err := store.HidePost(ctx, spam.ID, f.mod.ID, "Advertising"); err != nil {
			t.Fatal(err)
		}
		if got := record(second); got != (models.ReporterRecord{Upheld: 2}) {
			t.Fatalf("record of the second reporter after a deleted post and a spam report %+v", got)
		}
	})
}
