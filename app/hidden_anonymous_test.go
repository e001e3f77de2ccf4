package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"rounds/app/apptest"
)

func TestHiddenPostIsATombstoneForMembersOnly(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		spam := a.Reply(t, topic, weber, "Try **MiracleCardio** supplements.")
		a.Reply(t, topic, okafor, "Only with frailty.")
		a.Hide(t, spam, mod, "Advertising <b>again</b>")
		pageURL := fmt.Sprintf("/t/%d", topic.ID)

		t.Run("a member sees why, not what", func(t *testing.T) {
			b := a.SignedIn(t, okafor)
			res := b.Get(pageURL)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "This post was hidden by the moderators. Reason: Advertising &lt;b&gt;again&lt;/b&gt;",
				"Only with frailty.", "Do you deprescribe?")
			mustNotContain(t, res, "MiracleCardio", "Hidden by moderators", "<b>again</b>")
			// The permanent link leads to the same tombstone.
			res = b.Get(fmt.Sprintf("/p/%d", spam.ID))
			wantStatus(t, res, http.StatusFound)
			if want := fmt.Sprintf("/t/%d/%s#post-2", topic.ID, topic.Slug); res.Location() != want {
				t.Fatalf("permalink goes to %q, want %q", res.Location(), want)
			}
		})

		t.Run("its author sees no content in the history either", func(t *testing.T) {
			b := a.SignedIn(t, weber)
			res := b.Get(pageURL)
			mustContain(t, res, "This post was hidden by the moderators.")
			mustNotContain(t, res, "MiracleCardio", fmt.Sprintf(`href="/p/%d/edit"`, spam.ID))
			res = b.Get(fmt.Sprintf("/p/%d/history", spam.ID))
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "This post was hidden by the moderators. Reason: Advertising &lt;b&gt;again&lt;/b&gt;")
			mustNotContain(t, res, "MiracleCardio", "Version 1")
		})

		t.Run("a moderator still reads it, under a notice", func(t *testing.T) {
			b := a.SignedIn(t, mod)
			res := b.Get(pageURL)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "Hidden by moderators: Advertising &lt;b&gt;again&lt;/b&gt;", "<strong>MiracleCardio</strong>")
			mustNotContain(t, res, "This post was hidden by the moderators.")
			res = b.Get(fmt.Sprintf("/p/%d/history", spam.ID))
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "Hidden by moderators: Advertising", "MiracleCardio")
		})

		t.Run("unhidden, it is back for everyone", func(t *testing.T) {
			if err := a.Store.UnhidePost(t.Context(), spam.ID, mod.ID); err != nil {
				t.Fatal(err)
			}
			b := a.SignedIn(t, okafor)
			res := b.Get(pageURL)
			mustContain(t, res, "<strong>MiracleCardio</strong>")
			mustNotContain(t, res, "hidden by the moderators", "Hidden by moderators")
		})
	})
}

func TestAnonymousPostsNeverNameTheirAuthor(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor.In("Obstetrics & Gynecology"))
		weber := a.Member(t, apptest.Weber.In(""))
		reader := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cases", "Cases")
		topic := a.AnonymousTopic(t, board, okafor, "A near miss with magnesium", "I nearly gave 10 g.", "safety")
		reply := a.AnonymousReply(t, topic, weber, "Double checks saved me once.")
		a.Reply(t, topic, reader, "Thank you for sharing.")
		hidden := []string{"okafor", "Amara", "weber", "Jonas"}

		for _, viewer := range []struct {
			name string
			who  string
		}{{"member", "byrne"}, {"moderator", "park"}} {
			t.Run(viewer.name, func(t *testing.T) {
				b := a.Browser(t)
				b.SignInAs(viewer.who)
				res := b.Get(fmt.Sprintf("/t/%d", topic.ID))
				wantStatus(t, res, http.StatusOK)
				mustContain(t, res, "Anonymous Obstetrics &amp; Gynecology", "Anonymous Physician", "Siobhan Byrne", "Emergency Medicine")
				mustNotContain(t, res, hidden...)
				for _, path := range []string{"/b/cases", "/tags/safety"} {
					res := b.Get(path)
					wantStatus(t, res, http.StatusOK)
					mustContain(t, res, "A near miss with magnesium", "Anonymous Obstetrics &amp; Gynecology")
					mustNotContain(t, res, hidden...)
				}
			})
		}

		// A moderator reading the history sees the author as the topic
		// page does; so does the author.
		for _, who := range []string{mod.Username, weber.Username} {
			b := a.Browser(t)
			b.SignInAs(who)
			res := b.Get(fmt.Sprintf("/p/%d/history", reply.ID))
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "by Anonymous Physician")
			if who == mod.Username {
				mustNotContain(t, res, hidden...)
			}
		}
		// With k = 1 every label may say all it can: the specialty, or
		// for a member who gave none, the profession.
	}, apptest.Options{Env: map[string]string{"ROUNDS_ANONYMITY_K": "1"}})
}
