package search

import (
	"context"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// TestNewestCountEstimated checks that a newest-first search whose recent
// posts fill its results counts the rest only up to the cap and estimates
// them, saying so, while a search with fewer hits than the cap is counted
// exactly.
func TestNewestCountEstimated(t *testing.T) {
	ctx := context.Background()
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	author := &models.User{Username: "counter", DisplayName: "Counter", Status: models.StatusVerified}
	if err := store.CreateUser(ctx, author); err != nil {
		t.Fatal(err)
	}
	board := &models.Board{Slug: "wards", Title: "Wards", CreatedAt: store.Now()}
	if err := store.CreateBoard(ctx, board); err != nil {
		t.Fatal(err)
	}
	const posts = 1200
	at := store.Now().Add(-time.Hour)
	imports := make([]models.ImportTopic, posts)
	for i := range imports {
		body := "Heparin drip titrated overnight."
		if i%100 == 0 {
			body = "Heparin and argatroban compared on the ward."
		}
		imports[i] = models.ImportTopic{BoardID: board.ID, Title: "Night handover", Posts: []models.ImportPost{{
			AuthorID: author.ID, Source: body, Cooked: "<p>" + body + "</p>", At: at,
		}}}
	}
	if err := store.ImportTopics(ctx, imports); err != nil {
		t.Fatal(err)
	}
	w := &world{store: store, dir: t.TempDir()}
	x := w.open(t)
	x.countCap = 200
	search := func(text string) *Results {
		t.Helper()
		q, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(ctx, Request{Query: q, Scope: Scope{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := search("order:newest heparin")
	if !res.PostsEstimated || res.Posts < posts*3/4 || res.Posts > posts*5/4 {
		t.Errorf("order:newest heparin: %d posts, estimated %v; want about %d, estimated", res.Posts, res.PostsEstimated, posts)
	}
	if len(res.Topics) != TopicsPerPage {
		t.Errorf("order:newest heparin: %d topics on the first page, want %d", len(res.Topics), TopicsPerPage)
	}
	res = search("order:newest argatroban")
	if res.PostsEstimated || res.Posts != posts/100 {
		t.Errorf("order:newest argatroban: %d posts, estimated %v; want exactly %d", res.Posts, res.PostsEstimated, posts/100)
	}
	res = search("heparin")
	if res.PostsEstimated || res.Posts != posts {
		t.Errorf("heparin by relevance: %d posts, estimated %v; want exactly %d", res.Posts, res.PostsEstimated, posts)
	}
}
