package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
)

// A topic whose opening post is hidden (here by a report that it
// identifies a patient) is hidden from members with everything that
// carries its title or its replies, and comes back when it is shown again.
func TestHiddenOpeningPostHidesTheTopic(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		a.Topic(t, board, weber, "Statins after 80", "Do you deprescribe?", "lipids")
		topic := a.Topic(t, board, okafor, "Mrs Whitcombe in bed 12 and her QT", "QT of 520 on day three.", "lipids")
		reply := a.Reply(t, topic, weber, "Halvorsenite dosing would worry me here.")
		a.Reply(t, topic, byrne, "@okafor have you checked her magnesium?")
		a.CatchUp(t)

		reader, author, m := a.SignedIn(t, byrne), a.SignedIn(t, okafor), a.SignedIn(t, mod)
		topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
		mustContain(t, reader.Get(topicPath), "Halvorsenite")
		if n := indexFinds(t, a, "halvorsenite"); n != 1 {
			t.Fatalf("before the report the index finds the reply %d times", n)
		}
		mustContain(t, author.Get("/"), `class="unread-count"`)
		mustContain(t, reader.Get(searchFor("halvorsenite")), fmt.Sprintf(`href="/p/%d"`, reply.ID), "<mark>")

		wantStatus(t, reportPost(reader, topic.ID, "phi", "Names the patient in the title"), http.StatusSeeOther)
		a.CatchUp(t)

		// Members: nowhere to be seen.
		for _, b := range []*apptest.Browser{reader, author} {
			res := b.Get(topicPath)
			wantStatus(t, res, http.StatusNotFound)
			mustContain(t, res, "This topic is hidden by the moderators")
			mustNotContain(t, res, "Whitcombe", "Halvorsenite")
			for _, page := range []string{"/b/cardiology", "/tags/lipids"} {
				mustContain(t, b.Get(page), "Statins after 80")
			}
			for _, page := range []string{"/b/cardiology", "/tags/lipids", "/notifications"} {
				res := b.Get(page)
				wantStatus(t, res, http.StatusOK)
				mustNotContain(t, res, "Whitcombe", "Halvorsenite")
			}
			// Search keeps the words asked for in its box, and finds nothing.
			for _, q := range []string{"halvorsenite", "Whitcombe", "magnesium"} {
				res := b.Get(searchFor(q))
				wantStatus(t, res, http.StatusOK)
				mustNotContain(t, res, fmt.Sprintf(`href="/t/%d/`, topic.ID), fmt.Sprintf(`href="/p/%d"`, reply.ID), "<mark>")
			}
			wantStatus(t, b.Get(postPath(reply)), http.StatusNotFound)
		}
		// The mention of okafor no longer counts as unread news.
		mustNotContain(t, author.Get("/"), `class="unread-count"`)
		if n := indexFinds(t, a, "halvorsenite"); n != 0 {
			t.Fatalf("the index still finds a reply of the hidden topic %d times", n)
		}
		// A reply in it cannot be reported either: members cannot see it.
		wantStatus(t, reportPost(author, reply.ID, "spam", ""), http.StatusNotFound)

		// Moderators see it, marked.
		mustContain(t, m.Get("/b/cardiology"), "Mrs Whitcombe in bed 12", "Hidden from members")
		mustContain(t, m.Get(topicPath), "Members do not see this topic", "Halvorsenite")

		// Dismissed, it is back for everyone, search included.
		wantStatus(t, decide(m, topic.ID, "dismiss", url.Values{"reason": {"A made-up name"}}), http.StatusSeeOther)
		a.CatchUp(t)
		mustContain(t, reader.Get(topicPath), "Halvorsenite")
		mustContain(t, reader.Get("/b/cardiology"), "Mrs Whitcombe in bed 12")
		mustContain(t, reader.Get(searchFor("halvorsenite")), fmt.Sprintf(`href="/p/%d"`, reply.ID), "<mark>")
		if n := indexFinds(t, a, "halvorsenite"); n != 1 {
			t.Fatalf("after the dismissal the index finds the reply %d times, want once", n)
		}
	})
}
