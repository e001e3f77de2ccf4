package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// auditTrail lists a topic's audit events as action:reason, checking that
// the moderator did each.
func auditTrail(t *testing.T, store *models.Store, topicID, moderatorID int64) []string {
	t.Helper()
	events, err := store.AuditEventsFor(context.Background(), "topic", topicID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		if e.ActorID == nil || *e.ActorID != moderatorID {
			t.Fatalf("event %s by %v, want moderator %d", e.Action, e.ActorID, moderatorID)
		}
		if e.SubjectType != "topic" || e.SubjectID != topicID {
			t.Fatalf("event %s about %s %d, want topic %d", e.Action, e.SubjectType, e.SubjectID, topicID)
		}
		got = append(got, e.Action+":"+e.Reason)
	}
	return got
}

func TestTopicModerationLocksAndPinsOnceEach(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Amiodarone loading in the elderly")
		other := f.topic(t, "Left alone")
		mod := f.peer.ID

		steps := []struct {
			name   string
			act    func() error
			locked bool
			pinned bool
			trail  string
		}{
			{"lock", func() error { return store.LockTopic(ctx, topic.ID, mod, true, "Going in circles") }, true, false,
				"[topic.lock:Going in circles]"},
			{"lock again", func() error { return store.LockTopic(ctx, topic.ID, mod, true, "Twice") }, true, false,
				"[topic.lock:Going in circles]"},
			{"pin", func() error { return store.PinTopic(ctx, topic.ID, mod, true) }, true, true,
				"[topic.lock:Going in circles topic.pin:]"},
			{"pin again", func() error { return store.PinTopic(ctx, topic.ID, mod, true) }, true, true,
				"[topic.lock:Going in circles topic.pin:]"},
			{"unlock", func() error { return store.LockTopic(ctx, topic.ID, mod, false, "Calmer now") }, false, true,
				"[topic.lock:Going in circles topic.pin: topic.unlock:Calmer now]"},
			{"unlock again", func() error { return store.LockTopic(ctx, topic.ID, mod, false, "") }, false, true,
				"[topic.lock:Going in circles topic.pin: topic.unlock:Calmer now]"},
			{"unpin", func() error { return store.PinTopic(ctx, topic.ID, mod, false) }, false, false,
				"[topic.lock:Going in circles topic.pin: topic.unlock:Calmer now topic.unpin:]"},
			{"unpin again", func() error { return store.PinTopic(ctx, topic.ID, mod, false) }, false, false,
				"[topic.lock:Going in circles topic.pin: topic.unlock:Calmer now topic.unpin:]"},
		}
		mark := lastOutbox(t, store)
		for _, step := range steps {
			if err := step.act(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			got, err := store.TopicByID(ctx, topic.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Locked != step.locked || got.Pinned != step.pinned {
				t.Fatalf("after %s: locked %v pinned %v, want %v %v", step.name, got.Locked, got.Pinned, step.locked, step.pinned)
			}
			if trail := fmt.Sprint(auditTrail(t, store, topic.ID, mod)); trail != step.trail {
				t.Fatalf("after %s: audit trail %s, want %s", step.name, trail, step.trail)
			}
		}
		if got := outboxSince(t, store, mark); len(got) != 0 {
			t.Fatalf("locking and pinning queued search updates %v", got)
		}
		if got := auditTrail(t, store, other.ID, mod); len(got) != 0 {
			t.Fatalf("the other topic has audit events %v", got)
		}
		untouched, err := store.TopicByID(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if untouched.Locked || untouched.Pinned {
			t.Fatalf("the other topic changed: %+v", untouched.Topic)
		}

		// A missing topic is not found, and nothing is recorded.
		if err := store.LockTopic(ctx, 99999, mod, true, "x"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("lock a missing topic: %v", err)
		}
		if err := store.PinTopic(ctx, 99999, mod, true); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("pin a missing topic: %v", err)
		}
		if got := auditTrail(t, store, 99999, mod); len(got) != 0 {
			t.Fatalf("a missing topic has audit events %v", got)
		}
	})
}

func TestTopicModerationLockedTopicRefusesReplies(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Locked for everyone")
		if err := store.LockTopic(ctx, topic.ID, f.peer.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		_, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}})
		if !errors.Is(err, models.ErrLocked) {
			t.Fatalf("reply to a locked topic: %v, want ErrLocked", err)
		}
		if err := store.LockTopic(ctx, topic.ID, f.peer.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}}); err != nil {
			t.Fatalf("reply to an unlocked topic: %v", err)
		}
	})
}

