package seed

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/markdown"
	"rounds/models"
	"rounds/models/modelstest"
)

var demoSite = &url.URL{Scheme: "http", Host: "rounds.lan:8080"}

// The demo loads once, whole: a report waiting for the moderators, a show
// every member follows with a topic that plays its episode, cases with
// their summaries, and a card for every link, all with no network.
func TestLoadDemo(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		now := store.Now()
		loaded, show, err := LoadDemo(ctx, store, markdown.New(), now, demoSite)
		if err != nil || !loaded || show == nil {
			t.Fatalf("first load: %v, %v, %v", loaded, show, err)
		}
		queue, err := store.ReviewQueue(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 1 || queue[0].TopicTitle != "Ketamine vs etomidate for RSI in shock" || queue[0].PostNumber != 3 ||
			queue[0].Hidden || len(queue[0].Reasons) != 1 || queue[0].Reasons[0] != models.FlagMisinformation {
			t.Fatalf("the demo's review queue: %+v", queue)
		}

		t.Run("podcast", func(t *testing.T) {
			feed, episodes, err := store.EpisodesAt(ctx, "http://rounds.lan:8080/demo/podcast/feed.xml")
			if err != nil || feed == nil || len(episodes) != 3 {
				t.Fatalf("the show as stored: %+v, %d episodes, %v", feed, len(episodes), err)
			}
			if feed.Title != showTitle || episodes[0].PublishedAt == nil || !strings.HasPrefix(episodes[0].Title, "Episode 13") {
				t.Errorf("show %q, newest episode %q published %v", feed.Title, episodes[0].Title, episodes[0].PublishedAt)
			}
			for _, ep := range episodes {
				file := show.File(strings.TrimPrefix(ep.AudioURL, "http://rounds.lan:8080"))
				if file == nil || ep.AudioType != "audio/wav" || ep.AudioLength != int64(len(file.Body())) || ep.DurationSeconds != 24 {
					t.Errorf("episode %q: audio %s (%s, %d bytes, %ds) is not a file the site serves", ep.Title, ep.AudioURL,
						ep.AudioType, ep.AudioLength, ep.DurationSeconds)
				}
			}
			topic := demoTopicNamed(t, store, "Episode 12 discussion")
			if topic.Kind != models.KindPodcast {
				t.Fatalf("the episode's topic is a %s topic", topic.Kind)
			}
			ep, err := store.EpisodeOfTopic(ctx, topic.ID)
			if err != nil || ep.GUID != episodeGUID(lactateEpisode) {
				t.Fatalf("the topic discusses %+v, %v", ep, err)
			}
			posts, err := store.PostsInTopic(ctx, topic.ID, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(posts[0].Cooked, `data-seek="16"`) || !strings.Contains(posts[1].Cooked, `data-seek="16"`) {
				t.Errorf("the times in the posts do not play the episode:\n%s", posts[0].Cooked)
			}
			for _, m := range demoMembers() {
				u, err := store.UserByUsername(ctx, m.Username)
				if err != nil {
					t.Fatal(err)
				}
				shows, err := store.FollowedShows(ctx, u.ID, 10, 3)
				if err != nil || len(shows) != 1 || len(shows[0].Episodes) == 0 {
					t.Errorf("%s follows %+v, %v", m.Username, shows, err)
				}
			}
		})

		t.Run("cases", func(t *testing.T) {
			cases := 0
			for _, dt := range demoTopics() {
				if dt.summary == nil {
					continue
				}
				cases++
				topic := demoTopicNamed(t, store, dt.title)
				cs, err := store.CaseSummaryFor(ctx, topic.ID)
				if err != nil || topic.Kind != models.KindCase {
					t.Fatalf("%q: a %s topic with summary %+v, %v", dt.title, topic.Kind, cs, err)
				}
				if cs.AgeBand != dt.summary.AgeBand || cs.Question != dt.summary.Question || cs.AttestedByID != topic.AuthorID {
					t.Errorf("%q: summary %+v", dt.title, cs)
				}
				// A case without a discussion opens with its summary, as
				// the case form writes it, which the topic page shows once.
				isSummary := strings.TrimSpace(cs.OpeningSource) == strings.TrimSpace(markdown.CaseSummary(cs))
				if isSummary != (strings.TrimSpace(dt.posts[0].body) == "") {
					t.Errorf("%q: the opening post is the summary: %v\n%s", dt.title, isSummary, cs.OpeningSource)
				}
			}
			if cases < 3 {
				t.Errorf("%d case topics, want at least 3", cases)
			}
		})

		t.Run("previews", func(t *testing.T) {
			var pending []string
			if err := store.DB().Raw(`SELECT url FROM link_previews WHERE status <> ?`, models.PreviewReady).Scan(&pending).Error; err != nil {
				t.Fatal(err)
			}
			if len(pending) > 0 {
				t.Errorf("links with no recorded card, which the demo cannot fetch: %v", pending)
			}
			var kinds []string
			if err := store.DB().Raw(`SELECT DISTINCT lp.kind FROM link_previews lp JOIN post_links pl ON pl.preview_id = lp.id
				ORDER BY lp.kind`).Scan(&kinds).Error; err != nil {
				t.Fatal(err)
			}
			if strings.Join(kinds, " ") != "doi page pmid" {
				t.Errorf("the demo's posts show cards of kinds %v, want a DOI, a page and a PubMed ID", kinds)
			}
		})

		t.Run("answers, outcomes, polls and a consult", func(t *testing.T) {
			apixaban := demoTopicNamed(t, store, "Apixaban for AF in patients on hemodialysis")
			answer, err := store.AnswerOf(ctx, apixaban.ID)
			if err != nil || answer == nil || answer.Number != 2 || answer.AuthorName != "Priya Nair, PharmD" {
				t.Fatalf("the apixaban topic's answer: %+v, %v", answer, err)
			}
			posts, err := store.PostsInTopic(ctx, apixaban.ID, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			sam, err := store.UserByUsername(ctx, "samcohen")
			if err != nil {
				t.Fatal(err)
			}
			polls, err := store.PollsOn(ctx, sam.ID, []int64{posts[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			poll := polls[posts[0].ID]
			if poll == nil || poll.Voters != 8 || poll.Voted || len(poll.Options) != 4 || poll.Options[0].Votes != 4 {
				t.Fatalf("the apixaban topic's poll as the administrator sees it: %+v", poll)
			}
			outcomes := 0
			for _, dt := range demoTopics() {
				if dt.outcome == nil {
					continue
				}
				outcomes++
				topic := demoTopicNamed(t, store, dt.title)
				o, err := store.OutcomeOf(ctx, topic.ID)
				if err != nil || o.AuthorID != topic.AuthorID || !strings.Contains(o.Cooked, "<p>") {
					t.Errorf("%q: outcome %+v, %v", dt.title, o, err)
				}
			}
			if outcomes < 2 {
				t.Errorf("%d cases with an outcome, want at least 2", outcomes)
			}
			consults, err := store.Consults(ctx, sam.ID, 10)
			if err != nil || len(consults) != 1 || consults[0].With != "Priya Nair, PharmD" || consults[0].Unread != 0 {
				t.Fatalf("the administrator's consults: %+v, %v", consults, err)
			}
			messages, err := store.ConsultMessages(ctx, consults[0].ID)
			if err != nil || len(messages) != 3 || !messages[0].CreatedAt.Before(messages[2].CreatedAt) ||
				!consults[0].LastMessageAt.Equal(messages[2].CreatedAt) {
				t.Fatalf("the consult's messages: %+v, %v", messages, err)
			}
			amara, err := store.UserByUsername(ctx, "amara_okafor")
			if err != nil {
				t.Fatal(err)
			}
			if others, err := store.Consults(ctx, amara.ID, 10); err != nil || len(others) != 0 {
				t.Errorf("a member outside the consult lists %+v, %v", others, err)
			}
		})

		again, sameShow, err := LoadDemo(ctx, store, markdown.New(), now.Add(3*time.Hour), demoSite)
		if err != nil || again {
			t.Fatalf("second load: %v, %v; want nothing done", again, err)
		}
		if sameShow.FeedURL != show.FeedURL || !bytes.Equal(sameShow.File(PodcastPath+"feed.xml").Body(), show.File(PodcastPath+"feed.xml").Body()) {
			t.Error("a later start serves another feed than the show the demo stored")
		}
	})
}

func demoTopicNamed(t *testing.T, store *models.Store, prefix string) models.Topic {
	t.Helper()
	var topic models.Topic
	if err := store.DB().Where("title LIKE ?", prefix+"%").Take(&topic).Error; err != nil {
		t.Fatalf("topic %q: %v", prefix, err)
	}
	return topic
}
