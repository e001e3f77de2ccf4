package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// A profile counts and lists only the member's signed posts that the viewer
// may read: never an anonymous one, never one on a board closed to the
// viewer, and hidden ones for moderators only.
func TestProfileShowsOnlyWhatTheViewerMayRead(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		open := f.topic(t, "Signed topic")
		signedReply, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.author.ID, PostContent: models.PostContent{Source: "a signed reply", Cooked: "<p>a signed reply</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		anonTopic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "A near miss of my own", PostContent: models.PostContent{Source: "s", Cooked: "<p>s</p>"}, Anonymous: true, AnonymityK: 1})
		if err != nil {
			t.Fatal(err)
		}
		anonReply, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.author.ID, PostContent: models.PostContent{Source: "anon", Cooked: "<p>anon</p>"},
			Anonymous: true, AnonymityK: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Reactions to the signed reply count on the profile; those to the
		// anonymous one never do.
		for _, r := range []struct {
			post int64
			kind models.ReactionKind
		}{{signedReply.ID, models.ReactHelpful}, {signedReply.ID, models.ReactThanks}, {anonReply.ID, models.ReactHelpful},
			{anonReply.ID, models.ReactAgree}} {
			if _, err := store.ToggleReaction(ctx, f.peer.ID, r.post, r.kind); err != nil {
				t.Fatal(err)
			}
		}
		hidden, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.author.ID, PostContent: models.PostContent{Source: "hidden", Cooked: "<p>hidden</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
		if err := store.HidePost(ctx, hidden.ID, mod.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		// A board only a group may read, and the member's topic on it.
		group := &models.Group{Name: "Cardiologists"}
		closed := f.closedBoard(t, "private", "Private", group)
		if err := store.AddGroupMember(ctx, group.ID, f.author.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closed.ID, AuthorID: f.author.ID,
			Title: "Group only", PostContent: models.PostContent{Source: "g", Cooked: "<p>g</p>"}}); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name            string
			viewer          *models.User
			topics, replies int64
			titles          string
		}{
			{"peer", f.peer, 1, 1, "Signed topic,Signed topic"},
			{"the member", f.author, 2, 1, "Group only,Signed topic,Signed topic"},
			{"moderator", mod, 2, 2, "Group only,Signed topic,Signed topic,Signed topic"},
		} {
			t.Run(c.name, func(t *testing.T) {
				p, err := store.ProfileOf(ctx, c.viewer, "okafor")
				if err != nil {
					t.Fatal(err)
				}
				if p.Topics != c.topics || p.Replies != c.replies {
					t.Fatalf("counts %d topics, %d replies; want %d, %d", p.Topics, p.Replies, c.topics, c.replies)
				}
				if p.Helpful != 1 || p.Agree != 0 || p.Thanks != 1 {
					t.Fatalf("reactions received %d helpful, %d agree, %d thanks; want 1, 0, 1", p.Helpful, p.Agree, p.Thanks)
				}
				posts, more, err := store.ProfilePosts(ctx, c.viewer, f.author.ID, models.ProfileAll, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, post := range posts {
					if post.TopicID == anonTopic.ID {
						t.Fatalf("the anonymous topic is listed: %+v", post)
					}
					titles = append(titles, post.TopicTitle)
				}
				if more || strings.Join(titles, ",") != c.titles {
					t.Fatalf("listed %v (more %v), want %s", titles, more, c.titles)
				}
			})
		}

		// Paging: one at a time, newest first, then older.
		first, more, err := store.ProfilePosts(ctx, f.peer, f.author.ID, models.ProfileAll, 0, 1)
		if err != nil || len(first) != 1 || !more {
			t.Fatalf("first page %v, more %v, err %v", first, more, err)
		}
		second, more, err := store.ProfilePosts(ctx, f.peer, f.author.ID, models.ProfileAll, first[0].PostID, 1)
		if err != nil || len(second) != 1 || more || second[0].PostID >= first[0].PostID {
			t.Fatalf("second page %v, more %v, err %v", second, more, err)
		}
		replies, _, err := store.ProfilePosts(ctx, f.peer, f.author.ID, models.ProfileReplies, 0, 10)
		if err != nil || len(replies) != 1 || replies[0].Number != 2 {
			t.Fatalf("replies %v, err %v", replies, err)
		}

		// No profile for a member not yet verified.
		pending := &models.User{Username: "newcomer", DisplayName: "New Comer"}
		if err := store.CreateUser(ctx, pending); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ProfileOf(ctx, f.peer, "newcomer"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a pending member's profile: %v, want ErrNotFound", err)
		}
	})
}

