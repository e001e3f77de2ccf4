package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// count runs a COUNT(*) query.
func count(t *testing.T, store *models.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := store.DB().Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// actions lists the audit actions about a subject, oldest first, as
// action:actor where actor is "rounds" when Rounds itself acted.
func actions(t *testing.T, store *models.Store, subjectType string, id int64) string {
	t.Helper()
	events, err := store.AuditEventsFor(context.Background(), subjectType, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		actor := "rounds"
		if e.ActorID != nil {
			actor = e.ActorName
		}
		out = append(out, e.Action+":"+actor)
	}
	return strings.Join(out, " ")
}

// openingPost is the id of a topic's first post.
func openingPost(t *testing.T, store *models.Store, topicID int64) int64 {
	t.Helper()
	var id int64
	if err := store.DB().Raw(`SELECT id FROM posts WHERE topic_id = ? AND number = 1`, topicID).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("opening post of topic %d: %v", topicID, err)
	}
	return id
}

type moderationFixture struct {
	fixture
	mod      *models.User
	reporter *models.User
	topic    *models.Topic
	reply    *models.Post
}

func newModerationFixture(t *testing.T, store *models.Store) moderationFixture {
	t.Helper()
	ctx := context.Background()
	f := moderationFixture{fixture: newFixture(t, store)}
	f.mod = modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
	f.reporter = modelstest.Verified("reyes", "Dr. Ana Reyes").Make(t, store)
	f.topic = f.fixture.topic(t, "Hyperkalaemia after ACE inhibitor")
	reply, err := store.CreateReply(ctx, models.NewReply{TopicID: f.topic.ID, AuthorID: f.peer.ID,
		PostContent: models.PostContent{Source: "Seen yesterday, MRN 4417823, potassium 6.8", Cooked: "<p>Seen yesterday, MRN 4417823, potassium 6.8</p>", Plain: "Seen yesterday, MRN 4417823, potassium 6.8"}})
	if err != nil {
		t.Fatal(err)
	}
	f.reply = reply
	return f
}

// flag reports the fixture's reply, whose record number the identifier
// check finds.
func (f moderationFixture) flag(t *testing.T, reporter *models.User, reason models.FlagReason) bool {
	t.Helper()
	hid, err := f.store.FlagPost(context.Background(), models.NewFlag{PostID: f.reply.ID, ReporterID: reporter.ID, Reason: reason, Note: "see the number",
		IdentifierFound: true})
	if err != nil {
		t.Fatal(err)
	}
	return hid
}

func TestFlagsHideOnlyForPatientIdentifiers(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		queued := func() int64 {
			return count(t, store, `SELECT COUNT(*) FROM search_outbox WHERE post_id = ?`, f.reply.ID)
		}
		outbox, queued0 := count(t, store, `SELECT COUNT(*) FROM search_outbox`), queued()

		if f.flag(t, f.author, models.FlagSpam) {
			t.Fatal("a spam report hid the post")
		}
		post, _ := store.PostByID(ctx, f.reply.ID)
		if post.IsHidden() {
			t.Fatal("the post is hidden after a spam report")
		}
		if !f.flag(t, f.reporter, models.FlagPHI) {
			t.Fatal("a patient-identifier report did not hide the post")
		}
		post, _ = store.PostByID(ctx, f.reply.ID)
		if !post.IsHidden() || post.HiddenByID != nil || post.HiddenReason != models.PendingPHIReason {
			t.Fatalf("after a PHI report: hidden %v by %v reason %q", post.IsHidden(), post.HiddenByID, post.HiddenReason)
		}
		if got := queued() - queued0; got != 1 || count(t, store, `SELECT COUNT(*) FROM search_outbox`) != outbox+1 {
			t.Fatalf("the hide queued %d search updates of the post, want 1", got)
		}
		if got, want := actions(t, store, "post", f.reply.ID), "post.flag:Dr. Amara Okafor post.flag:Dr. Ana Reyes post.hide:rounds"; got != want {
			t.Fatalf("audit %q, want %q", got, want)
		}
		// The note may quote the identifier: the audit log keeps only the reason.
		if n := count(t, store, `SELECT COUNT(*) FROM audit_events WHERE reason LIKE ?`, "%number%"); n != 0 {
			t.Fatalf("%d audit events carry the reporter's note", n)
		}

		refusals := []struct {
			name string
			nf   models.NewFlag
			want error
		}{
			{"twice while open", models.NewFlag{PostID: f.reply.ID, ReporterID: f.reporter.ID, Reason: models.FlagSpam}, models.ErrAlreadyFlagged},
			{"own post", models.NewFlag{PostID: f.reply.ID, ReporterID: f.peer.ID, Reason: models.FlagSpam}, models.ErrOwnPost},
			{"no such post", models.NewFlag{PostID: f.reply.ID + 1000, ReporterID: f.reporter.ID, Reason: models.FlagSpam}, models.ErrNotFound},
		}
		for _, r := range refusals {
			if _, err := store.FlagPost(ctx, r.nf); !errors.Is(err, r.want) {
				t.Errorf("%s: %v, want %v", r.name, err, r.want)
			}
		}
		if _, err := store.FlagPost(ctx, models.NewFlag{PostID: f.reply.ID, ReporterID: f.mod.ID, Reason: "rude"}); err == nil {
			t.Error("an unknown reason was accepted")
		}
		if n := count(t, store, `SELECT COUNT(*) FROM flags`); n != 2 {
			t.Fatalf("%d flags, want the 2 accepted", n)
		}
	})
}

