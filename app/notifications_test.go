package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestRepliesAndMentionsNotify(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		patel := a.VerifiedMember(t, "patel", "Dr. Ravi Patel", "Nephrology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "Dose?")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)

		owner := a.Browser(t)
		owner.SignIn(okafor)
		mustNotContain(t, owner.Get("/"), `class="unread-count"`)

		// Weber replies and mentions Patel; the author's own reply tells
		// nobody.
		nurse := a.Browser(t)
		nurse.SignIn(weber)
		res := nurse.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Ask @patel, and see `@okafor` in code."}})
		wantStatus(t, res, http.StatusSeeOther)
		res = owner.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Thanks @weber."}})
		wantStatus(t, res, http.StatusSeeOther)

		res = owner.Get("/")
		mustContain(t, res, `<a class="notifications-link" href="/notifications">Notifications <span class="unread-count">1<span class="visually-hidden"> unread</span></span></a>`)
		res = owner.Get("/notifications")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<strong>Jonas Weber, RN</strong>", "replied to", "Apixaban in dialysis", "1 unread.")
		if n := strings.Count(res.Body, `class="notification unread"`); n != 1 {
			t.Fatalf("%d unread notifications for the topic's author, want 1 (the code span mentions nobody)", n)
		}

		nephro := a.Browser(t)
		nephro.SignIn(patel)
		mustContain(t, nephro.Get("/notifications"), "<strong>Jonas Weber, RN</strong>", "mentioned you in")
		mention := nephro.Get("/notifications")
		id := unreadNotification(mention.Body)
		if id == "" {
			t.Fatalf("no form opens the notification:\n%s", mention.Body)
		}
		mustContain(t, mention, `<button type="submit"><span class="visually-hidden">Unread: </span><strong>Jonas Weber, RN</strong>`)

		// Someone else's notification is not theirs to open.
		wantStatus(t, owner.Get("/notifications/"+id), http.StatusNotFound)
		wantStatus(t, owner.Submit("/notifications", "/notifications/"+id, nil), http.StatusNotFound)
		// Its address leads to the post but marks nothing read: a link
		// from anywhere must not change a member's notifications.
		res = nephro.Get("/notifications/" + id)
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), "/p/") {
			t.Fatalf("the notification leads to %q", res.Location())
		}
		mustContain(t, nephro.Get("/"), `class="unread-count"`)
		// Opening it from the list, a form, marks it read and goes to the
		// post; the list then links the post itself.
		res = nephro.Submit("/notifications", "/notifications/"+id, nil)
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), "/p/") {
			t.Fatalf("the notification leads to %q", res.Location())
		}
		mustNotContain(t, nephro.Get("/"), `class="unread-count"`)
		mustContain(t, nephro.Get("/notifications"), `<li class="notification">`, `<a href="`+res.Location()+`"><strong>Jonas Weber, RN</strong>`)

		// Weber was mentioned by the author.
		mustContain(t, nurse.Get("/notifications"), "<strong>Dr. Amara Okafor</strong>", "mentioned you in")

		// Mark all read.
		res = owner.Submit("/notifications", "/notifications/read-all", nil)
		wantStatus(t, res, http.StatusSeeOther)
		mustNotContain(t, owner.Get("/notifications"), `notification unread`)
	})
}

func TestNotificationsKeepPeerOnlyBoardsAndAnonymity(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		outsider := a.Clinician(t, "outsider", "Pat Outsider", "pharmacist", "Pharmacy")
		mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
		board := a.Board(t, "icu", "ICU")
		team := a.Group(t, "ICU team", "", "", okafor, weber)
		a.Restrict(t, board, []*models.Group{team}, nil)
		topic := a.Topic(t, board, okafor, "Sedation holiday", "Daily?")

		// The outsider cannot read the board: a mention tells them nothing,
		// not even the title.
		nurse := a.Browser(t)
		nurse.SignIn(weber)
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		res := nurse.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"@outsider might know."}})
		wantStatus(t, res, http.StatusSeeOther)
		other := a.Browser(t)
		other.SignIn(outsider)
		res = other.Get("/notifications")
		mustNotContain(t, res, "Sedation holiday", `<li class="notification`)

		// An anonymous reply notifies the author without naming anyone.
		a.AnonymousReply(t, topic, weber, "Daily, unless on paralytics.")
		owner := a.Browser(t)
		owner.SignIn(okafor)
		res = owner.Get("/notifications")
		// Fewer than ten readers share anything of Weber's.
		mustContain(t, res, "<strong>Anonymous clinician</strong>")
		mustNotContain(t, res, "Critical Care Nursing")
		if strings.Count(res.Body, "Jonas Weber") != 1 {
			t.Fatalf("the anonymous reply's notification named its author:\n%s", res.Body)
		}

		// A hidden post's notification goes away, from the count too.
		reply := a.Reply(t, topic, weber, "Spam spam")
		before := strings.Count(owner.Get("/notifications").Body, `class="notification unread"`)
		a.Hide(t, reply, mod, "Advertising")
		after := owner.Get("/notifications")
		if got := strings.Count(after.Body, `class="notification unread"`); got != before-1 {
			t.Fatalf("%d unread after hiding, want %d", got, before-1)
		}
		// Losing access to the board hides its notifications.
		a.Restrict(t, board, []*models.Group{a.Group(t, "Others", "", "", weber)}, nil)
		mustNotContain(t, owner.Get("/notifications"), "Sedation holiday", `class="unread-count"`)
	})
}

var notificationForm = regexp.MustCompile(`<form method="post" action="/notifications/(\d+)" class="notification-open">`)

// unreadNotification is the id of the first unread notification listed
// on a notifications page, "" when there is none.
func unreadNotification(page string) string {
	if m := notificationForm.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// between returns the text after the first start up to the next end.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	inner, _, _ := strings.Cut(after, end)
	return inner
}
