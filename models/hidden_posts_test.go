package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestHideAndUnhideQueueSearchAndAuditOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban dosing in dialysis", "anticoagulation")
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "Buy my supplement", Cooked: "<p>Buy my supplement</p>"}})
		if err != nil {
			t.Fatal(err)
		}

		mark := lastOutbox(t, store)
		for range 2 { // twice: the second hide changes nothing
			if err := store.HidePost(ctx, reply.ID, f.author.ID, "Advertising"); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := fmt.Sprint(outboxSince(t, store, mark)), fmt.Sprintf("[post %d/%d]", topic.ID, reply.ID); got != want {
			t.Fatalf("hiding queued %s, want %s", got, want)
		}
		post, err := store.PostByID(ctx, reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !post.IsHidden() || post.HiddenReason != "Advertising" || post.HiddenByID == nil || *post.HiddenByID != f.author.ID {
			t.Fatalf("hidden post: %+v", post)
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 2, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 1 || !posts[0].IsHidden() || posts[0].HiddenReason != "Advertising" || posts[0].HiddenByID == nil {
			t.Fatalf("the topic page's read of a hidden post: %+v", posts)
		}

		mark = lastOutbox(t, store)
		for range 2 {
			if err := store.UnhidePost(ctx, reply.ID, f.author.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := fmt.Sprint(outboxSince(t, store, mark)), fmt.Sprintf("[post %d/%d]", topic.ID, reply.ID); got != want {
			t.Fatalf("unhiding queued %s, want %s", got, want)
		}
		if post, err = store.PostByID(ctx, reply.ID); err != nil {
			t.Fatal(err)
		}
		if post.IsHidden() || post.HiddenReason != "" || post.HiddenByID != nil {
			t.Fatalf("unhidden post: %+v", post)
		}

		events, err := store.AuditEventsFor(ctx, "post", reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.ActorID == nil || *e.ActorID != f.author.ID {
				t.Fatalf("event %s by %v", e.Action, e.ActorID)
			}
			got = append(got, e.Action+":"+e.Reason)
		}
		if fmt.Sprint(got) != "[post.hide:Advertising post.unhide:]" {
			t.Fatalf("audit events %v", got)
		}

		mark = lastOutbox(t, store)
		if err := store.HidePost(ctx, 99999, f.author.ID, "x"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("hide a missing post: %v", err)
		}
		if err := store.UnhidePost(ctx, 99999, f.author.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unhide a missing post: %v", err)
		}
		if got := outboxSince(t, store, mark); len(got) != 0 {
			t.Fatalf("failed hides queued %v", got)
		}
	})
}

func TestAnonymousPostsAreStoredAndListed(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic, opening, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "A near miss I keep thinking about", Tags: []string{"safety"}, PostContent: models.PostContent{Source: "s", Cooked: "<p>s</p>"}, Anonymous: true,
			AnonymityK: 1})
		if err != nil {
			t.Fatal(err)
		}
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}, Anonymous: true,
			AnonymityK: 1})
		if err != nil {
			t.Fatal(err)
		}
		named := f.topic(t, "A named topic", "safety")
		for _, p := range []*models.Post{opening, reply} {
			got, err := store.PostByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Anonymous {
				t.Fatalf("post %d lost its anonymity", p.Number)
			}
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 2 || !posts[0].Anonymous || !posts[1].Anonymous {
			t.Fatalf("topic page posts: %+v", posts)
		}
		summary, err := store.TopicByID(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		// With k = 1 the label says the specialty; nothing else of the
		// author leaves the database with the topic.
		if !summary.Anonymous || summary.Byline() != "Anonymous Cardiology" || summary.AuthorName != "" || summary.AuthorSpecialty != "" {
			t.Fatalf("topic %+v, byline %q", summary, summary.Byline())
		}
		listed, _, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		tagged, _, err := store.TopicsWithTag(ctx, nil, "safety", 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		for name, list := range map[string][]models.TopicSummary{"board": listed, "tag": tagged} {
			if len(list) != 2 {
				t.Fatalf("%s lists %d topics", name, len(list))
			}
			for _, s := range list {
				if anon := s.ID == topic.ID; s.Anonymous != anon {
					t.Fatalf("%s lists topic %d (anonymous %v), byline %q", name, s.ID, s.Anonymous, s.Byline())
				}
				if s.ID == named.ID && s.Byline() != "Dr. Amara Okafor" {
					t.Fatalf("%s byline of a named topic: %q", name, s.Byline())
				}
			}
		}
		if got := models.AnonymousAuthor(""); got != "Anonymous clinician" {
			t.Fatalf("without a specialty: %q", got)
		}
	})
}
