package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/app/podcast"
	"rounds/models/testenv"
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
			// The first episodes are weeks old; those added later come
			// out as the test runs, on the site's clock (which starts at
			// testenv.Start).
			now := testenv.Start()
			published := now.AddDate(0, 0, int(i)-40)
			if int(i) > episodes {
				// (A second ahead: the feed's dates are whole seconds.)
				published = now.Add(2*time.Second - time.Duration(g.episodes.Load()-i)*time.Minute)
			}
			fmt.Fprintf(w, `<item><title>Pharm %d</title><guid>pharm-%d</guid><pubDate>%s</pubDate>
<description>Episode %d of the show.</description>
<enclosure url="/audio/%d.mp3" length="%d" type="audio/mpeg"/><itunes:duration>%d:00</itunes:duration></item>`,
				i, i, published.UTC().Format(time.RFC1123Z), i, i, 1000000+i, 20+i)
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

func TestThePeriodicRefreshSavesNewEpisodes(t *testing.T) {
	show := newGrowingShow(t, 2)
	opts := loopbackFetcher()
	opts.WorkJobs = true
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		show.episodes.Store(2)
		ctx := t.Context()
		// The node schedules the refresh and runs it once as it starts.
		waitFor(t, "the refresh to run when the node starts", func() bool {
			var n int64
			err := a.Store.DB().Table("river_job").Where("kind = ? AND state = ?", podcast.RefreshArgs{}.Kind(), "completed").Count(&n).Error
			if err != nil {
				t.Fatal(err)
			}
			return n > 0
		})

		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)
		sharePodcast(t, b, "cardiology", show.feedURL(), "Pharm 2: amiodarone")

		// The show publishes an episode; the next refresh finds it. (The
		// schedule's next run is 15 minutes away: this one is queued by
		// hand, and is not refused as a repeat of the finished one.)
		show.episodes.Store(3)
		if err := a.Jobs.Insert(ctx, podcast.RefreshArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the new episode", func() bool {
			_, eps, err := a.Store.EpisodesAt(ctx, show.feedURL())
			if err != nil {
				t.Fatal(err)
			}
			return len(eps) == 3 && eps[0].Title == "Pharm 3" && eps[0].AudioURL == show.srv.URL+"/audio/3.mp3"
		})
		feed, _, err := a.Store.EpisodesAt(ctx, show.feedURL())
		if err != nil {
			t.Fatal(err)
		}
		if feed.NextFetchAt == nil || feed.NextFetchAt.Sub(a.Store.Now()) < 5*time.Hour || feed.Failures != 0 {
			t.Fatalf("feed after the refresh: next %v, failures %d", feed.NextFetchAt, feed.Failures)
		}
	}, opts)
}

// waitFor polls until done says yes; the limit only keeps a broken job
// from hanging the test.
func waitFor(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !done(); {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
