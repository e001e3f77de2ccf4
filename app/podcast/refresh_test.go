package podcast_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rounds/app/fetch"
	"rounds/app/podcast"
	"rounds/models"
	"rounds/models/modelstest"
)

// showHost plays a podcast's host: the feed it serves changes as the test
// says, and it answers a conditional request for the current version 304.
type showHost struct {
	mu       sync.Mutex
	mode     string // "feed", "500", "broken", "huge"
	episodes int
	requests int
	lastTag  string // If-None-Match of the last request
	srv      *httptest.Server
}

func newShowHost(t *testing.T) *showHost {
	h := &showHost{mode: "feed", episodes: 1}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *showHost) set(mode string, episodes int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mode, h.episodes = mode, episodes
}

func (h *showHost) seen() (int, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests, h.lastTag
}

func (h *showHost) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests++
	h.lastTag = r.Header.Get("If-None-Match")
	w.Header().Set("Content-Type", "application/rss+xml")
	switch h.mode {
	case "500":
		http.Error(w, "upstream down", http.StatusInternalServerError)
		return
	case "broken":
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Half a feed<item><enclosure url="`)
		return
	case "huge":
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Huge</title>`)
		for i := range 2000 {
			fmt.Fprintf(w, `<item><title>Episode %d</title><enclosure url="/a/%d.mp3" type="audio/mpeg"/><description>%s</description></item>`,
				i, i, strings.Repeat("words ", 20))
		}
		fmt.Fprint(w, `</channel></rss>`)
		return
	}
	etag := fmt.Sprintf(`"v%d"`, h.episodes)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Bedside Rounds</title><itunes:author>Dr. A. Host</itunes:author>`)
	for i := h.episodes; i >= 1; i-- {
		fmt.Fprintf(w, `<item><title>Episode %d</title><guid>ep-%d</guid><pubDate>%s</pubDate>
<enclosure url="/audio/%d.mp3" length="1000" type="audio/mpeg"/><itunes:duration>30:00</itunes:duration></item>`,
			i, i, time.Date(2025, 6, i, 8, 0, 0, 0, time.UTC).Format(time.RFC1123Z), i)
	}
	fmt.Fprint(w, `</channel></rss>`)
}

// clock is a test's time, moved by hand.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time            { return c.now }
func (c *clock) advance(d time.Duration)   { c.now = c.now.Add(d) }
func (c *clock) at(d time.Duration) string { return c.now.Add(d).UTC().Format(time.RFC3339) }

