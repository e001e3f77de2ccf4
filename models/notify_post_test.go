package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// TestAPostNotifiesOnlyReadersOnce checks who a post tells, read straight
// from the notifications table: the topic's author of a reply and the
// members it mentions, once each (a mention outranks a reply), never the
// post's author, an unverified member or one who may not read the board,
// and an anonymous post's notifications name no one.
func TestAPostNotifiesOnlyReadersOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		team := modelstest.Verified("lindqvist", "Dr. Erik Lindqvist").Make(t, store)
		outsider := modelstest.Verified("outsider", "Pat Outsider").Profession("pharmacist").Make(t, store)
		applicant := modelstest.Applicant("newcomer", "New Comer").Make(t, store)
		mod := modelstest.Verified("mod", "Dr. Mo Derator").Moderator().Make(t, store)
		group := &models.Group{Name: "ICU team"}
		if err := store.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		for _, m := range []*models.User{f.author, f.peer, team, applicant} {
			if err := store.AddGroupMember(ctx, group.ID, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.SetBoardGroups(ctx, f.board.ID, []int64{group.ID}, nil); err != nil {
			t.Fatal(err)
		}
		topic := f.topic(t, "Sedation holiday")

		type note struct {
			UserID  int64
			Kind    string
			ActorID *int64
		}
		notesOf := func(postID int64) map[int64]note {
			t.Helper()
			var rows []note
			if err := store.DB().Table("notifications").Select("user_id, kind, actor_id").
				Where("post_id = ?", postID).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			got := map[int64]note{}
			for _, r := range rows {
				if _, twice := got[r.UserID]; twice {
					t.Errorf("member %d told twice of post %d", r.UserID, postID)
				}
				got[r.UserID] = r
			}
			return got
		}
		reply := func(author *models.User, anonymous bool, mentions ...string) int64 {
			t.Helper()
			post, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: author.ID, Anonymous: anonymous,
				PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>", Plain: "r", Mentions: mentions}})
			if err != nil {
				t.Fatal(err)
			}
			return post.ID
		}

		// The peer replies, mentioning the team member, the outsider, the
		// applicant, the moderator, someone unknown and themself.
		got := notesOf(reply(f.peer, false, "lindqvist", "outsider", "newcomer", "mod", "nobody", "weber"))
		want := map[int64]string{f.author.ID: models.NotifyReply, team.ID: models.NotifyMention, mod.ID: models.NotifyMention}
		if len(got) != len(want) {
			t.Errorf("told %v, want %v", got, want)
		}
		for id, kind := range want {
			if n, ok := got[id]; !ok || n.Kind != kind || n.ActorID == nil || *n.ActorID != f.peer.ID {
				t.Errorf("member %d: %+v, want a %s from %d", id, n, kind, f.peer.ID)
			}
		}
		for _, u := range []*models.User{outsider, applicant, f.peer} {
			if _, ok := got[u.ID]; ok {
				t.Errorf("%s was told of a post on a board they may not read, or of their own", u.Username)
			}
		}

		// Mentioning the topic's author makes theirs a mention, once.
		got = notesOf(reply(f.peer, false, "okafor"))
		if len(got) != 1 || got[f.author.ID].Kind != models.NotifyMention {
			t.Errorf("a reply mentioning the topic's author told %+v, want one mention", got)
		}

		// The topic's author replying to their own topic tells nobody.
		if got := notesOf(reply(f.author, false)); len(got) != 0 {
			t.Errorf("the author's own reply told %+v", got)
		}

		// An anonymous reply's notifications name no one.
		got = notesOf(reply(f.peer, true, "lindqvist"))
		if len(got) != 2 {
			t.Errorf("the anonymous reply told %+v, want the author and the mention", got)
		}
		for id, n := range got {
			if n.ActorID != nil {
				t.Errorf("member %d's notification of an anonymous post names %d", id, *n.ActorID)
			}
		}
	})
}
