package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// A member's report that an opening post identifies a patient no longer
// takes the topic down on their word alone: it waits at the top of the
// moderators' queue, marked urgent and counted in their header, until a
// second member's report or a moderator decides. Every reporter is thanked,
// never sent to a 404, even when the topic their report hid is gone from
// members.
func TestIdentifierReportsWaitForASecondReportOrAModerator(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		byrne := a.VerifiedMember(t, "byrne", "Siobhan Byrne", "Emergency Medicine")
		chen := a.VerifiedMember(t, "chen", "Dr. Wei Chen", "Nephrology")
		reyes := a.VerifiedMember(t, "reyes", "Dr. Ana Reyes", "Hospital Medicine")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		older := a.Topic(t, board, weber, "Statins after 80", "Do you deprescribe?")
		spam := a.Reply(t, older, weber, "Try MiracleCardio supplements today.")
		topic := a.Topic(t, board, okafor, "Amiodarone loading in the elderly",
			"Do you **really** load with 10 g? See [the trial](https://www.nejm.org/).")
		opening := openingPost(t, a, topic)
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		flagPath := fmt.Sprintf("/p/%d/flag", opening.ID)

		first, second, bystander, m := a.Browser(t), a.Browser(t), a.Browser(t), a.Browser(t)
		first.SignIn(byrne)
		second.SignIn(chen)
		bystander.SignIn(reyes)
		m.SignIn(mod)

		// An older report for something else waits first, until an
		// identifier report comes.
		wantStatus(t, reportPost(first, spam.ID, "spam", ""), http.StatusSeeOther)
		mustNotContain(t, m.Get("/mod/review"), "verify-count")

		res := reportPost(first, opening.ID, "phi", "Might be someone's grandmother")
		wantStatus(t, res, http.StatusSeeOther)
		res = first.Get(res.Location())
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<h1>Reported</h1>", "You reported this post (Identifies a patient)",
			"at the top of the moderators' queue, marked urgent")
		// Nothing in the post bears the report out: it stays up.
		mustContain(t, bystander.Get(topicPath), "Amiodarone loading in the elderly", "really")
		if got, _ := a.Store.PostByID(t.Context(), opening.ID); got.IsHidden() {
			t.Fatal("one member's report hid a post the identifier check finds nothing in")
		}

		queue := m.Get("/mod/review")
		mustContain(t, queue, `<span class="verify-count"`, "1<span class=\"visually-hidden\"> reported as identifying a patient, to verify</span>",
			`<span class="badge urgent">Urgent: still shown, verify</span>`)
		// The identifier report comes first, though reported later.
		if i, j := strings.Index(queue.Body, reviewLink(opening)), strings.Index(queue.Body, reviewLink(spam)); i < 0 || j < 0 || i > j {
			t.Fatalf("the identifier report is at %d, the older spam report at %d: want it first", i, j)
		}
		// The excerpt is the text members read, not its markdown.
		mustContain(t, queue, `<blockquote class="review-excerpt">Do you really load with 10 g? See the trial.</blockquote>`)
		mustNotContain(t, queue, "**really**", "](https://")

		// A second member's report hides the topic; they too are thanked,
		// without the title, and so is the first reporter.
		res = reportPost(second, opening.ID, "phi", "")
		wantStatus(t, res, http.StatusSeeOther)
		for _, b := range []*apptest.Browser{second, first} {
			res = b.Get(flagPath)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "<h1>Reported</h1>", "The topic is hidden from members until a moderator has looked at it.",
				`<a href="/b/cardiology">Back to the board</a>`)
			mustNotContain(t, res, "Amiodarone")
			// Sending the form again (a second tab) thanks them again.
			res = b.Submit(flagPath, flagPath, url.Values{"reason": {"phi"}})
			wantStatus(t, res, http.StatusSeeOther)
			if res.Location() != flagPath {
				t.Fatalf("a second report led to %q", res.Location())
			}
		}
		// Members who did not report it see nothing of it.
		wantStatus(t, bystander.Get(topicPath), http.StatusNotFound)
		res = bystander.Get(flagPath)
		wantStatus(t, res, http.StatusNotFound)
		mustNotContain(t, res, "Amiodarone")
		if got, _ := a.Store.PostByID(t.Context(), opening.ID); !got.IsHidden() || got.HiddenByID != nil {
			t.Fatalf("after a second report the post is %+v, want hidden pending review", got)
		}
		queue = m.Get("/mod/review")
		mustNotContain(t, queue, "badge urgent")
		mustContain(t, queue, `<span class="badge">Hidden</span>`, "verify-count")

		// Dismissed, the topic is back, the count gone, and neither
		// reporter's next word alone hides anything.
		wantStatus(t, decide(m, opening.ID, "dismiss", url.Values{"reason": {"A made-up grandmother"}}), http.StatusSeeOther)
		mustContain(t, bystander.Get(topicPath), "Amiodarone")
		mustNotContain(t, m.Get("/mod/review"), "verify-count")
		for _, u := range []*models.User{byrne, chen} {
			if rec, err := a.Store.ReporterRecordOf(t.Context(), u.ID); err != nil || rec != (models.ReporterRecord{Dismissed: 1}) {
				t.Fatalf("record of %s: %+v, %v", u.Username, rec, err)
			}
		}
	})
}

// A reporter whose earlier identifier reports were upheld is believed at
// once, and sees the thank-you page even though their report hid the
// whole topic.
func TestUpheldReportersHideAtOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		byrne := a.VerifiedMember(t, "byrne", "Siobhan Byrne", "Emergency Medicine")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		earlier := a.Reply(t, topic, weber, "Seen in bed 4 on Ward 7, MRN 4417823.")
		reporter, m, reader := a.Browser(t), a.Browser(t), a.Browser(t)
		reporter.SignIn(byrne)
		m.SignIn(mod)
		reader.SignIn(weber)

		// The identifier check bears out the first report: hidden at once.
		wantStatus(t, reportPost(reporter, earlier.ID, "phi", "MRN"), http.StatusSeeOther)
		mustContain(t, reporter.Get(fmt.Sprintf("/p/%d/flag", earlier.ID)), "The post is hidden from members until a moderator has looked at it.")
		wantStatus(t, decide(m, earlier.ID, "hide", url.Values{"reason": {"A record number"}}), http.StatusSeeOther)

		// Upheld once, the reporter's word hides a topic with nothing the
		// check can see.
		quiet := a.Topic(t, board, weber, "A long night on the ward", "She pulled her own line at 3 am.")
		opening := openingPost(t, a, quiet)
		res := reportPost(reporter, opening.ID, "phi", "I know who this is")
		wantStatus(t, res, http.StatusSeeOther)
		res = reporter.Get(res.Location())
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<h1>Reported</h1>", "The topic is hidden from members")
		wantStatus(t, reader.Get(fmt.Sprintf("/t/%d", quiet.ID)), http.StatusNotFound)
		res = signedInAdmin(t, a).Get("/admin/audit?action=post.hide")
		mustContain(t, res, "reported as identifying a patient by a member whose earlier such reports were upheld; hidden pending review",
			"reported as identifying a patient, and the identifier check finds one; hidden pending review")
	})
}
