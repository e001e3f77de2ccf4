package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

func TestStagedImagesAreTheirUploadersForAnHour(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		clock := testenv.NewClock()
		store.SetClock(clock.Now)
		f := newFixture(t, store)
		mine := &models.StagedImage{UserID: f.author.ID, Ticket: "100-aa", State: `{"Width":10}`}
		if err := store.StageImage(ctx, mine); err != nil {
			t.Fatal(err)
		}
		clock.Add(30 * time.Minute)
		later := &models.StagedImage{UserID: f.author.ID, Ticket: "200-bb", State: `{}`}
		if err := store.StageImage(ctx, later); err != nil {
			t.Fatal(err)
		}
		got, err := store.StagedImages(ctx, f.author.ID, []string{"200-bb", "100-aa", "100-aa", "300-cc"})
		if err != nil || len(got) != 2 || got[0].Ticket != "200-bb" || got[1].Ticket != "100-aa" {
			t.Fatalf("staged images in the form's order: %+v, %v", got, err)
		}
		// Another member's ticket is not theirs.
		if got, err := store.StagedImages(ctx, f.peer.ID, []string{"100-aa"}); err != nil || len(got) != 0 {
			t.Fatalf("another member sees %+v, %v", got, err)
		}
		if err := store.UpdateStagedImage(ctx, f.peer.ID, "100-aa", `{}`); !models.IsNotFound(err) {
			t.Fatalf("another member updated a staged image: %v", err)
		}
		if err := store.UpdateStagedImage(ctx, f.author.ID, "100-aa", `{"Width":20}`); err != nil {
			t.Fatal(err)
		}
		// An hour after its upload, an image is gone from the form and
		// swept from the table.
		clock.Add(30 * time.Minute)
		got, err = store.StagedImages(ctx, f.author.ID, []string{"100-aa", "200-bb"})
		if err != nil || len(got) != 1 || got[0].Ticket != "200-bb" {
			t.Fatalf("after an hour: %+v, %v", got, err)
		}
		if n, err := store.SweepStagedImages(ctx); err != nil || n != 1 {
			t.Fatalf("swept %d, %v", n, err)
		}
		if err := store.UnstageImages(ctx, f.author.ID, []string{"200-bb"}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM staged_images`); n != 0 {
			t.Fatalf("%d staged images left", n)
		}
	})
}

// anImage is an attached image's record as the app stores it once its
// sizes are in the blob store.
func anImage(name, alt string) models.PostImage {
	return models.PostImage{Name: name, Alt: alt, ContentType: "image/png", Width: 800, Height: 600,
		PageWidth: 800, PageHeight: 600, ThumbWidth: 320, ThumbHeight: 240}
}

func TestPostImagesAttachSearchAndPurge(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Wide-complex tachycardia")
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{
			Source: "The film", Cooked: "<p>The film</p>", Plain: "The film",
			Images: []models.PostImage{anImage("aaaa", "12-lead ECG with delta waves"), anImage("bbbb", "rhythm strip")}}})
		if err != nil {
			t.Fatal(err)
		}
		byPost, err := store.ImagesOfPosts(ctx, []int64{reply.ID, openingPost(t, store, topic.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if got := byPost[reply.ID]; len(got) != 2 || got[0].Name != "aaaa" || got[0].Position != 1 || got[1].Position != 2 || len(byPost) != 1 {
			t.Fatalf("images of posts: %+v", byPost)
		}
		if got, err := store.PostImageByName(ctx, "bbbb"); err != nil || got.PostID != reply.ID || got.Alt != "rhythm strip" {
			t.Fatalf("image by name: %+v, %v", got, err)
		}
		if _, err := store.PostImageByName(ctx, "cccc"); !models.IsNotFound(err) {
			t.Fatalf("a made-up name: %v", err)
		}
		// Search reads the descriptions with the post.
		docs, err := store.SearchDocsForPosts(ctx, []int64{reply.ID})
		if err != nil || len(docs) != 1 || docs[0].Plain != "The film\n\n12-lead ECG with delta waves\n\nrhythm strip" {
			t.Fatalf("search document: %+v, %v", docs, err)
		}
		// A purge of the topic names every image for the blob store.
		res, err := store.PurgePost(ctx, openingPost(t, store, topic.ID), f.author.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(res.Images)
		if !slices.Equal(res.Images, []string{"aaaa", "bbbb"}) {
			t.Fatalf("purge names images %v", res.Images)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM post_images`); n != 0 {
			t.Fatalf("%d images left after the purge", n)
		}
	})
}

// A rebuild's pages, which read images by a range of post ids, give each
// post the descriptions the tailer's read by id gives it, and a hidden
// post's images to no one.
func TestRebuildPagesReadImageDescriptionsLikeThePosts(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Wide-complex tachycardia")
		var ids []int64
		for i, imgs := range [][]models.PostImage{
			{anImage("aaaa", "12-lead ECG with delta waves"), anImage("bbbb", "rhythm strip")},
			nil,
			{anImage("cccc", "chest film, hidden with its post")},
			{anImage("dddd", "echo, apical four-chamber")},
		} {
			text := fmt.Sprintf("Reply %d", i)
			reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{
				Source: text, Cooked: "<p>" + text + "</p>", Plain: text, Images: imgs}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, reply.ID)
		}
		if err := store.HidePost(ctx, ids[2], f.author.ID, "Identifies a patient"); err != nil {
			t.Fatal(err)
		}
		want, err := store.SearchDocsForPosts(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		plain := map[int64]string{}
		for _, d := range want {
			if d.Visible {
				plain[d.PostID] = d.Plain
			}
		}
		if plain[ids[0]] != "Reply 0\n\n12-lead ECG with delta waves\n\nrhythm strip" || plain[ids[3]] != "Reply 3\n\necho, apical four-chamber" {
			t.Fatalf("the posts' own documents: %v", plain)
		}
		// Pages of two, so that a page starts and ends between the posts.
		got := map[int64]string{}
		for after := int64(0); ; {
			docs, err := store.SearchDocsAfter(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) == 0 {
				break
			}
			for _, d := range docs {
				got[d.PostID] = d.Plain
			}
			after = docs[len(docs)-1].PostID
		}
		if _, ok := got[ids[2]]; ok {
			t.Fatalf("a rebuild read the hidden post: %q", got[ids[2]])
		}
		for id, p := range plain {
			if got[id] != p {
				t.Errorf("post %d: a rebuild read %q, the post's document is %q", id, got[id], p)
			}
		}
	})
}
