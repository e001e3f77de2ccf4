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
		mustContain(t, b.Get("/b/frank/new"), `name="anonymous" value="1"> Post anonymously, as “Anonymous Cardiology”`)

		res := b.Submit("/b/frank/new", "/b/frank/new", url.Values{"title": {"A near miss I keep thinking about"},
			"body": {"Wrong-dose heparin caught at the bedside."}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		page := b.Get(topicPath)
		mustContain(t, page, "Anonymous Cardiology", "✓ Verified")
		if strings.Contains(page.Body, "Amara Okafor</span>") {
			t.Fatal("the anonymous post names its author")
		}

		// A board that does not allow it ignores the box.
		res = b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Named on purpose here"},
			"body": {"Signed."}, "anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, b.Get(res.Location()), `<span class="author-name">Dr. Amara Okafor</span>`)

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
