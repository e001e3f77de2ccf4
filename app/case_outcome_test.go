package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestPostAndEditACaseOutcome(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		author := a.SignedIn(t, okafor)
		res := author.Submit("/b/cardiology/case", "/b/cardiology/case", aCase())
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		var topicID int64
		if _, err := fmt.Sscanf(topicPath, "/t/%d", &topicID); err != nil {
			t.Fatalf("topic address %q: %v", topicPath, err)
		}
		formPath := fmt.Sprintf("/t/%d/outcome/edit", topicID)

		// The author is offered the outcome; a peer is not, and cannot post one.
		mustContain(t, author.Get(topicPath), `href="`+formPath+`"`, "post the outcome or a follow-up")
		peer := a.SignedIn(t, weber)
		mustNotContain(t, peer.Get(topicPath), `id="case-outcome"`, formPath)
		wantStatus(t, peer.Get(formPath), http.StatusForbidden)
		wantStatus(t, peer.Submit(topicPath, formPath, url.Values{"body": {"Not mine."}, "outcome_on": {"2020-01-15"}}), http.StatusForbidden)
		// A discussion has no outcome.
		discussion := a.Topic(t, board, okafor, "Statins after 80", "Do you stop them?")
		wantStatus(t, author.Get(fmt.Sprintf("/t/%d/outcome/edit", discussion.ID)), http.StatusNotFound)

		// Bad input keeps what was typed; identifiers are refused or
		// confirmed as in posts.
		res = author.Submit(formPath, formPath, url.Values{"body": {"Boerhaave confirmed on CT."}, "outcome_on": {"2999-01-01"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "cannot be after today", "Boerhaave confirmed on CT.", `value="2999-01-01"`)
		res = author.Submit(formPath, formPath, url.Values{"body": {"Back on the ward, MRN 00482913."}, "outcome_on": {"2020-01-15"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Rounds will not post", "MRN 00482913")
		res = author.Submit(formPath, formPath, url.Values{"body": {"Discharged on 3/14/2024, well."}, "outcome_on": {"2020-01-15"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `name="phi_confirm"`)
		if n := count(t, a, `SELECT COUNT(*) FROM case_outcomes`); n != 0 {
			t.Fatalf("%d outcomes saved from refused forms", n)
		}

		res = author.Submit(formPath, formPath, url.Values{"body": {"Boerhaave confirmed on CT; **surgical repair**, home day 12."},
			"outcome_on": {"2020-01-15"}})
		wantStatus(t, res, http.StatusSeeOther)
		page := peer.Get(topicPath)
		mustContain(t, page, `<section class="case-outcome" id="case-outcome"`, `<time datetime="2020-01-15">15 January 2020</time>`,
			"<strong>surgical repair</strong>")
		mustNotContain(t, page, "Edit the outcome")
		mustContain(t, peer.Get("/b/cardiology"), "Outcome posted")
		mustContain(t, peer.Get("/tags/gi"), "Outcome posted")

		// The author edits it; the versions are theirs and moderators' to see.
		res = author.Get(formPath)
		mustContain(t, res, "Edit the outcome", `name="version" value="1"`, "Boerhaave confirmed on CT")
		res = author.Submit(formPath, formPath, url.Values{"body": {"Boerhaave confirmed on CT; repaired, home on day 12."},
			"outcome_on": {"2020-02-01"}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		// An edit from the old version keeps the text and shows the saved one.
		res = author.Submit(formPath, formPath, url.Values{"body": {"My stale edit."}, "outcome_on": {"2020-02-01"}, "version": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "saved elsewhere", "My stale edit.", "The version saved meanwhile")
		history := fmt.Sprintf("/t/%d/outcome/history", topicID)
		mustContain(t, author.Get(topicPath), "1 February 2020", `href="`+history+`"`)
		mustContain(t, author.Get(history), "Version 2", "Version 1", "<ins>")
		wantStatus(t, peer.Get(history), http.StatusForbidden)

		// A member who cannot read the board sees nothing of it.
		pharmacists := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, board, []*models.Group{pharmacists}, []*models.Group{pharmacists})
		wantStatus(t, author.Get(formPath), http.StatusNotFound)
		wantStatus(t, author.Get(history), http.StatusNotFound)
		wantStatus(t, author.Submit("/", formPath, url.Values{"body": {"Closed."}, "outcome_on": {"2020-01-15"}, "version": {"2"}}), http.StatusNotFound)
	})
}
