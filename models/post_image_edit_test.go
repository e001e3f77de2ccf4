package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestEditPostImages(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Wide-complex tachycardia")
		content := models.PostContent{Source: "The film", Cooked: "<p>The film</p>", Plain: "The film"}
		withImages := content
		withImages.Images = []models.PostImage{anImage("aaaa", "ECG"), anImage("bbbb", "rhythm strip")}
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: withImages})
		if err != nil {
			t.Fatal(err)
		}
		other, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{
			Source: "Another", Cooked: "<p>Another</p>", Plain: "Another", Images: []models.PostImage{anImage("cccc", "other")}}})
		if err != nil {
			t.Fatal(err)
		}
		images := func(postID int64) []models.PostImage {
			t.Helper()
			by, err := store.ImagesOfPosts(ctx, []int64{postID})
			if err != nil {
				t.Fatal(err)
			}
			return by[postID]
		}
		old := images(reply.ID)
		foreign := images(other.ID)[0]

		// Keep the second first with a new description, drop the first,
		// add one; another post's image named among those kept stays put.
		edit := &models.ImageEdit{Keep: []models.PostImage{{ID: old[1].ID, Alt: "Rhythm strip, lead II"}, {ID: foreign.ID, Alt: "taken"}},
			Added: []models.PostImage{anImage("dddd", "after cardioversion")}}
		saved, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: 1, PostContent: content, Images: edit})
		if err != nil {
			t.Fatal(err)
		}
		got := images(reply.ID)
		if len(got) != 2 || got[0].Name != "bbbb" || got[0].Alt != "Rhythm strip, lead II" || got[0].Position != 1 ||
			got[1].Name != "dddd" || got[1].Position != 2 {
			t.Fatalf("after the edit: %+v", got)
		}
		if len(edit.Removed) != 1 || edit.Removed[0] != "aaaa" {
			t.Fatalf("the edit removed %v", edit.Removed)
		}
		if o := images(other.ID); len(o) != 1 || o[0].Alt != "other" {
			t.Fatalf("the other post's image: %+v", o)
		}
		revs, err := store.PostRevisions(ctx, reply.ID)
		if err != nil || revs[0].Version != saved.Version || revs[0].ImageChanges != "added an image, removed an image, changed an image's description" {
			t.Fatalf("the edit's revision: %+v, %v", revs, err)
		}

		// More than a post takes is refused, and nothing changes.
		var many []models.PostImage
		for i := range models.MaxPostImages - 1 {
			many = append(many, anImage(fmt.Sprintf("e%03d", i), "more"))
		}
		keep := []models.PostImage{{ID: got[0].ID, Alt: got[0].Alt}, {ID: got[1].ID, Alt: got[1].Alt}}
		_, err = store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: saved.Version, PostContent: content,
			Images: &models.ImageEdit{Keep: keep, Added: many}})
		if !errors.Is(err, models.ErrTooManyImages) {
			t.Fatalf("editing to %d images: %v", len(many)+2, err)
		}
		if n := len(images(reply.ID)); n != 2 {
			t.Fatalf("%d images after a refused edit", n)
		}
		// An edit without an image edit leaves them, and its revision says nothing of them.
		saved, err = store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: f.peer.ID, BaseVersion: saved.Version, PostContent: content})
		if err != nil {
			t.Fatal(err)
		}
		revs, err = store.PostRevisions(ctx, reply.ID)
		if err != nil || revs[0].ImageChanges != "" || len(images(reply.ID)) != 2 {
			t.Fatalf("a text edit's revision: %+v, %v", revs[0], err)
		}
	})
}
