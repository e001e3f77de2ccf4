package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"rounds/app/apptest"
)

// A board's topic list is cached per kind of reader: a topic whose opening
// post is hidden is in a moderator's cached list and never in a member's,
// whichever reads first, and a topic opened or hidden on this node is in
// (or out of) the next list at once.
func TestBoardListCacheKeysOnTheReader(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		a.Topic(t, board, weber, "Statins after 80", "Do you deprescribe?")
		hidden := a.Topic(t, board, okafor, "Mrs Whitcombe and her QT", "QT of 520 on day three.")
		hide(t, a, openingPostOf(t, a, hidden.ID), mod.ID, "Names a patient")
		asMod, asMember := a.SignedIn(t, mod), a.SignedIn(t, weber)

		res := asMod.Get("/b/cardiology")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Mrs Whitcombe", "Statins after 80")
		res = asMember.Get("/b/cardiology")
		mustContain(t, res, "Statins after 80")
		mustNotContain(t, res, "Whitcombe")

		a.Clock.Add(time.Minute) // past the cached lists: the member reads first
		mustNotContain(t, asMember.Get("/b/cardiology"), "Whitcombe")
		mustContain(t, asMod.Get("/b/cardiology"), "Mrs Whitcombe")

		opened := a.Topic(t, board, okafor, "Apixaban in dialysis", "Which dose?")
		mustContain(t, asMember.Get("/b/cardiology"), "Apixaban in dialysis")
		hide(t, a, openingPostOf(t, a, opened.ID), mod.ID, "Off topic")
		mustNotContain(t, asMember.Get("/b/cardiology"), "Apixaban in dialysis")
	})
}

func hide(t *testing.T, a *apptest.App, postID, moderatorID int64, reason string) {
	t.Helper()
	if err := a.Store.HidePost(t.Context(), postID, moderatorID, reason); err != nil {
		t.Fatal(err)
	}
}

// What a member has read of a board's topics is cached with the list, but
// a position they reach on this node shows on the next page, both while it
// is gathered in memory and after it is written (which does not count as a
// change to the caches), however soon after the list was cached.
func TestBoardPageSaysWhatTheMemberReadAcrossAFlush(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		board := a.Board(t, "cardiology", "Cardiology")
		a.Clock.Add(time.Hour) // topics start after the members joined
		topic := a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		a.Reply(t, topic, okafor, "Only with a reason")
		asWeber := a.SignedIn(t, weber)
		newBadge := `<span class="badge new-topic">New</span>`
		mustContain(t, asWeber.Get("/b/cardiology"), newBadge) // list and positions cached

		wantStatus(t, asWeber.Get(fmt.Sprintf("/t/%d", topic.ID)), http.StatusOK)
		mustNotContain(t, asWeber.Get("/b/cardiology"), newBadge, "new</a>")
		if err := a.Site.FlushReadPositions(t.Context()); err != nil {
			t.Fatal(err)
		}
		mustNotContain(t, asWeber.Get("/b/cardiology"), newBadge, "new</a>")

		a.Reply(t, topic, okafor, "And a reply since")
		mustContain(t, asWeber.Get("/b/cardiology"), "1 new")
	})
}
