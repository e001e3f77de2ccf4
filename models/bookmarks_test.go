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

func TestBookmarksKeepNoteAndReminderPerPost(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban dosing in dialysis")
		post := openingPost(t, store, topic.ID)
		at := store.Now().Add(24 * time.Hour).UTC().Truncate(time.Minute)

		if _, err := store.SaveBookmark(ctx, f.peer.ID, post, "  check the dose table  ", &at); err != nil {
			t.Fatal(err)
		}
		b, err := store.BookmarkOn(ctx, f.peer.ID, post)
		if err != nil {
			t.Fatal(err)
		}
		if b.Note != "check the dose table" || b.RemindAt == nil || !b.RemindAt.Equal(at) || !b.ReminderPending() {
			t.Fatalf("bookmark after saving: %+v", b)
		}
		// Saving again changes the one bookmark; a note too long is refused
		// and changes nothing.
		if _, err := store.SaveBookmark(ctx, f.peer.ID, post, "dose table", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := store.SaveBookmark(ctx, f.peer.ID, post, strings.Repeat("x", models.BookmarkNoteMax+1), nil); !errors.Is(err, models.ErrBookmarkNote) {
			t.Fatalf("a note of %d characters: err %v, want ErrBookmarkNote", models.BookmarkNoteMax+1, err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM bookmarks WHERE user_id = ?`, f.peer.ID); n != 1 {
			t.Fatalf("%d bookmarks, want 1", n)
		}
		if b, err = store.BookmarkOn(ctx, f.peer.ID, post); err != nil || b.Note != "dose table" || b.RemindAt != nil {
			t.Fatalf("bookmark after the second save: %+v, %v", b, err)
		}
		// Bookmarks are the member's own.
		if _, err := store.BookmarkOn(ctx, f.author.ID, post); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another member's bookmark: err %v, want ErrNotFound", err)
		}
		marked, err := store.BookmarkedAmong(ctx, f.peer.ID, []int64{post, post + 1000})
		if err != nil || !marked[post] || len(marked) != 1 {
			t.Fatalf("bookmarked among: %v, %v", marked, err)
		}
		if err := store.DeleteBookmark(ctx, f.peer.ID, post); err != nil {
			t.Fatal(err)
		}
		if _, err := store.BookmarkOn(ctx, f.peer.ID, post); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted bookmark: err %v", err)
		}
	})
}

func TestBookmarksListOnlyWhatTheMemberMayRead(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		open := openingPost(t, store, f.topic(t, "Open topic").ID)
		hidden := openingPost(t, store, f.topic(t, "Later hidden").ID)
		deleted := openingPost(t, store, f.topic(t, "Later deleted").ID)
		closedBoard := modelstest.OpenBoard("pharmacy", "Pharmacy").Make(t, store)
		closedTopic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closedBoard.ID, AuthorID: f.author.ID,
			Title: "Closed later", PostContent: models.PostContent{Source: "Closed later", Cooked: "<p>Closed later</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		closed := openingPost(t, store, closedTopic.ID)
		for _, id := range []int64{open, hidden, deleted, closed} {
			if _, err := store.SaveBookmark(ctx, f.peer.ID, id, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		moderator := &models.User{Username: "mod", DisplayName: "Mo Derator", Status: models.StatusVerified, Role: models.RoleModerator}
		if err := store.CreateUser(ctx, moderator); err != nil {
			t.Fatal(err)
		}
		if err := store.HidePost(ctx, hidden, moderator.ID, "Identifies a patient"); err != nil {
			t.Fatal(err)
		}
		if err := store.DeletePost(ctx, deleted, f.author.ID); err != nil {
			t.Fatal(err)
		}
		// The pharmacy board becomes readable by a group the peer is not in.
		group := &models.Group{Name: "Pharmacists", AutoProfession: "pharmacist"}
		if err := store.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		if err := store.SetBoardGroups(ctx, closedBoard.ID, []int64{group.ID}, []int64{group.ID}); err != nil {
			t.Fatal(err)
		}

		items, more, err := store.Bookmarks(ctx, f.peer, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		// A topic whose opening post is hidden is withheld whole from
		// members, so only the open and the deleted post are listed; the
		// deleted one without its text.
		got := map[int64]models.BookmarkView{}
		for _, it := range items {
			got[it.PostID] = it
		}
		if more || len(items) != 2 {
			t.Fatalf("listed %d bookmarks (more %v), want 2: %+v", len(items), more, items)
		}
		if it := got[open]; it.Gone || !strings.Contains(it.Cooked, "Open topic") || it.TopicTitle != "Open topic" || it.Author() != "Dr. Amara Okafor" {
			t.Fatalf("the open post's bookmark: %+v", it)
		}
		if it, ok := got[deleted]; !ok || !it.Gone || it.Cooked != "" {
			t.Fatalf("the deleted post's bookmark: %+v", it)
		}
		if _, ok := got[closed]; ok {
			t.Fatal("a bookmark in a board the member can no longer read is listed")
		}
		// Paging.
		if items, more, err = store.Bookmarks(ctx, f.peer, 0, 1); err != nil || len(items) != 1 || !more {
			t.Fatalf("first page of one: %d items, more %v, %v", len(items), more, err)
		}
	})
}

func TestRemindersArriveOnceAndOnlyWhereTheMemberReads(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		post := openingPost(t, store, f.topic(t, "Follow up the troponin").ID)
		hidden := openingPost(t, store, f.topic(t, "Later hidden").ID)
		now := store.Now()
		at := now.Add(2 * time.Hour)
		for _, id := range []int64{post, hidden} {
			if _, err := store.SaveBookmark(ctx, f.peer.ID, id, "", &at); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.HidePost(ctx, hidden, f.author.ID, "Off topic"); err != nil {
			t.Fatal(err)
		}
		reminders := func() int64 {
			return count(t, store, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?`, f.peer.ID, models.NotifyReminder)
		}

		if sent, err := store.SendDueReminders(ctx, at.Add(-time.Minute), 100); err != nil || sent != 0 {
			t.Fatalf("a minute early: sent %d, %v", sent, err)
		}
		if sent, err := store.SendDueReminders(ctx, at, 100); err != nil || sent != 1 {
			t.Fatalf("on time: sent %d, %v; want 1 (the hidden post's reminder is dropped)", sent, err)
		}
		if sent, err := store.SendDueReminders(ctx, at.Add(time.Hour), 100); err != nil || sent != 0 || reminders() != 1 {
			t.Fatalf("again: sent %d, %v, %d reminders; a reminder is sent once", sent, err, reminders())
		}
		items, err := store.Notifications(ctx, f.peer, 10)
		if err != nil || len(items) != 1 || items[0].Kind != models.NotifyReminder || items[0].PostID != post || items[0].TopicTitle != "Follow up the troponin" {
			t.Fatalf("the reminder as listed: %+v, %v", items, err)
		}
		// A new time sends a new reminder.
		later := at.Add(24 * time.Hour)
		if _, err := store.SaveBookmark(ctx, f.peer.ID, post, "", &later); err != nil {
			t.Fatal(err)
		}
		if sent, err := store.SendDueReminders(ctx, later, 100); err != nil || sent != 1 || reminders() != 2 {
			t.Fatalf("the new time: sent %d, %v", sent, err)
		}
	})
}
