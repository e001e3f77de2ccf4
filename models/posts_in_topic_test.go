package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// The topic page asks for link cards only for the posts PostsInTopic says
// have links.
func TestPostsInTopicSaysWhichPostsHaveLinks(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		q := &queued{}
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anticoagulation", PostContent: models.PostContent{Source: "see a", Cooked: "<p>see a</p>", Plain: "see a",
				Links: q.links("https://a.example/x")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "no link here", Cooked: "<p>no link here</p>", Plain: "no link here"}}); err != nil {
			t.Fatal(err)
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 2 || !posts[0].HasLinks || posts[1].HasLinks {
			t.Fatalf("posts with links: %d posts, first %v, second %v; want the first only", len(posts),
				len(posts) > 0 && posts[0].HasLinks, len(posts) > 1 && posts[1].HasLinks)
		}
	})
}
