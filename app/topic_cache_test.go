package app_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"rounds/app/apptest"
)

// The shared part of a topic page is cached (topic_cache.go), keyed on
// what changes it. Each case below reads a page as one reader, so that it
// is cached, then as another whose page differs, and checks the second
// reader gets their own: what a moderator sees never reaches a member,
// one member's own-post links never reach another, and a write on this
// node is seen at once.
func TestTopicPageCacheKeysOnTheReader(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		spam := a.Reply(t, topic, weber, "Try **MiracleCardio** supplements.")
		anon := a.AnonymousReply(t, topic, weber, "I stop them at 85, quietly.")
		mine := a.Reply(t, topic, okafor, "Only with frailty.")
		a.Hide(t, spam, mod, "Advertising")
		path := "/t/" + strconv.FormatInt(topic.ID, 10)
		editMine := fmt.Sprintf(`href="/p/%d/edit"`, mine.ID)
		reveal := fmt.Sprintf(`href="/mod/posts/%d/reveal"`, anon.ID)
		moderate := fmt.Sprintf(`href="/mod/review/%d"`, spam.ID)
		// Everyone signs in first: signing in is a write, which would
		// empty the cache between the pages compared.
		asMod, asOkafor, asWeber := a.SignedIn(t, mod), a.SignedIn(t, okafor), a.SignedIn(t, weber)

		t.Run("a moderator's page is not a member's", func(t *testing.T) {
			res := asMod.Get(path)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "<strong>MiracleCardio</strong>", "Hidden by moderators: Advertising", reveal, moderate)
			res = asOkafor.Get(path)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "This post was hidden by the moderators. Reason: Advertising", editMine)
			mustNotContain(t, res, "MiracleCardio", "Hidden by moderators:", reveal, moderate)
		})

		t.Run("a member's page is not a moderator's", func(t *testing.T) {
			a.Clock.Add(time.Minute) // past the cached entries
			res := asWeber.Get(path)
			mustContain(t, res, "This post was hidden by the moderators.")
			mustNotContain(t, res, "MiracleCardio", editMine)
			res = asMod.Get(path)
			mustContain(t, res, "<strong>MiracleCardio</strong>", reveal, moderate)
			mustNotContain(t, res, "This post was hidden by the moderators.", editMine)
		})

		t.Run("one member's own posts are theirs alone", func(t *testing.T) {
			res := asOkafor.Get(path)
			mustContain(t, res, editMine)
			res = asWeber.Get(path)
			mustNotContain(t, res, editMine)
			mustContain(t, res, fmt.Sprintf(`href="/p/%d/flag"`, mine.ID))
		})

		t.Run("a post hidden on this node is gone at once", func(t *testing.T) {
			b := asWeber
			mustContain(t, b.Get(path), "Only with frailty.")
			a.Hide(t, mine, mod, "Off topic")
			res := b.Get(path)
			mustNotContain(t, res, "Only with frailty.")
			mustContain(t, res, "This post was hidden by the moderators. Reason: Off topic")
		})

		t.Run("an edit on another node is seen within the cache's bound", func(t *testing.T) {
			b := asWeber
			mustContain(t, b.Get(path), "I stop them at 85, quietly.")
			// Another node edits the post: the shared database changes,
			// this node's store makes no write.
			pool, err := a.Store.DB().DB()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(`UPDATE posts SET cooked = '<p>Edited elsewhere.</p>' WHERE id = ` + strconv.FormatInt(anon.ID, 10)); err != nil {
				t.Fatal(err)
			}
			a.Clock.Add(3 * time.Second)
			res := b.Get(path)
			mustContain(t, res, "Edited elsewhere.")
			mustNotContain(t, res, "I stop them at 85")
		})
	})
}