// An approval records when and by what kind of evidence a member was
// verified, which the profile shows.
func TestProfileShowsHowTheMemberWasVerified(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := &models.User{Username: "reyes", DisplayName: "reyes"}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		v := &models.Verification{UserID: u.ID, FullName: "Dr. Ana Reyes", Profession: "physician", Specialty: "Nephrology",
			Institution: "St. Elsewhere"}
		if err := store.SubmitVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, Status: models.VerificationApproved,
			Reason: "trusted sign-in", Method: models.VerifiedByInstitution}); err != nil {
			t.Fatal(err)
		}
		p, err := store.ProfileOf(ctx, u, "reyes")
		if err != nil {
			t.Fatal(err)
		}
		if p.VerifiedBy != models.VerifiedByInstitution || p.VerifiedAt == nil || p.VerifiedAt.IsZero() {
			t.Fatalf("verified by %q at %v", p.VerifiedBy, p.VerifiedAt)
		}
		if p.User.Institution != "St. Elsewhere" || p.User.ShowInstitution {
			t.Fatalf("institution %q shown %v: want it copied and hidden until the member chooses", p.User.Institution, p.User.ShowInstitution)
		}
	})
}

// A change of name, profession or specialty waits for a moderator: the
// verified values stay until one approves it, and the decision is audited.
func TestProfileChangesWaitForAModerator(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
		edit := models.ProfileEdit{DisplayName: f.author.DisplayName, Credentials: "MD, FACC", Profession: f.author.Profession,
			Specialty: f.author.Specialty, Institution: "Mercy General", ShowInstitution: true}
		pending, err := store.UpdateProfile(ctx, f.author.ID, edit)
		if err != nil || pending {
			t.Fatalf("credentials and institution: pending %v, err %v; want saved at once", pending, err)
		}
		edit.Specialty = "Electrophysiology"
		if pending, err = store.UpdateProfile(ctx, f.author.ID, edit); err != nil || !pending {
			t.Fatalf("a new specialty: pending %v, err %v; want it waiting", pending, err)
		}
		u, err := store.UserByID(ctx, f.author.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Specialty != "Cardiology" || u.Credentials != "MD, FACC" || !u.ShowInstitution {
			t.Fatalf("after the edit: %+v", u)
		}
		queue, err := store.ProfileChangeQueue(ctx, 10)
		if err != nil || len(queue) != 1 || queue[0].Specialty != "Electrophysiology" || queue[0].CurrentSpecialty != "Cardiology" {
			t.Fatalf("queue %+v, err %v", queue, err)
		}
		// A member cannot approve their own change, moderator or not.
		self := *f.author
		self.Role = models.RoleModerator
		if _, err := store.DecideProfileChange(ctx, &self, queue[0].ID, true, ""); !errors.Is(err, models.ErrNotModeratable) {
			t.Fatalf("deciding one's own change: %v", err)
		}
		if _, err := store.DecideProfileChange(ctx, mod, queue[0].ID, true, "board certificate seen"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DecideProfileChange(ctx, mod, queue[0].ID, false, "twice"); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("deciding twice: %v, want ErrConflict", err)
		}
		if u, err = store.UserByID(ctx, f.author.ID); err != nil || u.Specialty != "Electrophysiology" {
			t.Fatalf("after approval: %+v, %v", u, err)
		}
		events, err := store.AuditEventsFor(ctx, "user", f.author.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Action != "profile.approved" || !strings.Contains(events[0].Reason, "Electrophysiology") {
			t.Fatalf("audit %+v", events)
		}

		// Giving back the verified values withdraws a waiting change.
		edit.DisplayName = "Amara Okafor"
		if _, err := store.UpdateProfile(ctx, f.author.ID, edit); err != nil {
			t.Fatal(err)
		}
		edit.DisplayName = f.author.DisplayName
		if pending, err := store.UpdateProfile(ctx, f.author.ID, edit); err != nil || pending {
			t.Fatalf("back to the verified name: pending %v, err %v", pending, err)
		}
		if queue, err := store.ProfileChangeQueue(ctx, 10); err != nil || len(queue) != 0 {
			t.Fatalf("queue after withdrawing: %+v, %v", queue, err)
		}
	})
}
