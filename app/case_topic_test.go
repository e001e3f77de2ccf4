package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// aCase is a case as a member fills in the form.
func aCase() url.Values {
	return url.Values{
		"source_url":   {"https://radiopaedia.org/cases/boerhaave-syndrome-7?lang=us&view=full"},
		"title":        {"Chest pain after vomiting: swallow study now?"},
		"age_band":     {"50-59"},
		"sex":          {"male"},
		"presentation": {"Sudden chest pain after forceful vomiting.\nCrepitus over the neck & <b>no</b> fever."},
		"workup":       {"CXR: pneumomediastinum.\nLactate 2.1."},
		"question":     {"Contrast swallow now, or CT first?"},
		"tags":         {"gi, surgery"},
		"attest":       {"yes"},
	}
}

func TestPresentACase(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		mustContain(t, b.Get("/b/cardiology"), `href="/b/cardiology/case"`, "Present a case")
		res := b.Get("/b/cardiology/case")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `name="source_url"`, `<option value="90-plus">90 or older</option>`,
			`<option value="newborn">Newborn (0–28 days)</option>`, `<option value="not-stated">Not stated</option>`,
			`name="attest" type="checkbox"`)

		// The preview shows the opening post made from the summary.
		form := aCase()
		form.Set("preview", "1")
		res = b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Preview of the opening post", "<strong>Presentation:</strong>")

		res = b.Submit("/b/cardiology/case", "/b/cardiology/case", aCase())
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		res = b.Get(topicPath)
		wantStatus(t, res, http.StatusOK)
		link := html.EscapeString("https://radiopaedia.org/cases/boerhaave-syndrome-7?lang=us&view=full")
		mustContain(t, res, `<section class="case-summary"`,
			`<a href="`+link+`" rel="nofollow ugc noopener noreferrer">`,
			"<dt>Age band</dt>", "<dd>50–59</dd>", "<dt>Sex</dt>", "<dd>Male</dd>",
			"<dt>Presentation</dt>", "<dd>Sudden chest pain after forceful vomiting.\nCrepitus over the neck &amp; &lt;b&gt;no&lt;/b&gt; fever.</dd>",
			"<dt>Work-up so far</dt>", "<dd>CXR: pneumomediastinum.\nLactate 2.1.</dd>",
			"<dt>Question for peers</dt>", "<dd>Contrast swallow now, or CT first?</dd>",
			"Identifiers attested absent by the author.",
			`href="/tags/gi"`)
		mustNotContain(t, res, `target=`, "<b>no</b>")
		// With no discussion written, the opening post is the summary
		// itself: the page shows it once, in the card above the post,
		// and the post says so instead of repeating it.
		card, post := strings.Index(res.Body, `class="case-summary"`), strings.Index(res.Body, `id="post-1"`)
		if card < 0 || post < card {
			t.Fatalf("card at %d, opening post at %d: want the card above the post", card, post)
		}
		mustContain(t, res, "Presented the case summarised above.")
		mustNotContain(t, res, "<strong>Presentation:</strong>", "<strong>Question for peers:</strong>")
		if n := strings.Count(res.Body, "Contrast swallow now, or CT first?"); n != 1 {
			t.Errorf("the question shows %d times on the page, want once", n)
		}

		topics, _, err := a.Store.TopicsWithTag(context.Background(), nil, "gi", 0, 10)
		if err != nil || len(topics) != 1 || topics[0].Kind != models.KindCase {
			t.Fatalf("topics tagged gi: %+v, %v", topics, err)
		}
		cs, err := a.Store.CaseSummaryFor(context.Background(), topics[0].ID)
		if err != nil || cs.AgeBand != "50-59" || cs.AttestedByID != okafor.ID {
			t.Fatalf("stored summary %+v, %v", cs, err)
		}

		// A discussion, when written, is the opening post.
		form = aCase()
		form.Set("title", "Second case with a discussion")
		form.Set("workup", "")
		form.Set("body", "My own **thoughts** first.")
		res = b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(res.Location())
		mustContain(t, res, "My own <strong>thoughts</strong> first.", "<dt>Work-up so far</dt>", "None given.")
		mustNotContain(t, res, "Presented the case summarised above.")

		// Once its author edits the opening post into something of its
		// own, the post shows it under the card.
		opening, err := a.Store.PostsInTopic(context.Background(), topics[0].ID, 1, 1)
		if err != nil || len(opening) != 1 {
			t.Fatalf("opening post: %+v, %v", opening, err)
		}
		first, err := a.Store.PostByID(context.Background(), opening[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		edited := first.Source + "\nUpdate: CT showed a distal tear."
		res = b.Submit(fmt.Sprintf("/p/%d/edit", first.ID), fmt.Sprintf("/p/%d/edit", first.ID),
			url.Values{"title": {"Chest pain after vomiting: swallow study now?"}, "tags": {"gi, surgery"}, "body": {edited}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(topicPath)
		mustContain(t, res, "Update: CT showed a distal tear.", "<strong>Presentation:</strong>")
		mustNotContain(t, res, "Presented the case summarised above.")
	})
}

func TestCaseWithoutAttestationKeepsEverything(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		form := aCase()
		form.Del("attest")
		form.Set("body", "Some thoughts of mine.")
		res := b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res,
			`<p class="field-error" id="attest-error">Confirm that the post contains no names, dates, record numbers or other details that could identify the patient.</p>`,
			`aria-describedby="attest-error" aria-invalid="true"`, `href="#field-attest"`,
			`value="`+html.EscapeString(form.Get("source_url"))+`"`,
			`value="Chest pain after vomiting: swallow study now?"`,
			`<option value="50-59" selected>`, `<option value="male" selected>`,
			">\nSudden chest pain after forceful vomiting.\nCrepitus over the neck &amp; &lt;b&gt;no&lt;/b&gt; fever.</textarea>",
			">\nCXR: pneumomediastinum.\nLactate 2.1.</textarea>",
			">\nContrast swallow now, or CT first?</textarea>",
			`value="gi, surgery"`, ">\nSome thoughts of mine.</textarea>")
		mustNotContain(t, res, "Preview of the opening post")
		if attest := strings.Index(res.Body, `id="field-attest"`); attest < 0 || strings.Index(res.Body, `id="attest-error"`) < attest {
			t.Fatal("the attestation's error is not at the checkbox")
		}
		assertNoTopics(t, a)
	})
}

