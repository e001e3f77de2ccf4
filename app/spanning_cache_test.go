package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// Latest and a tag's list span boards, and are cached per set of boards
// the reader may read and per kind of reader: whichever reads first, a
// member never gets a list holding a topic on a board closed to them, nor
// one whose opening post is hidden; a board closed or a topic hidden on
// this node is out of the next list at once.
func TestSpanningListsCacheKeysOnTheReader(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		nurse := a.Clinician(t, "mensah", "Kofi Mensah", "nurse", "Oncology")
		mod := a.Member(t, apptest.Park)
		open := a.Board(t, "cases", "Cases")
		closed := a.Board(t, "nursing", "Nursing lounge")
		nursing := a.Group(t, "Nursing", "nurse", "")
		a.Restrict(t, closed, []*models.Group{nursing}, nil)
		a.Topic(t, closed, nurse, "Night shift handover", "How do you hand over?", "handover")
		a.Topic(t, open, okafor, "Handover in the ED", "Open to all.", "handover")
		hidden := a.Topic(t, open, okafor, "Mrs Whitcombe at handover", "Names a patient.", "handover")
		hide(t, a, openingPostOf(t, a, hidden.ID), mod.ID, "Names a patient")
		asMod, asNurse, asMember := a.SignedIn(t, mod), a.SignedIn(t, nurse), a.SignedIn(t, okafor)

		for _, path := range []string{"/latest", "/tags/handover"} {
			t.Run(path, func(t *testing.T) {
				a.Clock.Add(time.Minute) // past any list cached before
				res := asMod.Get(path)
				wantStatus(t, res, http.StatusOK)
				mustContain(t, res, "Mrs Whitcombe", "Night shift handover", "Handover in the ED")
				res = asNurse.Get(path)
				mustContain(t, res, "Night shift handover", "Handover in the ED")
				mustNotContain(t, res, "Whitcombe")
				res = asMember.Get(path)
				mustContain(t, res, "Handover in the ED")
				mustNotContain(t, res, "Whitcombe", "Night shift handover")

				a.Clock.Add(time.Minute) // the member reads first now
				res = asMember.Get(path)
				mustContain(t, res, "Handover in the ED")
				mustNotContain(t, res, "Whitcombe", "Night shift handover")
				mustContain(t, asNurse.Get(path), "Night shift handover")
				mustContain(t, asMod.Get(path), "Mrs Whitcombe", "Night shift handover")
			})
		}
		t.Run("a change on this node is seen at once", func(t *testing.T) {
			for _, path := range []string{"/latest", "/tags/handover"} {
				mustContain(t, asNurse.Get(path), "Night shift handover", "Handover in the ED")
			}
			cardiology := a.Group(t, "Cardiology", "", "Cardiology")
			a.Restrict(t, closed, []*models.Group{cardiology}, nil)
			opened := a.Topic(t, open, okafor, "Apixaban at handover", "Which dose?", "handover")
			for _, path := range []string{"/latest", "/tags/handover"} {
				res := asNurse.Get(path)
				mustContain(t, res, "Apixaban at handover")
				mustNotContain(t, res, "Night shift handover")
				mustContain(t, asMember.Get(path), "Night shift handover")
			}
			hide(t, a, openingPostOf(t, a, opened.ID), mod.ID, "Off topic")
			for _, path := range []string{"/latest", "/tags/handover"} {
				mustNotContain(t, asNurse.Get(path), "Apixaban at handover")
			}
		})
	})
}

// Latest's topics are shared between readers with the same boards, but
// what each has read is their own: it comes from their positions, those
// gathered in memory and not yet written included.
func TestLatestSaysWhatEachMemberRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		other := a.VerifiedMember(t, "byrne", "Siobhan Byrne", "Emergency")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Clock.Add(time.Hour) // topics start after the members joined
		read := a.Topic(t, board, okafor, "Read before", "Opening post")
		a.Topic(t, board, okafor, "Never opened", "Opening post")
		asWeber, asOther := a.SignedIn(t, weber), a.SignedIn(t, other)
		mustContain(t, asOther.Get("/latest"), "Read before") // the list is cached now
		wantStatus(t, asWeber.Get(fmt.Sprintf("/t/%d", read.ID)), http.StatusOK)
		a.Reply(t, read, okafor, "A reply since")
		a.Reply(t, read, okafor, "Another reply since")

		res := asWeber.Get("/latest")
		mustContain(t, res, fmt.Sprintf(`href="/t/%d/%s#post-2"`, read.ID, read.Slug), "2 new", `<span class="badge new-topic">New</span>`)
		if n := strings.Count(res.Body, `<span class="badge new-topic">New</span>`); n != 1 {
			t.Errorf("weber's Latest marks %d topics new, want 1 (the one never opened)", n)
		}
		res = asOther.Get("/latest")
		mustNotContain(t, res, "2 new", "#post-2")
		if n := strings.Count(res.Body, `<span class="badge new-topic">New</span>`); n != 2 {
			t.Errorf("the other member's Latest marks %d topics new, want 2", n)
		}
	})
}

// A board page's board is cached with its list: a board edited on this
// node shows its new title and description on the next page.
func TestBoardPageShowsAnEditedBoardAtOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		board := a.Board(t, "cardiology", "Cardiology")
		b := a.SignedIn(t, a.Member(t, apptest.Weber))
		mustContain(t, b.Get("/b/cardiology"), "<h1>Cardiology</h1>")
		board.Title, board.Description = "Heart and vessels", "Everything cardiovascular."
		if err := a.Store.UpdateBoard(t.Context(), board); err != nil {
			t.Fatal(err)
		}
		res := b.Get("/b/cardiology")
		mustContain(t, res, "<h1>Heart and vessels</h1>", "Everything cardiovascular.")
		mustNotContain(t, res, "<h1>Cardiology</h1>")
	})
}

// A member's NewSince is cached for the board page and Latest: choosing
// "Dismiss new" or marking all read shows on the next page.
func TestDismissingNewShowsAtOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		board := a.Board(t, "cardiology", "Cardiology")
		a.Clock.Add(time.Hour) // topics start after the members joined
		a.Topic(t, board, okafor, "Never opened", "Opening post")
		b := a.SignedIn(t, weber)
		newBadge := `<span class="badge new-topic">New</span>`
		for _, path := range []string{"/latest", "/b/cardiology"} {
			mustContain(t, b.Get(path), newBadge)
		}
		wantStatus(t, b.Submit("/new", "/new/since", url.Values{"dismiss": {"1"}}), http.StatusSeeOther)
		for _, path := range []string{"/latest", "/b/cardiology"} {
			mustNotContain(t, b.Get(path), newBadge)
		}
		a.Clock.Add(time.Minute)
		a.Topic(t, board, okafor, "Opened later", "Opening post")
		mustContain(t, b.Get("/latest"), newBadge)
		wantStatus(t, b.Submit("/unread", "/unread/mark-read", url.Values{}), http.StatusSeeOther)
		for _, path := range []string{"/latest", "/b/cardiology"} {
			mustNotContain(t, b.Get(path), newBadge)
		}
	})
}
