package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// withSession sends GET path with only the given session cookie, as a
// browser that kept a copy of it would.
func withSession(t *testing.T, a *apptest.App, token, path string) *apptest.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: "rounds_session", Value: token})
	return a.Browser(t).Do(req)
}

// Every kind the read cache keeps (sessions, header counts, board access,
// topics, the boards a member may search) is cached, but any write on this
// node is seen by the next request: signing out, a suspension, a role
// given, a new notification, a board closed, a topic locked. Each subtest
// reads a page twice first, so that the second comes from the cache.
func TestReadCacheSeesWritesOnThisNodeAtOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in CKD", "Dosing below a CrCl of 25?")
		path := "/t/" + strconv.FormatInt(topic.ID, 10)

		t.Run("sign out", func(t *testing.T) {
			b := a.Browser(t)
			b.SignIn(okafor)
			token := b.Cookies()["rounds_session"]
			wantStatus(t, withSession(t, a, token, path), http.StatusOK)
			wantStatus(t, withSession(t, a, token, path), http.StatusOK) // from the cache
			wantStatus(t, b.Submit(path, "/sign-out", nil), http.StatusSeeOther)
			// The copied cookie is a visitor's now: topic pages are for members.
			if res := withSession(t, a, token, path); res.Status == http.StatusOK {
				t.Fatalf("a signed-out session still reads the topic")
			}
		})

		t.Run("role", func(t *testing.T) {
			adeyemi := a.VerifiedMember(t, "adeyemi", "Dr. Tunde Adeyemi", "Nephrology")
			b := a.Browser(t)
			b.SignIn(adeyemi)
			token := b.Cookies()["rounds_session"]
			wantStatus(t, withSession(t, a, token, path), http.StatusOK)
			if res := b.Get("/mod/review"); res.Status == http.StatusOK {
				t.Fatalf("a member reads the review queue")
			}
			// A new role ends the member's sessions; the next sign-in has it.
			if err := a.Store.SetRole(ctx, adeyemi.ID, models.RoleModerator); err != nil {
				t.Fatal(err)
			}
			if res := withSession(t, a, token, path); res.Status == http.StatusOK {
				t.Fatalf("a session ended by a role change still reads the topic")
			}
			b = a.Browser(t)
			b.SignIn(adeyemi)
			wantStatus(t, b.Get("/mod/review"), http.StatusOK)
		})

		t.Run("notification", func(t *testing.T) {
			b := a.Browser(t)
			b.SignIn(okafor)
			mustNotContain(t, b.Get(path), `<span class="unread-count">`)
			a.Reply(t, topic, mod, "Ask @okafor: she sees these often.")
			mustContain(t, b.Get(path), `Notifications <span class="unread-count">`)
		})

		t.Run("suspension", func(t *testing.T) {
			b := a.Browser(t)
			b.SignIn(okafor)
			token := b.Cookies()["rounds_session"]
			wantStatus(t, withSession(t, a, token, path), http.StatusOK)
			if err := a.Store.SuspendMember(ctx, mod, okafor.ID, nil, "Posted a patient's name."); err != nil {
				t.Fatal(err)
			}
			if res := withSession(t, a, token, path); res.Status == http.StatusOK {
				t.Fatalf("a suspended member's session still reads the topic")
			}
		})

		t.Run("board access", func(t *testing.T) {
			ali := a.VerifiedMember(t, "ali", "Dr. Sara Ali", "Neurology")
			neuro := a.Board(t, "neurology", "Neurology")
			stroke := a.Topic(t, neuro, ali, "Thrombolysis past 4.5 hours", "Any takers?")
			strokePath := "/t/" + strconv.FormatInt(stroke.ID, 10)
			b := a.Browser(t)
			b.SignIn(a.VerifiedMember(t, "chen", "Dr. Wei Chen", "Cardiology"))
			for range 2 {
				wantStatus(t, b.Get(strokePath), http.StatusOK)
			}
			a.Restrict(t, neuro, []*models.Group{a.Group(t, "Stroke team", "", "", ali)}, nil)
			wantStatus(t, b.Get(strokePath), http.StatusNotFound)
		})

		t.Run("topic", func(t *testing.T) {
			b := a.Browser(t)
			b.SignIn(mod) // okafor is suspended by now
			for range 2 {
				mustNotContain(t, b.Get(path), `<span class="badge">Locked</span>`)
			}
			if err := a.Store.LockTopic(ctx, topic.ID, mod.ID, true, "Answered"); err != nil {
				t.Fatal(err)
			}
			mustContain(t, b.Get(path), `<span class="badge">Locked</span>`)
		})

		t.Run("search scope", func(t *testing.T) {
			nair := a.VerifiedMember(t, "nair", "Dr. Priya Nair", "Nephrology")
			renal := a.Board(t, "nephrology", "Nephrology")
			a.Topic(t, renal, nair, "Fistula maturation", "Six weeks before the first cannulation?")
			a.Topic(t, board, nair, "Coronary fistula on CT", "Incidental, small, no symptoms.")
			a.CatchUp(t)
			b := a.Browser(t)
			b.SignIn(nair)
			for range 2 {
				mustContain(t, b.Get(searchFor("fistula")), "2 posts in 2 topics")
			}
			// The database has the last word on what is listed; the count
			// is the index's, searched within the cached scope.
			a.Restrict(t, renal, []*models.Group{a.Group(t, "Transplant team", "", "")}, nil)
			res := b.Get(searchFor("fistula"))
			mustContain(t, res, "1 post in 1 topic", "Coronary <mark>fistula</mark> on CT")
			mustNotContain(t, res, "maturation")
		})
	})
}

// A write this node does not see (another node's, here one made past the
// store) reaches the cached session within the cache's bound: a few
// seconds on the site's clock.
func TestReadCacheBoundsWritesOnOtherNodes(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in CKD", "Dosing below a CrCl of 25?")
		path := "/t/" + strconv.FormatInt(topic.ID, 10)
		b := a.Browser(t)
		b.SignIn(okafor)
		token := b.Cookies()["rounds_session"]
		wantStatus(t, withSession(t, a, token, path), http.StatusOK)

		// Another node signs the member out: the shared database changes,
		// this node's store makes no write.
		pool, err := a.Store.DB().DB()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(`DELETE FROM sessions WHERE user_id = ` + strconv.FormatInt(okafor.ID, 10)); err != nil {
			t.Fatal(err)
		}
		a.Clock.Add(3 * time.Second)
		if res := withSession(t, a, token, path); res.Status == http.StatusOK {
			t.Fatalf("a session ended on another node still reads the topic after 3 s")
		}
	})
}
