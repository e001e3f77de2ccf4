package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBookmarkAndReact keeps a post with a note and a reminder and
// reacts to it, by clicking in a real browser under the strict CSP.
func TestBrowserBookmarkAndReact(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	weber, err := s.Store.UserByUsername(t.Context(), "weber")
	if err != nil {
		t.Fatal(err)
	}
	topic := s.Topic(t, s.board, weber, "Apixaban in dialysis", "We see bleeding on 5 mg twice daily.")
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	post := openingPostOf(t, s.App, topic.ID)
	s.signInAt(t, path)

	s.follow(t, "open the bookmark form", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/p/%d/bookmark"]`, post))))
	s.do(t, "write a note and choose tomorrow",
		chromedp.SendKeys(chromedp.CSS("#field-note"), "dose table for the unit"),
		chromedp.Click(chromedp.CSS(`input[name="remind"][value="tomorrow"]`)))
	s.follow(t, "save the bookmark", chromedp.Click(chromedp.CSS(`form[action$="/bookmark"] button.primary`)))
	s.wantPath(t, path)
	marked := read(t, s, "read the post's bookmark link", chromedp.Evaluate[string](
		fmt.Sprintf(`document.querySelector('a[href="/p/%d/bookmark"]').textContent`, post)))
	if marked != "Bookmarked" {
		t.Fatalf("the post's link says %q after saving, want Bookmarked", marked)
	}

	s.open(t, "/bookmarks")
	list := read(t, s, "read the bookmarks", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	for _, want := range []string{"Apixaban in dialysis", "dose table for the unit", "reminder on"} {
		if !strings.Contains(list, want) {
			t.Fatalf("the bookmarks page lacks %q:\n%s", want, list)
		}
	}

	s.open(t, path)
	s.follow(t, "press Helpful", chromedp.Click(chromedp.CSS(`#post-1 button.reaction[value="helpful"]`)))
	pressed := read(t, s, "read the reaction", chromedp.Evaluate[string](
		`document.querySelector('#post-1 button.reaction[value="helpful"]').getAttribute('aria-pressed') + ' ' +
		 document.querySelector('#post-1 button.reaction[value="helpful"]').textContent`))
	if pressed != "true Helpful 1" {
		t.Fatalf("the Helpful button reads %q after pressing, want pressed with a count of 1", pressed)
	}
	s.wantQuiet(t)
}
