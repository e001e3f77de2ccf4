package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// A case topic's summary is text like any post's: a moderator edits the
// identifiers out of it with the post, and the check guards it too.
func TestModeratorEditsIdentifiersOutOfACaseSummary(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic, opening, err := a.Store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: okafor.ID,
			Title: "Chest pain after vomiting", PostContent: models.PostContent{Source: "What would you do?", Cooked: "<p>What would you do?</p>"},
			Case: &models.CaseSummary{AgeBand: "50-59", Sex: "male", AttestedByID: okafor.ID,
				Presentation: "Mrs Eleanor Whitcombe came in with chest pain after vomiting.",
				Workup:       "CXR: pneumomediastinum.", Question: "Contrast swallow now, or CT first?"}})
		if err != nil {
			t.Fatal(err)
		}
		m := a.Browser(t)
		m.SignIn(mod)
		review := fmt.Sprintf("/mod/review/%d", opening.ID)
		res := m.Get(review)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `<section class="case-summary"`, "<strong>Name</strong>", "in the presentation:")

		redact := review + "/redact"
		res = m.Get(redact)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `id="field-presentation"`, "Mrs Eleanor Whitcombe came in", `id="field-question"`)

		form := url.Values{"title": {"Chest pain after vomiting"}, "body": {"What would you do?"}, "version": {"1"},
			"presentation": {"Came in with chest pain after vomiting, MRN 4417823."},
			"workup":       {"CXR: pneumomediastinum."}, "question": {"Contrast swallow now, or CT first?"}}
		res = m.Submit(redact, redact, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Medical record number", "Came in with chest pain after vomiting, MRN 4417823.")

		form.Set("presentation", "A man in his fifties came in with chest pain after vomiting.")
		form.Set("question", "short")
		res = m.Submit(redact, redact, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "The question for peers needs at least 10 characters", "A man in his fifties came in")

		form.Set("question", "Contrast swallow now, or CT first?")
		res = m.Submit(redact, redact, form)
		wantStatus(t, res, http.StatusSeeOther)
		cs, err := a.Store.CaseSummaryFor(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cs.Presentation != "A man in his fifties came in with chest pain after vomiting." || cs.AgeBand != "50-59" {
			t.Fatalf("case summary after the redaction: %+v", cs)
		}
		if n := countRows(t, a, "case_summaries", "presentation LIKE ?", "%Whitcombe%"); n != 0 {
			t.Fatal("the case summary still names the patient")
		}
		events, err := a.Store.AuditEventsFor(ctx, "post", opening.ID)
		if err != nil || len(events) != 1 || events[0].Action != "post.redact" ||
			events[0].Reason != "edited out patient identifiers: Name" {
			t.Fatalf("audit after the redaction: %+v (%v)", events, err)
		}
		reader := a.Browser(t)
		reader.SignIn(okafor)
		res = reader.Get(fmt.Sprintf("/t/%d", topic.ID))
		mustContain(t, res, "A man in his fifties came in")
		if strings.Contains(res.Body, "Whitcombe") {
			t.Fatal("the topic page still names the patient")
		}
	})
}