func TestRefreshReadsFeedsDueAndBacksOffFailures(t *testing.T) {
	host := newShowHost(t)
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		host.set("feed", 1)
		feedURL := host.srv.URL + "/feed.xml"
		feed, _, err := store.SaveShow(ctx, models.PodcastFeed{URL: feedURL, Title: "Bedside Rounds"},
			[]models.PodcastEpisode{{GUID: "ep-1", Title: "Episode 1", AudioURL: host.srv.URL + "/audio/1.mp3"}})
		if err != nil {
			t.Fatal(err)
		}
		// A show nobody discusses or follows is left alone.
		if _, _, err := store.SaveShow(ctx, models.PodcastFeed{URL: host.srv.URL + "/unloved.xml"},
			[]models.PodcastEpisode{{GUID: "x", AudioURL: host.srv.URL + "/x.mp3"}}); err != nil {
			t.Fatal(err)
		}
		u := &models.User{Username: "okafor", DisplayName: "Dr. Amara Okafor", Status: models.StatusVerified}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := store.FollowShow(ctx, u.ID, feed.ID); err != nil {
			t.Fatal(err)
		}

		clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		w := &podcast.RefreshWorker{Store: store, Now: clk.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Fetcher: fetch.New(fetch.Options{AllowLoopback: true, MaxBytes: 64 << 10})}
		requests := 0
		refresh := func(wantRead int) *models.PodcastFeed {
			t.Helper()
			host.mu.Lock()
			host.requests = 0
			host.mu.Unlock()
			n, err := w.Refresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			requests, _ = host.seen()
			if n != wantRead || requests != wantRead {
				t.Fatalf("read %d feeds with %d requests, want %d", n, requests, wantRead)
			}
			got, err := store.PodcastFeedByID(ctx, feed.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		episodes := func() []string {
			t.Helper()
			_, eps, err := store.EpisodesAt(ctx, feedURL)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, e := range eps {
				titles = append(titles, e.Title)
			}
			return titles
		}
		when := func(at *time.Time) string {
			if at == nil {
				return "never"
			}
			return at.UTC().Format(time.RFC3339)
		}

		// The feed gained an episode since it was shared: it is saved.
		host.set("feed", 2)
		got := refresh(1)
		if titles := episodes(); len(titles) != 2 || titles[0] != "Episode 2" {
			t.Fatalf("episodes %q, want the new one first", titles)
		}
		if got.Failures != 0 || got.LastError != "" || got.ETag != `"v2"` || when(got.NextFetchAt) != clk.at(6*time.Hour) ||
			when(got.FetchedAt) != clk.at(0) || got.Author != "Dr. A. Host" {
			t.Fatalf("after a good read: %+v", got)
		}

		// Not due again for six hours.
		clk.advance(5 * time.Hour)
		refresh(0)

		// Unchanged: the site answers 304 to the ETag, and all is kept.
		clk.advance(time.Hour)
		got = refresh(1)
		if _, tag := host.seen(); tag != `"v2"` {
			t.Errorf("sent If-None-Match %q", tag)
		}
		if titles := episodes(); len(titles) != 2 || got.ETag != `"v2"` || got.Title != "Bedside Rounds" ||
			when(got.NextFetchAt) != clk.at(6*time.Hour) || got.Failures != 0 {
			t.Fatalf("after 304: %+v with %q", got, titles)
		}
		lastGood := when(got.FetchedAt)

		// Failures rest the feed longer each time, and say why.
		for _, c := range []struct {
			mode, msg string
			rest      time.Duration
		}{
			{"500", "The site answered with an error (HTTP 500).", 30 * time.Minute},
			{"broken", "not valid RSS", time.Hour},
			{"huge", "too large", 2 * time.Hour},
		} {
			clk.advance(6 * time.Hour)
			host.set(c.mode, 2)
			got = refresh(1)
			if !strings.Contains(got.LastError, c.msg) || when(got.NextFetchAt) != clk.at(c.rest) || when(got.FetchedAt) != lastGood {
				t.Fatalf("%s: failures %d, error %q, next %s (want %s), last read %s", c.mode, got.Failures, got.LastError,
					when(got.NextFetchAt), clk.at(c.rest), when(got.FetchedAt))
			}
			if titles := episodes(); len(titles) != 2 {
				t.Fatalf("%s: episodes %q, want those read before", c.mode, titles)
			}
			// Resting: not read before its time.
			clk.advance(c.rest - time.Minute)
			refresh(0)
			clk.advance(-(c.rest - time.Minute))
		}
		if got.Failures != 3 {
			t.Fatalf("failures %d, want 3", got.Failures)
		}

		// The site recovers with a third episode: the run of failures ends.
		clk.advance(2 * time.Hour)
		host.set("feed", 3)
		got = refresh(1)
		if titles := episodes(); len(titles) != 3 || titles[0] != "Episode 3" {
			t.Fatalf("episodes %q", titles)
		}
		if got.Failures != 0 || got.LastError != "" || when(got.FetchedAt) != clk.at(0) || got.ETag != `"v3"` {
			t.Fatalf("after recovery: %+v", got)
		}
	})
}

func TestBackoffDoublesUpToAWeek(t *testing.T) {
	for failures, want := range map[int]time.Duration{
		1: 30 * time.Minute, 2: time.Hour, 3: 2 * time.Hour, 4: 4 * time.Hour,
		9: 128 * time.Hour, 10: 7 * 24 * time.Hour, 60: 7 * 24 * time.Hour,
	} {
		if got := podcast.Backoff(failures); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", failures, got, want)
		}
	}
}
