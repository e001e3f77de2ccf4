package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

var consultAddress = regexp.MustCompile(`^/consults/(\d+)$`)

// startConsult has b start a consult through the form and returns its
// address.
func startConsult(t *testing.T, b *apptest.Browser, form url.Values) string {
	t.Helper()
	res := b.Submit("/consults/new", "/consults/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	if !consultAddress.MatchString(res.Location()) {
		t.Fatalf("started consult at %q", res.Location())
	}
	return res.Location()
}

func TestConsultStartReplyAndParticipants(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Li Chen", "Nephrology")
		a.PendingMember(t, "newcomer")
		mod := a.Moderator(t, "mo", "Moderator Mo", "Internal Medicine")

		cardiologist := a.SignedIn(t, okafor)
		mustContain(t, cardiologist.Get("/consults"), "No consults yet.", `href="/consults/new"`)
		mustContain(t, cardiologist.Get("/consults/new?to=weber"), `name="to" type="text" value="weber"`, "Let the others add participants")

		// Refused forms keep everything typed and say why.
		res := cardiologist.Submit("/consults/new", "/consults/new", url.Values{"subject": {"Pericarditis recurrence"}, "body": {"Colchicine for how long?"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose at least one colleague to consult", `value="Pericarditis recurrence"`, "Colchicine for how long?")
		res = cardiologist.Submit("/consults/new", "/consults/new", url.Values{"to": {"newcomer"}, "subject": {"Pericarditis recurrence"}, "body": {"Colchicine?"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "You cannot consult “newcomer”.")
		res = cardiologist.Submit("/consults/new", "/consults/new", url.Values{"to": {"weber"}, "subject": {"Pericarditis recurrence"},
			"body": {"My patient, SSN 123-45-6789, relapsed."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Patient identifiers: edit these out", "My patient, SSN 123-45-6789, relapsed.")
		// A preview writes nothing.
		res = cardiologist.Submit("/consults/new", "/consults/new", url.Values{"to": {"weber"}, "subject": {"Pericarditis recurrence"},
			"body": {"**Colchicine** for how long?"}, "preview": {"1"}})
		mustContain(t, res, "<strong>Colchicine</strong>")
		if n := count(t, a, `SELECT COUNT(*) FROM consults`); n != 0 {
			t.Fatalf("%d consults after refused forms and a preview", n)
		}

		path := startConsult(t, cardiologist, url.Values{"to": {"@weber"}, "subject": {"Pericarditis recurrence"},
			"body": {"Colchicine for how long after a **second** episode?"}})
		mustContain(t, cardiologist.Get(path), "Pericarditis recurrence", "<strong>second</strong>", "Jonas Weber, RN", "Add a colleague")

		// Weber sees it unread, with a notification of kind consult; opening
		// it marks it read.
		nurse := a.SignedIn(t, weber)
		mustContain(t, nurse.Get("/consults"), "Pericarditis recurrence", `<span class="unread-count">1<span class="visually-hidden"> unread`, "With Dr. Amara Okafor")
		notifications := nurse.Get("/notifications")
		mustContain(t, notifications, `<a href="/consults">A consult has new messages</a>`)
		mustNotContain(t, notifications, "Pericarditis", "Colchicine")
		mustContain(t, nurse.Get("/u/okafor"), `href="/consults/new?to=okafor">Consult privately</a>`)
		if n := count(t, a, `SELECT COUNT(*) FROM consult_notifications WHERE user_id = ? AND kind = 'consult' AND read_at IS NULL`, weber.ID); n != 1 {
			t.Fatalf("weber has %d unread consult notifications", n)
		}
		page := nurse.Get(path)
		mustContain(t, page, "New since your last visit", "Colchicine for how long")
		// Only the starter adds participants here.
		mustNotContain(t, page, "Add a colleague")
		mustNotContain(t, nurse.Get("/consults"), "visually-hidden\"> unread")
		res = nurse.Submit(path, path+"/add", url.Values{"member": {"chen"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Only the member who started this consult can add participants")

		// A reply goes through the same guard, then reaches okafor.
		res = nurse.Submit(path, path+"/reply", url.Values{"body": {"Call 555-867-5309 and ask for MRN 12345678."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Call 555-867-5309")
		wantStatus(t, nurse.Submit(path, path+"/reply", url.Values{"body": {"Three months, with a taper."}}), http.StatusSeeOther)
		mustContain(t, cardiologist.Get("/consults"), `<span class="unread-count">1<span`)
		mustContain(t, cardiologist.Get(path), "Three months, with a taper.")

		// Muting stops the notifications, not the messages.
		wantStatus(t, nurse.Submit(path, path+"/mute", nil), http.StatusSeeOther)
		mustContain(t, nurse.Get(path), "Unmute")
		wantStatus(t, cardiologist.Submit(path, path+"/reply", url.Values{"body": {"Thanks."}}), http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM consult_notifications WHERE user_id = ?`, weber.ID); n != 1 {
			t.Fatalf("muted weber has %d notifications, want 1", n)
		}
		mustContain(t, nurse.Get("/consults"), "Muted", `<span class="unread-count">1<span`)

		// Chen blocks okafor: okafor is told what a misspelt name gets.
		nephrologist := a.SignedIn(t, chen)
		res = nephrologist.Submit("/settings/consults", "/settings/consults/block", url.Values{"member": {"okafor"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, nephrologist.Get("/settings/consults"), "Dr. Amara Okafor", "Unblock")
		blocked := cardiologist.Submit(path, path+"/add", url.Values{"member": {"chen"}})
		wantStatus(t, blocked, http.StatusUnprocessableEntity)
		mustContain(t, blocked, "You cannot consult “chen”. Check the username; some members do not take consults from everyone.")
		unknown := cardiologist.Submit(path, path+"/add", url.Values{"member": {"nobody"}})
		mustContain(t, unknown, "You cannot consult “nobody”. Check the username; some members do not take consults from everyone.")
		res = cardiologist.Submit("/consults/new", "/consults/new", url.Values{"to": {"chen"}, "subject": {"Dialysis"}, "body": {"Apixaban?"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "You cannot consult “chen”.", "Apixaban?")
		if n := count(t, a, `SELECT COUNT(*) FROM consult_members WHERE user_id = ?`, chen.ID); n != 0 {
			t.Fatalf("chen is in %d consults despite the block", n)
		}

		// Weber reports okafor's last message; the moderator sees it and the
		// few before it, never the subject nor the consult itself.
		messages := regexp.MustCompile(`/consult-messages/(\d+)/report`).FindAllStringSubmatch(nurse.Get(path).Body, -1)
		if len(messages) != 2 {
			t.Fatalf("weber can report %d messages, want okafor's 2", len(messages))
		}
		report := messages[1][0]
		res = nurse.Submit(report, report, url.Values{"reason": {"unprofessional"}, "note": {"Curt."}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, nurse.Get(res.Location()), "the moderators will look at the message you reported")
		moderator := a.SignedIn(t, mod)
		wantStatus(t, moderator.Get(path), http.StatusNotFound)
		queue := moderator.Get("/mod/review")
		mustContain(t, queue, "Consult message by Dr. Amara Okafor", "1 report")
		mustContain(t, queue, `Reported posts <span class="unread-count">1<span class="visually-hidden"> waiting`)
		mustNotContain(t, queue, "Pericarditis")
		review := "/mod/consult-messages/" + messages[1][1]
		page = moderator.Get(review)
		mustContain(t, page, "Thanks.", "Three months, with a taper.", "Colchicine for how long", "Curt.")
		mustNotContain(t, page, "Pericarditis")
		res = moderator.Submit(review, review+"/hide", url.Values{"reason": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Give the reason the participants will see")
		wantStatus(t, moderator.Submit(review, review+"/hide", url.Values{"reason": {"Keep it courteous."}}), http.StatusSeeOther)
		mustContain(t, nurse.Get(path), "Hidden by a moderator: Keep it courteous.")
		mustNotContain(t, nurse.Get(path), "Thanks.")
		if n := count(t, a, `SELECT COUNT(*) FROM audit_events WHERE action = 'consult_message.hide'`); n != 1 {
			t.Fatalf("%d audit events of the hide", n)
		}

		// Search finds the member's own consults, and only theirs.
		mustContain(t, cardiologist.Get("/search?q="+url.QueryEscape("in:consults taper")), "Pericarditis recurrence", "Three months, with a taper.")
		mustNotContain(t, nephrologist.Get("/search?q="+url.QueryEscape("in:consults taper")), "Pericarditis", "taper.")
		mustNotContain(t, moderator.Get("/search?q=taper"), "Pericarditis", "Three months")

		// Weber leaves, and reads nothing of it any more.
		res = nurse.Submit(path, path+"/leave", nil)
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, nurse.Get(res.Location()), "You left the consult.")
		wantStatus(t, nurse.Get(path), http.StatusNotFound)
		mustNotContain(t, nurse.Get("/consults"), "Pericarditis")
		mustContain(t, cardiologist.Get(path), "Jonas Weber, RN</a> <span class=\"muted\">· Critical Care Nursing</span> <span class=\"muted\">(left)</span>")
	})
}

// TestConsultsReachNoOneElse walks every route of the route table as each
// role but the participants — another member, a moderator, an
// administrator, a guest, a former participant who left and one who left
// and was suspended — and finds nothing of a consult between two members:
// not its subject, not its text, on any page, feed, search, notification
// list, digest or profile.
func TestConsultsReachNoOneElse(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Li Chen", "Nephrology")
		mod := a.Moderator(t, "mo", "Moderator Mo", "Internal Medicine")
		admin := a.Admin(t, "root", "Dr. Ada Root", "Internal Medicine")
		former := a.VerifiedMember(t, "former", "Dr. Fay Former", "Cardiology")
		suspended := a.VerifiedMember(t, "gone", "Dr. Gus Gone", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post", "anticoagulation")
		reply := a.Reply(t, topic, weber, "A public reply")

		const subject, secret = "Zebra subject of a private consult", "Quokka-secret dosing text"
		participant := a.SignedIn(t, okafor)
		path := startConsult(t, participant, url.Values{"to": {"weber, former, gone"}, "subject": {subject}, "body": {secret + " @chen"},
			"others_may_add": {"1"}})
		wantStatus(t, a.SignedIn(t, weber).Submit(path, path+"/reply", url.Values{"body": {secret + " again"}}), http.StatusSeeOther)
		consultID := consultAddress.FindStringSubmatch(path)[1]
		var messageID int64
		if err := a.Store.DB().Raw(`SELECT MAX(id) FROM consult_messages`).Scan(&messageID).Error; err != nil {
			t.Fatal(err)
		}
		var gone *apptest.Browser
		for _, u := range []*models.User{former, suspended} {
			gone = a.SignedIn(t, u)
			wantStatus(t, gone.Submit(path, path+"/leave", nil), http.StatusSeeOther)
		}
		// The suspended one keeps the cookie of a session the suspension ended.
		if err := a.Store.SuspendMember(ctx, mod, suspended.ID, nil, "Left and then was suspended."); err != nil {
			t.Fatal(err)
		}
		// The participants do read it: the walk below can fail.
		mustContain(t, participant.Get(path), subject, secret)
		mustContain(t, participant.Get("/search?q="+url.QueryEscape("in:consults quokka")), subject)

		visitors := map[string]*apptest.Browser{
			"member": a.SignedIn(t, chen), "moderator": a.SignedIn(t, mod), "admin": a.SignedIn(t, admin),
			"guest": a.Browser(t), "former participant": a.SignedIn(t, former),
		}
		visitors["suspended former participant"] = gone

		for role, b := range visitors {
			token := "no-token"
			if u, err := a.Store.UserByUsername(ctx, map[string]string{"member": "chen", "moderator": "mo", "admin": "root",
				"former participant": "former"}[role]); err == nil {
				if token, err = a.Store.CreateFeedToken(ctx, u.ID); err != nil {
					t.Fatal(err)
				}
			}
			ids := strings.NewReplacer(
				"/consults/:id<int>", "/consults/"+consultID,
				"/consult-messages/:id<int>", fmt.Sprintf("/consult-messages/%d", messageID),
				"/mod/consult-messages/:id<int>", fmt.Sprintf("/mod/consult-messages/%d", messageID),
				"/t/:id<int>/:slug", fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug),
				"/t/:id<int>", fmt.Sprintf("/t/%d", topic.ID),
				"/p/:id<int>", fmt.Sprintf("/p/%d", reply.ID),
				"/mod/review/:id<int>", fmt.Sprintf("/mod/review/%d", reply.ID),
				"/mod/posts/:id<int>", fmt.Sprintf("/mod/posts/%d", reply.ID),
				"/mod/topics/:id<int>", fmt.Sprintf("/mod/topics/%d", topic.ID),
				"/admin/members/:id<int>", fmt.Sprintf("/admin/members/%d", okafor.ID),
				"/admin/boards/:id<int>", fmt.Sprintf("/admin/boards/%d", board.ID),
				":id<int>", "1",
				"/u/:username", "/u/okafor",
				"/feeds/:token", "/feeds/"+token,
				"/unsubscribe/:token", "/unsubscribe/none",
				"/admin/outbox/:name", "/admin/outbox/none.eml",
				"/auth/:provider", "/auth/demo",
				":slug", board.Slug, ":tag", "anticoagulation", ":action", "hide",
			)
			asked := 0
			for key := range routeAccess {
				method, pattern, _ := strings.Cut(key, " ")
				// Every page is read; of the writes, those of consults are
				// tried, since the others write nothing a consult holds
				// (and an administrator's would change the site under
				// the walk).
				if strings.HasPrefix(pattern, "/img/") || strings.HasSuffix(pattern, "/*") || pattern == "/sign-out" ||
					strings.HasPrefix(pattern, "/demo/") || strings.HasPrefix(pattern, "/auth/") ||
					(method != http.MethodGet && !strings.Contains(pattern, "consult")) {
					continue
				}
				target := ids.Replace(pattern)
				var res *apptest.Response
				if method == http.MethodGet {
					res = b.Get(target)
				} else {
					// With the visitor's own CSRF token where they have
					// one: a write is refused for what it is, not for a
					// missing token.
					page := "/consults"
					if role == "guest" || role == "suspended former participant" {
						page = ""
					}
					if page == "" {
						res = b.Post(target, url.Values{"body": {"x"}, "reason": {"spam"}, "member": {"chen"}})
					} else {
						res = b.Submit(page, target, url.Values{"body": {"x"}, "reason": {"spam"}, "member": {"chen"}})
					}
				}
				if strings.Contains(res.Body, subject) || strings.Contains(res.Body, "Quokka") || strings.Contains(res.Body, "quokka") {
					t.Errorf("%s: %s %s (status %d) shows the consult", role, method, target, res.Status)
				}
				asked++
			}
			for _, q := range []string{"quokka", "zebra", "in:consults quokka", "in:consults zebra", "@okafor quokka"} {
				res := b.Get("/search?q=" + url.QueryEscape(q))
				if strings.Contains(strings.ToLower(res.Body), "quokka-secret") || strings.Contains(res.Body, subject) {
					t.Errorf("%s: search %q shows the consult", role, q)
				}
			}
			if asked < 65 {
				t.Fatalf("%s: only %d routes asked for", role, asked)
			}
		}
		// None of them was added by the walk, nor heard of it: the
		// mention in the consult notified no one outside it.
		if n := count(t, a, `SELECT COUNT(*) FROM consult_members WHERE user_id = ?`, chen.ID); n != 0 {
			t.Fatalf("chen joined the consult during the walk")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, chen.ID); n != 0 {
			t.Fatalf("chen has %d notifications of the consult's mention", n)
		}
	})
}

// TestModeratorsActOnAReportedConsultMessage purges a reported message and
// warns and suspends its author, each audited; a message nobody reported
// stays out of reach.
func TestModeratorsActOnAReportedConsultMessage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "mo", "Moderator Mo", "Internal Medicine")
		consult := a.Consult(t, okafor, "Heparin", "First", weber)
		rude := a.ConsultMessage(t, consult, okafor, "Rude words")
		moderator := a.SignedIn(t, mod)
		review := fmt.Sprintf("/mod/consult-messages/%d", rude.ID)
		wantStatus(t, moderator.Get(review), http.StatusNotFound)

		nurse := a.SignedIn(t, weber)
		report := fmt.Sprintf("/consult-messages/%d/report", rude.ID)
		res := nurse.Submit(report, report, url.Values{"reason": {"other"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Say in a few words what the moderators should look at.")
		wantStatus(t, nurse.Submit(report, report, url.Values{"reason": {"unprofessional"}}), http.StatusSeeOther)
		mustContain(t, nurse.Get(report), "You reported this message (Unprofessional)")
		// One's own message cannot be reported.
		own := a.SignedIn(t, okafor)
		wantStatus(t, own.Get(report), http.StatusForbidden)

		mustContain(t, moderator.Get(review), "Rude words", "First")
		wantStatus(t, moderator.Submit(review, review+"/warn", url.Values{"reason": {"Speak to colleagues with respect."}}), http.StatusSeeOther)
		mustContain(t, own.Get("/settings/standing"), "Speak to colleagues with respect.")
		res = moderator.Submit(review, review+"/purge", url.Values{"reason": {"Abusive"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Tick the box to confirm")
		mustContain(t, moderator.Get(review), "The reports of this message are closed.")
		// A second report opens it again; the purge empties it for good.
		wantStatus(t, nurse.Submit(report, report, url.Values{"reason": {"unprofessional"}}), http.StatusSeeOther)
		wantStatus(t, moderator.Submit(review, review+"/purge", url.Values{"reason": {"Abusive"}, "confirm": {"yes"}}), http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM consult_messages WHERE id = ? AND source = '' AND cooked = '' AND plain = '' AND purged_at IS NOT NULL`, rude.ID); n != 1 {
			t.Fatal("the purged message keeps its text")
		}
		mustNotContain(t, nurse.Get(fmt.Sprintf("/consults/%d", consult.ID)), "Rude words")
		wantStatus(t, nurse.Submit(report, report, url.Values{"reason": {"spam"}}), http.StatusSeeOther)
		res = moderator.Submit(review, review+"/suspend", url.Values{"reason": {"Repeated abuse"}, "length": {"indefinite"}})
		wantStatus(t, res, http.StatusSeeOther)
		if u, err := a.Store.UserByID(ctx, okafor.ID); err != nil || u.Status != models.StatusSuspended {
			t.Fatalf("okafor after the suspension: %+v, %v", u, err)
		}
		for _, action := range []string{"user.warn", "consult_message.warn", "consult_message.purge", "consult_message.suspend"} {
			if n := count(t, a, `SELECT COUNT(*) FROM audit_events WHERE action = ?`, action); n != 1 {
				t.Errorf("%d audit events %s, want 1", n, action)
			}
		}
	})
}
