package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	roundsmail "rounds/app/mail"
	"rounds/models"
)

// application is a complete, valid application; tests change what they
// need.
func application(email string) url.Values {
	return url.Values{
		"full_name": {"Amara Okafor"}, "profession": {"physician"}, "specialty": {"Cardiology"},
		"npi": {"1234567893"}, "license_country": {"US"}, "license_state": {"NY"}, "license_number": {"MD-204518"},
		"institution": {"St. Mary's Hospital"}, "work_email": {email},
	}
}

func moderator(t *testing.T, a *apptest.App) *models.User {
	t.Helper()
	m := a.VerifiedMember(t, "park", "Dr. Lena Park", "Internal Medicine")
	if err := a.Store.SetRole(t.Context(), m.ID, models.RoleModerator); err != nil {
		t.Fatal(err)
	}
	return m
}

var sixDigits = regexp.MustCompile(`\b(\d{6})\b`)

// latestCode reads the code out of the newest mail, checking that the
// subject does not give it away.
func latestCode(t *testing.T, a *apptest.App, to string) string {
	t.Helper()
	out := a.Outbox(t)
	if len(out) == 0 {
		t.Fatal("no mail was sent")
	}
	m := sixDigits.FindStringSubmatch(out[0].Text)
	if m == nil || !strings.Contains(out[0].To, to) {
		t.Fatalf("newest mail to %q has no code:\n%s", out[0].To, out[0].Text)
	}
	if strings.Contains(out[0].Subject, m[1]) {
		t.Fatalf("the subject %q shows the code", out[0].Subject)
	}
	return m[1]
}

func TestPendingMemberApplies(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Board(t, "cardiology", "Cardiology")
		newcomer := a.PendingMember(t, "newcomer")
		b := a.Browser(t)
		b.SignIn(newcomer)

		res := b.Get("/b/cardiology/new")
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/verify" {
			t.Fatalf("pending member sent to %q", res.Location())
		}
		res = b.Get("/verify")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `<label for="field-npi">NPI</label>`, `<label for="field-work_email">Work email</label>`, "Nurse practitioner")

		bad := application("okafor@stmary.example.org")
		bad.Set("npi", "1234567890")
		res = b.Submit("/verify", "/verify", bad)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `value="1234567890"`, `value="St. Mary&#39;s Hospital"`, `class="field-error" id="npi-error"`, "last digit")

		res = b.Submit("/verify", "/verify", application("okafor@stmary.example.org"))
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get("/verify")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "with the moderators", "okafor@stmary.example.org", "Send me a code", "How verification works")
		u, err := a.Store.UserByID(t.Context(), newcomer.ID)
		if err != nil || u.Status != models.StatusApplied {
			t.Fatalf("member after applying: %+v, %v", u, err)
		}
	})
}

func TestWorkEmailCode(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Config.VerifyEmailDomains = []string{"stmary.example.org"}
		newcomer := a.PendingMember(t, "newcomer")
		b := a.Browser(t)
		b.SignIn(newcomer)
		wantStatus(t, b.Submit("/verify", "/verify", application("okafor@stmary.example.org")), http.StatusSeeOther)

		res := b.Submit("/verify", "/verify/email", nil)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "We sent a 6-digit code")
		code := latestCode(t, a, "okafor@stmary.example.org")
		wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1000000)

		for try := 1; try <= 5; try++ {
			res = b.Submit("/verify", "/verify/email/confirm", url.Values{"code": {wrong}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, `value="`+wrong+`"`)
		}
		res = b.Submit("/verify", "/verify/email/confirm", url.Values{"code": {code}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "no longer works")

		// A new code, typed right, confirms an address on an allowed domain:
		// that alone verifies the member.
		wantStatus(t, b.Submit("/verify", "/verify/email", nil), http.StatusOK)
		code = latestCode(t, a, "okafor@stmary.example.org")
		res = b.Submit("/verify", "/verify/email/confirm", url.Values{"code": {" " + code + " "}})
		wantStatus(t, res, http.StatusSeeOther)
		u, err := a.Store.UserByID(t.Context(), newcomer.ID)
		if err != nil || u.Status != models.StatusVerified || u.DisplayName != "Amara Okafor" || u.Specialty != "Cardiology" {
			t.Fatalf("member after confirming: %+v, %v", u, err)
		}
		mustContain(t, b.Get("/verify"), "You are verified")
		if told := a.Outbox(t)[0]; told.Subject != "Your Rounds verification" || !strings.Contains(told.Text, "You are verified") ||
			!strings.Contains(told.To, "okafor@stmary.example.org") {
			t.Fatalf("the applicant was not told: %+v", told)
		}
		v, err := a.Store.VerificationByUser(t.Context(), newcomer.ID)
		if err != nil {
			t.Fatal(err)
		}
		events, err := a.Store.AuditEventsFor(t.Context(), "verification", v.ID)
		if err != nil || len(events) != 1 || events[0].Action != "verification.approved" || events[0].ActorID != nil {
			t.Fatalf("audit log after auto-verification: %+v, %v", events, err)
		}
	})
}

