package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestMigrateFromEmptyAndAgain(t *testing.T) {
	for _, e := range modelstest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			ctx := context.Background()
			store := modelstest.Open(t, e)
			applied, err := store.Migrate(ctx)
			if err != nil {
				t.Fatalf("first migrate: %v", err)
			}
			if len(applied) != models.SchemaVersion() {
				t.Fatalf("first migrate applied %v, want every step up to %d", applied, models.SchemaVersion())
			}
			again, err := store.Migrate(ctx)
			if err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			if len(again) != 0 {
				t.Fatalf("second migrate applied %v, want nothing", again)
			}
			v, err := store.CurrentSchemaVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v != models.SchemaVersion() {
				t.Fatalf("schema version %d, want %d", v, models.SchemaVersion())
			}
			// A second process opening the same database sees it up to date.
			other := modelstest.Open(t, e)
			if again, err := other.Migrate(ctx); err != nil || len(again) != 0 {
				t.Fatalf("migrate from a second connection: applied %v, err %v", again, err)
			}
		})
	}
}

type fixture struct {
	store  *models.Store
	author *models.User
	peer   *models.User
	board  *models.Board
}

func newFixture(t *testing.T, store *models.Store) fixture {
	t.Helper()
	return fixture{store: store,
		author: modelstest.Verified("okafor", "Dr. Amara Okafor").Specialty("Cardiology").Make(t, store),
		peer:   modelstest.Verified("weber", "Jonas Weber, RN").Specialty("Critical Care Nursing").Make(t, store),
		board:  modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store),
	}
}

func (f fixture) topic(t *testing.T, title string, tags ...string) *models.Topic {
	t.Helper()
	topic, _, err := f.store.CreateTopic(context.Background(), models.NewTopic{
		BoardID: f.board.ID, AuthorID: f.author.ID, Title: title, Tags: tags,
		PostContent: models.PostContent{Source: "Opening post of " + title, Cooked: "<p>Opening post of " + title + "</p>", Plain: "Opening post of " + title},
	})
	if err != nil {
		t.Fatal(err)
	}
	return topic
}

// closedBoard makes a board that only group's members (and moderators)
// may read, saving the group first.
func (f fixture) closedBoard(t *testing.T, slug, title string, group *models.Group) *models.Board {
	t.Helper()
	if err := f.store.SaveGroup(context.Background(), group); err != nil {
		t.Fatal(err)
	}
	return modelstest.OpenBoard(slug, title).ReadBy(group).Make(t, f.store)
}

func TestTopicsRepliesAndRevisions(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Refractory VT in a young athlete", "arrhythmia", "sports")

		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "Consider ablation.", Cooked: "<p>Consider ablation.</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if reply.Number != 2 {
			t.Fatalf("reply number %d, want 2", reply.Number)
		}

		got, err := store.TopicByID(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PostCount != 2 || got.BoardSlug != "cardiology" || fmt.Sprint(got.Tags) != "[arrhythmia sports]" {
			t.Fatalf("topic after reply: %+v", got)
		}
		board, err := store.BoardBySlug(ctx, "cardiology")
		if err != nil {
			t.Fatal(err)
		}
		if board.TopicCount != 1 || board.PostCount != 2 || board.LastPostAt == nil {
			t.Fatalf("board counters: %+v", board)
		}

		// An edit from the current version is kept as revision 2.
		edited, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "Consider ablation first.", Cooked: "<p>Consider ablation first.</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if edited.Version != 2 || edited.Source != "Consider ablation first." {
			t.Fatalf("edited post: %+v", edited)
		}
		// An edit from a stale version is refused, not silently applied.
		_, err = store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "stale", Cooked: "<p>stale</p>"}})
		if !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale edit: err %v, want ErrConflict", err)
		}
		revs, err := store.PostRevisions(ctx, reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Version != 2 || revs[1].Source != "Consider ablation." || revs[0].EditorName != "Jonas Weber, RN" {
			t.Fatalf("revisions: %+v", revs)
		}

		// Editing the opening post may retitle and retag the topic.
		title, tags := "Refractory VT: ablation or ICD first?", []string{"ablation"}
		opening, err := store.PostsInTopic(ctx, topic.ID, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: opening[0].ID, EditorID: f.author.ID, BaseVersion: 1,
			Title: &title, Tags: &tags, PostContent: models.PostContent{Source: "new", Cooked: "<p>new</p>"}}); err != nil {
			t.Fatal(err)
		}
		got, err = store.TopicByID(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != title || got.Slug != "refractory-vt-ablation-or-icd-first" || fmt.Sprint(got.Tags) != "[ablation]" {
			t.Fatalf("retitled topic: %+v", got)
		}

		// A deleted post stays as a tombstone with its content withheld.
		if err := store.DeletePost(ctx, reply.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 2 || !posts[1].IsDeleted() || posts[1].Cooked != "" || posts[0].AuthorName != "Dr. Amara Okafor" {
			t.Fatalf("posts after delete: %+v", posts)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 2, PostContent: models.PostContent{Source: "x", Cooked: "x"}}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("editing a deleted post: err %v, want ErrNotFound", err)
		}
		if revs, err := store.PostRevisions(ctx, reply.ID); err != nil || len(revs) != 2 {
			t.Fatalf("revisions kept after delete: %d, %v", len(revs), err)
		}
	})
}

