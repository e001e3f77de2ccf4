package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestSaveShowKeepsIDsAcrossRereads(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		published := time.Date(2025, 6, 10, 8, 0, 0, 0, time.UTC)
		older := published.Add(-7 * 24 * time.Hour)
		feed := models.PodcastFeed{URL: "https://pod.example.org/feed.xml", Title: "Bedside Rounds", Author: "Dr. Host"}
		episodes := []models.PodcastEpisode{
			{GUID: "ep-2", Title: "Syncope", PublishedAt: &published, DurationSeconds: 2705, AudioURL: "https://pod.example.org/2.mp3"},
			{GUID: "ep-1", Title: "Hyperkalaemia", PublishedAt: &older, AudioURL: "https://pod.example.org/1.mp3"},
			{GUID: "ep-1", Title: "A repeated GUID", AudioURL: "https://pod.example.org/1b.mp3"},
			{GUID: "ep-0", Title: "Undated", AudioURL: "https://pod.example.org/0.mp3"},
		}
		saved, eps, err := store.SaveShow(ctx, feed, episodes)
		if err != nil {
			t.Fatal(err)
		}
		if saved.ID == 0 || len(eps) != 3 || eps[0].ID == 0 || eps[1].Title != "Hyperkalaemia" {
			t.Fatalf("saved %+v with %+v", saved, eps)
		}

		// The feed is read again: a new episode, a changed title.
		newest := published.Add(7 * 24 * time.Hour)
		episodes[0].Title = "Syncope, revisited"
		again, eps2, err := store.SaveShow(ctx, models.PodcastFeed{URL: feed.URL, Title: "Bedside Rounds 2"},
			append([]models.PodcastEpisode{{GUID: "ep-3", Title: "Sepsis", PublishedAt: &newest, AudioURL: "https://pod.example.org/3.mp3"}}, episodes...))
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != saved.ID || eps2[1].ID != eps[0].ID || eps2[2].ID != eps[1].ID {
			t.Fatalf("ids moved: feed %d→%d, episodes %+v → %+v", saved.ID, again.ID, eps, eps2)
		}

		got, list, err := store.EpisodesAt(ctx, feed.URL)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || got.Title != "Bedside Rounds 2" {
			t.Fatalf("feed %+v", got)
		}
		var titles []string
		for _, e := range list {
			titles = append(titles, e.Title)
		}
		if len(titles) != 4 || titles[0] != "Sepsis" || titles[1] != "Syncope, revisited" || titles[3] != "Undated" {
			t.Fatalf("episodes %q, want newest first and undated last", titles)
		}
		if list[1].Duration() != 2705*time.Second || !list[1].PublishedAt.Equal(published) {
			t.Errorf("episode %+v", list[1])
		}
	})
}

func TestLoneEpisodeAndPodcastTopic(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		audio := "https://cdn.example.org/talk.mp3"
		ep, err := store.SaveLoneEpisode(ctx, models.PodcastEpisode{Title: "talk.mp3", AudioURL: audio, AudioType: "audio/mpeg"})
		if err != nil {
			t.Fatal(err)
		}
		same, err := store.SaveLoneEpisode(ctx, models.PodcastEpisode{Title: "talk.mp3", AudioURL: audio})
		if err != nil {
			t.Fatal(err)
		}
		if same.ID != ep.ID || ep.FeedID != nil {
			t.Fatalf("the same audio shared twice: %d and %d (feed %v)", ep.ID, same.ID, ep.FeedID)
		}
		feed, list, err := store.EpisodesAt(ctx, audio)
		if err != nil || feed != nil || len(list) != 1 || list[0].ID != ep.ID {
			t.Fatalf("EpisodesAt(audio) = %v, %+v, %v", feed, list, err)
		}

		plain := f.topic(t, "A plain discussion")
		if _, err := store.EpisodeOfTopic(ctx, plain.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a discussion has an episode? %v", err)
		}
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Kind: models.KindPodcast, Title: "Listen to this talk", PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>"}, EpisodeID: ep.ID})
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.EpisodeOfTopic(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != ep.ID || got.AudioURL != audio || got.ShowTitle != "" || got.AudioType != "audio/mpeg" {
			t.Fatalf("episode of topic %+v", got)
		}

		show, eps, err := store.SaveShow(ctx, models.PodcastFeed{URL: "https://pod.example.org/feed", Title: "Show", Author: "Host", ImageURL: "https://pod.example.org/a.jpg"},
			[]models.PodcastEpisode{{GUID: "g", Title: "One", AudioURL: "https://pod.example.org/1.mp3"}})
		if err != nil {
			t.Fatal(err)
		}
		second, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Kind: models.KindPodcast, Title: "Episode one of Show", PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>"}, EpisodeID: eps[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		got, err = store.EpisodeOfTopic(ctx, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ShowTitle != "Show" || got.ShowAuthor != "Host" || got.ShowImageURL != show.ImageURL || *got.FeedID != show.ID {
			t.Fatalf("episode of topic %+v", got)
		}
	})
}