func TestReviewQueueOldestFirstAndDismiss(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		second := f.fixture.topic(t, "A later report")
		third := f.fixture.topic(t, "A still later report")
		// The opening posts of the second and third topics are reported
		// first, for other reasons.
		for _, topic := range []*models.Topic{second, third} {
			if _, err := store.FlagPost(ctx, models.NewFlag{PostID: openingPost(t, store, topic.ID), ReporterID: f.reporter.ID, Reason: models.FlagMisinformation}); err != nil {
				t.Fatal(err)
			}
		}
		f.flag(t, f.reporter, models.FlagPHI)
		f.flag(t, f.author, models.FlagPHI)
		queue, err := store.ReviewQueue(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Reports of a patient identifier come first, however recent;
		// the others wait the longest first.
		if len(queue) != 3 || queue[0].PostID != f.reply.ID || queue[1].TopicID != second.ID || queue[2].TopicID != third.ID {
			t.Fatalf("queue %+v, want the reply, then the second topic's post, then the third's", queue)
		}
		if queue[0].Flags != 2 || !queue[0].Hidden || !queue[0].Identifier || queue[0].Urgent() ||
			len(queue[0].Reasons) != 1 || queue[0].Reasons[0] != models.FlagPHI {
			t.Fatalf("reply in the queue: %+v", queue[0])
		}
		if queue[1].Identifier || queue[1].Urgent() || queue[1].Cooked != "<p>Opening post of A later report</p>" {
			t.Fatalf("second topic in the queue: %+v", queue[1])
		}

		if err := store.DismissFlags(ctx, f.reply.ID, f.mod.ID, "no identifier: a made-up number"); err != nil {
			t.Fatal(err)
		}
		post, _ := store.PostByID(ctx, f.reply.ID)
		if post.IsHidden() {
			t.Fatal("dismissing the reports left the post hidden")
		}
		flags, err := store.FlagsOnPost(ctx, f.reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range flags {
			if fl.ResolvedAt == nil || fl.Resolution != "dismissed" || fl.ResolvedByName != "Dr. Lena Park" {
				t.Fatalf("flag after dismiss: %+v", fl)
			}
		}
		if c, err := store.CountsFor(ctx, f.mod); err != nil || c.Reported != 2 || c.ToVerify != 0 {
			t.Fatalf("a moderator's header counts %+v (%v), want 2 reported posts, none to verify", c, err)
		}
		if c, err := store.CountsFor(ctx, f.reporter); err != nil || c.Reported != 0 {
			t.Fatalf("a member's header counts %+v (%v), want no reported posts", c, err)
		}
		// Dismissing again finds nothing open and records nothing.
		before := actions(t, store, "post", f.reply.ID)
		if err := store.DismissFlags(ctx, f.reply.ID, f.mod.ID, ""); err != nil {
			t.Fatal(err)
		}
		if after := actions(t, store, "post", f.reply.ID); after != before || !strings.HasSuffix(after, "flags.dismiss:Dr. Lena Park") {
			t.Fatalf("audit after two dismissals: %q", after)
		}
	})
}