func TestNotFoundIsAnError(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := store.TopicByID(ctx, 999); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("TopicByID: %v", err)
		}
		if _, err := store.BoardBySlug(ctx, "nope"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("BoardBySlug: %v", err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: 999, AuthorID: 1, PostContent: models.PostContent{Source: "x", Cooked: "x"}}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("CreateReply: %v", err)
		}
	})
}

func TestConcurrentRepliesGetDenseNumbers(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Heparin nomogram in obesity")
		const writers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					_, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
						PostContent: models.PostContent{Source: fmt.Sprintf("reply %d/%d", w, i), Cooked: "<p>reply</p>"}})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != writers*each+1 {
			t.Fatalf("%d posts, want %d", len(posts), writers*each+1)
		}
		for i, p := range posts {
			if p.Number != i+1 {
				t.Fatalf("post %d has number %d", i, p.Number)
			}
		}
	})
}

func TestLockedTopicRefusesReplies(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Board rules — read before posting")
		if err := store.DB().Exec(`UPDATE topics SET locked = ? WHERE id = ?`, true, topic.ID).Error; err != nil {
			t.Fatal(err)
		}
		_, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "x", Cooked: "x"}})
		if !errors.Is(err, models.ErrLocked) {
			t.Fatalf("reply to locked topic: %v, want ErrLocked", err)
		}
	})
}

func TestBoardPagingWalksEveryTopicOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		// Imported topics share bump times in pairs, so the id breaks ties.
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var topics []models.ImportTopic
		for i := range 23 {
			at := base.Add(time.Duration(i/2) * time.Hour)
			topics = append(topics, models.ImportTopic{BoardID: f.board.ID, Title: fmt.Sprintf("Topic number %d", i),
				Pinned: i == 5, Tags: []string{"ecg"},
				Posts: []models.ImportPost{{AuthorID: f.author.ID, Source: "s", Cooked: "c", At: at}}})
		}
		if err := store.ImportTopics(ctx, topics); err != nil {
			t.Fatal(err)
		}
		pinned, err := store.PinnedTopics(ctx, nil, f.board.ID)
		if err != nil || len(pinned) != 1 || pinned[0].Title != "Topic number 5" {
			t.Fatalf("pinned: %+v, %v", pinned, err)
		}
		var seen []int64
		var pages [][]models.TopicSummary
		page := models.TopicPage{Limit: 5}
		for {
			topics, more, err := store.TopicsInBoard(ctx, f.board.ID, page)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, topics)
			for _, tp := range topics {
				seen = append(seen, tp.ID)
			}
			if !more {
				break
			}
			last := topics[len(topics)-1]
			page.After = &models.TopicCursor{BumpedAt: last.BumpedAt, ID: last.ID}
		}
		if len(seen) != 22 {
			t.Fatalf("walked %d unpinned topics, want 22: %v", len(seen), seen)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Fatalf("topics out of activity order: %v", seen)
			}
		}
		// Paging back from the second page gives the first page again.
		second := pages[1]
		back, more, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 5,
			Before: &models.TopicCursor{BumpedAt: second[0].BumpedAt, ID: second[0].ID}})
		if err != nil {
			t.Fatal(err)
		}
		if more || fmt.Sprint(ids(back)) != fmt.Sprint(ids(pages[0])) {
			t.Fatalf("page before second = %v (more %v), want %v", ids(back), more, ids(pages[0]))
		}
		tagged, more, err := store.TopicsWithTag(ctx, nil, "ecg", 0, 30)
		if err != nil || more || len(tagged) != 23 {
			t.Fatalf("tagged: %d more=%v err=%v", len(tagged), more, err)
		}
		board, err := store.BoardBySlug(ctx, "cardiology")
		if err != nil || board.TopicCount != 23 || board.PostCount != 23 {
			t.Fatalf("board after import: %+v %v", board, err)
		}
		// New writes after an import get fresh ids on both engines.
		if _, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID, Title: "After import", PostContent: models.PostContent{Source: "s", Cooked: "c"}}); err != nil {
			t.Fatalf("create after import: %v", err)
		}
	})
}

