package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/app/fetch"
	"rounds/app/imageproxy"
)

// podcastHost is a podcast's web site: its feed, an episode page that
// announces the feed, a bare audio file, a broken feed and a huge one.
func podcastHost(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Bedside Rounds</title>
    <link>https://podcast.example.org/</link>
    <description>Conversations about clinical reasoning.</description>
    <itunes:author>Dr. A. Host</itunes:author>
    <itunes:image href="https://podcast.example.org/art/show.jpg"/>
    <item>
      <title>Episode 41: Hyperkalemia myths</title>
      <guid>bedside-41</guid>
      <pubDate>Tue, 03 Jun 2025 08:00:00 +0000</pubDate>
      <enclosure url="/audio/41.mp3" length="48123456" type="audio/mpeg"/>
      <itunes:duration>1:02:03</itunes:duration>
    </item>
    <item>
      <title>Episode 42: Syncope work-up</title>
      <guid>bedside-42</guid>
      <link>https://podcast.example.org/42</link>
      <pubDate>Tue, 17 Jun 2025 08:00:00 +0000</pubDate>
      <description><![CDATA[<p>Who needs a monitor, and for how long.</p><p>With <b>Dr. Guest</b>.</p><script>alert(1)</script>]]></description>
      <enclosure url="/audio/42.m4a" length="30000000" type="audio/x-m4a"/>
      <itunes:duration>2705</itunes:duration>
    </item>
  </channel>
</rss>`)
	})
	mux.HandleFunc("/episodes/42", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Episode 42</title>
<link rel="alternate" type="application/rss+xml" title="Bedside Rounds" href="/feed.xml"></head>
<body><h1>Episode 42</h1></body></html>`)
	})
	mux.HandleFunc("/talks/grand-rounds.mp3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write([]byte("ID3\x03\x00\x00\x00\x00\x00\x00not really audio"))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Half a feed<item><enclosure url="`)
	})
	mux.HandleFunc("/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Huge</title>`)
		for i := range 2000 {
			fmt.Fprintf(w, `<item><title>Episode %d</title><enclosure url="/audio/%d.mp3" type="audio/mpeg"/><description>%s</description></item>`,
				i, i, strings.Repeat("words ", 20))
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// loopbackFetcher reaches the test's own servers, with a limit small
// enough for the huge feed to pass it.
func loopbackFetcher() apptest.Options {
	return apptest.Options{Fetcher: fetch.New(fetch.Options{UserAgent: "Rounds test", AllowLoopback: true, MaxBytes: 64 << 10})}
}

var episodeRadio = regexp.MustCompile(`name="episode" value="(\d+)" data-title="([^"]*)"( checked)?`)

func TestShareAPodcastEpisodeFromItsFeed(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		res := b.Get("/b/cardiology")
		mustContain(t, res, `href="/b/cardiology/podcast"`, "Share a podcast episode")
		res = b.Get("/b/cardiology/podcast")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `<label for="field-url">Podcast feed, episode page or audio file</label>`, `name="url"`)

		// Step 1: the feed's address gives its episodes, newest first.
		feed := host.URL + "/feed.xml"
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {feed}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Episode of Bedside Rounds", "Dr. A. Host", `name="url" value="`+feed+`"`,
			"17 Jun 2025", "45:05", "3 Jun 2025", "1:02:03", `name="title" type="text" value="Episode 42: Syncope work-up"`)
		radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
		if len(radios) != 2 || radios[0][2] != "Episode 42: Syncope work-up" || radios[0][3] == "" || radios[1][3] != "" {
			t.Fatalf("episode choices %q, want two, the newest first and checked", radios)
		}
		older := radios[1][1]

		// Step 2 refused: the text is kept, the choice too.
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {feed}, "episode": {older}, "title": {"Hyperkalemia"}, "body": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Write something before posting.", `value="`+older+`" data-title="Episode 41: Hyperkalemia myths" checked`)

		// An episode of another feed is not one of these.
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {feed}, "episode": {"999999"}, "title": {"Hyperkalemia myths"}, "body": {"Listen from 12:34."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose one of the episodes listed.", "Listen from 12:34.")

		// The preview shows the post without saving it.
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {feed}, "episode": {older}, "title": {"Hyperkalemia myths"}, "body": {"Calcium **first**"}, "preview": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<strong>first</strong>")

		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {feed}, "episode": {radios[0][1]}, "title": {"Syncope: who needs a monitor?"}, "tags": {"syncope"},
			"body": {"The key point is at 12:34."}})
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		audio := host.URL + "/audio/42.m4a"
		res = b.Get(topicPath)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `<audio id="episode-player" controls preload="none" src="`+audio+`">`,
			"Bedside Rounds", "Dr. A. Host", `<a href="https://podcast.example.org/42"`, "Episode 42: Syncope work-up",
			"17 Jun 2025", "45:05", "<p>Who needs a monitor, and for how long.\nWith Dr. Guest.</p>",
			// The artwork comes through the image proxy.
			`src="`+imageproxy.NewSigner(a.Config.Secret).URL("https://podcast.example.org/art/show.jpg")+`"`, `loading="lazy"`, `width="160" height="160"`,
			`<a class="timestamp" href="`+audio+`#t=754" data-seek="754" rel="nofollow ugc noopener noreferrer">12:34</a>`)
		mustNotContain(t, res, "alert(1)")
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "media-src https: 'self'") {
			t.Errorf("CSP %q does not let the player load https audio", csp)
		}

		// A reply's timestamps seek the player too; so do an edit's.
		var topicID int64
		fmt.Sscanf(topicPath, "/t/%d/", &topicID)
		other := a.Browser(t)
		other.SignIn(weber)
		res = other.Submit(topicPath, fmt.Sprintf("/t/%d/reply", topicID), url.Values{"body": {"Agreed, at 12:34 and again at 1:02:03."}})
		wantStatus(t, res, http.StatusSeeOther)
		res = other.Get(topicPath)
		mustContain(t, res, `href="`+audio+`#t=754" data-seek="754" rel="nofollow ugc noopener noreferrer">12:34</a>`, `href="`+audio+`#t=3723" data-seek="3723" rel="nofollow ugc noopener noreferrer">1:02:03</a>`)
		posts, err := a.Store.PostsInTopic(t.Context(), topicID, 2, 2)
		if err != nil || len(posts) != 1 {
			t.Fatalf("reply: %v %v", posts, err)
		}
		edit := fmt.Sprintf("/p/%d/edit", posts[0].ID)
		res = other.Submit(edit, edit, url.Values{"body": {"Rather at 0:45."}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, other.Get(topicPath), `href="`+audio+`#t=45" data-seek="45" rel="nofollow ugc noopener noreferrer">0:45</a>`)
	}, loopbackFetcher())
}