func TestTopicModerationMoveCarriesCountersAndSearch(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := f.peer.ID
		nursing := modelstest.OpenBoard("nursing", "Nursing").Make(t, store)
		archive := modelstest.OpenBoard("archive", "Archive").Archived().Make(t, store)
		moving := f.topic(t, "Pressure injury prevention bundles", "wounds")
		for _, body := range []string{"Two-hourly turns.", "Silicone dressings."} {
			if _, err := store.CreateReply(ctx, models.NewReply{TopicID: moving.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}}); err != nil {
				t.Fatal(err)
			}
		}
		staying := f.topic(t, "Stays on cardiology")

		counts := func(slug string) string {
			t.Helper()
			b, err := store.BoardBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%d topics, %d posts", b.TopicCount, b.PostCount)
		}
		if got := counts("cardiology"); got != "2 topics, 4 posts" {
			t.Fatalf("cardiology before the move: %s", got)
		}

		// Refusals change nothing and record nothing.
		mark := lastOutbox(t, store)
		refusals := []struct {
			name string
			to   int64
			want error
		}{
			{"the same board", f.board.ID, models.ErrSameBoard},
			{"an archived board", archive.ID, models.ErrBoardArchived},
			{"a board that does not exist", 99999, models.ErrNotFound},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				if err := store.MoveTopic(ctx, moving.ID, r.to, mod, "tidy"); !errors.Is(err, r.want) {
					t.Fatalf("move to %s: %v, want %v", r.name, err, r.want)
				}
			})
		}
		if err := store.MoveTopic(ctx, 99999, nursing.ID, mod, "tidy"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("move a missing topic: %v", err)
		}
		if got := outboxSince(t, store, mark); len(got) != 0 {
			t.Fatalf("refused moves queued %v", got)
		}
		if got := auditTrail(t, store, moving.ID, mod); len(got) != 0 {
			t.Fatalf("refused moves recorded %v", got)
		}
		for slug, want := range map[string]string{"cardiology": "2 topics, 4 posts", "nursing": "0 topics, 0 posts", "archive": "0 topics, 0 posts"} {
			if got := counts(slug); got != want {
				t.Fatalf("%s after refused moves: %s, want %s", slug, got, want)
			}
		}
		before, err := store.TopicByID(ctx, moving.ID)
		if err != nil {
			t.Fatal(err)
		}
		if before.BoardSlug != "cardiology" {
			t.Fatalf("a refused move moved the topic to %s", before.BoardSlug)
		}

		// The move itself.
		if err := store.MoveTopic(ctx, moving.ID, nursing.ID, mod, "Nursing practice question"); err != nil {
			t.Fatal(err)
		}
		after, err := store.TopicByID(ctx, moving.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.BoardID != nursing.ID || after.BoardSlug != "nursing" {
			t.Fatalf("moved topic is on board %d (%s), want nursing", after.BoardID, after.BoardSlug)
		}
		if !after.UpdatedAt.After(before.UpdatedAt) {
			t.Fatalf("updated_at %v did not move on from %v", after.UpdatedAt, before.UpdatedAt)
		}
		for slug, want := range map[string]string{"cardiology": "1 topics, 1 posts", "nursing": "1 topics, 3 posts", "archive": "0 topics, 0 posts"} {
			if got := counts(slug); got != want {
				t.Fatalf("%s after the move: %s, want %s", slug, got, want)
			}
		}
		nb, err := store.BoardBySlug(ctx, "nursing")
		if err != nil {
			t.Fatal(err)
		}
		if nb.LastPostAt == nil {
			t.Fatal("the new board has no last post time")
		}
		if got, want := fmt.Sprint(outboxSince(t, store, mark)), fmt.Sprintf("[topic %d]", moving.ID); got != want {
			t.Fatalf("the move queued %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(auditTrail(t, store, moving.ID, mod)), "[topic.move:from cardiology to nursing: Nursing practice question]"; got != want {
			t.Fatalf("audit trail %s, want %s", got, want)
		}
		pinned, err := store.PinnedTopics(ctx, nil, f.board.ID)
		if err != nil {
			t.Fatal(err)
		}
		listed, _, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(pinned) != 0 || len(listed) != 1 || listed[0].ID != staying.ID {
			t.Fatalf("cardiology lists %+v and pins %+v, want only %q", listed, pinned, staying.Title)
		}
		listed, _, err = store.TopicsInBoard(ctx, nursing.ID, models.TopicPage{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != 1 || listed[0].ID != moving.ID {
			t.Fatalf("nursing lists %+v, want the moved topic", listed)
		}

		// A reply after the move counts on the new board.
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: moving.ID, AuthorID: f.author.ID, PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}}); err != nil {
			t.Fatal(err)
		}
		if got := counts("nursing"); got != "1 topics, 4 posts" {
			t.Fatalf("nursing after a reply: %s", got)
		}

		// Moving it back again is one more event, with the slugs the other
		// way round, and no reason is fine.
		if err := store.MoveTopic(ctx, moving.ID, f.board.ID, mod, ""); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(auditTrail(t, store, moving.ID, mod)); got != "[topic.move:from cardiology to nursing: Nursing practice question topic.move:from nursing to cardiology]" {
			t.Fatalf("audit trail after moving back: %s", got)
		}
		for slug, want := range map[string]string{"cardiology": "2 topics, 5 posts", "nursing": "0 topics, 0 posts"} {
			if got := counts(slug); got != want {
				t.Fatalf("%s after moving back: %s, want %s", slug, got, want)
			}
		}
		if nb, err = store.BoardBySlug(ctx, "nursing"); err != nil {
			t.Fatal(err)
		}
		if nb.LastPostAt != nil {
			t.Fatalf("the emptied board keeps a last post time %v", nb.LastPostAt)
		}
	})
}
