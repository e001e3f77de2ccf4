package models_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestSearchPageReadsOnlyWhatTheMemberMaySee(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		outsider := &models.User{Username: "stone", DisplayName: "Dr. Ada Stone", Profession: "physician",
			Specialty: "Dermatology", Status: models.StatusVerified}
		if err := store.CreateUser(ctx, outsider); err != nil {
			t.Fatal(err)
		}
		open := f.topic(t, "Amiodarone and warfarin")
		anon, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.peer.ID, Anonymous: true, AnonymityK: 1,
			PostContent: models.PostContent{Source: "Check the INR weekly", Cooked: "<p>Check the INR weekly</p>", Plain: "Check the INR weekly"}})
		if err != nil {
			t.Fatal(err)
		}
		deleted, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "gone", Cooked: "<p>gone</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.DeletePost(ctx, deleted.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		hidden, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: "advert", Cooked: "<p>advert</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.HidePost(ctx, hidden.ID, f.author.ID, "Advertising"); err != nil {
			t.Fatal(err)
		}

		closed := f.closedBoard(t, "cardiac-nursing", "Cardiac nursing", &models.Group{Name: "Cardiology", AutoSpecialty: "cardiology"})
		private, privateOP, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closed.ID, AuthorID: f.author.ID,
			Title: "Members only", PostContent: models.PostContent{Source: "secret", Cooked: "<p>secret</p>"}})
		if err != nil {
			t.Fatal(err)
		}

		topicIDs := []int64{open.ID, private.ID, 99999}
		postIDs := []int64{open.ID, anon.ID, deleted.ID, hidden.ID, privateOP.ID, 99999}
		for _, tc := range []struct {
			viewer *models.User
			topics []int64
			posts  []int64
		}{
			{f.author, []int64{open.ID, private.ID}, []int64{anon.ID, privateOP.ID}},
			{outsider, []int64{open.ID}, []int64{anon.ID}},
		} {
			topics, err := store.ReadableTopicsByID(ctx, tc.viewer, topicIDs)
			if err != nil {
				t.Fatal(err)
			}
			if len(topics) != len(tc.topics) {
				t.Errorf("%s reads topics %v, want %v", tc.viewer.Username, topics, tc.topics)
			}
			for _, id := range tc.topics {
				if topics[id].BoardSlug == "" || topics[id].AuthorName != "Dr. Amara Okafor" {
					t.Errorf("%s: topic %d loaded as %+v", tc.viewer.Username, id, topics[id])
				}
			}
			posts, err := store.VisiblePostsByID(ctx, tc.viewer, postIDs)
			if err != nil {
				t.Fatal(err)
			}
			// The opening post of the open topic is visible to both.
			if _, ok := posts[open.ID]; !ok {
				t.Errorf("%s does not get the opening post", tc.viewer.Username)
			}
			for _, id := range tc.posts {
				if _, ok := posts[id]; !ok {
					t.Errorf("%s does not get post %d", tc.viewer.Username, id)
				}
			}
			if len(posts) != len(tc.posts)+1 {
				t.Errorf("%s gets %d posts, want %d", tc.viewer.Username, len(posts), len(tc.posts)+1)
			}
			a := posts[anon.ID]
			if !a.Anonymous || a.AuthorUsername != "" || a.AuthorName != "" || a.AuthorSpecialty != "" ||
				a.AnonymousAs != "Critical Care Nursing" ||
				a.Plain != "Check the INR weekly" {
				t.Errorf("anonymous post loaded as %+v", a)
			}
			if p := posts[open.ID]; p.AuthorUsername != "okafor" || p.Number != 1 || p.CreatedAt.IsZero() {
				t.Errorf("opening post loaded as %+v", p)
			}
		}
	})
}

// TestSearchPageReadsTheOpeningOfALongPost checks that a result reads only
// the first SearchQuoteChars characters of a post's plain text (counted
// in characters, not bytes, on both engines), with its time intact.
func TestSearchPageReadsTheOpeningOfALongPost(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		open := f.topic(t, "A pasted guideline")
		plain := strings.Repeat("é", models.SearchQuoteChars-1) + "xyz"
		long, err := store.CreateReply(ctx, models.NewReply{TopicID: open.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: plain, Cooked: "<p>" + plain + "</p>", Plain: plain}})
		if err != nil {
			t.Fatal(err)
		}
		posts, err := store.VisiblePostsByID(ctx, f.peer, []int64{long.ID})
		if err != nil {
			t.Fatal(err)
		}
		got := posts[long.ID]
		if want := strings.Repeat("é", models.SearchQuoteChars-1) + "x"; got.Plain != want {
			t.Errorf("read %d characters ending %q, want %d ending %q", utf8.RuneCountInString(got.Plain),
				got.Plain[max(0, len(got.Plain)-4):], models.SearchQuoteChars, "éx")
		}
		if !got.CreatedAt.Equal(long.CreatedAt) || got.CreatedAt.Location() != time.UTC {
			t.Errorf("created at %v, want %v in UTC", got.CreatedAt, long.CreatedAt)
		}
	})
}
