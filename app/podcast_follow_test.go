package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/app/podcast"
	"rounds/models"
)

// refreshFeeds runs the background re-read of feeds once, as the periodic
// job would at the given moment.
func refreshFeeds(t *testing.T, a *apptest.App, opts apptest.Options, at time.Time) {
	t.Helper()
	w := &podcast.RefreshWorker{Store: a.Store, Fetcher: opts.Fetcher, Now: func() time.Time { return at },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := w.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTheSharerSeesWhenTheShowsFeedFails(t *testing.T) {
	show := newGrowingShow(t, 2)
	opts := loopbackFetcher()
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		show.failing.Store(false)
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		park := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		a.Board(t, "cardiology", "Cardiology")
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		topic := sharePodcast(t, sharer, "cardiology", show.feedURL(), "Pharm 2: amiodarone")
		other := a.Browser(t)
		other.SignIn(weber)
		mod := a.Browser(t)
		mod.SignIn(park)

		// All is well: nobody is told anything.
		refreshFeeds(t, a, opts, a.Store.Now())
		mustNotContain(t, sharer.Get(topic), "cannot read this show")

		// The host fails: the sharer and moderators are told, with the
		// reason, when it last worked and that Rounds keeps trying.
		show.failing.Store(true)
		refreshFeeds(t, a, opts, a.Store.Now().Add(7*time.Hour))
		for _, b := range []*apptest.Browser{sharer, mod} {
			res := b.Get(topic)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "Rounds cannot read this show's feed.", "The last try failed: The site answered with an error (HTTP 503).",
				"It last worked", "Rounds keeps retrying on its own, next at")
		}
		res := other.Get(topic)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Pharm 2")
		mustNotContain(t, res, "cannot read this show", "HTTP 503")

		// It fails again, and the count says so.
		refreshFeeds(t, a, opts, a.Store.Now().Add(8*time.Hour))
		mustContain(t, sharer.Get(topic), "The last 2 tries failed")

		// Once the host is back, the notice goes.
		show.failing.Store(false)
		refreshFeeds(t, a, opts, a.Store.Now().Add(10*time.Hour))
		mustNotContain(t, sharer.Get(topic), "cannot read this show")
		mustNotContain(t, mod.Get(topic), "cannot read this show")
	}, opts)
}

var followAction = regexp.MustCompile(`action="/podcasts/(\d+)/(follow|unfollow)"`)

func TestFollowAShowFromItsTopic(t *testing.T) {
	show := newGrowingShow(t, 2)
	opts := loopbackFetcher()
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		topic := sharePodcast(t, sharer, "cardiology", show.feedURL(), "Pharm 2: amiodarone")

		b := a.Browser(t)
		b.SignIn(weber)
		res := b.Get(topic)
		mustContain(t, res, "Follow this show")
		m := followAction.FindStringSubmatch(res.Body)
		if m == nil || m[2] != "follow" {
			t.Fatalf("no follow form on the topic:\n%s", res.Body)
		}
		feedID, _ := strconv.ParseInt(m[1], 10, 64)

		res = b.Submit(topic, "/podcasts/"+m[1]+"/follow", url.Values{"return": {topic}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != topic {
			t.Fatalf("after following, sent to %q, want back to %q", res.Location(), topic)
		}
		if ok, err := a.Store.FollowsShow(t.Context(), weber.ID, feedID); err != nil || !ok {
			t.Fatalf("follows: %v %v", ok, err)
		}
		res = b.Get(topic)
		mustContain(t, res, "You follow this show.", `action="/podcasts/`+m[1]+`/unfollow"`)

		// Following twice is still following once; another site's return
		// address is not followed.
		res = b.Submit(topic, "/podcasts/"+m[1]+"/follow", url.Values{"return": {"https://evil.example/"}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/" {
			t.Fatalf("sent to %q", res.Location())
		}

		res = b.Submit(topic, "/podcasts/"+m[1]+"/unfollow", url.Values{"return": {topic}})
		wantStatus(t, res, http.StatusSeeOther)
		if ok, err := a.Store.FollowsShow(t.Context(), weber.ID, feedID); err != nil || ok {
			t.Fatalf("still follows: %v %v", ok, err)
		}
		mustContain(t, b.Get(topic), "Follow this show")

		// A form without the CSRF token is refused.
		res = b.Post("/podcasts/"+m[1]+"/follow", url.Values{"return": {topic}})
		wantStatus(t, res, http.StatusForbidden)
	}, opts)
}

func TestAShowDiscussedOnlyInAClosedBoardCannotBeFollowed(t *testing.T) {
	show := newGrowingShow(t, 2)
	opts := loopbackFetcher()
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Board(t, "lounge", "Lounge")
		cardiologists := a.Group(t, "Cardiologists", "", "Cardiology")
		a.Restrict(t, board, []*models.Group{cardiologists}, []*models.Group{cardiologists})
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		topic := sharePodcast(t, sharer, "cardiology", show.feedURL(), "Pharm 2: amiodarone")
		m := followAction.FindStringSubmatch(sharer.Get(topic).Body)
		if m == nil {
			t.Fatal("no follow form for the sharer")
		}

		b := a.Browser(t)
		b.SignIn(weber)
		res := b.Submit("/b/lounge", "/podcasts/"+m[1]+"/follow", nil)
		wantStatus(t, res, http.StatusNotFound)
		if ok, err := a.Store.FollowsShow(t.Context(), weber.ID, mustInt(t, m[1])); err != nil || ok {
			t.Fatalf("follows a show they cannot see: %v %v", ok, err)
		}
	}, opts)
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