func TestModeratorHideTakesOverAReportsHide(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		f.flag(t, f.reporter, models.FlagPHI)
		if err := store.HidePost(ctx, f.reply.ID, f.mod.ID, "Contains a record number"); err != nil {
			t.Fatal(err)
		}
		post, _ := store.PostByID(ctx, f.reply.ID)
		if post.HiddenByID == nil || *post.HiddenByID != f.mod.ID || post.HiddenReason != "Contains a record number" {
			t.Fatalf("hidden by %v for %q, want the moderator's reason", post.HiddenByID, post.HiddenReason)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM flags WHERE resolution = 'hidden'`); n != 1 {
			t.Fatalf("%d reports closed as hidden, want 1", n)
		}
		// A moderator's hide stands when the reports are later dismissed.
		f.flag(t, f.author, models.FlagUnprofessional)
		if err := store.DismissFlags(ctx, f.reply.ID, f.mod.ID, ""); err != nil {
			t.Fatal(err)
		}
		if post, _ = store.PostByID(ctx, f.reply.ID); !post.IsHidden() {
			t.Fatal("dismissing a later report showed a post a moderator hid")
		}
	})
}

func TestPurgeLeavesOnlyTheAuditEntry(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		// The reply links an article another post shares, and one of its own.
		links := []models.PostLink{{URL: "https://example.org/shared", Kind: "page"}, {URL: "https://example.org/only-here", Kind: "page"}}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: f.reply.ID, EditorID: f.peer.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "Seen yesterday, MRN 4417823, see https://example.org/shared and https://example.org/only-here", Cooked: "<p>edited</p>", Links: links}}); err != nil {
			t.Fatal(err)
		}
		other, err := store.CreateReply(ctx, models.NewReply{TopicID: f.topic.ID, AuthorID: f.author.ID, PostContent: models.PostContent{Source: "Agree", Cooked: "<p>Agree</p>", Links: []models.PostLink{{URL: "https://example.org/shared", Kind: "page"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: f.topic.ID, AuthorID: f.reporter.ID, PostContent: models.PostContent{Source: "@weber thanks", Cooked: "<p>thanks</p>", Mentions: []string{"weber"}}}); err != nil {
			t.Fatal(err)
		}
		f.flag(t, f.reporter, models.FlagPHI)
		if err := store.WarnMember(ctx, f.mod, f.peer.ID, &f.reply.ID, "Never post record numbers"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE post_id = ?`, f.reply.ID); n == 0 {
			t.Fatal("setup: the reply notified nobody (the topic's author should have been)")
		}
		board0, _ := store.BoardByID(ctx, f.board.ID)

		res, err := store.PurgePost(ctx, f.reply.ID, f.mod.ID, "identified a patient")
		if err != nil {
			t.Fatal(err)
		}
		if res.TopicPurged || res.Posts != 1 {
			t.Fatalf("purge result %+v, want one reply", res)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM posts WHERE id = ?`,
			`SELECT COUNT(*) FROM post_revisions WHERE post_id = ?`,
			`SELECT COUNT(*) FROM flags WHERE post_id = ?`,
			`SELECT COUNT(*) FROM post_links WHERE post_id = ?`,
			`SELECT COUNT(*) FROM notifications WHERE post_id = ?`,
			`SELECT COUNT(*) FROM member_warnings WHERE post_id = ?`,
		} {
			if n := count(t, store, q, f.reply.ID); n != 0 {
				t.Errorf("%s: %d rows left", q, n)
			}
		}
		if n := count(t, store, `SELECT COUNT(*) FROM link_previews WHERE url = ?`, "https://example.org/only-here"); n != 0 {
			t.Error("the preview only the purged post used is left")
		}
		if n := count(t, store, `SELECT COUNT(*) FROM post_links l JOIN link_previews p ON p.id = l.preview_id WHERE l.post_id = ? AND p.url = ?`, other.ID, "https://example.org/shared"); n != 1 {
			t.Error("the preview another post shares went with the purge")
		}
		if n := count(t, store, `SELECT COUNT(*) FROM member_warnings WHERE user_id = ?`, f.peer.ID); n != 1 {
			t.Error("the warning about the post went with it")
		}
		for _, table := range []string{"posts", "post_revisions", "flags", "audit_events", "notifications", "link_previews"} {
			for _, col := range map[string][]string{"posts": {"source", "cooked"}, "post_revisions": {"source"}, "flags": {"note"},
				"audit_events": {"reason"}, "link_previews": {"url"}, "notifications": {"kind"}}[table] {
				if n := count(t, store, `SELECT COUNT(*) FROM `+table+` WHERE `+col+` LIKE ?`, "%4417823%"); n != 0 {
					t.Errorf("%s.%s still holds the record number", table, col)
				}
			}
		}
		if n := count(t, store, `SELECT COUNT(*) FROM search_outbox WHERE post_id = ?`, f.reply.ID); n == 0 {
			t.Error("the purge did not ask search to drop the post")
		}
		board, _ := store.BoardByID(ctx, f.board.ID)
		if board.PostCount != board0.PostCount-1 || board.TopicCount != board0.TopicCount {
			t.Errorf("board counts %d/%d, want %d/%d", board.TopicCount, board.PostCount, board0.TopicCount, board0.PostCount-1)
		}
		if !strings.HasSuffix(actions(t, store, "post", f.reply.ID), "post.purge:Dr. Lena Park") {
			t.Errorf("audit of the post: %q", actions(t, store, "post", f.reply.ID))
		}
		if _, err := store.PostByID(ctx, f.reply.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the purged post loads: %v", err)
		}
	})
}

func TestPurgingTheOpeningPostPurgesTheTopic(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		keep := f.fixture.topic(t, "Another topic stays")
		if err := store.SetTopicLevel(ctx, f.reporter.ID, f.topic.ID, models.LevelWatch); err != nil {
			t.Fatal(err)
		}
		board0, _ := store.BoardByID(ctx, f.board.ID)
		opening := openingPost(t, store, f.topic.ID)
		res, err := store.PurgePost(ctx, opening, f.mod.ID, "the title names the patient")
		if err != nil {
			t.Fatal(err)
		}
		if !res.TopicPurged || res.Posts != 2 {
			t.Fatalf("purge result %+v, want the topic with its 2 posts", res)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM topics WHERE id = ?`,
			`SELECT COUNT(*) FROM posts WHERE topic_id = ?`,
			`SELECT COUNT(*) FROM subscriptions WHERE topic_id = ?`,
			`SELECT COUNT(*) FROM notifications WHERE topic_id = ?`,
		} {
			if n := count(t, store, q, f.topic.ID); n != 0 {
				t.Errorf("%s: %d rows left", q, n)
			}
		}
		if n := count(t, store, `SELECT COUNT(*) FROM post_revisions WHERE post_id IN (?, ?)`, opening, f.reply.ID); n != 0 {
			t.Errorf("%d revisions left", n)
		}
		if _, err := store.TopicByID(ctx, keep.ID); err != nil {
			t.Fatalf("the other topic went too: %v", err)
		}
		board, _ := store.BoardByID(ctx, f.board.ID)
		if board.TopicCount != board0.TopicCount-1 || board.PostCount != board0.PostCount-2 {
			t.Errorf("board counts %d/%d, want %d/%d", board.TopicCount, board.PostCount, board0.TopicCount-1, board0.PostCount-2)
		}
		if got := actions(t, store, "topic", f.topic.ID); got != "topic.purge:Dr. Lena Park" {
			t.Errorf("audit of the topic: %q", got)
		}
	})
}

