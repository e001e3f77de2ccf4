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
	author := modelstest.Verified("counter", "Counter").Make(t, store)
	board := modelstest.OpenBoard("wards", "Wards").Make(t, store)
	const posts = 1200
	at := store.Now().Add(-time.Hour)
	imports := make([]models.ImportTopic, posts)
	for i := range imports {
		body := "Heparin drip titrated overnight."
		if i%100 == 0 {
			body = "Heparin and argatroban compared on the ward."
		}
		imports[i] = models.ImportTopic{BoardID: board.ID, Title: "Night handover", Posts: []models.ImportPost{{
			AuthorID: author.ID, Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body), At: at,
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

// TestNewestWindowsKeepOrder spreads posts over months, so that a
// newest-first search widens its window more than once, and checks that
// it returns the newest posts, newest first, with none left out.
func TestNewestWindowsKeepOrder(t *testing.T) {
	ctx := context.Background()
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	author := modelstest.Verified("dater", "Dater").Make(t, store)
	board := modelstest.OpenBoard("wards", "Wards").Make(t, store)
	// Post i is written i×7 hours ago: about three a day for 260 days, the
	// newest first in the import, so newest first is lowest id first.
	const posts = 900
	now := store.Now()
	imports := make([]models.ImportTopic, posts)
	for i := range imports {
		body := "Heparin drip titrated overnight."
		imports[i] = models.ImportTopic{BoardID: board.ID, Title: "Night handover", Posts: []models.ImportPost{{
			AuthorID: author.ID, Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body), At: now.Add(-time.Duration(i*7) * time.Hour),
		}}}
	}
	if err := store.ImportTopics(ctx, imports); err != nil {
		t.Fatal(err)
	}
	w := &world{store: store, dir: t.TempDir()}
	x := w.open(t)
	q, err := Parse("order:newest heparin")
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for page := 1; ; page++ {
		res, err := x.Search(ctx, Request{Query: q, Scope: Scope{All: true}, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range res.Topics {
			got = append(got, th.PostIDs...)
		}
		if page == 1 && (res.Posts != posts || res.PostsEstimated) {
			t.Errorf("%d posts counted (estimated %v), want exactly %d", res.Posts, res.PostsEstimated, posts)
		}
		if page >= res.Pages {
			break
		}
	}
	if len(got) != maxHits {
		t.Fatalf("%d posts over the pages, want %d", len(got), maxHits)
	}
	first, err := store.SearchDocsAfter(ctx, 0, 1)
	if err != nil || len(first) != 1 {
		t.Fatal(first, err)
	}
	for i, id := range got {
		if want := first[0].PostID + int64(i); id != want {
			t.Fatalf("hit %d is post %d, want post %d (the %d newest, newest first)", i, id, want, maxHits)
		}
	}
}

func TestNextWindow(t *testing.T) {
	for _, tc := range []struct{ days, found, want int }{
		{2, 0, 32},     // nothing yet: sixteen times as long
		{2, 112, 13},   // at 56 a day, 750 hits take 13 days
		{6, 336, 13},   // 56 a day: about 750 hits
		{2, 400, 4},    // nearly enough: twice as long
		{16, 10, 256},  // sparse: at most sixteen times
		{32, 10, 730},  // 512 days is short of two years: the last window
		{512, 10, 730}, // past two years: the last window
		{400, 200, 730},
		{730, 100, 5475}, // past the last window: the whole index
	} {
		if got := nextWindow(tc.days, tc.found); got != tc.want {
			t.Errorf("nextWindow(%d, %d) = %d, want %d", tc.days, tc.found, got, tc.want)
		}
	}
}
