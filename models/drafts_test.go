package models_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

func TestDraftsKeepOneDraftPerMemberAndPlace(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		place := models.NewTopicDraft(f.board.ID)

		first := url.Values{"title": {"Apixaban in dialysis"}, "body": {"First words"}, "tags": {"renal"}}
		if _, err := store.SaveDraft(ctx, f.peer.ID, place, first); err != nil {
			t.Fatal(err)
		}
		second := url.Values{"title": {"Apixaban in dialysis"}, "body": {"First words, then more"}}
		if _, err := store.SaveDraft(ctx, f.peer.ID, place, second); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM drafts WHERE user_id = ?`, f.peer.ID); n != 1 {
			t.Fatalf("%d drafts after saving twice at one place, want 1", n)
		}
		d, err := store.DraftAt(ctx, f.peer.ID, place)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Values(); got.Get("body") != "First words, then more" || got.Get("tags") != "" || d.Place() != place {
			t.Fatalf("draft after the second save: %+v (%v)", d, got)
		}
		// A draft is its writer's alone, and of its place alone.
		if _, err := store.DraftAt(ctx, f.author.ID, place); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another member's draft: err %v, want ErrNotFound", err)
		}
		if _, err := store.DraftAt(ctx, f.peer.ID, models.NewCaseDraft(f.board.ID)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the draft of a case in the same board: err %v, want ErrNotFound", err)
		}
		// Too large is refused and keeps the draft there was.
		huge := url.Values{"body": {strings.Repeat("x", models.DraftBytesMax)}}
		if _, err := store.SaveDraft(ctx, f.peer.ID, place, huge); !errors.Is(err, models.ErrDraftTooLarge) {
			t.Fatalf("a draft of %d bytes: err %v, want ErrDraftTooLarge", models.DraftBytesMax, err)
		}
		if d, err := store.DraftAt(ctx, f.peer.ID, place); err != nil || d.Values().Get("body") != "First words, then more" {
			t.Fatalf("draft after a refused save: %+v, %v", d, err)
		}
		if err := store.DeleteDraft(ctx, f.peer.ID, place); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DraftAt(ctx, f.peer.ID, place); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("discarded draft: err %v, want ErrNotFound", err)
		}
	})
}

func TestDraftPlacesReadBack(t *testing.T) {
	for _, p := range []models.DraftPlace{models.NewTopicDraft(3), models.NewCaseDraft(4), models.ReplyDraft(5), models.EditDraft(6)} {
		got, err := models.ParseDraftPlace(p.String())
		if err != nil || got != p {
			t.Errorf("ParseDraftPlace(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
	for _, bad := range []string{"", "reply", "reply:", "reply:0", "reply:-3", "poll:3", "reply:3x", ":3"} {
		if _, err := models.ParseDraftPlace(bad); !errors.Is(err, models.ErrDraftPlace) {
			t.Errorf("ParseDraftPlace(%q): err %v, want ErrDraftPlace", bad, err)
		}
	}
}

func TestDraftsAreBoundedInNumber(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		for i := int64(1); i <= models.DraftsMax; i++ {
			if _, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(i), url.Values{"body": {"x"}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(models.DraftsMax+1), url.Values{"body": {"x"}}); !errors.Is(err, models.ErrTooManyDrafts) {
			t.Fatalf("draft %d: err %v, want ErrTooManyDrafts", models.DraftsMax+1, err)
		}
		// A draft already kept can still be saved again.
		if _, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(1), url.Values{"body": {"y"}}); err != nil {
			t.Fatalf("saving a kept draft again at the limit: %v", err)
		}
	})
}

func TestDraftsListOnlyPlacesTheMemberMayStillWriteAt(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban dosing in dialysis")
		opening := openingPost(t, store, topic.ID)
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "Half dose.", Cooked: "<p>Half dose.</p>", Plain: "Half dose."}})
		if err != nil {
			t.Fatal(err)
		}
		closed := modelstest.OpenBoard("oncology", "Oncology").Make(t, store)
		save := func(place models.DraftPlace, body string) {
			t.Helper()
			if _, err := store.SaveDraft(ctx, f.peer.ID, place, url.Values{"body": {body}}); err != nil {
				t.Fatal(err)
			}
		}
		save(models.NewTopicDraft(f.board.ID), "a new topic")
		save(models.NewCaseDraft(closed.ID), "a case in a board closed later")
		save(models.ReplyDraft(topic.ID), "a reply")
		save(models.EditDraft(reply.ID), "an edit of my reply")
		save(models.EditDraft(opening), "an edit of someone else's post")
		save(models.ReplyDraft(topic.ID+1000), "a reply to a topic that is not there")

		group := &models.Group{Name: "Oncologists", AutoSpecialty: "oncology"}
		if err := store.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		if err := store.SetBoardGroups(ctx, closed.ID, []int64{group.ID}, nil); err != nil {
			t.Fatal(err)
		}
		list, err := store.Drafts(ctx, f.peer)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range list {
			got = append(got, d.Values().Get("body"))
		}
		want := "an edit of my reply|a reply|a new topic"
		if strings.Join(got, "|") != want {
			t.Fatalf("drafts listed %q, want %q", strings.Join(got, "|"), want)
		}
		edit := list[0].Where
		if edit.TopicTitle != topic.Title || edit.PostID != reply.ID || edit.PostNumber != 2 || edit.BoardSlug != "cardiology" {
			t.Fatalf("where the edit belongs: %+v", edit)
		}
		// A deleted post takes the draft of its edit off the list.
		if err := store.DeletePost(ctx, reply.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if list, err = store.Drafts(ctx, f.peer); err != nil || len(list) != 2 {
			t.Fatalf("drafts after the post was deleted: %d, %v", len(list), err)
		}
		// Another member's list holds none of these.
		if list, err := store.Drafts(ctx, f.author); err != nil || len(list) != 0 {
			t.Fatalf("another member's drafts: %v, %v", list, err)
		}
	})
}

func TestSweepDeletesDraftsAfterThirtyDays(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		clock := testenv.NewClock()
		store.SetClock(clock.Now)
		if _, err := store.SaveDraft(ctx, f.peer.ID, models.NewTopicDraft(f.board.ID), url.Values{"body": {"old"}}); err != nil {
			t.Fatal(err)
		}
		clock.Add(20 * 24 * time.Hour)
		if _, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(1), url.Values{"body": {"newer"}}); err != nil {
			t.Fatal(err)
		}
		clock.Add(11 * 24 * time.Hour)
		n, err := store.DeleteDraftsBefore(ctx, store.Now().AddDate(0, 0, -models.DraftDays))
		if err != nil || n != 1 {
			t.Fatalf("swept %d drafts, %v; want 1", n, err)
		}
		if _, err := store.DraftAt(ctx, f.peer.ID, models.ReplyDraft(1)); err != nil {
			t.Fatalf("the newer draft: %v", err)
		}
	})
}

// TestReplyDropsItsDraftInItsTransaction: a reply posted from the form
// takes its author's draft of a reply to that topic with it, and only that
// draft; a reply that leaves drafts (one by email) leaves it; a reply
// refused (a locked topic) deletes nothing.
func TestReplyDropsItsDraftInItsTransaction(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban dosing in dialysis")
		other := f.topic(t, "Rate or rhythm control")
		save := func(userID int64, place models.DraftPlace) {
			t.Helper()
			if _, err := store.SaveDraft(ctx, userID, place, url.Values{"body": {"a thought"}}); err != nil {
				t.Fatal(err)
			}
		}
		kept := func(userID int64, place models.DraftPlace) bool {
			t.Helper()
			_, err := store.DraftAt(ctx, userID, place)
			if err != nil && !models.IsNotFound(err) {
				t.Fatal(err)
			}
			return err == nil
		}
		reply := func(dropDraft bool) error {
			_, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, DropDraft: dropDraft,
				PostContent: models.PostContent{Source: "Half dose.", Cooked: "<p>Half dose.</p>", Plain: "Half dose."}})
			return err
		}
		save(f.peer.ID, models.ReplyDraft(topic.ID))
		save(f.peer.ID, models.ReplyDraft(other.ID))
		save(f.author.ID, models.ReplyDraft(topic.ID))

		if err := reply(false); err != nil {
			t.Fatal(err)
		}
		if !kept(f.peer.ID, models.ReplyDraft(topic.ID)) {
			t.Error("a reply that leaves drafts deleted its author's draft")
		}
		if err := store.LockTopic(ctx, topic.ID, f.author.ID, true, "closed"); err != nil {
			t.Fatal(err)
		}
		if err := reply(true); !errors.Is(err, models.ErrLocked) {
			t.Fatalf("a reply to a locked topic: %v, want ErrLocked", err)
		}
		if !kept(f.peer.ID, models.ReplyDraft(topic.ID)) {
			t.Error("a refused reply deleted its author's draft")
		}
		if err := store.LockTopic(ctx, topic.ID, f.author.ID, false, "open again"); err != nil {
			t.Fatal(err)
		}
		if err := reply(true); err != nil {
			t.Fatal(err)
		}
		if kept(f.peer.ID, models.ReplyDraft(topic.ID)) {
			t.Error("the posted reply's draft is still kept")
		}
		if !kept(f.peer.ID, models.ReplyDraft(other.ID)) || !kept(f.author.ID, models.ReplyDraft(topic.ID)) {
			t.Error("a reply deleted a draft of another topic or of another member")
		}
	})
}
