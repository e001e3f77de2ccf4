package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

func TestEmailSettingsDefaultsAndSave(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(t, store)
		es, err := store.EmailSettingsFor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "map[consult:now mention:now reaction:digest reply:now]"
		if got := fmt.Sprint(es); got != want {
			t.Fatalf("defaults %s, want %s", got, want)
		}
		if err := store.SaveEmailSettings(ctx, u.ID, models.EmailSettings{models.NotifyReply: models.EmailInDigest}); err != nil {
			t.Fatal(err)
		}
		if err := store.StopEmails(ctx, u.ID, []string{models.NotifyMention, models.NotifyReaction}); err != nil {
			t.Fatal(err)
		}
		es, err = store.EmailSettingsFor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(es), "map[consult:now mention:never reaction:never reply:digest]"; got != want {
			t.Fatalf("saved %s, want %s", got, want)
		}
		if got := fmt.Sprint(es.Kinds(models.EmailNever)); got != "[mention reaction]" {
			t.Fatalf("kinds never: %s", got)
		}
		for _, bad := range []models.EmailSettings{{"reminder": models.EmailNow}, {models.NotifyReply: "weekly"}} {
			if err := store.SaveEmailSettings(ctx, u.ID, bad); !errors.Is(err, models.ErrInvalidEmailSettings) {
				t.Fatalf("save %v: %v, want refused", bad, err)
			}
		}
	})
}

// The right-away email waits a window after the first new notification,
// then carries what the member may still read, and deals with the rest.
func TestPendingNotificationEmails(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		clock := testenv.NewClock()
		store.SetClock(clock.Now)
		f := newFixture(t, store)
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		reply := func(anonymous bool, body string) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, Anonymous: anonymous,
				PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		first := reply(false, "Reduced dose?")
		clock.Add(time.Minute)
		hidden := reply(false, "Off-topic advert")
		if err := store.HidePost(ctx, hidden.ID, mod.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		reaction := modelstest.Verified("chen", "Dr. Wei Chen").Make(t, store)
		if _, err := store.ToggleReaction(ctx, reaction.ID, openingPost(t, store, topic.ID), models.ReactHelpful); err != nil {
			t.Fatal(err)
		}

		due := func() []int64 {
			t.Helper()
			ids, err := store.NotificationEmailsDue(ctx, clock.Now(), 5*time.Minute, 100)
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		if ids := due(); len(ids) != 0 {
			t.Fatalf("due before the window ran out: %v", ids)
		}
		clock.Add(4 * time.Minute)
		if ids := due(); fmt.Sprint(ids) != fmt.Sprint([]int64{f.author.ID}) {
			t.Fatalf("due after the window: %v, want the author", ids)
		}
		now := clock.Now()
		p, err := store.PendingNotificationEmails(ctx, f.author, []string{models.NotifyReply, models.NotifyMention}, now)
		if err != nil {
			t.Fatal(err)
		}
		// The hidden reply is not told; the reaction is not asked for
		// right away; both are dealt with all the same.
		if len(p.Items) != 1 || p.Items[0].PostID != first.ID || p.Items[0].Actor() != "Jonas Weber, RN" ||
			p.Items[0].Sentence() != "Jonas Weber, RN replied to your topic" || p.Items[0].EmailPolicy != models.EmailFull {
			t.Fatalf("items %+v", p.Items)
		}
		if len(p.IDs) != 3 {
			t.Fatalf("%d notifications dealt with, want 3", len(p.IDs))
		}
		if err := store.MarkNotificationsEmailed(ctx, []models.EmailedNotifications{{UserID: f.author.ID, IDs: p.IDs, MessageID: "notify-1@rounds.test"}}, now); err != nil {
			t.Fatal(err)
		}
		if ids := due(); len(ids) != 0 {
			t.Fatalf("due again after the email: %v", ids)
		}

		// An anonymous reply is told by its label only; a new reaction
		// moves the reaction's notification up, so it counts again.
		clock.Add(time.Minute)
		anon := reply(true, "Speaking from experience")
		if _, err := store.ToggleReaction(ctx, f.peer.ID, openingPost(t, store, topic.ID), models.ReactAgree); err != nil {
			t.Fatal(err)
		}
		clock.Add(6 * time.Minute)
		p, err = store.PendingNotificationEmails(ctx, f.author, models.EmailKinds, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 2 || p.Items[0].PostID != anon.ID || p.Items[0].ActorName != "" ||
			p.Items[0].Actor() == "Jonas Weber, RN" || p.Items[1].Kind != models.NotifyReaction {
			t.Fatalf("items %+v", p.Items)
		}

		// The digest reads the same notifications by window.
		notes, err := store.DigestNotifications(ctx, f.author, []string{models.NotifyReply}, now.Add(-time.Hour), clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 2 || notes[0].PostID != first.ID || notes[1].PostID != anon.ID {
			t.Fatalf("digest notes %+v", notes)
		}
		// A member who lost their standing gets nothing.
		suspended := *f.author
		suspended.Status = models.StatusSuspended
		if notes, err := store.DigestNotifications(ctx, &suspended, models.EmailKinds, now.Add(-time.Hour), clock.Now()); err != nil || len(notes) != 0 {
			t.Fatalf("a suspended member's notes: %v, %v", notes, err)
		}
	})
}

func TestEmailRepliesAreRecordedOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		nr := models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "Yes.", Cooked: "<p>Yes.</p>"}}
		post, err := store.CreateEmailReply(ctx, nr, "abc@mail.example")
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.EmailReplyPost(ctx, f.peer.ID, "abc@mail.example")
		if err != nil || got != post.ID {
			t.Fatalf("recorded post %d, %v; want %d", got, err, post.ID)
		}
		// The same message again fails whole: no second post.
		if _, err := store.CreateEmailReply(ctx, nr, "abc@mail.example"); err == nil {
			t.Fatal("the same message was posted twice")
		}
		if n := count(t, store, `SELECT COUNT(*) FROM posts WHERE topic_id = ?`, topic.ID); n != 2 {
			t.Fatalf("%d posts, want the opening post and one reply", n)
		}
		if got, err := store.EmailReplyPost(ctx, f.author.ID, "abc@mail.example"); err != nil || got != 0 {
			t.Fatalf("another member's message id: %d, %v", got, err)
		}
	})
}

func TestMemberHasAddress(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := modelstest.Verified("okafor", "Dr. Amara Okafor").WithEmail().Make(t, store)
		for addr, want := range map[string]bool{"okafor@hospital.test": true, "OKAFOR@Hospital.test": true,
			"someone@hospital.test": false, "": false} {
			if got, err := store.MemberHasAddress(ctx, u.ID, addr); err != nil || got != want {
				t.Errorf("%q: %v, %v; want %v", addr, got, err, want)
			}
		}
	})
}
