package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// lastRead writes the positions gathered so far and reads the member's
// position in the topic.
func lastRead(t *testing.T, a *apptest.App, u *models.User, topicID int64) int {
	t.Helper()
	if err := a.Site.FlushReadPositions(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, err := a.Store.LastRead(t.Context(), u.ID, topicID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// withReader asks for path as a browser running public/js/reading.js does.
func withReader(b *apptest.Browser, method, path string, form url.Values) *apptest.Response {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.AddCookie(&http.Cookie{Name: "rounds_reader", Value: "1"})
	return b.Do(req)
}

func TestReadingATopicMovesThePositionAndMarksWhatIsNew(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post")
		for i := range 24 {
			a.Reply(t, topic, okafor, fmt.Sprintf("Reply %d", i+1))
		}
		topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
		b := a.SignedIn(t, weber)

		// Without the script, showing a page reads it to its last post.
		wantStatus(t, b.Get(topicPath), http.StatusOK)
		if n := lastRead(t, a, weber, topic.ID); n != 20 {
			t.Fatalf("position after the first page: %d, want 20", n)
		}
		// Going on opens the second page at the first unread post, marked.
		res := b.Get(fmt.Sprintf("/t/%d?unread", topic.ID))
		wantStatus(t, res, http.StatusSeeOther)
		if want := topicPath + "?page=2#post-21"; res.Location() != want {
			t.Fatalf("?unread goes to %q, want %q", res.Location(), want)
		}
		// The first page, opened again, points to the new posts on the second.
		first := withReader(b, http.MethodGet, topicPath, nil).Body
		if !strings.Contains(first, "5 new posts since your last visit") || !strings.Contains(first, `href="`+topicPath+`?page=2#post-21"`) {
			t.Fatal("the first page does not point to the new posts on the second")
		}
		res = withReader(b, http.MethodGet, topicPath+"?page=2", nil)
		wantStatus(t, res, http.StatusOK)
		marker := strings.Index(res.Body, "New since your last visit")
		if marker < 0 || marker > strings.Index(res.Body, `id="post-21"`) || marker < strings.Index(res.Body, `id="post-20"`) {
			t.Fatalf("the first unread post is not marked before post 21")
		}
		// With the script, a view records nothing; its reports do.
		if n := lastRead(t, a, weber, topic.ID); n != 20 {
			t.Fatalf("position after a view with the script: %d, want 20", n)
		}
		csrf := csrfValue.FindStringSubmatch(res.Body)
		if csrf == nil {
			t.Fatal("no CSRF token on the topic page")
		}
		token := html.UnescapeString(csrf[1])
		read := fmt.Sprintf("/t/%d/read", topic.ID)
		// A report only notes reading: the caches of what members have
		// stay as they are.
		changes := a.Store.Changes()
		wantStatus(t, withReader(b, http.MethodPost, read, url.Values{"_csrf": {token}, "number": {"23"}}), http.StatusNoContent)
		if a.Store.Changes() != changes {
			t.Fatal("reporting a reading position counted as a change, emptying the read caches")
		}
		if n := lastRead(t, a, weber, topic.ID); n != 23 {
			t.Fatalf("position after the report: %d, want 23", n)
		}
		// A position never goes back, and never past the last post.
		wantStatus(t, withReader(b, http.MethodPost, read, url.Values{"_csrf": {token}, "number": {"3"}}), http.StatusNoContent)
		wantStatus(t, withReader(b, http.MethodPost, read, url.Values{"_csrf": {token}, "number": {"9000"}}), http.StatusNoContent)
		if n := lastRead(t, a, weber, topic.ID); n != 25 {
			t.Fatalf("position after reports of 3 and 9000: %d, want 25", n)
		}
		wantStatus(t, withReader(b, http.MethodPost, read, url.Values{"_csrf": {token}, "number": {"first"}}), http.StatusBadRequest)
		// Without the token, nothing.
		wantStatus(t, withReader(b, http.MethodPost, read, url.Values{"number": {"1"}}), http.StatusForbidden)

		// Read to the end, the page marks nothing.
		if body := withReader(b, http.MethodGet, topicPath+"?page=2", nil).Body; strings.Contains(body, "New since your last visit") {
			t.Fatal("a topic read to the end still marks a post as new")
		}
	})
}

func TestUnreadAndNewListTopicsWithWhatIsNew(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Clock.Add(time.Hour) // topics start after the members joined
		read := a.Topic(t, board, okafor, "Read before", "Opening post")
		fresh := a.Topic(t, board, okafor, "Never opened", "Opening post")
		b := a.SignedIn(t, weber)
		wantStatus(t, b.Get(fmt.Sprintf("/t/%d", read.ID)), http.StatusOK)
		a.Reply(t, read, okafor, "A reply since")
		a.Reply(t, read, okafor, "Another reply since")

		unread := b.Get("/unread")
		wantStatus(t, unread, http.StatusOK)
		if !strings.Contains(unread.Body, "Read before") || strings.Contains(unread.Body, "Never opened") {
			t.Fatalf("unread lists the wrong topics:\n%s", unread.Body)
		}
		first := fmt.Sprintf(`href="/t/%d/%s#post-2"`, read.ID, read.Slug)
		if !strings.Contains(unread.Body, first) || !strings.Contains(unread.Body, "2 new") {
			t.Fatalf("unread does not say 2 new with a link to post 2 (%s)", first)
		}
		newList := b.Get("/new")
		if !strings.Contains(newList.Body, "Never opened") || strings.Contains(newList.Body, "Read before") {
			t.Fatalf("new lists the wrong topics")
		}
		latest := b.Get("/latest")
		if !strings.Contains(latest.Body, "Never opened") || !strings.Contains(latest.Body, "Read before") ||
			!strings.Contains(latest.Body, `href="/b/cardiology"`) {
			t.Fatalf("latest lacks a topic or its board")
		}
		home := b.Get("/")
		if !strings.Contains(home.Body, `href="/latest"`) {
			t.Fatal("the home page offers no Latest")
		}

		// Dismissing new empties New; a chosen day brings topics back.
		wantStatus(t, b.Submit("/new", "/new/since", url.Values{"dismiss": {"1"}}), http.StatusSeeOther)
		if body := b.Get("/new").Body; strings.Contains(body, "Never opened") {
			t.Fatal("new still lists a topic after Dismiss new")
		}
		day := a.Clock.Now().Add(-24 * time.Hour).Format(time.DateOnly)
		wantStatus(t, b.Submit("/new", "/new/since", url.Values{"since": {day}}), http.StatusSeeOther)
		if body := b.Get("/new").Body; !strings.Contains(body, "Never opened") {
			t.Fatal("new since a chosen day lacks the topic started since")
		}
		// A day to come is refused, and what was typed stays.
		later := a.Clock.Now().Add(72 * time.Hour).Format(time.DateOnly)
		res := b.Submit("/new", "/new/since", url.Values{"since": {later}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "still to come") || !strings.Contains(res.Body, `value="`+later+`"`) {
			t.Fatalf("a day to come: no message, or the typed day lost")
		}
		res = b.Submit("/new", "/new/since", url.Values{"since": {"yesterday"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)

		// Marking the board read empties Unread and New.
		wantStatus(t, b.Submit("/b/cardiology", "/b/cardiology/mark-read", nil), http.StatusSeeOther)
		if body := b.Get("/unread").Body; strings.Contains(body, "Read before") || !strings.Contains(body, "Nothing unread") {
			t.Fatal("unread still lists a topic of a board marked read")
		}
		if body := b.Get("/new").Body; strings.Contains(body, "Never opened") {
			t.Fatal("new still lists a topic of a board marked read")
		}
		// Marking everything read covers what came after.
		a.Reply(t, fresh, okafor, "A reply after the mark")
		if body := b.Get("/unread").Body; !strings.Contains(body, "Never opened") || !strings.Contains(body, "1 new") {
			t.Fatal("a reply after the mark does not make the topic unread")
		}
		res = b.Submit("/unread", "/unread/mark-read", url.Values{"return": {"/unread"}})
		wantStatus(t, res, http.StatusSeeOther)
		if body := b.Get(res.Location()).Body; strings.Contains(body, "Never opened") {
			t.Fatal("unread still lists a topic after Mark all read")
		}
	})
}

func TestReadingListsShowOnlyWhatTheMemberMayRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		open := a.Board(t, "cardiology", "Cardiology")
		closed := a.Board(t, "pharmacy", "Pharmacy")
		pharmacists := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, closed, []*models.Group{pharmacists}, nil)
		a.Clock.Add(time.Hour)
		secret := a.Topic(t, closed, okafor, "Pharmacists only", "Opening post")
		hidden := a.Topic(t, open, okafor, "Hidden opener", "Opening post")
		a.Hide(t, &models.Post{ID: openingPostOf(t, a, hidden.ID)}, mod, "Identifies a patient")
		a.AnonymousTopic(t, open, okafor, "Asked anonymously", "Opening post")

		b := a.SignedIn(t, weber)
		for _, list := range []string{"/latest", "/new", "/unread"} {
			body := b.Get(list).Body
			for _, banned := range []string{"Pharmacists only", "Hidden opener", "Dr. Amara Okafor", `href="/u/okafor"`, "/b/pharmacy"} {
				if strings.Contains(body, banned) {
					t.Errorf("%s shows a member %q", list, banned)
				}
			}
		}
		if body := b.Get("/new").Body; !strings.Contains(body, "Asked anonymously") {
			t.Error("new lacks the anonymous topic")
		}
		// A position in a topic the member may not read is refused.
		token := csrfToken(t, b, "/unread")
		res := b.Post(fmt.Sprintf("/t/%d/read", secret.ID), url.Values{"_csrf": {token}, "number": {"1"}})
		if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Errorf("a position in an unreadable topic: status %d", res.Status)
		}
		// Moderators see every board and hidden topics, anonymous authors
		// still anonymous.
		body := a.SignedIn(t, mod).Get("/latest").Body
		for _, want := range []string{"Pharmacists only", "Hidden opener", "Asked anonymously"} {
			if !strings.Contains(body, want) {
				t.Errorf("latest for a moderator lacks %q", want)
			}
		}
		if strings.Count(body, "Dr. Amara Okafor") != 2 {
			t.Errorf("latest for a moderator names the author %d times, want 2 (the signed topics only)", strings.Count(body, "Dr. Amara Okafor"))
		}
	})
}

func TestBoardListSaysWhatIsNew(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		a.Clock.Add(time.Hour)
		read := a.Topic(t, board, okafor, "Read before", "Opening post")
		a.Topic(t, board, okafor, "Never opened", "Opening post")
		b := a.SignedIn(t, weber)
		wantStatus(t, b.Get(fmt.Sprintf("/t/%d", read.ID)), http.StatusOK)
		a.Reply(t, read, okafor, "A reply since")

		body := b.Get("/b/cardiology").Body
		if !strings.Contains(body, fmt.Sprintf(`href="/t/%d/%s#post-2"`, read.ID, read.Slug)) || !strings.Contains(body, "1 new") {
			t.Fatal("the board's list does not say 1 new with a link to post 2")
		}
		if !strings.Contains(body, `class="badge new-topic">New<`) {
			t.Fatal("the board's list does not mark the topic never opened as new")
		}
		// The author's own board page has nothing new for them.
		if body := a.SignedIn(t, okafor).Get("/b/cardiology").Body; strings.Contains(body, "new-topic") || strings.Contains(body, "new-posts") {
			t.Fatal("the author's own topics are new to them")
		}
	})
}