func TestCodesAreRateLimited(t *testing.T) {
	a := apptest.New(t)
	newcomer := a.PendingMember(t, "newcomer")
	b := a.Browser(t)
	b.SignIn(newcomer)
	wantStatus(t, b.Submit("/verify", "/verify", application("okafor@elsewhere.example.org")), http.StatusSeeOther)
	for i := 0; i < 5; i++ {
		wantStatus(t, b.Submit("/verify", "/verify/email", nil), http.StatusOK)
	}
	res := b.Submit("/verify", "/verify/email", nil)
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "5 codes in the last hour")
	if n := len(a.Outbox(t)); n != 5 {
		t.Fatalf("%d codes sent, want 5", n)
	}
}

func TestModeratorsDecide(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Board(t, "cardiology", "Cardiology")
		mod := moderator(t, a)
		mb := a.Browser(t)
		mb.SignIn(mod)
		mustContain(t, mb.Get("/"), `href="/mod/verifications"`)

		apply := func(username, email string) (*models.User, *apptest.Browser, *models.Verification) {
			u := a.PendingMember(t, username)
			b := a.Browser(t)
			b.SignIn(u)
			// An unconfirmed address on any domain is not enough alone.
			wantStatus(t, b.Submit("/verify", "/verify", application(email)), http.StatusSeeOther)
			v, err := a.Store.VerificationByUser(t.Context(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u, b, v
		}
		first, fb, fv := apply("first", "first@clinic.example.org")
		_, sb, sv := apply("second", "second@clinic.example.org")
		third, tb, tv := apply("third", "third@clinic.example.org")

		res := mb.Get("/mod/verifications")
		wantStatus(t, res, http.StatusOK)
		one, two := fmt.Sprintf(`href="/mod/verifications/%d"`, fv.ID), fmt.Sprintf(`href="/mod/verifications/%d"`, sv.ID)
		mustContain(t, res, one, two)
		if strings.Index(res.Body, one) > strings.Index(res.Body, two) {
			t.Fatal("the queue is not oldest first")
		}
		res = mb.Get(fmt.Sprintf("/mod/verifications/%d", fv.ID))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "What they gave", "What Rounds found", "1234567893", "registry")

		decide := func(v *models.Verification, form url.Values) *apptest.Response {
			return mb.Submit(fmt.Sprintf("/mod/verifications/%d", v.ID), fmt.Sprintf("/mod/verifications/%d/decide", v.ID), form)
		}
		res = decide(fv, url.Values{"decision": {"reject"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `class="field-error" id="reason-error"`)

		// Approve: the member can now start a topic.
		wantStatus(t, decide(fv, url.Values{"decision": {"approve"}}), http.StatusSeeOther)
		wantStatus(t, fb.Get("/b/cardiology/new"), http.StatusOK)
		if u, _ := a.Store.UserByID(t.Context(), first.ID); u.DisplayName != "Amara Okafor" {
			t.Fatalf("approval did not copy the application: %+v", u)
		}
		wantStatus(t, decide(fv, url.Values{"decision": {"reject"}, "reason": {"Second thoughts"}}), http.StatusConflict)

		// Reject: the session ends.
		wantStatus(t, decide(sv, url.Values{"decision": {"reject"}, "reason": {"The license number is not on the state register."}}), http.StatusSeeOther)
		res = sb.Get("/verify")
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), "/sign-in") {
			t.Fatalf("rejected member sent to %q", res.Location())
		}

		// More information: the question shows, and the applicant resubmits.
		wantStatus(t, decide(tv, url.Values{"decision": {"more_info"}, "reason": {"Which hospital issued your badge?"}}), http.StatusSeeOther)
		res = tb.Get("/verify")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "A moderator asks:", "Which hospital issued your badge?", `value="third@clinic.example.org"`)
		edited := application("third@clinic.example.org")
		edited.Set("institution", "St. Mary's Hospital, Queens")
		wantStatus(t, tb.Submit("/verify", "/verify", edited), http.StatusSeeOther)
		mustContain(t, mb.Get("/mod/verifications"), fmt.Sprintf(`href="/mod/verifications/%d"`, tv.ID))
		if v, _ := a.Store.VerificationByUser(t.Context(), third.ID); v.Status != models.VerificationSubmitted || v.Institution != "St. Mary's Hospital, Queens" {
			t.Fatalf("resubmitted application: %+v", v)
		}

		for _, c := range []struct {
			v      *models.Verification
			action string
		}{{fv, "verification.approved"}, {sv, "verification.rejected"}, {tv, "verification.more_info"}} {
			events, err := a.Store.AuditEventsFor(t.Context(), "verification", c.v.ID)
			if err != nil || len(events) != 1 || events[0].Action != c.action || events[0].ActorID == nil || *events[0].ActorID != mod.ID {
				t.Fatalf("audit log of %d: %+v, %v", c.v.ID, events, err)
			}
		}
		if events, _ := a.Store.AuditEventsFor(t.Context(), "verification", sv.ID); events[0].Reason == "" {
			t.Fatal("the rejection's reason is not in the audit log")
		}
		mustContain(t, mb.Get(fmt.Sprintf("/mod/verifications/%d", sv.ID)), "verification.rejected by Dr. Lena Park", "not on the state register")
	})
}

