package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestAnswersMarkChangeUnmarkAndFollowTheirReply(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		other := f.topic(t, "Statins after 80")
		reply := func(topicID int64, body string, anonymous bool) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: topicID, AuthorID: f.peer.ID, Anonymous: anonymous,
				PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: body}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		first := reply(topic.ID, "2.5 mg twice daily.", false)
		second := reply(topic.ID, "Ask the renal pharmacist.", true)
		elsewhere := reply(other.ID, "Only with a clear indication.", false)
		answered := func(want int64) {
			t.Helper()
			got, err := store.TopicByID(ctx, topic.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, err := store.AnswerOf(ctx, topic.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case want == 0 && (got.Answered || a != nil):
				t.Fatalf("topic answered (%v, %+v), want unanswered", got.Answered, a)
			case want != 0 && (!got.Answered || a == nil || a.PostID != want):
				t.Fatalf("topic answered %v by %+v, want post %d", got.Answered, a, want)
			}
		}
		answered(0)

		// The opening post, a post of another topic and an unknown post
		// cannot be the answer.
		opening := openingPost(t, store, topic.ID)
		for _, id := range []int64{opening, elsewhere.ID} {
			if err := store.MarkAnswer(ctx, topic.ID, id, f.author.ID, false); !errors.Is(err, models.ErrNotAnswer) {
				t.Fatalf("marking post %d: %v, want ErrNotAnswer", id, err)
			}
		}
		if err := store.MarkAnswer(ctx, topic.ID, 99999, f.author.ID, false); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("marking a missing post: %v", err)
		}

		if err := store.MarkAnswer(ctx, topic.ID, first.ID, f.author.ID, false); err != nil {
			t.Fatal(err)
		}
		answered(first.ID)
		// The reply's author hears of it, once per reply.
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?`, f.peer.ID, models.NotifyAnswer); n != 1 {
			t.Fatalf("%d answer notifications, want 1", n)
		}
		a, err := store.AnswerOf(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Number != 2 || a.Byline() != "Jonas Weber, RN" || a.AuthorUsername != "weber" {
			t.Fatalf("answer %+v", a)
		}
		// The author marks without an audit; a moderator's change is
		// audited. The anonymous reply keeps its author unnamed.
		if err := store.MarkAnswer(ctx, topic.ID, second.ID, f.peer.ID, true); err != nil {
			t.Fatal(err)
		}
		answered(second.ID)
		if a, err = store.AnswerOf(ctx, topic.ID); err != nil {
			t.Fatal(err)
		}
		if !a.Anonymous || a.AuthorName != "" || a.AuthorUsername != "" || a.Byline() == "Jonas Weber, RN" {
			t.Fatalf("anonymous answer names its author: %+v", a)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM audit_events WHERE action = 'topic.answer' AND subject_id = ?`, topic.ID); n != 1 {
			t.Fatalf("%d audit events for marking answers, want the moderator's one", n)
		}

		// Hidden, the answer is not shown and the topic is unanswered;
		// shown again, it is back. Search looks at the whole topic.
		hiddenFrom := count(t, store, `SELECT COALESCE(MAX(id), 0) FROM search_outbox`)
		if err := store.HidePost(ctx, second.ID, f.peer.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		answered(0)
		if n := count(t, store, `SELECT COUNT(*) FROM search_outbox WHERE id > ? AND topic_id = ? AND post_id IS NULL`, hiddenFrom, topic.ID); n != 1 {
			t.Fatalf("hiding the answer queued %d whole-topic search updates, want 1", n)
		}
		if err := store.MarkAnswer(ctx, topic.ID, second.ID, f.author.ID, false); !errors.Is(err, models.ErrNotAnswer) {
			t.Fatalf("marking a hidden reply: %v", err)
		}

		if err := store.UnmarkAnswer(ctx, topic.ID, f.author.ID, false); err != nil {
			t.Fatal(err)
		}
		answered(0)
		if err := store.MarkAnswer(ctx, topic.ID, first.ID, f.author.ID, false); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND post_id = ? AND kind = ?`,
			f.peer.ID, first.ID, models.NotifyAnswer); n != 1 {
			t.Fatalf("%d answer notifications for the reply marked twice, want 1", n)
		}
		// Purging the answer unmarks it.
		if _, err := store.PurgePost(ctx, first.ID, f.peer.ID, "duplicate"); err != nil {
			t.Fatal(err)
		}
		answered(0)
		if n := count(t, store, `SELECT COUNT(*) FROM topics WHERE answer_post_id IS NOT NULL`); n != 0 {
			t.Fatalf("%d topics still point at an answer", n)
		}
	})
}

func TestSearchDocsCarryAnswersAndOutcomes(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		plain := f.topic(t, "Statins after 80")
		r, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "2.5 mg.", Cooked: "<p>2.5 mg.</p>", Plain: "2.5 mg."}})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.MarkAnswer(ctx, topic.ID, r.ID, f.author.ID, false); err != nil {
			t.Fatal(err)
		}
		docs, err := store.SearchDocsForTopics(ctx, []int64{topic.ID, plain.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if want := d.TopicID == topic.ID; d.Answered != want {
				t.Fatalf("post %d of topic %d answered %v, want %v", d.PostID, d.TopicID, d.Answered, want)
			}
		}
	})
}
