package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserQuoteSelection selects words in a post, presses the button
// that appears and finds them quoted in the reply, attributed and linked.
func TestBrowserQuoteSelection(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	weber, err := s.Store.UserByUsername(t.Context(), "weber")
	if err != nil {
		t.Fatal(err)
	}
	topic := s.Topic(t, s.board, weber, "Apixaban in dialysis", "We see bleeding on 5 mg twice daily.")
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, path)

	s.do(t, "select words in the opening post", chromedp.Evaluate[chromedp.Void](`(function () {
		var text = document.querySelector('#post-1 .post-body p').firstChild;
		var range = document.createRange();
		range.setStart(text, 3); range.setEnd(text, 23);
		var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
		document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
	})()`))
	read(t, s, "wait for the quote button", chromedp.Poll[bool](`!document.querySelector('.quote-selection').hidden`))
	s.do(t, "press it", chromedp.Click(chromedp.CSS(".quote-selection")))
	got := read(t, s, "read the reply", chromedp.Evaluate[string](`document.querySelector('.reply textarea[name="body"]').value`))
	want := fmt.Sprintf("> see bleeding on 5 mg\n>\n> — [Jonas Weber, RN, post #1](/p/%d)\n\n", openingPostOf(t, s.App, topic.ID))
	if got != want {
		t.Fatalf("the reply holds %q, want %q", got, want)
	}
	if focused := s.activeElement(t); !strings.Contains(focused, "textarea") {
		t.Fatalf("the focus is on %s, want the reply", focused)
	}
	s.wantQuiet(t)
}
