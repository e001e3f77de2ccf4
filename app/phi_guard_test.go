package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
)

var phiFingerprint = regexp.MustCompile(`name="phi_confirm" value="([0-9a-f]+)"`)

func TestPHIGuardBlocksAndAsks(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, mod, "Syncope work-up", "Holter or loop recorder?")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		b := a.Browser(t)
		b.SignIn(okafor)

		// A medical record number blocks the reply, whatever is ticked.
		blocked := "Same as my patient, MRN 00482913, who fainted on the treadmill."
		res := b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {blocked}, "phi_confirm": {"anything"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `href="#field-phi"`, "Rounds will not post", `<strong>Medical record number</strong> <span class="phi-must">must go</span>`,
			"<mark>", "00482913", blocked[strings.Index(blocked, "who"):]+"</textarea>")
		mustNotContain(t, res, `name="phi_confirm"`)

		// A weaker finding asks to confirm; the confirmation must match
		// the findings of the text sent.
		weaker := "Admitted on 3/14/2024 after a syncopal episode; troponin 0.04 ng/mL, K 5.9."
		res = b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {weaker}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Possible patient identifiers", "confirm that none identifies a patient", `name="phi_confirm"`)
		mustNotContain(t, res, "ng/mL</mark>", "5.9</mark>")
		m := phiFingerprint.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("no confirmation checkbox")
		}
		// A stale confirmation (for another text) is not enough.
		res = b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {weaker + " Seen again on 4/2/2024."}, "phi_confirm": {m[1]}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		res = b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {weaker}, "phi_confirm": {m[1]}})
		wantStatus(t, res, http.StatusSeeOther)

		// Ordinary clinical prose goes straight through.
		res = b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"BP 142/88, HR 110, SpO2 92%. Apixaban 5 mg BID since 2019; CHA2DS2-VASc 4."}})
		wantStatus(t, res, http.StatusSeeOther)

		// Moderators see what was confirmed; members do not.
		post, err := a.Store.PostsInTopic(ctx, topic.ID, 2, 2)
		if err != nil || len(post) != 1 || !strings.Contains(post[0].PHIConfirmed, "3/14/2024") {
			t.Fatalf("stored confirmation: %+v %v", post, err)
		}
		mustNotContain(t, b.Get(topicPath), "phi-confirmed")
		moderator := a.Browser(t)
		moderator.SignIn(mod)
		mustContain(t, moderator.Get(topicPath), `<details class="phi-confirmed"><summary>The author confirmed 1 possible identifier identifies no patient</summary>`,
			"<mark>3/14/2024</mark>")

		// A new topic's title is checked too.
		res = b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Call me at 617-555-0182 about this"},
			"body": {"Details inside."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "<strong>Phone number</strong>", "in the title")
	})
}

func TestLivePreviewShowsFindingsAndSavesNothing(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Submit("/settings/sessions", "/preview", url.Values{"title": {"SSN 123-45-6789 case"}, "body": {"Plain **bold** text"}})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "<strong>bold</strong>", "Social Security number", "in the title", "Rounds will not post")
	mustNotContain(t, res, `name="phi_confirm"`)
	res = b.Submit("/settings/sessions", "/preview", url.Values{"body": {"Nothing identifying: INR 2.3 on warfarin 5 mg."}})
	mustNotContain(t, res, "phi-check")
}