func TestOnlyModeratorsSeeTheQueue(t *testing.T) {
	a := apptest.New(t)
	member := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(member)
	wantStatus(t, b.Get("/mod/verifications"), http.StatusForbidden)
	mustNotContain(t, b.Get("/"), `href="/mod/verifications"`)
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminsReadTheOutbox(t *testing.T) {
	a := apptest.New(t)
	newcomer := a.PendingMember(t, "newcomer")
	root := a.Admin(t, "root", "Dr. Ada Root", "Internal Medicine")
	b := a.Browser(t)
	b.SignIn(newcomer)
	wantStatus(t, b.Submit("/verify", "/verify", application("okafor@stmary.example.org")), http.StatusSeeOther)
	wantStatus(t, b.Submit("/verify", "/verify/email", nil), http.StatusOK)
	code := latestCode(t, a, "okafor@stmary.example.org")

	admin := a.Browser(t)
	admin.SignIn(root)
	list := admin.Get("/admin/outbox")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, "okafor@stmary.example.org")
	link := regexp.MustCompile(`href="(/admin/outbox/[^"]+)"`).FindStringSubmatch(list.Body)
	if link == nil {
		t.Fatalf("no message listed:\n%s", list.Body)
	}
	message := admin.Get(link[1])
	mustContain(t, message, code)
	// The code email is shown as its reader sees it, decoded: the text
	// whole, with no quoted-printable soft breaks or escapes in it.
	text := between(message.Body, `<pre class="mail-text">`, "</pre>")
	if !strings.Contains(text, code) || strings.Contains(text, "=\n") || strings.Contains(text, "=3D") || strings.Contains(text, "=E2") {
		t.Errorf("the message is not shown decoded:\n%s", text)
	}
	mustContain(t, message, "<dt>Subject</dt><dd>")
	wantStatus(t, admin.Get(link[1]+"/html"), http.StatusNotFound) // a code email has no HTML part
	wantStatus(t, admin.Get("/admin/outbox/..%2F..%2Fsecret"), http.StatusNotFound)
	wantStatus(t, b.Get("/admin/outbox"), http.StatusSeeOther) // a pending account is sent to /verify
}

// TestNewClinicianJourney is the whole way in, through the app's own
// handlers and the demo's mockoidc provider: a new account is pending,
// applies, a moderator approves, and the member reads a board.
func TestNewClinicianJourney(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		author := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Topic(t, board, author, "Heparin nomogram in obesity", "Which weight do you dose on?")
		mod := moderator(t, a)

		b := a.Browser(t)
		b.SignInAs("applicant")
		res := b.Get("/b/cardiology")
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/verify" {
			t.Fatalf("a new account was sent to %q, want /verify", res.Location())
		}
		wantStatus(t, b.Submit("/verify", "/verify", application("sam.rivera@stmary.example.org")), http.StatusSeeOther)
		mustContain(t, b.Get("/verify"), "Your application is with the moderators")

		m := a.Browser(t)
		m.SignIn(mod)
		queue := m.Get("/mod/verifications")
		link := regexp.MustCompile(`href="(/mod/verifications/\d+)"`).FindStringSubmatch(queue.Body)
		if link == nil {
			t.Fatalf("the application is not in the queue:\n%s", queue.Body)
		}
		wantStatus(t, m.Submit(link[1], link[1]+"/decide", url.Values{"decision": {"approve"}}), http.StatusSeeOther)

		// The approval ended nothing for the applicant, whose next page is a board.
		res = b.Get("/b/cardiology")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Heparin nomogram in obesity")
	})
}

