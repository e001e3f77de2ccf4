package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/models"
)

// TestBrowserProfileAndSuspension opens a member's profile from the author
// link of their post, then has an administrator find that member in
// /admin/members and suspend them, in a real browser under the CSP and on
// a phone.
func TestBrowserProfileAndSuspension(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	dir := screenshots(t)
	ctx := context.Background()
	weber, err := s.Store.UserByUsername(ctx, "weber")
	if err != nil {
		t.Fatal(err)
	}
	s.Admin(t, "root", "Dr. Sam Root", "Radiology")
	topic := s.Topic(t, s.board, s.member, "Amiodarone and warfarin", "What INR do you aim for after starting amiodarone?")
	reply := s.Reply(t, topic, weber, "We check it weekly for the first month.")

	// A member opens the author's profile from the post.
	topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, topicPath)
	s.follow(t, "open the author's profile",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#post-%d a.author-name`, reply.Number))))
	s.wantPath(t, "/u/weber")
	s.wantText(t, "Jonas Weber, RN")
	s.wantText(t, "Verified clinician")
	s.wantText(t, "Amiodarone and warfarin")
	s.shot(t, dir, "profile")
	s.wantQuiet(t)

	// An administrator finds the member and suspends them.
	s.signOut(t)
	s.pick(t, "root")
	s.open(t, "/admin/members")
	s.do(t, "search", chromedp.SendKeys(chromedp.CSS(`#members-q`), "weber"))
	s.follow(t, "submit the search", chromedp.Click(chromedp.CSS(`form.member-filter button[type=submit]`)))
	s.follow(t, "open the member", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/members/%d"]`, weber.ID))))
	s.wantPath(t, fmt.Sprintf("/admin/members/%d", weber.ID))
	s.do(t, "choose indefinitely", chromedp.Click(chromedp.CSS(`#action-suspend input[value=indefinite]`)),
		chromedp.SendKeys(chromedp.CSS(`#reason-suspend`), "Advertising supplements after two warnings"))
	s.follow(t, "suspend", chromedp.Click(chromedp.CSS(`#action-suspend button`)))
	s.wantText(t, "The member is suspended")
	s.shot(t, dir, "member")
	s.wantQuiet(t)
	s.onPhone(t)
	s.wantNoSidewaysScroll(t, "the member page")
	s.open(t, "/u/weber")
	s.wantText(t, "Suspended")
	s.wantNoSidewaysScroll(t, "the profile")
	if got, err := s.Store.UserByID(ctx, weber.ID); err != nil || got.Status != models.StatusSuspended {
		t.Fatalf("after the suspension: %+v, %v", got, err)
	}
}
