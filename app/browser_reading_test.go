package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReadingAndUnread reads a topic in a real browser under the
// strict CSP: the page's script reports the posts that come into view, so
// the position follows the scrolling rather than the page; a reply later,
// Unread lists the topic with its new posts, j moves to it, and its link
// opens the second page at the first new post, marked in words.
func TestBrowserReadingAndUnread(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	weber, err := s.Store.UserByUsername(t.Context(), "weber")
	if err != nil {
		t.Fatal(err)
	}
	topic := s.Topic(t, s.board, weber, "Heparin nomograms after cardiac surgery", "Which nomogram do your units use?")
	for i := range 21 {
		s.Reply(t, topic, weber, fmt.Sprintf("Reply %d: a paragraph long enough to take some room on the page.\n\nAnd a second paragraph.", i+1))
	}
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	// Signing in on Latest runs the script once: from then on the
	// browser reports what it reads.
	s.signInAt(t, "/latest")
	s.open(t, path)

	position := func() int {
		t.Helper()
		if err := s.Site.FlushReadPositions(t.Context()); err != nil {
			t.Fatal(err)
		}
		n, err := s.Store.LastRead(t.Context(), s.member.ID, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// waitFor waits for the script's report to arrive (it batches for a
	// second or two); the limit only stops a broken script from hanging.
	waitFor := func(what string, ok func(int) bool) int {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; {
			n := position()
			if ok(n) {
				return n
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the position is %d", what, n)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	first := waitFor("the posts in view are reported", func(n int) bool { return n > 0 })
	if first >= 20 {
		t.Fatalf("opening the page read it to post %d: only what came into view counts", first)
	}
	// The reply form below the posts is taller than the window, so the
	// page's end shows no post: scroll to the last post instead.
	s.do(t, "scroll to the page's last post", chromedp.Evaluate[chromedp.Void](
		`document.querySelector('#post-20').scrollIntoView({block: 'end'})`))
	waitFor("scrolling to the last post reads the page", func(n int) bool { return n == 20 })

	s.Reply(t, topic, weber, "A reply after the visit.")
	s.open(t, "/unread")
	row := read(t, s, "read the unread list", chromedp.Evaluate[string](`document.querySelector('main .topic-list').textContent`))
	if !strings.Contains(row, "Heparin nomograms") || !strings.Contains(row, "3 new") {
		t.Fatalf("unread lacks the topic with 3 new posts:\n%s", row)
	}
	s.do(t, "press j", keyPress("j", 0))
	focus := read(t, s, "read the focus", chromedp.Evaluate[string](`document.activeElement.textContent`))
	if focus != topic.Title {
		t.Fatalf("j on Unread focused %q, want the topic's title", focus)
	}
	s.follow(t, "open the topic from the list", chromedp.Click(chromedp.CSS(`main .topic-title`)))
	loc := read(t, s, "read the location", chromedp.Location())
	if !strings.HasSuffix(loc, path+"?page=2#post-21") {
		t.Fatalf("the list opened %s, want the second page at post 21", loc)
	}
	marker := read(t, s, "read the marker", chromedp.Evaluate[string](
		`(() => { const m = document.querySelector('.new-since'); return m ? m.textContent + ' ' + m.nextElementSibling.id : ''; })()`))
	if marker != "New since your last visit post-21" {
		t.Fatalf("the first new post is marked %q, want the words before post 21", marker)
	}
	s.wantQuiet(t)
}
