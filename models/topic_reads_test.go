package models_test

import (
	"context"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func readingTitles(t *testing.T, store *models.Store, list string, viewer *models.User) map[string]models.ReadingTopic {
	t.Helper()
	topics, _, err := store.ReadingList(context.Background(), list, models.TopicPage{Limit: 50, Viewer: viewer})
	if err != nil {
		t.Fatalf("%s list: %v", list, err)
	}
	got := map[string]models.ReadingTopic{}
	for _, topic := range topics {
		got[topic.Title] = topic
	}
	return got
}

func (f fixture) reply(t *testing.T, topic *models.Topic, author *models.User, anonymous bool) *models.Post {
	t.Helper()
	p, err := f.store.CreateReply(context.Background(), models.NewReply{TopicID: topic.ID, AuthorID: author.ID, Anonymous: anonymous,
		PostContent: models.PostContent{Source: "A reply.", Cooked: "<p>A reply.</p>", Plain: "A reply."}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadPositionsOnlyMoveForward(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban dosing in dialysis")
		for range 4 {
			f.reply(t, topic, f.author, false)
		}
		at := store.Now()
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{
			{UserID: f.peer.ID, TopicID: topic.ID, Number: 3, At: at},
			// A topic purged since it was read is dropped, not an error.
			{UserID: f.peer.ID, TopicID: topic.ID + 1000, Number: 1, At: at},
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := store.LastRead(ctx, f.peer.ID, topic.ID); err != nil || n != 3 {
			t.Fatalf("last read %d, %v; want 3", n, err)
		}
		// A position behind the stored one changes nothing; one ahead moves it.
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{{UserID: f.peer.ID, TopicID: topic.ID, Number: 2, At: at}}); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, f.peer.ID, topic.ID); n != 3 {
			t.Fatalf("last read %d after an older position, want 3", n)
		}
		// The same topic twice in one batch: the furthest wins.
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{
			{UserID: f.peer.ID, TopicID: topic.ID, Number: 5, At: at},
			{UserID: f.peer.ID, TopicID: topic.ID, Number: 4, At: at},
		}); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.LastRead(ctx, f.peer.ID, topic.ID); n != 5 {
			t.Fatalf("last read %d, want 5", n)
		}
		// Writing a post moves its author's own position to it.
		if n, _ := store.LastRead(ctx, f.author.ID, topic.ID); n != 5 {
			t.Fatalf("the author's position %d, want 5 (their last reply)", n)
		}
		stranger := modelstest.Verified("reyes", "Dr. Ana Reyes").Make(t, store)
		if n, _ := store.LastRead(ctx, stranger.ID, topic.ID); n != 0 {
			t.Fatalf("the position of a member who never opened it: %d, want 0", n)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM topic_reads`); n != 2 {
			t.Fatalf("%d reading positions, want 2", n)
		}
	})
}

func TestReadingListsLatestNewUnread(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		read := f.topic(t, "Read to the end")
		partly := f.topic(t, "Read partly")
		fresh := f.topic(t, "Never opened")
		for range 3 {
			f.reply(t, partly, f.author, false)
		}
		at := store.Now()
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{
			{UserID: f.peer.ID, TopicID: read.ID, Number: 1, At: at},
			{UserID: f.peer.ID, TopicID: partly.ID, Number: 2, At: at},
		}); err != nil {
			t.Fatal(err)
		}
		latest := readingTitles(t, store, models.ListLatest, f.peer)
		if len(latest) != 3 || !latest[fresh.Title].New || latest[read.Title].New || latest[partly.Title].Unread() != 2 {
			t.Fatalf("latest: %+v", latest)
		}
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 1 || !got[fresh.Title].New {
			t.Fatalf("new: %+v", got)
		}
		unread := readingTitles(t, store, models.ListUnread, f.peer)
		if len(unread) != 1 || unread[partly.Title].Unread() != 2 || unread[partly.Title].LastRead != 2 {
			t.Fatalf("unread: %+v", unread)
		}
		// The author's own topics are not new to them.
		if got := readingTitles(t, store, models.ListNew, f.author); len(got) != 0 {
			t.Fatalf("new to the author: %+v", got)
		}
		// A reply after the member read to the end makes the topic unread.
		f.reply(t, read, f.author, false)
		if got := readingTitles(t, store, models.ListUnread, f.peer); len(got) != 2 || got[read.Title].Unread() != 1 {
			t.Fatalf("unread after a reply: %+v", got)
		}

		// Marking the board read empties both lists, and leaves other
		// boards' topics as they were.
		other := modelstest.OpenBoard("nephrology", "Nephrology").Make(t, store)
		elsewhere, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: other.ID, AuthorID: f.author.ID, Title: "On another board",
			PostContent: models.PostContent{Source: "z", Cooked: "<p>z</p>", Plain: "z"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.MarkBoardRead(ctx, f.peer.ID, f.board.ID); err != nil {
			t.Fatal(err)
		}
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 1 || !got[elsewhere.Title].New {
			t.Fatalf("new after marking another board read: %+v", got)
		}
		if err := store.MarkBoardRead(ctx, f.peer.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		if got := readingTitles(t, store, models.ListUnread, f.peer); len(got) != 0 {
			t.Fatalf("unread after marking the board read: %+v", got)
		}
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 0 {
			t.Fatalf("new after marking the board read: %+v", got)
		}
		if n, _ := store.LastRead(ctx, f.peer.ID, partly.ID); n != 4 {
			t.Fatalf("last read %d after marking the board read, want 4", n)
		}

		// Marking everything read covers topics opened and topics new.
		f.reply(t, partly, f.author, false)
		store.SetClock(func() time.Time { return at.Add(time.Hour) })
		another := f.topic(t, "Opened after the mark")
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 1 {
			t.Fatalf("new before marking all read: %+v", got)
		}
		store.SetClock(func() time.Time { return at.Add(2 * time.Hour) })
		if err := store.MarkAllRead(ctx, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if got := readingTitles(t, store, models.ListUnread, f.peer); len(got) != 0 {
			t.Fatalf("unread after marking all read: %+v", got)
		}
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 0 {
			t.Fatalf("new after marking all read: %+v", got)
		}
		// A chosen date brings back topics created since.
		if err := store.SetNewSince(ctx, f.peer.ID, at.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := readingTitles(t, store, models.ListNew, f.peer); len(got) != 1 || !got[another.Title].New {
			t.Fatalf("new since a chosen date: %+v", got)
		}
	})
}

func TestReadingListsKeepToWhatTheMemberMayRead(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("mod", "Dr. Mod").Moderator().Make(t, store)
		closed := f.closedBoard(t, "nursing", "Nursing", &models.Group{Name: "Nursing", AutoProfession: "nurse"})
		restricted, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closed.ID, AuthorID: f.author.ID, Title: "Nurses only",
			PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>", Plain: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		hidden := f.topic(t, "Hidden by the moderators")
		if err := store.HidePost(ctx, openingPost(t, store, hidden.ID), mod.ID, "Identifies a patient"); err != nil {
			t.Fatal(err)
		}
		anonymous, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID, Title: "Asked anonymously",
			Anonymous: true, PostContent: models.PostContent{Source: "y", Cooked: "<p>y</p>", Plain: "y"}})
		if err != nil {
			t.Fatal(err)
		}
		// The member had read both before: a reply makes them unread.
		at := store.Now()
		if err := store.RecordReadPositions(ctx, []models.ReadPosition{
			{UserID: f.peer.ID, TopicID: restricted.ID, Number: 1, At: at},
			{UserID: f.peer.ID, TopicID: hidden.ID, Number: 1, At: at},
			{UserID: mod.ID, TopicID: hidden.ID, Number: 1, At: at},
		}); err != nil {
			t.Fatal(err)
		}
		f.reply(t, restricted, f.author, false)
		f.reply(t, hidden, f.author, false)

		for _, list := range []string{models.ListLatest, models.ListNew, models.ListUnread} {
			got := readingTitles(t, store, list, f.peer)
			if _, ok := got[restricted.Title]; ok {
				t.Errorf("%s lists a topic on a board the member may not read", list)
			}
			if _, ok := got[hidden.Title]; ok {
				t.Errorf("%s shows a member a topic whose opening post is hidden", list)
			}
			if a, ok := got[anonymous.Title]; ok && (a.AuthorName != "" || a.AuthorUsername != "" || a.AuthorSpecialty != "" || !a.Anonymous) {
				t.Errorf("%s names an anonymous author: %+v", list, a)
			}
		}
		if got := readingTitles(t, store, models.ListLatest, f.peer); len(got) != 1 {
			t.Errorf("latest for the member: %d topics, want the anonymous one only", len(got))
		}
		// Moderators read every board, hidden topics included.
		if got := readingTitles(t, store, models.ListUnread, mod); len(got) != 1 || got[hidden.Title].Unread() != 1 {
			t.Errorf("unread for a moderator: %+v", got)
		}
		if got := readingTitles(t, store, models.ListLatest, mod); len(got) != 3 {
			t.Errorf("latest for a moderator: %d topics, want 3", len(got))
		}
	})
}