func TestRedactionErasesEarlierVersions(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		f.flag(t, f.reporter, models.FlagPHI)
		saved, err := store.EditPost(ctx, models.PostEdit{PostID: f.reply.ID, EditorID: f.mod.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "Seen yesterday, potassium 6.8", Cooked: "<p>Seen yesterday, potassium 6.8</p>"},
			Redact:      true, Reason: "edited out patient identifiers: Medical record number"})
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 2 || saved.IsHidden() {
			t.Fatalf("after redaction: version %d hidden %v", saved.Version, saved.IsHidden())
		}
		revs, err := store.PostRevisions(ctx, f.reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].RedactedAt != nil || revs[0].Source != "Seen yesterday, potassium 6.8" ||
			revs[1].RedactedAt == nil || revs[1].Source != "" {
			t.Fatalf("revisions after redaction: %+v", revs)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM flags WHERE resolution = 'edited'`); n != 1 {
			t.Fatalf("%d reports closed as edited, want 1", n)
		}
		if got := actions(t, store, "post", f.reply.ID); !strings.HasSuffix(got, "post.redact:Dr. Lena Park") {
			t.Fatalf("audit %q", got)
		}
	})
}

func TestSuspensionsAndWarnings(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		now := store.Now()
		if err := store.CreateSession(ctx, &models.Session{ID: "hash-of-a-session", UserID: f.peer.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}

		refused := []struct {
			name   string
			actor  *models.User
			target int64
		}{
			{"themselves", f.mod, f.mod.ID},
			{"another moderator", f.mod, modelstest.Verified("chen", "Dr. Chen").Moderator().Make(t, store).ID},
		}
		for _, r := range refused {
			if err := store.SuspendMember(ctx, r.actor, r.target, nil, "no"); !errors.Is(err, models.ErrNotModeratable) {
				t.Errorf("suspend %s: %v, want ErrNotModeratable", r.name, err)
			}
			if err := store.WarnMember(ctx, r.actor, r.target, nil, "no"); !errors.Is(err, models.ErrNotModeratable) {
				t.Errorf("warn %s: %v, want ErrNotModeratable", r.name, err)
			}
		}

		until := now.Add(48 * time.Hour)
		if err := store.SuspendMember(ctx, f.mod, f.peer.ID, &until, "Posted a record number twice"); err != nil {
			t.Fatal(err)
		}
		u, _ := store.UserByID(ctx, f.peer.ID)
		s, err := store.SuspensionOf(ctx, f.peer.ID)
		if err != nil || u.Status != models.StatusSuspended || s.Until == nil || !s.Until.Equal(until.Truncate(time.Microsecond)) || s.Reason != "Posted a record number twice" {
			t.Fatalf("after suspending: status %s, suspension %+v, %v", u.Status, s, err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, f.peer.ID); n != 0 {
			t.Fatal("the suspended member is still signed in")
		}
		// Not yet ended: nothing lifts.
		if n, err := store.LiftEndedSuspensions(ctx, now.Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("lifted %d early (%v)", n, err)
		}
		if n, err := store.LiftEndedSuspensions(ctx, now.Add(49*time.Hour)); err != nil || n != 1 {
			t.Fatalf("lifted %d at the end (%v), want 1", n, err)
		}
		if u, _ = store.UserByID(ctx, f.peer.ID); u.Status != models.StatusVerified {
			t.Fatalf("status after the suspension ended: %s", u.Status)
		}
		if _, err := store.SuspensionOf(ctx, f.peer.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a lifted suspension still reads: %v", err)
		}

		if err := store.SuspendMember(ctx, f.mod, f.peer.ID, nil, "Indefinitely, pending a review"); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LiftEndedSuspensions(ctx, now.Add(10000*time.Hour)); n != 0 {
			t.Fatal("an indefinite suspension ended by itself")
		}
		if err := store.LiftSuspension(ctx, &f.mod.ID, f.peer.ID, "review done"); err != nil {
			t.Fatal(err)
		}
		if got, want := actions(t, store, "user", f.peer.ID), "user.suspend:Dr. Lena Park user.unsuspend:rounds user.suspend:Dr. Lena Park user.unsuspend:Dr. Lena Park"; got != want {
			t.Fatalf("audit %q, want %q", got, want)
		}

		if err := store.WarnMember(ctx, f.mod, f.peer.ID, &f.reply.ID, "Keep identifiers out"); err != nil {
			t.Fatal(err)
		}
		counts, err := store.CountsFor(ctx, f.peer)
		if err != nil || counts.Warnings != 1 {
			t.Fatalf("header counts %+v (%v), want 1 warning", counts, err)
		}
		if err := store.MarkWarningsSeen(ctx, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if counts, _ = store.CountsFor(ctx, f.peer); counts.Warnings != 0 {
			t.Fatal("a read warning still counts")
		}

		rec, err := store.MemberRecordOf(ctx, f.peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Posts != 1 || len(rec.Warnings) != 1 || rec.Suspension != nil || len(rec.History) != 5 {
			t.Fatalf("record: %d posts, %d warnings, suspension %+v, %d events", rec.Posts, len(rec.Warnings), rec.Suspension, len(rec.History))
		}
	})
}

// Hiding a topic's opening post hides its replies from search with it, and
// asks search to look at the whole topic; showing it again brings them back.
func TestHidingTheOpeningPostHidesTheTopicFromSearch(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newModerationFixture(t, store)
		opening := openingPost(t, store, f.topic.ID)
		visible := func() []bool {
			docs, err := store.SearchDocsForTopics(ctx, []int64{f.topic.ID})
			if err != nil {
				t.Fatal(err)
			}
			var out []bool
			for _, d := range docs {
				out = append(out, d.Visible && (d.Plain != "") == d.Visible)
			}
			return out
		}
		wholeTopic := func() int64 {
			return count(t, store, `SELECT COUNT(*) FROM search_outbox WHERE topic_id = ? AND post_id IS NULL`, f.topic.ID)
		}
		before := wholeTopic()
		if err := store.HidePost(ctx, opening, f.mod.ID, "The title names the patient"); err != nil {
			t.Fatal(err)
		}
		if got := visible(); len(got) != 2 || got[0] || got[1] {
			t.Fatalf("visible after hiding the opening post: %v, want both posts hidden", got)
		}
		if wholeTopic() != before+1 {
			t.Fatal("hiding the opening post did not queue the whole topic for search")
		}
		if err := store.UnhidePost(ctx, opening, f.mod.ID); err != nil {
			t.Fatal(err)
		}
		if got := visible(); len(got) != 2 || !got[0] || !got[1] {
			t.Fatalf("visible after showing the opening post again: %v", got)
		}
		if wholeTopic() != before+2 {
			t.Fatal("showing the opening post again did not queue the whole topic for search")
		}
	})
}
