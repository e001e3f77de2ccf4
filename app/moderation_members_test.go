package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// demoSignIn goes through the demo's sign-in as username and returns what
// the sign-in callback answered, refusals included (SignInAs takes a
// refusal for a broken test).
func demoSignIn(t *testing.T, b *apptest.Browser, username string) *apptest.Response {
	t.Helper()
	res := b.Submit("/demo/sign-in", "/demo/sign-in", url.Values{"username": {username}})
	wantStatus(t, res, http.StatusSeeOther)
	return b.Get(b.Provider(res.Location()))
}

// memberStatus reads a member's status from the store.
func memberStatus(t *testing.T, a *apptest.App, u *models.User) models.Status {
	t.Helper()
	got, err := a.Store.UserByID(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

func TestModerationWarnShowsABannerUntilRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		reply := a.Reply(t, topic, weber, "Try MiracleCardio supplements.")
		member, m := a.SignedIn(t, weber), a.SignedIn(t, mod)
		mustNotContain(t, member.Get("/"), `class="warning-banner"`)

		// A warning too short to read is refused, with what was typed.
		res := decide(m, reply.ID, "warn", url.Values{"reason": {"Ads"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Write the warning: the member reads it as you write it.", ">Ads</textarea>")
		mustNotContain(t, member.Get("/"), `class="warning-banner"`)

		res = decide(m, reply.ID, "warn", url.Values{"reason": {"Advertising supplements is not allowed here."}})
		wantStatus(t, res, http.StatusSeeOther)
		if want := fmt.Sprintf("/mod/review/%d?done=warn", reply.ID); res.Location() != want {
			t.Fatalf("the warning led to %q, want %q", res.Location(), want)
		}
		review := m.Get(res.Location())
		mustContain(t, review, "The warning was sent", "1 warning", "Advertising supplements is not allowed here.")

		// Every page tells the member, until they have read it.
		for _, path := range []string{"/", "/b/cardiology", fmt.Sprintf("/t/%d", topic.ID)} {
			mustContain(t, member.Get(path), `<div class="warning-banner" role="alert">`, "A moderator has sent you a warning.",
				`<a href="/settings/standing">Read it</a>`)
		}
		// Only them.
		other := a.SignedIn(t, okafor)
		mustNotContain(t, other.Get("/"), `class="warning-banner"`)

		standing := member.Get("/settings/standing")
		wantStatus(t, standing, http.StatusOK)
		mustContain(t, standing, "Advertising supplements is not allowed here.", "<strong>new</strong>",
			fmt.Sprintf(`about <a href="/p/%d">one of your posts</a>`, reply.ID), "I have read this warning")
		res = member.Submit("/settings/standing", "/settings/standing/read", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/settings/standing" {
			t.Fatalf("reading the warnings led to %q", res.Location())
		}
		standing = member.Get("/settings/standing")
		mustContain(t, standing, "Advertising supplements is not allowed here.")
		mustNotContain(t, standing, "<strong>new</strong>", `class="warning-banner"`, "I have read")
		mustNotContain(t, member.Get("/"), `class="warning-banner"`)
		if n := countRows(t, a, "member_warnings", "user_id = ? AND seen_at IS NOT NULL", weber.ID); n != 1 {
			t.Fatalf("%d warnings marked read, want 1", n)
		}

		// A post the moderators hide is listed with their reason.
		wantStatus(t, decide(m, reply.ID, "hide", url.Values{"reason": {"Advertising"}}), http.StatusSeeOther)
		mustContain(t, member.Get("/settings/standing"), "Statins after 80, post #2", ": Advertising")
	})
}

func TestSuspendEndsSessionsAndRefusesSignInUntilLifted(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		reply := a.Reply(t, topic, weber, "Try MiracleCardio supplements.")
		reviewPath := fmt.Sprintf("/mod/review/%d", reply.ID)
		member, m := a.SignedIn(t, weber), a.SignedIn(t, mod)
		wantStatus(t, member.Get("/settings/standing"), http.StatusOK)

		t.Run("a suspension's end must be a day to come", func(t *testing.T) {
			yesterday := a.Store.Now().AddDate(0, 0, -1).Format("2006-01-02")
			for _, r := range []struct{ length, until, want string }{
				{"until", yesterday, "The last day of the suspension cannot be in the past."},
				{"until", "next week", "Give the last day of the suspension, as YYYY-MM-DD."},
				{"", "", "Choose how long the suspension lasts"},
			} {
				res := decide(m, reply.ID, "suspend", url.Values{"reason": {"Repeated advertising"}, "length": {r.length}, "until": {r.until}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, r.want, ">Repeated advertising</textarea>", `value="`+r.until+`"`)
			}
			if got := memberStatus(t, a, weber); got != models.StatusVerified {
				t.Fatalf("refused suspensions left the member %s", got)
			}
		})

		t.Run("until a day: signed out, and told why and until when", func(t *testing.T) {
			day := a.Store.Now().AddDate(0, 0, 10)
			until := day.Format("2006-01-02")
			res := decide(m, reply.ID, "suspend", url.Values{"reason": {"Repeated advertising"}, "length": {"until"}, "until": {until}})
			wantStatus(t, res, http.StatusSeeOther)
			if want := reviewPath + "?done=suspend"; res.Location() != want {
				t.Fatalf("the suspension led to %q, want %q", res.Location(), want)
			}
			// Suspended through that day: it ends at the midnight after it.
			stamp := day.AddDate(0, 0, 1).Format("2 Jan 2006") + ", 00:00 UTC"
			mustContain(t, m.Get(res.Location()), "The member is suspended and signed out everywhere.",
				"Suspended until "+stamp+"</strong>: Repeated advertising", "Lift the suspension")
			if got := memberStatus(t, a, weber); got != models.StatusSuspended {
				t.Fatalf("the member is %s, want suspended", got)
			}
			if n := countRows(t, a, "sessions", "user_id = ?", weber.ID); n != 0 {
				t.Fatalf("%d sessions of the suspended member are left", n)
			}
			// Their open browser is signed out.
			res = member.Get("/settings/standing")
			wantStatus(t, res, http.StatusSeeOther)
			mustNotContain(t, member.Get("/"), "Jonas Weber, RN")

			res = demoSignIn(t, a.Browser(t), "weber")
			wantStatus(t, res, http.StatusForbidden)
			mustContain(t, res, "Your account is suspended until "+stamp+".", "The moderators gave this reason: Repeated advertising")
			if n := countRows(t, a, "sessions", "user_id = ?", weber.ID); n != 0 {
				t.Fatalf("a refused sign-in started %d sessions", n)
			}
		})

		t.Run("an ended suspension lifts at sign-in", func(t *testing.T) {
			err := a.Store.DB().Table("users").Where("id = ?", weber.ID).
				Update("suspended_until", a.Store.Now().Add(-time.Hour)).Error
			if err != nil {
				t.Fatal(err)
			}
			b := a.Browser(t)
			res := demoSignIn(t, b, "weber")
			wantStatus(t, res, http.StatusSeeOther)
			if got := memberStatus(t, a, weber); got != models.StatusVerified {
				t.Fatalf("the member is %s after their suspension ended, want verified", got)
			}
			wantStatus(t, b.Get("/settings/standing"), http.StatusOK)
			if n := countRows(t, a, "audit_events", "action = 'user.unsuspend' AND actor_id IS NULL AND subject_id = ?", weber.ID); n != 1 {
				t.Fatalf("%d user.unsuspend entries by Rounds, want 1", n)
			}
			member = b
		})

		t.Run("indefinitely, until a moderator lifts it", func(t *testing.T) {
			res := decide(m, reply.ID, "suspend", url.Values{"reason": {"Until we have talked"}, "length": {"indefinite"}})
			wantStatus(t, res, http.StatusSeeOther)
			mustContain(t, m.Get(res.Location()), "Suspended indefinitely</strong>: Until we have talked")
			wantStatus(t, member.Get("/settings/standing"), http.StatusSeeOther)
			res = demoSignIn(t, a.Browser(t), "weber")
			wantStatus(t, res, http.StatusForbidden)
			mustContain(t, res, "Your account is suspended indefinitely.", "The moderators gave this reason: Until we have talked")
			// The hourly sweep leaves an indefinite suspension alone.
			if n, err := a.Store.LiftEndedSuspensions(t.Context(), a.Store.Now().AddDate(10, 0, 0)); err != nil || n != 0 {
				t.Fatalf("the sweep lifted %d suspensions: %v", n, err)
			}

			res = decide(m, reply.ID, "unsuspend", url.Values{"reason": {""}})
			wantStatus(t, res, http.StatusSeeOther)
			if want := reviewPath + "?done=unsuspend"; res.Location() != want {
				t.Fatalf("lifting led to %q, want %q", res.Location(), want)
			}
			mustContain(t, m.Get(res.Location()), "The suspension was lifted.")
			if got := memberStatus(t, a, weber); got != models.StatusVerified {
				t.Fatalf("the member is %s after the lift, want verified", got)
			}
			if n := countRows(t, a, "audit_events", "action = 'user.unsuspend' AND actor_id = ? AND reason = ?", mod.ID, "lifted by a moderator"); n != 1 {
				t.Fatalf("%d user.unsuspend entries by the moderator, want 1", n)
			}
			b := a.Browser(t)
			wantStatus(t, demoSignIn(t, b, "weber"), http.StatusSeeOther)
			wantStatus(t, b.Get("/settings/standing"), http.StatusOK)
		})
	})
}

func TestSuspendAndWarnRefuseModeratorsAndSelf(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		mod := a.Member(t, apptest.Park)
		other := a.Member(t, apptest.Silva)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		byOther := a.Reply(t, topic, other, "Only with frailty.")
		byMod := a.Reply(t, topic, mod, "Agreed.")
		m, colleague := a.SignedIn(t, mod), a.SignedIn(t, other)
		before := auditCounts(t, a)

		for _, p := range []*models.Post{byOther, byMod} {
			for _, form := range []url.Values{
				{"reason": {"Too blunt with colleagues"}, "length": {"indefinite"}},
				{"reason": {"Too blunt with colleagues"}, "length": {"until"}, "until": {a.Store.Now().AddDate(0, 1, 0).Format("2006-01-02")}},
			} {
				res := decide(m, p.ID, "suspend", form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, "You cannot warn or suspend yourself, a moderator or an administrator", ">Too blunt with colleagues</textarea>")
			}
			res := decide(m, p.ID, "warn", url.Values{"reason": {"Too blunt with colleagues"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, "You cannot warn or suspend yourself", ">Too blunt with colleagues</textarea>")
		}
		for _, u := range []*models.User{mod, other} {
			if got := memberStatus(t, a, u); got != models.StatusVerified {
				t.Fatalf("%s is %s after refused suspensions", u.Username, got)
			}
		}
		if n := countRows(t, a, "member_warnings", "1 = 1"); n != 0 {
			t.Fatalf("%d warnings given", n)
		}
		if after := auditCounts(t, a); after["user.suspend"] != before["user.suspend"] || after["user.warn"] != before["user.warn"] {
			t.Fatalf("refusals were audited: %v, before %v", after, before)
		}
		// The other moderator is still signed in.
		mustContain(t, colleague.Get("/mod/review"), "Reported posts")

		// An administrator may suspend a moderator.
		admin := signedInAdmin(t, a)
		wantStatus(t, decide(admin, byOther.ID, "suspend", url.Values{"reason": {"Stepping back for a while"}, "length": {"indefinite"}}),
			http.StatusSeeOther)
		if got := memberStatus(t, a, other); got != models.StatusSuspended {
			t.Fatalf("the administrator's suspension left the moderator %s", got)
		}
		wantStatus(t, colleague.Get("/mod/review"), http.StatusSeeOther)
	})
}