func TestShareAPodcastEpisodeFromItsPageOrAudio(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		// A page that announces its feed leads to the feed's episodes.
		res := b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {host.URL + "/episodes/42"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Episode of Bedside Rounds", `name="url" value="`+host.URL+`/feed.xml"`)
		if radios := episodeRadio.FindAllStringSubmatch(res.Body, -1); len(radios) != 2 {
			t.Fatalf("episode choices %q", radios)
		}

		// A bare audio file is the one episode.
		audio := host.URL + "/talks/grand-rounds.mp3"
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {audio}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Audio file", `name="title" type="text" value="grand-rounds.mp3"`)
		radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
		if len(radios) != 1 || radios[0][3] == "" {
			t.Fatalf("episode choices %q, want the one audio file, checked", radios)
		}
		res = b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {audio}, "episode": {radios[0][1]}, "title": {"Grand rounds: heart failure"}, "body": {"From 5:00 on."}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(res.Location())
		mustContain(t, res, `<audio id="episode-player" controls preload="none" src="`+audio+`">`, "grand-rounds.mp3",
			`href="`+audio+`#t=300" data-seek="300" rel="nofollow ugc noopener noreferrer">5:00</a>`)
		mustNotContain(t, res, "<img class=\"episode-art\"")
	}, loopbackFetcher())
}

func TestSharedLinksThatGiveNoEpisode(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)
		for _, c := range []struct{ name, url, want string }{
			{"broken feed", host.URL + "/broken.xml", "not valid RSS"},
			{"huge feed", host.URL + "/huge.xml", "too large"},
			{"missing page", host.URL + "/nothing-here", "does not exist"},
			{"empty", "", "Paste the address"},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {c.url}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, c.want, `aria-invalid="true"`, `name="url" type="url" inputmode="url" value="`+html.EscapeString(c.url)+`"`)
			})
		}
	}, loopbackFetcher())
}

func TestSharedLinksOnAPrivateNetworkAreRefused(t *testing.T) {
	host := podcastHost(t)
	a := apptest.New(t) // the fetcher the server makes for itself
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	for _, address := range []string{host.URL + "/feed.xml", "http://10.0.0.7/feed.xml", "http://169.254.169.254/latest/meta-data/"} {
		res := b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {address}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "private network", `value="`+address+`"`)
	}
}