// The list of problems at the top of a refused application reads down the
// form, as the member fills it in, not in the alphabetical order of the
// fields' names.
func TestApplicationProblemsFollowTheForm(t *testing.T) {
	a := apptest.New(t)
	newcomer := a.PendingMember(t, "newcomer")
	b := a.Browser(t)
	b.SignIn(newcomer)
	res := b.Submit("/verify", "/verify", url.Values{"license_country": {"US"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	summary := res.Body[strings.Index(res.Body, `class="error-summary"`):]
	summary = summary[:strings.Index(summary, "</div>")]
	var order []string
	for _, m := range regexp.MustCompile(`href="#field-([a-z_]+)"`).FindAllStringSubmatch(summary, -1) {
		order = append(order, m[1])
	}
	want := []string{"full_name", "profession", "specialty", "npi", "license_state", "license_number", "institution", "work_email"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("the summary lists %v, want the form's order %v", order, want)
	}
}

// The composer's summary, too, follows the form: title, tags, then the post.
func TestComposerProblemsFollowTheForm(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"VT"}, "tags": {"Not A Tag!"}, "body": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	title, tags, body := strings.Index(res.Body, `href="#field-title"`), strings.Index(res.Body, `href="#field-tags"`), strings.Index(res.Body, `href="#field-body"`)
	if title < 0 || tags < 0 || body < 0 || !(title < tags && tags < body) {
		t.Errorf("the summary lists title at %d, tags at %d, body at %d; want that order", title, tags, body)
	}
}

// An applicant signed in through a provider that gave only a handle is
// named in the header by the name they give in their application.
func TestApplicantHeaderShowsTheNameGiven(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		b := a.Browser(t)
		b.SignInAs("applicant")
		form := application("amara@stmarys.example.org")
		form.Set("full_name", "Dr. Amara Okafor")
		wantStatus(t, b.Submit("/verify", "/verify", form), http.StatusSeeOther)
		res := b.Get("/verify")
		wantStatus(t, res, http.StatusOK)
		header := res.Body[strings.Index(res.Body, `class="who"`):]
		header = header[:strings.Index(header, "</a>")]
		if !strings.Contains(header, "Dr. Amara Okafor") || strings.Contains(header, ">applicant") {
			t.Errorf("the header names the applicant as %q, want the name they gave", header)
		}
	})
}

// An email with an HTML part, such as a digest, shows its HTML in a
// sandboxed frame under a policy of its own, and its text decoded.
func TestAdminsReadHTMLMail(t *testing.T) {
	a := apptest.New(t)
	root := a.Admin(t, "root", "Dr. Ada Root", "Internal Medicine")
	mailer := a.Site.Mailer
	long := strings.Repeat("Norepinephrine through a peripheral IV — how long do you let it run? ", 3)
	err := mailer.Send(t.Context(), roundsmail.Message{To: []string{"okafor@stmary.example.org"}, Subject: "Your weekly Rounds digest",
		Text: long, HTML: `<p style="color:#123">` + long + `</p><script>alert(1)</script>`})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.Browser(t)
	admin.SignIn(root)
	list := admin.Get("/admin/outbox")
	link := regexp.MustCompile(`href="(/admin/outbox/[^"]+)"`).FindStringSubmatch(list.Body)
	if link == nil {
		t.Fatalf("no message listed:\n%s", list.Body)
	}
	message := admin.Get(link[1])
	wantStatus(t, message, http.StatusOK)
	if text := between(message.Body, `<pre class="mail-text">`, "</pre>"); !strings.Contains(text, html.EscapeString(long)) {
		t.Errorf("the text part is not shown whole and decoded:\n%s", text)
	}
	frame := between(message.Body, `<iframe class="digest-preview mail-html"`, "</iframe>")
	if !strings.Contains(frame, `src="`+link[1]+`/html"`) || !strings.Contains(frame, `sandbox="`) || strings.Contains(frame, "allow-scripts") {
		t.Errorf("the HTML part is not in a sandboxed frame without scripts: %s", frame)
	}
	part := admin.Get(link[1] + "/html")
	wantStatus(t, part, http.StatusOK)
	if !strings.Contains(part.Body, long) {
		t.Errorf("the HTML part is not decoded:\n%s", part.Body)
	}
	if csp := part.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("the HTML part's policy is %q", csp)
	}
}
