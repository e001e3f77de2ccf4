package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/app/apptest"
	"rounds/models"
)

// TestBrowserReportAndReview follows a report from the post's "Report"
// link to a moderator's purge in the review queue, in a real browser, and
// checks the review page under the CSP and on a phone.
func TestBrowserReportAndReview(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	dir := screenshots(t)
	weber, err := s.Store.UserByUsername(context.Background(), "weber")
	if err != nil {
		t.Fatal(err)
	}
	s.Member(t, apptest.Park)
	topic := s.Topic(t, s.board, s.member, "Hyperkalaemia after starting an ACE inhibitor",
		"Potassium 6.4 two weeks after ramipril 5 mg. Stop it, or halve it and add a binder?")
	reply := s.Reply(t, topic, weber, "Same picture in bed 12 yesterday, Mrs Eleanor Whitcombe, born 3 March 1941.")
	s.CatchUp(t)

	// A member reports the reply as identifying a patient.
	topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, topicPath)
	s.follow(t, "open the report form",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#post-%d a[href="/p/%d/flag"]`, reply.Number, reply.ID))))
	s.wantPath(t, fmt.Sprintf("/p/%d/flag", reply.ID))
	s.do(t, "choose the reason", chromedp.Click(chromedp.CSS(`#reason-phi`)),
		chromedp.SendKeys(chromedp.CSS(`#field-note`), "A name and a date of birth"))
	s.follow(t, "send the report", chromedp.Click(chromedp.CSS(`form button[type=submit].primary`)))
	s.wantText(t, "You reported this post")
	s.wantText(t, "hidden from members")
	s.wantQuiet(t)

	// At once, members see a note in its place.
	s.open(t, topicPath)
	s.wantText(t, models.PendingPHIReason)
	if text := read(t, s, "read the topic", chromedp.Text(chromedp.CSS("main"))); strings.Contains(text, "Whitcombe") {
		t.Fatal("the reported reply is still shown to members")
	}

	// A moderator finds it waiting, counted in the header.
	s.signOut(t)
	s.pick(t, "park")
	s.open(t, "/")
	if n := read(t, s, "read the count", chromedp.Text(chromedp.CSS(`a[href="/mod/review"] .unread-count`))); strings.Fields(n)[0] != "1" {
		t.Fatalf("the header counts %q reported posts, want 1", n)
	}
	s.follow(t, "open the queue", chromedp.Click(chromedp.CSS(`a[href="/mod/review"]`)))
	s.wantText(t, "Identifies a patient")
	s.follow(t, "open the reported post", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/mod/review/%d"]`, reply.ID))))
	s.wantText(t, "A name and a date of birth")
	s.wantText(t, "What the identifier check finds now")
	s.shot(t, dir, "review")
	s.wantQuiet(t)

	// On a phone the actions stack and nothing scrolls sideways.
	s.onPhone(t)
	s.wantNoSidewaysScroll(t, "the review page")

	// A purge without the confirmation keeps the reason typed.
	s.do(t, "give a reason", chromedp.SendKeys(chromedp.CSS(`#reason-purge`), "Named a patient with her date of birth"))
	s.follow(t, "purge unconfirmed", chromedp.Click(chromedp.CSS(`#action-purge button`)))
	s.wantText(t, "a purge cannot be undone")
	s.wantField(t, "#reason-purge", "Named a patient with her date of birth")
	s.wantQuiet(t, "status of 422") // the refusal itself
	s.do(t, "confirm", chromedp.Click(chromedp.CSS(`#action-purge input[name=confirm]`)))
	s.follow(t, "purge", chromedp.Click(chromedp.CSS(`#action-purge button`)))
	s.wantPath(t, "/mod/review")
	s.wantText(t, "The post was purged")
	s.wantText(t, "Nothing waits for review")
	s.wantQuiet(t)
	if _, err := s.Store.PostByID(context.Background(), reply.ID); !models.IsNotFound(err) {
		t.Fatalf("the purged reply loads: %v", err)
	}
}