func TestCaseFormRefusesWhatCouldIdentifyOrMislead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		for _, tc := range []struct {
			name, field, value, errorID, message string
		}{
			{"an exact age as the band", "age_band", "92-year-old", "age-error", "Choose one of the age bands listed; an exact age is never stored."},
			{"a number as the band", "age_band", "92", "age-error", "an exact age is never stored"},
			{"no band", "age_band", "", "age-error", "Choose the patient’s age band."},
			{"an unknown sex", "sex", "f", "sex-error", "Choose the patient’s sex"},
			{"an exact old age in the presentation", "presentation", "A 92-year-old woman with chest pain.", "presentation-error", "An exact age over 89 can identify a patient"},
			{"a javascript: link", "source_url", "javascript:alert(document.cookie)", "source-error", "The link must be a web page"},
			{"an ftp: link", "source_url", "ftp://files.example.org/case.pdf", "source-error", "The link must be a web page"},
			{"a link with no host", "source_url", "https:///cases/1", "source-error", "not a web address"},
			{"a short presentation", "presentation", "Pain.", "presentation-error", "The presentation needs at least 10 characters."},
			{"a long work-up", "workup", strings.Repeat("x", 4001), "workup-error", "at most 4,000 characters; it has 4,001."},
			{"no question", "question", " ", "question-error", "The question for peers is required."},
			{"a short title", "title", "Hmm", "title-error", "The title needs at least 5 characters."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				form := aCase()
				form.Set(tc.field, tc.value)
				res := b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				_, after, found := strings.Cut(res.Body, `id="`+tc.errorID+`">`)
				if msg, _, _ := strings.Cut(after, "</p>"); !found || !strings.Contains(msg, html.EscapeString(tc.message)) {
					t.Fatalf("the %s field's error is %q, want %q", tc.field, msg, tc.message)
				}
			})
		}
		assertNoTopics(t, a)
	})
}

func TestPendingMemberCannotPresentACase(t *testing.T) {
	a := apptest.New(t)
	a.Board(t, "cardiology", "Cardiology")
	p := a.Browser(t)
	p.SignIn(a.PendingMember(t, "newcomer"))
	res := p.Get("/b/cardiology/case")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/verify" {
		t.Fatalf("pending member sent to %q, want /verify", res.Location())
	}
	wantStatus(t, p.Submit("/verify", "/b/cardiology/case", aCase()), http.StatusForbidden)
	assertNoTopics(t, a)
}

func assertNoTopics(t *testing.T, a *apptest.App) {
	t.Helper()
	var n int64
	if err := a.Store.DB().Table("topics").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a refused case left %d topics", n)
	}
}
