package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// The sweep is a periodic job: when the node's job queue starts, its
// leader runs it, and on the site's clock it ends the sessions left unused
// for longer than ROUNDS_SESSION_IDLE and the sign-ins nobody came back
// from, and the drafts untouched for 30 days, and keeps the sessions in
// use.
func TestSweepJobEndsExpiredSessions(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care")
		away := a.Browser(t)
		away.SignIn(okafor)
		// Someone leaves for the provider and never comes back.
		abandoned := a.Browser(t).Submit("/demo/sign-in", "/demo/sign-in", url.Values{"username": {"weber"}})
		if abandoned.Status != http.StatusSeeOther {
			t.Fatalf("starting a sign-in: status %d", abandoned.Status)
		}
		// Eight days later, past the default week of idleness, another
		// member signs in.
		a.Clock.Add(8 * 24 * time.Hour)
		back := a.Browser(t)
		back.SignIn(weber)

		count := func(query string, args ...any) int64 {
			t.Helper()
			var n int64
			if err := a.Store.DB().Raw(query, args...).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		sessionsOf := func(u *models.User) int64 {
			return count(`SELECT COUNT(*) FROM sessions WHERE user_id = ?`, u.ID)
		}
		if sessionsOf(okafor) != 1 || sessionsOf(weber) != 1 || count(`SELECT COUNT(*) FROM login_attempts`) != 1 {
			t.Fatalf("before the sweep: %d and %d sessions, %d sign-in attempts; want 1, 1 and 1",
				sessionsOf(okafor), sessionsOf(weber), count(`SELECT COUNT(*) FROM login_attempts`))
		}

		// A draft last saved 31 days ago goes, one saved a day ago stays.
		for days, place := range map[int]models.DraftPlace{31: models.ReplyDraft(1), 1: models.ReplyDraft(2)} {
			if _, err := a.Store.SaveDraft(t.Context(), weber.ID, place, url.Values{"body": {"unfinished"}}); err != nil {
				t.Fatal(err)
			}
			err := a.Store.DB().Exec(`UPDATE drafts SET updated_at = ? WHERE place_id = ?`, a.Clock.Now().AddDate(0, 0, -days), place.ID).Error
			if err != nil {
				t.Fatal(err)
			}
		}

		if err := a.Site.StartJobs(t.Context()); err != nil {
			t.Fatal(err)
		}
		// The queue polls every 100 ms; the bound only stops a sweep that
		// never comes from hanging the test.
		finished := `SELECT COUNT(*) FROM river_job WHERE kind = 'sweep' AND state IN ('completed', 'discarded', 'cancelled')`
		for deadline := time.Now().Add(30 * time.Second); count(finished) == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("no sweep ran when the job queue started")
			}
		}
		if n := count(`SELECT COUNT(*) FROM river_job WHERE kind = 'sweep' AND state = 'completed'`); n != 1 {
			t.Fatalf("%d sweeps completed, want 1", n)
		}
		if n := sessionsOf(okafor); n != 0 {
			t.Errorf("the session left unused for eight days was kept: %d left", n)
		}
		if n := count(`SELECT COUNT(*) FROM login_attempts`); n != 0 {
			t.Errorf("%d abandoned sign-in attempts are left", n)
		}
		if n := count(`SELECT COUNT(*) FROM drafts WHERE place_id = 1`); n != 0 {
			t.Errorf("the draft of 31 days ago was kept")
		}
		if n := count(`SELECT COUNT(*) FROM drafts WHERE place_id = 2`); n != 1 {
			t.Errorf("the draft of yesterday was swept")
		}
		if n := sessionsOf(weber); n != 1 {
			t.Fatalf("the session in use was swept: %d left", n)
		}
		if res := back.Get("/settings/sessions"); res.Status != http.StatusOK || !strings.Contains(res.Body, "Jonas Weber") {
			t.Errorf("the member in use was signed out: status %d", res.Status)
		}
		if res := away.Get("/settings/sessions"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/sign-in") {
			t.Errorf("the swept session still signs in: status %d, location %q", res.Status, res.Location())
		}
	})
}
