package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestMarkTheReplyThatAnswered(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Clinician(t, "okafor", "Dr. Amara Okafor", "physician", "Cardiology")
		weber := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		nair := a.Clinician(t, "pnair", "Priya Nair, PharmD", "pharmacist", "Clinical Pharmacy")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		dose := a.Reply(t, topic, weber, "2.5 mg twice daily.")
		anon := a.AnonymousReply(t, topic, nair, "Ask the renal pharmacist.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		mark := func(p *models.Post) string { return fmt.Sprintf("/p/%d/answer", p.ID) }

		// Only the topic's author (and moderators) are offered the button.
		nurse := a.SignedIn(t, weber)
		page := nurse.Get(topicPath)
		mustNotContain(t, page, `action="`+mark(dose)+`"`, "Mark as answer", "Answered by")
		wantStatus(t, nurse.Submit(topicPath, mark(dose), nil), http.StatusForbidden)

		owner := a.SignedIn(t, okafor)
		mustContain(t, owner.Get(topicPath), `action="`+mark(dose)+`"`, `action="`+mark(anon)+`"`, "Mark as answer")
		// Without the form's token, nothing is marked.
		wantStatus(t, owner.Post(mark(dose), nil), http.StatusForbidden)
		// The opening post cannot answer itself.
		opening := openingPostOf(t, a, topic.ID)
		wantStatus(t, owner.Submit(topicPath, fmt.Sprintf("/p/%d/answer", opening), nil), http.StatusUnprocessableEntity)

		res := owner.Submit(topicPath, mark(dose), nil)
		wantStatus(t, res, http.StatusSeeOther)
		page = nurse.Get(topicPath)
		mustContain(t, page, `<article class="post answer" id="post-2"`, "✔</span> Answer <span",
			`Answered by <a href="/u/weber">Jonas Weber, RN</a> — <a href="/p/`+fmt.Sprint(dose.ID)+`">jump to answer</a>`)
		mustContain(t, nurse.Get("/b/cardiology"), "Answered</span>")
		a.CatchUp(t)
		mustContain(t, nurse.Get("/search?q=is%3Aanswered"), "Apixaban in dialysis", "Answered</span>")
		// Its author hears of it, without being told who marked it.
		mustContain(t, nurse.Get("/notifications"), "Your post #2 was marked as <strong>the answer</strong> in")
		if n := count(t, a, `SELECT COUNT(*) FROM audit_events WHERE action = 'topic.answer'`); n != 0 {
			t.Fatalf("the author's mark was audited (%d events); only moderators' are", n)
		}

		// A moderator moves the mark to the anonymous reply, audited; its
		// author stays anonymous under the opening post.
		moderator := a.SignedIn(t, mod)
		wantStatus(t, moderator.Submit(topicPath, mark(anon), nil), http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM audit_events WHERE action = 'topic.answer' AND actor_id = ?`, mod.ID); n != 1 {
			t.Fatalf("%d audited marks by the moderator, want 1", n)
		}
		page = nurse.Get(topicPath)
		mustContain(t, page, `<article class="post anonymous answer" id="post-3"`, "Answered by Anonymous")
		mustNotContain(t, page, "Answered by Priya", "Answered by <a")

		// The author takes the mark back.
		wantStatus(t, owner.Submit(topicPath, mark(anon)+"/remove", nil), http.StatusSeeOther)
		mustNotContain(t, nurse.Get(topicPath), "Answered by", "post answer")
		mustNotContain(t, nurse.Get("/b/cardiology"), "Answered</span>")

		// A member who cannot read the board can neither mark nor unmark.
		wantStatus(t, owner.Submit(topicPath, mark(dose), nil), http.StatusSeeOther)
		pharmacists := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, board, []*models.Group{pharmacists}, []*models.Group{pharmacists})
		wantStatus(t, owner.Submit("/", mark(anon), nil), http.StatusNotFound)
		wantStatus(t, owner.Submit("/", mark(dose)+"/remove", nil), http.StatusNotFound)
		var answer int64
		if err := a.Store.DB().Raw(`SELECT COALESCE(answer_post_id, 0) FROM topics WHERE id = ?`, topic.ID).Scan(&answer).Error; err != nil || answer != dose.ID {
			t.Fatalf("answer %d (%v), want post %d marked before the board closed", answer, err, dose.ID)
		}
	})
}
