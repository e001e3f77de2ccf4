package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app"
	"rounds/app/apptest"
	"rounds/models"
)

// The topic page is written in Go (app/topic_frame.go), and while the
// tests run every topic page is written by the templates too and refused
// if the two differ (app.TopicFramesCompared counts them). This test shows
// each kind of reader each kind of topic so that comparison covers them:
// signed out, unverified, a member, the author, a moderator and an admin;
// the demo's topics (a podcast's episode, cases with outcomes, polls,
// answered questions, a pinned one) and a board of this test's own
// (anonymous posts, hidden and deleted ones, pages of a long topic, a
// locked topic, a quote in the composer, a restored draft, the marker of
// new posts and the link to them on another page, a board where the member
// may read but not reply).
func TestTopicPageWrittenInGoEqualsTemplates(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		compared := app.TopicFramesCompared()
		shown := 0
		show := func(b *apptest.Browser, path string) *apptest.Response {
			t.Helper()
			res := b.Get(path)
			// Not found is a topic the reader may not see; an unverified
			// member is sent to verify.
			if res.Status != http.StatusOK && res.Status != http.StatusNotFound && res.Status != http.StatusSeeOther {
				t.Fatalf("GET %s: status %d\n%s", path, res.Status, res.Body)
			}
			if res.Status == http.StatusOK {
				shown++
			}
			return res
		}

		guest := a.Browser(t)
		unverified := a.Browser(t)
		unverified.SignIn(a.PendingMember(t, "applicant_frame"))
		member, moderator, admin := a.Browser(t), a.Browser(t), a.Browser(t)
		member.SignInAs("dreyes")
		moderator.SignInAs("amara_okafor")
		admin.SignInAs("samcohen") // the author of the demo's first topics
		readers := []*apptest.Browser{guest, unverified, member, moderator, admin}

		var demo []models.Topic
		if err := a.Store.DB().Order("id").Find(&demo).Error; err != nil {
			t.Fatal(err)
		}
		for _, topic := range demo {
			for _, reader := range readers {
				show(reader, topicPath(topic))
			}
		}

		// A board of this test's own, with anonymous posting.
		author := a.VerifiedMember(t, "frame_author", "Dr. Ada <Frame> & \"Co\"", "Cardiology")
		peer := a.VerifiedMember(t, "frame_peer", "Ben O'Peer, RN", "Critical Care Nursing")
		board := a.Board(t, "frame-cases", "Frame & <Cases>")
		board.AllowAnonymous = true
		if err := a.Store.UpdateBoard(context.Background(), board); err != nil {
			t.Fatal(err)
		}
		writer := a.SignedIn(t, author)
		reader := a.SignedIn(t, peer)
		readers = append(readers, writer, reader)

		// A long topic: the pager, with gaps, on its first, middle and last
		// pages; a hidden, a deleted and an anonymous reply.
		long := a.Topic(t, board, author, `Rate or rhythm? "AF" & <friends> + more`, "Opening **post**.", "afib", "c++")
		var replies []*models.Post
		for i := range 130 {
			if i%7 == 3 {
				replies = append(replies, a.AnonymousReply(t, long, peer, fmt.Sprintf("Anonymous reply %d.", i)))
				continue
			}
			replies = append(replies, a.Reply(t, long, peer, fmt.Sprintf("Reply %d with a [link](https://example.org/?a=1&b=2).", i)))
		}
		a.Hide(t, replies[1], a.Moderator(t, "frame_mod", "Frame Moderator", ""), "Identifies a <patient>")
		del := fmt.Sprintf("/p/%d/delete", replies[2].ID)
		wantStatus(t, reader.Submit(del, del, nil), http.StatusSeeOther)
		longPath := topicPath(*long)
		for _, r := range readers {
			for _, page := range []string{"", "?page=2", "?page=4", "?page=7"} {
				show(r, longPath+page)
			}
		}

		// A quote of a reply in the composer, on the first page and on
		// another.
		for _, page := range []string{"?", "?page=2&"} {
			show(reader, fmt.Sprintf("%squote=%d", longPath+page, replies[5].ID))
		}

		// A restored draft: the page that saves it, then the page that
		// shows it again.
		short := a.Topic(t, board, author, "Anticoagulation after a bleed", "What would you do?")
		shortPath := topicPath(*short)
		res := reader.Submit(shortPath, fmt.Sprintf("/t/%d/reply", short.ID), url.Values{
			"body": {"My half-written <answer> & \"thoughts\""}, "anonymous": {"1"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, show(reader, shortPath), "Draft saved at", "My half-written &lt;answer&gt;")

		// New posts since the member's last visit: marked on the page,
		// and linked to when they start on another page.
		// (A page shown without the reading script counts as read to its
		// last post.)
		for i := range 25 {
			a.Reply(t, short, author, fmt.Sprintf("Later reply %d.", i))
		}
		mustContain(t, show(reader, shortPath), "New since your last visit")
		mustContain(t, show(reader, shortPath), "new posts since your last visit")
		mustContain(t, show(reader, shortPath+"?page=2"), "New since your last visit")

		// A locked topic.
		lockAction := fmt.Sprintf("/mod/topics/%d/lock", short.ID)
		wantStatus(t, moderator.Submit(shortPath, lockAction, url.Values{"reason": {"Settled."}}), http.StatusSeeOther)
		for _, r := range readers {
			show(r, shortPath)
		}

		// A board the member may read and not reply on.
		closed := a.Board(t, "frame-closed", "Frame closed")
		readersGroup := a.Group(t, "Frame readers", "", "", peer, author)
		postersGroup := a.Group(t, "Frame posters", "", "", author)
		a.Restrict(t, closed, []*models.Group{readersGroup}, []*models.Group{postersGroup})
		closedTopic := a.Topic(t, closed, author, "Read-only here", "Only posters reply.")
		res = show(reader, topicPath(*closedTopic))
		if !strings.Contains(res.Body, `<p class="notice">`) {
			t.Errorf("the member who may not reply is not told why:\n%s", res.Body)
		}
		show(writer, topicPath(*closedTopic))

		if n := app.TopicFramesCompared() - compared; n < int64(shown) {
			t.Errorf("%d topic pages shown, %d compared with the templates", shown, n)
		}
	}, apptest.Options{Demo: true})
}
