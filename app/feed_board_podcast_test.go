package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"rounds/app/apptest"
	"rounds/app/podcast"
	"rounds/models"
)

// fetchPodcast reads a board's podcast feed as a podcast app would: no
// cookies at all.
func fetchPodcast(t *testing.T, a *apptest.App, token, slug string) *apptest.Response {
	t.Helper()
	res := a.Browser(t).Do(httptest.NewRequest(http.MethodGet, "/feeds/"+token+"/b/"+slug+"/podcast.rss", nil))
	if sc := res.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Fatalf("the podcast feed set cookies: %q", sc)
	}
	return res
}

func TestBoardPodcastFeedGivesBackTheSharedEpisodes(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Topic(t, board, okafor, "A plain discussion", "Not a podcast.")
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		feedURL := host.URL + "/feed.xml"
		res := sharer.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {feedURL}})
		radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
		var topics []string
		for i, c := range []struct{ episode, title string }{
			{radios[1][1], "Hyperkalemia myths"},
			{radios[0][1], `Syncope & <b>monitors</b>: "who" needs one?`},
		} {
			res := sharer.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
				"url": {feedURL}, "episode": {c.episode}, "title": {c.title}, "body": {fmt.Sprintf("Topic %d.", i)}})
			wantStatus(t, res, http.StatusSeeOther)
			topics = append(topics, res.Location())
		}

		b := a.Browser(t)
		b.SignIn(weber)
		res = b.Submit("/settings/feeds", "/settings/feeds", nil)
		m := feedAddress.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no feed address:\n%s", res.Body)
		}
		token := m[1]
		mustContain(t, res, `value="http://rounds.test/feeds/`+token+`/b/cardiology/podcast.rss"`, "podcast app")

		res = fetchPodcast(t, a, token, "cardiology")
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		mustContain(t, res, `xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"`, "<itunes:block>Yes</itunes:block>",
			`<guid isPermaLink="false">`, "Syncope &amp; &lt;b&gt;monitors&lt;/b&gt;")
		mustNotContain(t, res, "<b>monitors", "A plain discussion")

		feed, err := gofeed.NewParser().ParseString(res.Body)
		if err != nil {
			t.Fatalf("gofeed cannot read our podcast feed: %v\n%s", err, res.Body)
		}
		if feed.FeedType != "rss" || feed.Title != "Cardiology · Rounds podcasts" || feed.Link != "http://rounds.test/b/cardiology" ||
			feed.ITunesExt == nil || feed.ITunesExt.Author != "Rounds" || feed.Image == nil || !strings.HasPrefix(feed.Image.URL, "http://rounds.test/") ||
			feed.Description == "" {
			t.Fatalf("channel %+v", feed)
		}
		if len(feed.Items) != 2 {
			t.Fatalf("%d items, want one per podcast topic", len(feed.Items))
		}
		type want struct {
			title, audio, typ, length, duration, image, topicTitle, topic string
			published                                                     time.Time
		}
		art := "https://podcast.example.org/art/show.jpg"
		for i, w := range []want{ // the newest topic first
			{"Episode 42: Syncope work-up", host.URL + "/audio/42.m4a", "audio/x-m4a", "30000000", "2705", art,
				`Syncope & <b>monitors</b>: "who" needs one?`, topics[1], time.Date(2025, 6, 17, 8, 0, 0, 0, time.UTC)},
			{"Episode 41: Hyperkalemia myths", host.URL + "/audio/41.mp3", "audio/mpeg", "48123456", "3723", art,
				"Hyperkalemia myths", topics[0], time.Date(2025, 6, 3, 8, 0, 0, 0, time.UTC)},
		} {
			item := feed.Items[i]
			var topicID int64
			fmt.Sscanf(w.topic, "/t/%d/", &topicID)
			if item.Title != w.title || item.Link != "http://rounds.test"+w.topic ||
				item.GUID != fmt.Sprintf("tag:rounds.test,2026:topic-%d", topicID) ||
				item.PublishedParsed == nil || !item.PublishedParsed.Equal(w.published) {
				t.Errorf("item %d: %q %q guid %q published %v", i, item.Title, item.Link, item.GUID, item.PublishedParsed)
			}
			if len(item.Enclosures) != 1 || item.Enclosures[0].URL != w.audio || item.Enclosures[0].Type != w.typ ||
				item.Enclosures[0].Length != w.length {
				t.Errorf("item %d enclosures %+v", i, item.Enclosures)
			}
			if item.ITunesExt == nil || item.ITunesExt.Duration != w.duration || item.ITunesExt.Image != w.image ||
				item.ITunesExt.Author != "Dr. A. Host" {
				t.Errorf("item %d itunes %+v", i, item.ITunesExt)
			}
			if !strings.Contains(item.Description, "Discussed on Rounds: “"+w.topicTitle+"” http://rounds.test"+w.topic) ||
				!strings.Contains(item.Description, "From Bedside Rounds.") {
				t.Errorf("item %d description %q", i, item.Description)
			}
		}
		if !strings.Contains(feed.Items[0].Description, "Who needs a monitor, and for how long.") {
			t.Errorf("the episode's notes are missing: %q", feed.Items[0].Description)
		}

		// Read as a podcast feed, ours gives back the episodes the show's
		// own feed gave.
		ours, err := podcast.ParseFeed("http://rounds.test/feeds/x/b/cardiology/podcast.rss", []byte(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := podcast.ParseFeed(feedURL, []byte(fetchBody(t, feedURL)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range theirs.Episodes {
			o, s := ours.Episodes[i], theirs.Episodes[i]
			if o.Title != s.Title || o.AudioURL != s.AudioURL || o.AudioType != s.AudioType || o.AudioLength != s.AudioLength ||
				o.Duration != s.Duration || !o.Published.Equal(s.Published) || o.ImageURL != s.ImageURL {
				t.Errorf("episode %d: ours %+v, the show's %+v", i, o, s)
			}
		}

		// A reader's copy is current until a topic is shared.
		etag := res.Header.Get("ETag")
		req := httptest.NewRequest(http.MethodGet, "/feeds/"+token+"/b/cardiology/podcast.rss", nil)
		req.Header.Set("If-None-Match", etag)
		wantStatus(t, a.Browser(t).Do(req), http.StatusNotModified)
	}, loopbackFetcher())
}

// fetchBody reads an address of the test's own servers.
func fetchBody(t *testing.T, address string) string {
	t.Helper()
	resp, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestBoardPodcastFeedIsRefused(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		cardiology := a.Board(t, "cardiology", "Cardiology")
		icu := a.Board(t, "icu-cases", "ICU cases")
		cardiologists := a.Group(t, "Cardiologists", "", "Cardiology")
		a.Restrict(t, icu, []*models.Group{cardiologists}, []*models.Group{cardiologists})
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		sharePodcast(t, sharer, "icu-cases", host.URL+"/feed.xml", "Closed door: syncope")
		okaforToken, _ := createFeed(t, sharer)

		b := a.Browser(t)
		b.SignIn(weber)
		token, boards := createFeed(t, b)
		if strings.Contains(strings.Join(boards, " "), "icu-cases") {
			t.Fatalf("a closed board is offered: %q", boards)
		}

		// A board closed to the token's member: the same 404 as no board.
		for _, slug := range []string{"icu-cases", "no-such-board"} {
			wantFeedMissing(t, fetchPodcast(t, a, token, slug))
		}
		res := fetchPodcast(t, a, okaforToken, "icu-cases")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Episode 42: Syncope work-up")

		// Access is checked at every request, not when the address was made.
		wantStatus(t, fetchPodcast(t, a, token, "cardiology"), http.StatusOK)
		a.Restrict(t, cardiology, []*models.Group{cardiologists}, nil)
		wantFeedMissing(t, fetchPodcast(t, a, token, "cardiology"))
		a.Restrict(t, cardiology, nil, nil)
		wantStatus(t, fetchPodcast(t, a, token, "cardiology"), http.StatusOK)

		// An unknown token, a revoked one, a suspended member: refused.
		wantFeedMissing(t, fetchPodcast(t, a, "not-a-feed-token", "cardiology"))
		res = b.Submit("/settings/feeds", "/settings/feeds/revoke", url.Values{})
		wantStatus(t, res, http.StatusSeeOther)
		wantFeedMissing(t, fetchPodcast(t, a, token, "cardiology"))
		if err := a.Store.DB().Exec(`UPDATE users SET status = ? WHERE id = ?`, models.StatusSuspended, okafor.ID).Error; err != nil {
			t.Fatal(err)
		}
		wantFeedMissing(t, fetchPodcast(t, a, okaforToken, "icu-cases"))
	}, loopbackFetcher())
}
