package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// queued records the previews a write asked to fetch, as the store's
// Jobs; when down, it fails as a queue that cannot be reached does.
type queued struct {
	ids  []int64
	down bool
}

func (q *queued) PreviewLinks(ctx context.Context, tx *models.Store, ids []int64) error {
	if q.down {
		return errors.New("queue down")
	}
	q.ids = append(q.ids, ids...)
	return nil
}

func (q *queued) links(urls ...string) []models.PostLink {
	var found []models.PostLink
	for _, u := range urls {
		found = append(found, models.PostLink{URL: u, Kind: "page"})
	}
	return found
}

func (q *queued) take() []int64 {
	ids := q.ids
	q.ids = nil
	return ids
}

func TestPostLinksShareOnePreviewAndQueueOnlyWhatIsDue(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		q := &queued{}
		store.SetJobs(q)
		topic, first, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anticoagulation", PostContent: models.PostContent{Source: "a and b", Cooked: "<p>a and b</p>", Links: q.links("https://a.example/x", "https://b.example/y")}})
		if err != nil {
			t.Fatal(err)
		}
		ids := q.take()
		if len(ids) != 2 {
			t.Fatalf("queued %v, want both new links", ids)
		}

		// A reply with a known, still pending link queues it again (the job
		// is unique, so River keeps one) and a new one.
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "b and c", Cooked: "<p>b and c</p>", Links: q.links("https://b.example/y", "https://c.example/z")}})
		if err != nil {
			t.Fatal(err)
		}
		if got := q.take(); len(got) != 2 || got[0] != ids[1] {
			t.Fatalf("reply queued %v, want b (%d) and c", got, ids[1])
		}

		// Once fetched, b is not queued again until it is stale.
		now := store.Now()
		b, err := store.LinkPreviewByID(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		b.Status, b.Title, b.FetchedAt = models.PreviewReady, "B", &now
		if err := store.SaveLinkPreview(ctx, b); err != nil {
			t.Fatal(err)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "only b", Cooked: "<p>only b</p>", Links: q.links("https://b.example/y")}}); err != nil {
			t.Fatal(err)
		}
		if got := q.take(); len(got) != 0 {
			t.Fatalf("a fresh preview was queued: %v", got)
		}

		// Only ready previews are shown, in the post's order; the edit
		// dropped c from the reply.
		shown, err := store.ReadyPreviews(ctx, []int64{first.ID, reply.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(shown[first.ID]) != 1 || shown[first.ID][0].Title != "B" || len(shown[reply.ID]) != 1 {
			t.Fatalf("shown previews %+v", shown)
		}

		// A queue that fails rolls the post back: no post without its job.
		q.down = true
		before, _ := store.TopicByID(ctx, topic.ID)
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "d", Cooked: "<p>d</p>", Links: q.links("https://d.example/")}}); err == nil {
			t.Fatal("the reply was saved though its job could not be queued")
		}
		after, _ := store.TopicByID(ctx, topic.ID)
		if after.PostCount != before.PostCount {
			t.Fatalf("post count %d → %d after a failed write", before.PostCount, after.PostCount)
		}
		var dangling int64
		store.DB().Model(&models.LinkPreview{}).Where("url = ?", "https://d.example/").Count(&dangling)
		if dangling != 0 {
			t.Fatal("the failed write left its preview behind")
		}
	})
}

func TestPreviewDue(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	at := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	for _, tc := range []struct {
		p    models.LinkPreview
		want bool
	}{
		{models.LinkPreview{Status: models.PreviewPending}, true},
		{models.LinkPreview{Status: models.PreviewReady, FetchedAt: at(time.Hour)}, false},
		{models.LinkPreview{Status: models.PreviewReady, FetchedAt: at(models.PreviewFreshFor)}, true},
		{models.LinkPreview{Status: models.PreviewFailed, FetchedAt: at(time.Hour)}, false},
		{models.LinkPreview{Status: models.PreviewFailed, FetchedAt: at(models.PreviewRetryFail + time.Minute)}, true},
	} {
		if got := tc.p.Due(now); got != tc.want {
			t.Errorf("%s fetched %v: due = %v, want %v", tc.p.Status, tc.p.FetchedAt, got, tc.want)
		}
	}
}

func TestAPostPreviewsAtMostTwentyLinks(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		f := newFixture(t, store)
		q := &queued{}
		store.SetJobs(q)
		var urls []string
		for i := range 25 {
			urls = append(urls, fmt.Sprintf("https://site%d.example/", i))
		}
		if _, _, err := store.CreateTopic(context.Background(), models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Many links", PostContent: models.PostContent{Source: "many", Cooked: "<p>many</p>", Links: q.links(urls...)}}); err != nil {
			t.Fatal(err)
		}
		if got := q.take(); len(got) != 20 || !slices.IsSorted(got) {
			t.Fatalf("queued %d previews, want the first 20", len(got))
		}
	})
}