func ids(ts []models.TopicSummary) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestTopicCursorRoundTrip(t *testing.T) {
	c := models.TopicCursor{BumpedAt: time.Date(2026, 3, 4, 5, 6, 7, 891000, time.UTC), ID: 42}
	got, err := models.ParseTopicCursor(c.String())
	if err != nil || !got.BumpedAt.Equal(c.BumpedAt) || got.ID != 42 {
		t.Fatalf("round trip %v -> %q -> %v, %v", c, c.String(), got, err)
	}
	for _, bad := range []string{"", "12", "x.1", "1.x", "1.-3"} {
		if _, err := models.ParseTopicCursor(bad); err == nil {
			t.Errorf("ParseTopicCursor(%q) accepted", bad)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Refractory VT in a 24-year-old athlete — ablation or ICD first?": "refractory-vt-in-a-24-year-old-athlete-ablation-or-icd-first",
		"  ¿Qué?  ": "qu",
		"***":       "",
	} {
		if got := models.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadsInsideATransactionSeeItsWrites(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		err := store.InTransaction(ctx, func(tx *models.Store) error {
			topic, _, err := tx.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
				Title: "Inside a transaction", Tags: []string{"b", "a"}, PostContent: models.PostContent{Source: "s", Cooked: "c"}})
			if err != nil {
				return err
			}
			got, err := tx.TopicByID(ctx, topic.ID)
			if err != nil {
				return err
			}
			posts, err := tx.PostsInTopic(ctx, topic.ID, 1, 20)
			if err != nil {
				return err
			}
			if got.Title != "Inside a transaction" || fmt.Sprint(got.Tags) != "[a b]" || len(posts) != 1 {
				t.Errorf("inside the transaction: %+v, %d posts", got, len(posts))
			}
			return errors.New("roll back")
		})
		if err == nil || err.Error() != "roll back" {
			t.Fatalf("InTransaction returned %v", err)
		}
		topics, _, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 10})
		if err != nil || len(topics) != 0 {
			t.Fatalf("rolled-back topic is visible: %d topics, %v", len(topics), err)
		}
	})
}

func TestSessionsEndAndAreSwept(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		now := store.Now()
		for _, s := range []models.Session{
			{ID: "live", UserID: f.author.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)},
			{ID: "expired", UserID: f.author.ID, CreatedAt: now.Add(-48 * time.Hour), LastSeenAt: now, ExpiresAt: now.Add(-time.Hour)},
			{ID: "idle", UserID: f.peer.ID, CreatedAt: now.Add(-48 * time.Hour), LastSeenAt: now.Add(-25 * time.Hour), ExpiresAt: now.Add(time.Hour)},
		} {
			if err := store.CreateSession(ctx, &s); err != nil {
				t.Fatal(err)
			}
		}
		if _, u, err := store.SessionMember(ctx, "live", now); err != nil || u.Username != "okafor" {
			t.Fatalf("live session: %v %v", u, err)
		}
		if _, _, err := store.SessionMember(ctx, "expired", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("expired session: %v", err)
		}
		n, err := store.DeleteExpiredSessions(ctx, now, 24*time.Hour)
		if err != nil || n != 2 {
			t.Fatalf("swept %d sessions, %v; want 2", n, err)
		}
		if _, _, err := store.SessionMember(ctx, "live", now); err != nil {
			t.Fatalf("the live session was swept: %v", err)
		}
	})
}

func TestBoardPagingWithLiveTimestamps(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		for i := range 7 {
			f.topic(t, fmt.Sprintf("Live topic number %d", i))
		}
		first, more, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 3})
		if err != nil || !more || len(first) != 3 {
			t.Fatalf("first page: %d topics, more %v, %v", len(first), more, err)
		}
		// Cursors travel through URLs as strings.
		cursor := func(ts models.TopicSummary) *models.TopicCursor {
			c, err := models.ParseTopicCursor(models.TopicCursor{BumpedAt: ts.BumpedAt, ID: ts.ID}.String())
			if err != nil {
				t.Fatal(err)
			}
			return &c
		}
		second, _, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 3, After: cursor(first[2])})
		if err != nil || len(second) != 3 || second[0].ID != first[2].ID-1 {
			t.Fatalf("second page %v after %v (%v)", ids(second), ids(first), err)
		}
		back, _, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 3, Before: cursor(second[0])})
		if err != nil || fmt.Sprint(ids(back)) != fmt.Sprint(ids(first)) {
			t.Fatalf("back from the second page: %v, want %v (%v)", ids(back), ids(first), err)
		}
	})
}

func TestChangingARoleEndsSessions(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		now := store.Now()
		if err := store.CreateSession(ctx, &models.Session{ID: "s", UserID: f.author.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := store.SetRole(ctx, f.author.ID, models.RoleModerator); err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.SessionMember(ctx, "s", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the session outlived the role change: %v", err)
		}
		if err := store.SetRole(ctx, f.author.ID, "overlord"); err == nil {
			t.Fatal("an unknown role was accepted")
		}
	})
}
