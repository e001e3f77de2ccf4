package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

func TestBookmarkWithNoteAndReminder(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use on haemodialysis?")
		reply := a.Reply(t, topic, okafor, "We use 2.5 mg twice daily.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		form := fmt.Sprintf("/p/%d/bookmark", reply.ID)

		nurse := a.Browser(t)
		nurse.SignIn(weber)
		mustContain(t, nurse.Get(topicPath), `<a href="`+form+`" rel="nofollow">Bookmark</a>`)
		mustContain(t, nurse.Get(form), "Bookmark post #2", "No reminder", "Times are in UTC")

		// A refused form keeps what was typed and says why.
		res := nurse.Submit(form, form, url.Values{"note": {"dose for the unit"}, "remind": {"custom"}, "at": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose the day and time of the reminder.", `value="dose for the unit"`)
		past := a.Clock.Now().Add(-time.Hour).Format("2006-01-02T15:04")
		res = nurse.Submit(form, form, url.Values{"note": {"dose for the unit"}, "remind": {"custom"}, "at": {past}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "That time has passed", `value="`+past+`"`)
		long := strings.Repeat("é", models.BookmarkNoteMax+1)
		res = nurse.Submit(form, form, url.Values{"note": {long}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, fmt.Sprintf("at most %d characters; yours has %d", models.BookmarkNoteMax, models.BookmarkNoteMax+1), long)
		if n := count(t, a, `SELECT COUNT(*) FROM bookmarks`); n != 0 {
			t.Fatalf("%d bookmarks after refused forms", n)
		}

		at := a.Clock.Now().Add(3 * time.Hour).Format("2006-01-02T15:04")
		res = nurse.Submit(form, form, url.Values{"note": {"dose for the unit"}, "remind": {"custom"}, "at": {at}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, nurse.Get(topicPath), `<a href="`+form+`" class="bookmarked">Bookmarked</a>`)
		list := nurse.Get("/bookmarks")
		mustContain(t, list, "Apixaban in dialysis</strong>, post #2", "by Dr. Amara Okafor in Cardiology",
			"We use 2.5 mg twice daily.", "dose for the unit", "reminder on")
		// The form shows the bookmark as kept.
		mustContain(t, nurse.Get(form), "Your bookmark on post #2", `value="`+at+`"`, "Remove bookmark")

		// Nobody else sees it.
		owner := a.Browser(t)
		owner.SignIn(okafor)
		mustNotContain(t, owner.Get("/bookmarks"), "dose for the unit")
		mustNotContain(t, owner.Get(topicPath), "Bookmarked")

		// The reminder arrives once it is due, in the notifications.
		a.Clock.Add(3 * time.Hour)
		if sent, err := a.Store.SendDueReminders(context.Background(), a.Clock.Now(), 100); err != nil || sent != 1 {
			t.Fatalf("sent %d reminders, %v", sent, err)
		}
		mustContain(t, nurse.Get("/notifications"), "<strong>Reminder:</strong> your bookmark on post #2 in", "Apixaban in dialysis")

		// Removing it empties the list.
		res = nurse.Submit("/bookmarks", form+"/remove", nil)
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, nurse.Get("/bookmarks"), "No bookmarks yet.")
		mustContain(t, nurse.Get(topicPath), `rel="nofollow">Bookmark</a>`)
	})
}

func TestBookmarksFollowWhatTheMemberMayRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Clinician(t, "okafor", "Dr. Amara Okafor", "physician", "Cardiology")
		nurse := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		board := a.Board(t, "pharmacy", "Pharmacy")
		topic := a.Topic(t, board, okafor, "Vancomycin troughs", "Trough or AUC?")
		post := openingPostOf(t, a, topic.ID)
		form := fmt.Sprintf("/p/%d/bookmark", post)

		b := a.Browser(t)
		b.SignIn(nurse)
		wantStatus(t, b.Submit(form, form, url.Values{"note": {"AUC dosing"}}), http.StatusSeeOther)
		mustContain(t, b.Get("/bookmarks"), "Vancomycin troughs", "AUC dosing")

		// The board closes to physicians: the nurse's bookmark leaves
		// the list, the form is not found, and nothing of the topic shows.
		physicians := a.Group(t, "Physicians", "physician", "")
		a.Restrict(t, board, []*models.Group{physicians}, []*models.Group{physicians})
		mustNotContain(t, b.Get("/bookmarks"), "Vancomycin troughs", "AUC dosing")
		wantStatus(t, b.Get(form), http.StatusNotFound)
		wantStatus(t, b.Submit("/bookmarks", form, url.Values{"note": {"x"}}), http.StatusNotFound)
		// Removing it still works: the list is the member's own.
		wantStatus(t, b.Submit("/bookmarks", form+"/remove", nil), http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM bookmarks`); n != 0 {
			t.Fatalf("%d bookmarks after removing", n)
		}

		// Guests and pending members have no bookmarks.
		guest := a.Browser(t)
		if res := guest.Get("/bookmarks"); res.Status == http.StatusOK {
			t.Fatalf("a guest reached the bookmarks: %d", res.Status)
		}
	})
}

func count(t *testing.T, a *apptest.App, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.Store.DB().Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func openingPostOf(t *testing.T, a *apptest.App, topicID int64) int64 {
	t.Helper()
	return count(t, a, `SELECT id FROM posts WHERE topic_id = ? AND number = 1`, topicID)
}
