package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"rounds/app"
	"rounds/app/apptest"
	"rounds/app/jobs"
)

// growingShow is a podcast host whose feed gains episodes while a test
// runs, and that can be made to fail.
type growingShow struct {
	episodes atomic.Int32
	failing  atomic.Bool
	srv      *httptest.Server
}

func newGrowingShow(t *testing.T, episodes int) *growingShow {
	t.Helper()
	g := &growingShow{}
	g.episodes.Store(int32(episodes))
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.failing.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Pharm Rounds</title><itunes:author>Dr. P. Host</itunes:author><description>Drugs, briefly.</description>`)
		for i := g.episodes.Load(); i >= 1; i-- {
			fmt.Fprintf(w, `<item><title>Pharm %d</title><guid>pharm-%d</guid><pubDate>%s</pubDate>
<description>Episode %d of the show.</description>
<enclosure url="/audio/%d.mp3" length="%d" type="audio/mpeg"/><itunes:duration>%d:00</itunes:duration></item>`,
				i, i, time.Now().AddDate(0, 0, int(i)-40).UTC().Format(time.RFC1123Z), i, i, 1000000+i, 20+i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *growingShow) feedURL() string { return g.srv.URL + "/feed.xml" }

// sharePodcast has a signed-in member open a topic on the newest episode of
// a feed and returns the topic's path.
func sharePodcast(t *testing.T, b *apptest.Browser, board, feedURL, title string) string {
	t.Helper()
	res := b.Submit("/b/"+board+"/podcast", "/b/"+board+"/podcast", url.Values{"url": {feedURL}})
	wantStatus(t, res, http.StatusOK)
	radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
	if len(radios) == 0 {
		t.Fatalf("no episodes offered:\n%s", res.Body)
	}
	res = b.Submit("/b/"+board+"/podcast", "/b/"+board+"/podcast", url.Values{
		"url": {feedURL}, "episode": {radios[0][1]}, "title": {title}, "body": {"Worth a listen."}})
	wantStatus(t, res, http.StatusSeeOther)
	return res.Location()
}

// startQueue works the site's background jobs, periodic ones included, as
// a node does, from now until the test ends.
func startQueue(t *testing.T, a *apptest.App, opts apptest.Options) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bg := app.NewBackground(a.Config, a.Store, opts.Fetcher, log)
	queue, err := jobs.New(a.Store, log, jobs.Options{Register: bg.Register, Periodic: bg.Periodic(), PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := queue.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := queue.Stop(ctx); err != nil {
			t.Errorf("stop job queue: %v", err)
		}
	})
}

func TestThePeriodicRefreshSavesNewEpisodes(t *testing.T) {
	show := newGrowingShow(t, 2)
	opts := loopbackFetcher()
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		show.episodes.Store(2)
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)
		sharePodcast(t, b, "cardiology", show.feedURL(), "Pharm 2: amiodarone")

		// The show publishes an episode; the node's first refresh, run
		// when it starts, finds it.
		show.episodes.Store(3)
		startQueue(t, a, opts)
		for deadline := time.Now().Add(30 * time.Second); ; {
			_, eps, err := a.Store.EpisodesAt(t.Context(), show.feedURL())
			if err != nil {
				t.Fatal(err)
			}
			if len(eps) == 3 {
				if eps[0].Title != "Pharm 3" || eps[0].AudioURL != show.srv.URL+"/audio/3.mp3" {
					t.Fatalf("new episode %+v", eps[0])
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the refresh job did not save the new episode: %d episodes", len(eps))
			}
			time.Sleep(20 * time.Millisecond)
		}
		feed, _, err := a.Store.EpisodesAt(t.Context(), show.feedURL())
		if err != nil {
			t.Fatal(err)
		}
		if feed.NextFetchAt == nil || time.Until(*feed.NextFetchAt) < 5*time.Hour || feed.Failures != 0 {
			t.Fatalf("feed after the refresh: next %v, failures %d", feed.NextFetchAt, feed.Failures)
		}
	}, opts)
}
