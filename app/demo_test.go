package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/app/podcast"
	"rounds/models"
)

// demoTopic finds a topic of the demo community by the start of its title.
func demoTopic(t *testing.T, a *apptest.App, prefix string) models.Topic {
	t.Helper()
	var topic models.Topic
	if err := a.Store.DB().Where("title LIKE ?", prefix+"%").Take(&topic).Error; err != nil {
		t.Fatalf("topic %q: %v", prefix, err)
	}
	return topic
}

func topicPath(topic models.Topic) string { return fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug) }

// The demo shows every feature with no network: its own show, served by
// the site, followed by its members, with a topic that plays an episode;
// cases with their cards; links with their cards.
func TestDemoShowsItsFeaturesOffline(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		guest := a.Browser(t)
		feed := guest.Get("/demo/podcast/feed.xml")
		wantStatus(t, feed, http.StatusOK)
		if ct := feed.Header.Get("Content-Type"); ct != "application/rss+xml" {
			t.Errorf("the feed is served as %q", ct)
		}
		show, err := podcast.ParseFeed(a.Podcast.FeedURL, []byte(feed.Body))
		if err != nil || len(show.Episodes) != 3 {
			t.Fatalf("the served feed: %+v, %v", show, err)
		}
		// A player seeks with range requests.
		req := httptest.NewRequest(http.MethodGet, "/demo/podcast/episode-12.wav", nil)
		req.Header.Set("Range", "bytes=0-99")
		part := guest.Do(req)
		wantStatus(t, part, http.StatusPartialContent)
		if len(part.Body) != 100 || !strings.HasPrefix(part.Body, "RIFF") || part.Header.Get("Content-Type") != "audio/wav" {
			t.Errorf("a range of the audio: %d bytes of %q", len(part.Body), part.Header.Get("Content-Type"))
		}
		wantStatus(t, guest.Get("/demo/podcast/episode-99.wav"), http.StatusNotFound)

		b := a.Browser(t)
		b.SignInAs("samcohen")
		shows := b.Get("/podcasts")
		wantStatus(t, shows, http.StatusOK)
		mustContain(t, shows, "The Rounds Podcast", "Episode 13: Liberation", "Episode 12: Lactate is not a perfusion number")

		episode := b.Get(topicPath(demoTopic(t, a, "Episode 12 discussion")))
		wantStatus(t, episode, http.StatusOK)
		audio := a.Config.BaseURL.String() + "/demo/podcast/episode-12.wav"
		mustContain(t, episode, `<audio id="episode-player" controls preload="none" src="`+audio+`"`,
			`<a class="timestamp" href="`+audio+`#t=16" data-seek="16" rel="nofollow ugc noopener noreferrer">0:16</a>`,
			// Cards recorded with the demo: a PubMed ID written out, and a DOI.
			`<a href="https://pubmed.ncbi.nlm.nih.gov/20179283/" rel="nofollow ugc noopener noreferrer">PMID: 20179283</a>`,
			`<span class="link-card-source"><cite>JAMA</cite> · 2010 · PMID 20179283</span>`,
			`<span class="link-card-source"><cite>JAMA</cite> · 2019 · doi:10.1001/jama.2019.0071</span>`)
		mustContain(t, b.Get(topicPath(demoTopic(t, a, "Refractory VT"))), `<ul class="link-cards"`,
			"2022 ESC Guidelines for the management of patients with ventricular arrhythmias", "OUP Academic")

		syncope := b.Get(topicPath(demoTopic(t, a, "Case: woman in her 50s")))
		mustContain(t, syncope, `<section class="case-summary"`, "<dd>50–59</dd>", "<dd>Female</dd>",
			"Presented the case summarised above.")
		if n := strings.Count(syncope.Body, "right bundle branch block with left anterior fascicular block"); n != 1 {
			t.Errorf("the case's work-up shows %d times, want once", n)
		}
		subdural := b.Get(topicPath(demoTopic(t, a, "Case: man in his 70s")))
		mustContain(t, subdural, `<section class="case-summary"`, "<dd>70–79</dd>", "<strong>two-hour transfer</strong>")
		mustNotContain(t, subdural, "Presented the case summarised above.")

		// The show is read again as any shared feed is, through the site's
		// fetcher, with no network and no failure.
		worker := &podcast.RefreshWorker{Store: a.Store, Fetcher: a.Site.Fetcher, Now: a.Clock.Now}
		if n, err := worker.Refresh(context.Background()); err != nil || n != 1 {
			t.Fatalf("refresh read %d feeds: %v", n, err)
		}
		stored, _, err := a.Store.EpisodesAt(context.Background(), a.Podcast.FeedURL)
		if err != nil || stored.Failures != 0 || stored.FetchedAt == nil {
			t.Fatalf("the show after a refresh: %+v, %v", stored, err)
		}
		// A member can share an episode of it as of any show.
		found := b.Submit("/b/podcasts/podcast", "/b/podcasts/podcast", url.Values{"url": {a.Podcast.FeedURL}})
		wantStatus(t, found, http.StatusOK)
		mustContain(t, found, "Episode of The Rounds Podcast", "Episode 11: Push-dose pressors")
	}, apptest.Options{Demo: true})
}

// In the demo, an applicant with an address on its work-email domain
// verifies by the code mailed there, which the demo's administrator reads
// on the Mail page, as the verification page tells them.
func TestDemoApplicantVerifiesByEmailCode(t *testing.T) {
	a := apptest.New(t, apptest.Options{Demo: true})
	applicant := a.Browser(t)
	applicant.SignInAs("applicant")
	wantStatus(t, applicant.Submit("/verify", "/verify", application("sam.rivera@stmary.example.org")), http.StatusSeeOther)
	page := applicant.Get("/verify")
	mustContain(t, page, "stmary.example.org", "Send me a code")
	sent := applicant.Submit("/verify", "/verify/email", nil)
	wantStatus(t, sent, http.StatusOK)
	mustContain(t, sent, "We sent a 6-digit code to sam.rivera@stmary.example.org",
		"no mail leaves it", "sign in there as Dr. Samuel Cohen, the demo's administrator, and open <strong>Mail</strong>")

	admin := a.Browser(t)
	admin.SignInAs("samcohen")
	list := admin.Get("/admin/outbox")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, "sam.rivera@stmary.example.org")
	link := regexpFind(t, `href="(/admin/outbox/[^"]+)"`, list.Body)
	code := regexpFind(t, `\b(\d{6})\b`, between(admin.Get(link).Body, `<pre class="mail-text">`, "</pre>"))

	confirmed := applicant.Submit("/verify", "/verify/email/confirm", url.Values{"code": {code}})
	wantStatus(t, confirmed, http.StatusSeeOther)
	mustContain(t, applicant.Get("/verify"), "You are verified")
}

// regexpFind is the first group of the first match of pattern in s.
func regexpFind(t *testing.T, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", pattern, s)
	}
	return m[1]
}
