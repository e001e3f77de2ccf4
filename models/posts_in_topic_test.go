package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// The topic page reads a page's posts with their reactions, images and
// ready link cards in one or two statements: the counts in display order,
// images and cards in each post's order, pending cards left out, and
// nothing of a deleted post.
func TestPostsInTopicReadsReactionsImagesAndCards(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		third := modelstest.Verified("lindqvist", "Dr. Erik Lindqvist").Make(t, store)
		q := &queued{}
		store.SetJobs(q)
		img := func(name, alt string, w int) models.PostImage {
			return models.PostImage{Name: name, Alt: alt, ContentType: "image/png", Width: 800, Height: 600,
				PageWidth: 800, PageHeight: 600, ThumbWidth: w, ThumbHeight: 240, DICOM: name == "bbbb"}
		}
		topic, first, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anticoagulation", PostContent: models.PostContent{Source: "see a and b", Cooked: "<p>see a and b</p>", Plain: "see a and b",
				Links: q.links("https://a.example/x", "https://b.example/y", "https://c.example/z")}})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "no link here", Cooked: "<p>no link here</p>", Plain: "no link here"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "the film", Cooked: "<p>the film</p>", Plain: "the film",
				Images: []models.PostImage{img("aaaa", "12-lead ECG", 320), img("bbbb", "rhythm strip", 300)}}})
		if err != nil {
			t.Fatal(err)
		}
		deleted, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "gone", Cooked: "<p>gone</p>", Plain: "gone",
				Images: []models.PostImage{img("cccc", "deleted film", 320)}, Links: q.links("https://a.example/x")}})
		if err != nil {
			t.Fatal(err)
		}
		// c and a are fetched, b is still pending; the opening post lists a, b, c.
		ids := q.take()
		fetchCards(t, store, ids[2], ids[0])
		for _, r := range []struct {
			user *models.User
			post int64
			kind models.ReactionKind
		}{{f.peer, first.ID, models.ReactThanks}, {f.peer, first.ID, models.ReactHelpful}, {f.author, plain.ID, models.ReactThanks},
			{third, plain.ID, models.ReactThanks}, {f.author, deleted.ID, models.ReactAgree}} {
			if _, err := store.ToggleReaction(ctx, r.user.ID, r.post, r.kind); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.DeletePost(ctx, deleted.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}

		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 4 {
			t.Fatalf("%d posts, want 4", len(posts))
		}
		opening, reply, withImages, tombstone := posts[0], posts[1], posts[2], posts[3]
		if r := opening.Reactions; len(r) != 2 || r[0] != (models.ReactionCount{Kind: models.ReactHelpful, Count: 1}) ||
			r[1] != (models.ReactionCount{Kind: models.ReactThanks, Count: 1}) {
			t.Errorf("opening post's reactions %+v, want helpful 1 then thanks 1", r)
		}
		if r := reply.Reactions; len(r) != 1 || r[0] != (models.ReactionCount{Kind: models.ReactThanks, Count: 2}) {
			t.Errorf("reply's reactions %+v, want thanks 2", r)
		}
		if c := opening.Previews; len(c) != 2 || c[0].URL != "https://a.example/x" || c[1].URL != "https://c.example/z" ||
			c[0].Title != "Card https://a.example/x" || c[0].Year != 2024 {
			t.Errorf("opening post's cards %+v, want a then c (b is pending)", c)
		}
		if len(reply.Previews) != 0 || len(reply.Images) != 0 || len(opening.Images) != 0 {
			t.Errorf("a post without images or links has %+v, %+v", reply.Previews, reply.Images)
		}
		if im := withImages.Images; len(im) != 2 || im[0].Name != "aaaa" || im[0].Alt != "12-lead ECG" || im[0].ThumbWidth != 320 ||
			im[0].ThumbHeight != 240 || im[0].DICOM || im[1].Name != "bbbb" || !im[1].DICOM || im[1].ThumbWidth != 300 {
			t.Errorf("images %+v, want aaaa then bbbb (DICOM) with their thumbnails", im)
		}
		if tombstone.Cooked != "" || tombstone.Reactions != nil || tombstone.Images != nil || tombstone.Previews != nil {
			t.Errorf("a deleted post came with %q, %+v, %+v, %+v", tombstone.Cooked, tombstone.Reactions, tombstone.Images, tombstone.Previews)
		}

		// A page without images or cards is read the same.
		posts, err = store.PostsInTopic(ctx, topic.ID, 2, 2)
		if err != nil || len(posts) != 1 || posts[0].ID != plain.ID || len(posts[0].Reactions) != 1 {
			t.Fatalf("page of the plain reply: %+v, %v", posts, err)
		}
	})
}

// A post is marked has_media when it is given an image or a link, however
// it gets them (written with them, or an edit that adds an image), so that
// the topic page reads images and cards only for the posts marked; a post
// with neither stays unmarked.
func TestPostsAreMarkedWhenGivenImagesOrLinks(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		q := &queued{}
		store.SetJobs(q)
		img := func(name string) models.PostImage {
			return models.PostImage{Name: name, Alt: "film", ContentType: "image/png", Width: 800, Height: 600,
				PageWidth: 800, PageHeight: 600, ThumbWidth: 320, ThumbHeight: 240}
		}
		content := func(text string) models.PostContent {
			return models.PostContent{Source: text, Cooked: "<p>" + text + "</p>", Plain: text}
		}
		topic, opening, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anticoagulation", PostContent: content("no media")})
		if err != nil {
			t.Fatal(err)
		}
		reply := func(c models.PostContent) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: c})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		withImage := content("the film")
		withImage.Images = []models.PostImage{img("aaaa")}
		withLink := content("see the trial")
		withLink.Links = q.links("https://a.example/trial")
		imaged, linked, edited := reply(withImage), reply(withLink), reply(content("film to follow"))
		_, err = store.EditPost(ctx, models.PostEdit{PostID: edited.ID, EditorID: f.peer.ID, BaseVersion: 1,
			PostContent: content("film added"), Images: &models.ImageEdit{Added: []models.PostImage{img("bbbb")}}})
		if err != nil {
			t.Fatal(err)
		}

		want := map[int64]bool{opening.ID: false, imaged.ID: true, linked.ID: true, edited.ID: true}
		rows, err := store.DB().WithContext(ctx).Raw(`SELECT id, has_media FROM posts WHERE topic_id = ?`, topic.ID).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[int64]bool{}
		for rows.Next() {
			var id int64
			var marked bool
			if err := rows.Scan(&id, &marked); err != nil {
				t.Fatal(err)
			}
			got[id] = marked
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for id, marked := range want {
			if got[id] != marked {
				t.Errorf("post %d: has_media %v, want %v", id, got[id], marked)
			}
		}
	})
}
