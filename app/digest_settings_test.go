package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestDigestSettings(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		res := b.Get("/settings/digest")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `value="weekly" checked`, `<option value="1" selected>Monday</option>`,
			`<option value="7" selected>07:00</option>`, `name="time_zone" type="text" value="UTC"`, "data-browser-zone",
			`aria-current="page">Digest email</strong>`)

		// A time zone Rounds does not know is refused, and every choice kept.
		res = b.Submit("/settings/digest", "/settings/digest", url.Values{
			"frequency": {"daily"}, "hour": {"6"}, "weekday": {"3"}, "time_zone": {"Mars/Olympus_Mons"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "is not a time zone Rounds knows", `value="daily" checked`, `<option value="6" selected>06:00</option>`,
			`<option value="3" selected>Wednesday</option>`, `value="Mars/Olympus_Mons"`, `aria-invalid="true"`)
		ds, err := a.Store.DigestSettingsFor(context.Background(), okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ds.Frequency != models.DigestWeekly || !ds.UpdatedAt.IsZero() {
			t.Fatalf("a refused form changed the settings: %+v", ds)
		}

		res = b.Submit("/settings/digest", "/settings/digest", url.Values{
			"frequency": {"daily"}, "hour": {"6"}, "weekday": {"3"}, "time_zone": {"Europe/Berlin"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(res.Location())
		mustContain(t, res, "Saved.", "Your next digest is due", "06:00 (Europe/Berlin)", `value="Europe/Berlin"`)
		mustNotContain(t, res, "data-browser-zone")
		if ds, _ = a.Store.DigestSettingsFor(context.Background(), okafor.ID); ds.Frequency != models.DigestDaily ||
			ds.Hour != 6 || ds.TimeZone != "Europe/Berlin" {
			t.Fatalf("saved settings %+v", ds)
		}

		// Nothing but the three frequencies.
		res = b.Submit("/settings/digest", "/settings/digest", url.Values{
			"frequency": {"hourly"}, "hour": {"6"}, "weekday": {"3"}, "time_zone": {"UTC"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose how often the digest comes")
	})
}

func TestWatchAndMuteBoardsAndTopics(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, weber, "Syncope work-up", "Holter or loop?")
		secret := a.Board(t, "icu", "ICU")
		a.Restrict(t, secret, []*models.Group{a.Group(t, "ICU", "", "", weber)}, nil)
		hidden := a.Topic(t, secret, weber, "Staffing", "Rota")

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get("/b/cardiology")
		mustContain(t, res, `action="/b/cardiology/level"`, `value="default" class="small selected" aria-pressed="true"`)
		res = b.Submit("/b/cardiology", "/b/cardiology/level", url.Values{"level": {"watch"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, b.Get("/b/cardiology"), `value="watch" class="small selected" aria-pressed="true"`)
		if level, _ := a.Store.BoardLevel(ctx, okafor.ID, board.ID); level != models.LevelWatch {
			t.Fatalf("board level %q", level)
		}

		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		res = b.Submit(topicPath, topicPath+"/level", url.Values{"level": {"mute"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, b.Get(topicPath), `value="mute" class="small selected" aria-pressed="true"`)
		res = b.Submit(topicPath, topicPath+"/level", url.Values{"level": {"default"}})
		wantStatus(t, res, http.StatusSeeOther)
		if level, _ := a.Store.TopicLevel(ctx, okafor.ID, topic.ID); level != models.LevelDefault {
			t.Fatalf("topic level %q after returning to the default", level)
		}
		res = b.Submit(topicPath, topicPath+"/level", url.Values{"level": {"shout"}})
		wantStatus(t, res, http.StatusBadRequest)

		// A board or topic the member cannot read cannot be watched.
		res = b.Submit("/b/cardiology", "/b/icu/level", url.Values{"level": {"watch"}})
		if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Fatalf("watching an unreadable board: status %d", res.Status)
		}
		hiddenPath := fmt.Sprintf("/t/%d/level", hidden.ID)
		res = b.Submit("/b/cardiology", hiddenPath, url.Values{"level": {"watch"}})
		if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Fatalf("watching an unreadable topic: status %d", res.Status)
		}
		if subs, _ := a.Store.Subscriptions(ctx, okafor.ID); len(subs) != 1 {
			t.Fatalf("subscriptions %+v, want the one board", subs)
		}
	})
}

func TestOneClickUnsubscribe(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		token, err := a.Store.CreateUnsubscribeToken(ctx, okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		// No cookies, no sign-in, no CSRF token: a mail client's POST.
		guest := a.Browser(t)
		res := guest.Get("/unsubscribe/" + token)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Stop digest emails?", `action="/unsubscribe/`+token+`"`)
		if ds, _ := a.Store.DigestSettingsFor(ctx, okafor.ID); ds.Frequency != models.DigestWeekly {
			t.Fatal("opening the link unsubscribed: a mail scanner would do that")
		}
		req := httptest.NewRequest(http.MethodPost, "/unsubscribe/"+token, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res = guest.Do(req)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "You are unsubscribed")
		if ds, _ := a.Store.DigestSettingsFor(ctx, okafor.ID); ds.Frequency != models.DigestNever {
			t.Fatalf("after one-click unsubscribe the digest is %q", ds.Frequency)
		}
		// Again changes nothing and still answers.
		wantStatus(t, guest.Do(httptest.NewRequest(http.MethodPost, "/unsubscribe/"+token, nil)), http.StatusOK)

		for _, bogus := range []string{"nope", token + "x"} {
			wantStatus(t, guest.Get("/unsubscribe/"+bogus), http.StatusNotFound)
			res = guest.Do(httptest.NewRequest(http.MethodPost, "/unsubscribe/"+bogus, nil))
			wantStatus(t, res, http.StatusNotFound)
			mustContain(t, res, "not valid or has expired")
		}
	})
}

func TestDigestPreviewSendsNothing(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		secret := a.Board(t, "icu", "ICU")
		a.Restrict(t, secret, []*models.Group{a.Group(t, "ICU", "", "", weber)}, nil)
		b := a.Browser(t)
		b.SignIn(okafor)

		res := b.Get("/settings/digest/preview")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Nothing new since your last digest")
		wantStatus(t, b.Get("/settings/digest/preview/email"), http.StatusNotFound)

		if err := a.Store.SetBoardLevel(ctx, okafor.ID, board.ID, models.LevelWatch); err != nil {
			t.Fatal(err)
		}
		a.Topic(t, board, weber, "Syncope & the <b>athlete</b>", "Loop recorder or not?")
		a.Topic(t, secret, weber, "ICU staffing rota", "Only for the ICU team")

		res = b.Get("/settings/digest/preview")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<strong>Subject:</strong>", `<iframe class="digest-preview" src="/settings/digest/preview/email"`,
			"Syncope &amp; the &lt;b&gt;athlete&lt;/b&gt;", "Plain-text version")
		mustNotContain(t, res, "ICU staffing rota")

		email := b.Get("/settings/digest/preview/email")
		wantStatus(t, email, http.StatusOK)
		if csp := email.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'self'") {
			t.Fatalf("the email preview's policy is %q", csp)
		}
		mustContain(t, email, "Syncope &amp; the &lt;b&gt;athlete&lt;/b&gt;")
		mustNotContain(t, email, "ICU staffing rota", "<script")

		// Previewing sends nothing and records nothing.
		if got := a.Outbox(t); len(got) != 0 {
			t.Fatalf("the preview sent %d emails", len(got))
		}
		if d, _ := a.Store.DigestDeliveries(ctx, okafor.ID, 5); len(d) != 0 {
			t.Fatalf("the preview recorded deliveries: %+v", d)
		}
	})
}
