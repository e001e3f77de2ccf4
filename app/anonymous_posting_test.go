package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
)

func TestAnonymousPostingWhereTheBoardAllowsIt(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
		a.Board(t, "frank", "Frank talk")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		// Boards do not offer anonymity until an administrator allows it.
		mustNotContain(t, b.Get("/b/frank/new"), `name="anonymous"`)
		board, err := a.Store.BoardBySlug(ctx, "frank")
		if err != nil {
			t.Fatal(err)
		}
		board.AllowAnonymous = true
		if err := a.Store.UpdateBoard(ctx, board); err != nil {
			t.Fatal(err)
		}
		// Two members are far fewer than the default ten readers a label
		// must hide its author among, so the composer offers the plainest.
		mustContain(t, b.Get("/b/frank/new"), `name="anonymous" value="1" aria-describedby="anonymous-hint"> Post anonymously, as “Anonymous clinician”`,
			"Fewer than 10 verified members who read this board share your specialty, its field or your profession")

		res := b.Submit("/b/frank/new", "/b/frank/new", url.Values{"title": {"A near miss I keep thinking about"},
			"body": {"Wrong-dose heparin caught at the bedside."}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		page := b.Get(topicPath)
		mustContain(t, page, "Anonymous clinician", "✓ Verified")
		if strings.Contains(page.Body, "Amara Okafor</span>") || strings.Contains(page.Body, `class="author-name" href=`) {
			t.Fatal("the anonymous post names its author")
		}

		// A board that does not allow it ignores the box.
		res = b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Named on purpose here"},
			"body": {"Signed."}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, b.Get(res.Location()), `<a class="author-name" href="/u/okafor">Dr. Amara Okafor</a>`)

		// A moderator can reveal the author, giving a reason, and the reveal
		// is in the audit log.
		m := a.Browser(t)
		m.SignIn(mod)
		page = m.Get(topicPath)
		mustContain(t, page, "Reveal author")
		var postID int64
		fmt.Sscanf(between(page.Body, `href="/mod/posts/`, `/reveal"`), "%d", &postID)
		revealPath := fmt.Sprintf("/mod/posts/%d/reveal", postID)
		res = m.Submit(revealPath, revealPath, url.Values{"reason": {"short"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Say why you need to know")
		res = m.Submit(revealPath, revealPath, url.Values{"reason": {"Flagged for a possible identifier; need to contact the author."}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<strong>Dr. Amara Okafor</strong> (@okafor)", "recorded in the audit log")
		events, err := a.Store.AuditEventsFor(ctx, "post", postID)
		if err != nil || len(events) != 1 || events[0].Action != "post.reveal_author" || *events[0].ActorID != mod.ID ||
			!strings.Contains(events[0].Reason, "possible identifier") {
			t.Fatalf("audit after a reveal: %+v %v", events, err)
		}
		// Members cannot reveal.
		wantStatus(t, b.Get(revealPath), http.StatusForbidden)
		mustNotContain(t, b.Get(topicPath), "Reveal author")
	})
}

// The composer tells the author the label they would post under, and why
// it says what it says, before they post; the post keeps that label.
func TestComposerShowsTheAnonymousLabelBeforePosting(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		chen := a.VerifiedMember(t, "chen", "Dr. Wei Chen", "Nephrology")
		// Ten cardiologists read the board, with Okafor: the default k.
		for i := range 9 {
			a.VerifiedMember(t, fmt.Sprintf("cardio%d", i), fmt.Sprintf("Dr. Cardio %d", i), "Cardiology")
		}
		board := a.Board(t, "frank", "Frank talk")
		board.AllowAnonymous = true
		if err := a.Store.UpdateBoard(ctx, board); err != nil {
			t.Fatal(err)
		}
		b := a.Browser(t)
		b.SignIn(okafor)
		mustContain(t, b.Get("/b/frank/new"), "Post anonymously, as “Anonymous Cardiology”",
			"at least 10 verified members who read this board share it", "The label is fixed on the post when you post it.")
		mustContain(t, b.Get("/b/frank/case"), "Present anonymously, as “Anonymous Cardiology”")
		// A refused form shows the label again, with the box as ticked.
		res := b.Submit("/b/frank/new", "/b/frank/new", url.Values{"title": {"AF"}, "body": {"Rate or rhythm?"}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `name="anonymous" value="1" checked aria-describedby="anonymous-hint"> Post anonymously, as “Anonymous Cardiology”`)
		res = b.Submit("/b/frank/new", "/b/frank/new", url.Values{"title": {"Rate or rhythm in new AF"}, "body": {"Rate or rhythm?"}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()

		// Chen's specialty is his alone, and its field (with the
		// cardiologists) is enough.
		c := a.Browser(t)
		c.SignIn(chen)
		mustContain(t, c.Get(topicPath), "Post anonymously, as “Anonymous Internal medicine”",
			"Fewer than 10 verified members who read this board share your specialty, so your peers see only its field")
		res = c.Submit(topicPath, strings.Join(strings.Split(topicPath, "/")[:3], "/")+"/reply",
			url.Values{"body": {"Rate first, usually."}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		page := b.Get(topicPath)
		mustContain(t, page, "Anonymous Cardiology", "Anonymous Internal medicine")
		mustNotContain(t, page, "Wei Chen", "Nephrology")
	})
}
