package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// showHost serves one show's feed, counting the reads, until it is told
// the feed is gone.
type showHost struct {
	*httptest.Server
	reads atomic.Int64
	gone  atomic.Bool
}

func newShowHost(t *testing.T) *showHost {
	t.Helper()
	h := &showHost{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.reads.Add(1)
		if h.gone.Load() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Night Shift Notes</title>
<item><title>Delirium on the ward</title><guid>ns-1</guid><enclosure url="/1.mp3" type="audio/mpeg"/></item>
<item><title>Handover that works</title><guid>ns-2</guid><enclosure url="/2.mp3" type="audio/mpeg"/></item>
</channel></rss>`)
	}))
	t.Cleanup(h.Close)
	return h
}

func TestPodcastLinksAreFetchedWithinALimit(t *testing.T) {
	host := newShowHost(t)
	opts := loopbackFetcher()
	opts.Env = map[string]string{"ROUNDS_RATE_LIMITS": "fetch=2/1m,fetch_ip=3/1m"}
	a := apptest.New(t, opts)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	a.Board(t, "cardiology", "Cardiology")
	share := func(b *apptest.Browser, address string) *apptest.Response {
		return b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {address}})
	}
	b := a.Browser(t)
	b.SignIn(okafor)
	for i := range 2 {
		wantStatus(t, share(b, host.URL+"/feed.xml?try="+strconv.Itoa(i)), http.StatusOK)
	}
	address := host.URL + "/feed.xml?try=2"
	res := share(b, address)
	wantStatus(t, res, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 30 {
		t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	// The refusal is on the form, which keeps the link.
	mustContain(t, res, "You have asked Rounds to fetch a link or image 2 times in 1 minute", `aria-invalid="true"`,
		`name="url" type="url" inputmode="url" value="`+address+`"`)
	if n := host.reads.Load(); n != 2 {
		t.Fatalf("the feed was read %d times, want 2: a refused link went out", n)
	}

	// Another member on the same network has the network's allowance left.
	other := a.Browser(t)
	other.SignIn(weber)
	wantStatus(t, share(other, host.URL+"/feed.xml?try=3"), http.StatusOK)
	res = share(other, host.URL+"/feed.xml?try=4")
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "fetch a link or image from this network 3 times in 1 minute")
	if n := host.reads.Load(); n != 3 {
		t.Fatalf("the feed was read %d times, want 3", n)
	}
}

// A show discussed only in a board a member cannot read is never listed
// to them from what is stored: its feed is read afresh for them.
func TestPodcastSecondStepHidesShowsOfClosedBoards(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		host := newShowHost(t)
		feed := host.URL + "/feed.xml"
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		outsider := a.VerifiedMember(t, "outsider", "Pat Outsider", "Pharmacy")
		icu := a.Board(t, "icu", "ICU")
		a.Restrict(t, icu, []*models.Group{a.Group(t, "ICU team", "", "", okafor, weber)}, nil)
		a.Board(t, "pharmacy", "Pharmacy")

		// Okafor shares the show in the closed board.
		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Submit("/b/icu/podcast", "/b/icu/podcast", url.Values{"url": {feed}})
		wantStatus(t, res, http.StatusOK)
		radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
		if len(radios) != 2 {
			t.Fatalf("episode choices %q", radios)
		}
		episode := radios[0][1]
		// Before it is posted, nothing about it is private: a second
		// member's second step uses what is stored, without a read.
		colleague := a.Browser(t)
		colleague.SignIn(outsider)
		step2 := url.Values{"url": {feed}, "episode": {episode}, "title": {"On the wards"},
			"body": {"Worth a listen at 3:10."}, "preview": {"1"}}
		res = colleague.Submit("/b/pharmacy/podcast", "/b/pharmacy/podcast", step2)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Night Shift Notes")
		if n := host.reads.Load(); n != 1 {
			t.Fatalf("the feed was read %d times, want 1", n)
		}
		res = b.Submit("/b/icu/podcast", "/b/icu/podcast", url.Values{"url": {feed}, "episode": {episode},
			"title": {"Delirium rounds"}, "body": {"Our protocol differs."}})
		wantStatus(t, res, http.StatusSeeOther)

		// The feed has gone private since. A member of the closed board is
		// still shown the stored show; the outsider's second step reads
		// the feed afresh, finds nothing, and keeps the post they wrote.
		host.gone.Store(true)
		nurse := a.Browser(t)
		nurse.SignIn(weber)
		res = nurse.Submit("/b/icu/podcast", "/b/icu/podcast", step2)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Night Shift Notes", "Delirium on the ward")
		reads := host.reads.Load()
		res = colleague.Submit("/b/pharmacy/podcast", "/b/pharmacy/podcast", step2)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustNotContain(t, res, "Night Shift Notes", "Delirium on the ward", "Handover that works")
		mustContain(t, res, "does not exist", "Your post is kept below", `value="On the wards"`, "Worth a listen at 3:10.</textarea>")
		if n := host.reads.Load(); n != reads+1 {
			t.Fatalf("the feed was read %d times for the outsider's second step, want once", n-reads)
		}

		// Sent again once the feed is back, the kept post reaches the
		// second step afresh, still holding what they wrote.
		host.gone.Store(false)
		res = colleague.Submit("/b/pharmacy/podcast", "/b/pharmacy/podcast", url.Values{"url": {feed},
			"title": {"On the wards"}, "body": {"Worth a listen at 3:10."}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Night Shift Notes", `value="On the wards"`, "Worth a listen at 3:10.</textarea>")
		res = colleague.Submit("/b/pharmacy/podcast", "/b/pharmacy/podcast", url.Values{"url": {feed}, "episode": {episode},
			"title": {"On the wards"}, "body": {"Worth a listen at 3:10."}})
		wantStatus(t, res, http.StatusSeeOther)
	}, loopbackFetcher())
}
