package app_test

import (
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// Profiles are cached per kind of viewer: a moderator's view (hidden posts
// listed and counted) never reaches a member, nor a view of a board the
// member cannot read, whoever reads first; and a post written or hidden on
// this node shows on the next view.
func TestProfileCacheKeysOnTheViewer(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		hidden := a.Topic(t, board, okafor, "Mrs Whitcombe and her QT", "QT of 520 on day three.")
		hide(t, a, openingPostOf(t, a, hidden.ID), mod.ID, "Names a patient")
		closed := a.Board(t, "cardiology-team", "Cardiology team")
		team := a.Group(t, "Cardiology team", "", "", okafor)
		a.Restrict(t, closed, []*models.Group{team}, nil)
		a.Topic(t, closed, okafor, "Team rota", "Who covers Sunday?")
		asMod, asMember, asTeam := a.SignedIn(t, mod), a.SignedIn(t, weber), a.SignedIn(t, okafor)

		mustContain(t, asMod.Get("/u/"+okafor.Username), "Mrs Whitcombe", "Team rota", "3 topics")
		mustContain(t, asTeam.Get("/u/"+okafor.Username), "Team rota", "2 topics")
		res := asMember.Get("/u/" + okafor.Username)
		mustContain(t, res, "Statins after 80", "1 topic")
		mustNotContain(t, res, "Whitcombe", "Team rota", "2 topics")
		res = asMember.Get("/u/" + okafor.Username + "?show=topics")
		mustContain(t, res, "Statins after 80")
		mustNotContain(t, res, "Whitcombe", "Team rota")

		opened := a.Topic(t, board, okafor, "Apixaban in dialysis", "Which dose?")
		mustContain(t, asMember.Get("/u/"+okafor.Username), "Apixaban in dialysis", "2 topics")
		hide(t, a, openingPostOf(t, a, opened.ID), mod.ID, "Off topic")
		mustNotContain(t, asMember.Get("/u/"+okafor.Username), "Apixaban in dialysis", "2 topics")
	})
}
