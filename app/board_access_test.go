package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestBoardsClosedToAGroup(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		listed := a.Clinician(t, "byrne", "Siobhan Byrne", "physician_assistant", "Emergency")
		nurse := a.Clinician(t, "mensah", "Kofi Mensah", "nurse", "Oncology")
		mod := a.VerifiedMember(t, "park", "Dr. Lena Park", "Internal Medicine")
		if err := a.Store.SetRole(t.Context(), mod.ID, models.RoleModerator); err != nil {
			t.Fatal(err)
		}
		open := a.Board(t, "cases", "Cases")
		closed := a.Board(t, "nursing", "Nursing lounge")
		nursing := a.Group(t, "Nursing", "nurse", "", listed)
		a.Restrict(t, closed, []*models.Group{nursing}, nil)
		topic := a.Topic(t, closed, nurse, "Night shift handover", "How do you hand over?", "handover")
		a.Topic(t, open, okafor, "Handover in the ED", "Open to all.", "handover")
		post := a.Reply(t, topic, listed, "We use SBAR.")

		t.Run("a member outside the group sees nothing", func(t *testing.T) {
			b := a.Browser(t)
			b.SignIn(okafor)
			res := b.Get("/")
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, `href="/b/cases"`)
			mustNotContain(t, res, "Nursing lounge")
			for _, path := range []string{"/b/nursing", "/b/nursing/new", fmt.Sprintf("/t/%d", topic.ID),
				fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug), fmt.Sprintf("/p/%d", post.ID),
				fmt.Sprintf("/p/%d/edit", post.ID), fmt.Sprintf("/p/%d/history", post.ID)} {
				wantStatus(t, b.Get(path), http.StatusNotFound)
			}
			res = b.Submit("/settings/sessions", fmt.Sprintf("/t/%d/reply", topic.ID), url.Values{"body": {"Let me in"}})
			wantStatus(t, res, http.StatusNotFound)
			res = b.Get("/tags/handover")
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "Handover in the ED")
			mustNotContain(t, res, "Night shift handover")
		})
		for _, u := range []*models.User{listed, nurse, mod} {
			t.Run(u.Username+" reads and posts", func(t *testing.T) {
				b := a.Browser(t)
				b.SignIn(u)
				mustContain(t, b.Get("/"), "Nursing lounge")
				wantStatus(t, b.Get("/b/nursing"), http.StatusOK)
				wantStatus(t, b.Get(fmt.Sprintf("/t/%d", topic.ID)), http.StatusOK)
				wantStatus(t, b.Get(fmt.Sprintf("/p/%d", post.ID)), http.StatusFound)
				mustContain(t, b.Get("/tags/handover"), "Night shift handover")
				res := b.Submit("/settings/sessions", fmt.Sprintf("/t/%d/reply", topic.ID), url.Values{"body": {"Reply by " + u.Username}})
				wantStatus(t, res, http.StatusSeeOther)
			})
		}
	})
}

func TestPostingClosedToAGroup(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		chen := a.VerifiedMember(t, "chen", "Dr. Wei Chen", "cardiology")
		other := a.VerifiedMember(t, "ali", "Dr. Sara Ali", "Neurology")
		board := a.Board(t, "cardiology", "Cardiology")
		// Filled by specialty, whatever its case.
		cardio := a.Group(t, "Cardiology", "", "CARDIOLOGY")
		a.Restrict(t, board, nil, []*models.Group{cardio})
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post")

		b := a.Browser(t)
		b.SignIn(other)
		res := b.Get(fmt.Sprintf("/t/%d", topic.ID))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Amiodarone and warfarin", "open to some groups only")
		mustNotContain(t, res, fmt.Sprintf(`action="/t/%d/reply"`, topic.ID))
		res = b.Submit("/settings/sessions", fmt.Sprintf("/t/%d/reply", topic.ID), url.Values{"body": {"My careful reply"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "My careful reply", "open to some groups only")
		wantStatus(t, b.Get("/b/cardiology/new"), http.StatusForbidden)
		res = b.Submit("/settings/sessions", "/b/cardiology/new", url.Values{"title": {"A topic of mine"}, "body": {"Typed with care"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Typed with care", "open to some groups only")

		b = a.Browser(t)
		b.SignIn(chen)
		res = b.Submit("/settings/sessions", fmt.Sprintf("/t/%d/reply", topic.ID), url.Values{"body": {"In the group"}})
		wantStatus(t, res, http.StatusSeeOther)
	})
}

func TestArchivedBoardKeepsTheReply(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post")
		board.Archived = true
		if err := a.Store.UpdateBoard(t.Context(), board); err != nil {
			t.Fatal(err)
		}
		b := a.Browser(t)
		b.SignIn(okafor)
		mustContain(t, b.Get("/b/cardiology"), "archived")
		res := b.Submit("/settings/sessions", fmt.Sprintf("/t/%d/reply", topic.ID), url.Values{"body": {"A reply I spent time on"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "A reply I spent time on", "archived")
	})
}
