package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserShortcuts presses the keyboard shortcuts of a topic and of a
// board's list: j and k move between posts and topics, r reaches the reply
// box, / the search box and ? their help; none acts while the member types
// or holds a modifier key.
func TestBrowserShortcuts(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	byrne := s.VerifiedMember(t, "byrne", "Siobhan Byrne", "Emergency Medicine")
	topic := s.Topic(t, s.board, s.member, "Amiodarone loading in renal failure", "Do you adjust the load?")
	s.Reply(t, topic, byrne, "No adjustment of the load.")
	s.Reply(t, topic, s.member, "Thank you; maintenance unchanged then.")
	s.Topic(t, s.board, byrne, "Push-dose epinephrine: how do you mix it?", "10 mcg/mL from the cardiac syringe.")
	topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, topicPath)

	press := func(t *testing.T, key string) {
		t.Helper()
		s.do(t, "press "+key, keyPress(key, 0))
	}
	focused := func(t *testing.T) string {
		t.Helper()
		return read(t, s, "read the focus", chromedp.Evaluate[string](
			`(() => { const el = document.activeElement; return el.id || el.className || el.tagName; })()`))
	}
	want := func(t *testing.T, after, id string) {
		t.Helper()
		if got := focused(t); got != id {
			t.Fatalf("after %s the focus is on %q, want %q", after, got, id)
		}
	}

	t.Run("j and k move between posts", func(t *testing.T) {
		press(t, "j")
		want(t, "j", "post-1")
		press(t, "j")
		want(t, "j twice", "post-2")
		press(t, "j")
		press(t, "j") // past the last post it stays there
		want(t, "j four times", "post-3")
		press(t, "k")
		want(t, "k", "post-2")
		if n := read(t, s, "count the marked posts", chromedp.Evaluate[int](
			`document.querySelectorAll("article.post.is-current").length`)); n != 1 {
			t.Fatalf("%d posts are marked current, want one", n)
		}
	})

	t.Run("r goes to the reply box without typing r", func(t *testing.T) {
		press(t, "r")
		want(t, "r", "field-body")
		s.wantField(t, "#field-body", "")
		// In the box, the keys are the member's text.
		for _, key := range []string{"j", "k", "r", "/", "?"} {
			press(t, key)
		}
		s.wantField(t, "#field-body", "jkr/?")
		want(t, "typing", "field-body")
	})

	t.Run("a modifier key leaves the keys to the browser", func(t *testing.T) {
		s.do(t, "leave the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
		s.do(t, "press Ctrl+j", keyPress("j", kb.ModifierCtrl))
		if got := focused(t); got == "post-1" || got == "post-3" {
			t.Fatalf("Ctrl+j moved the focus to %s", got)
		}
	})

	t.Run("/ goes to the search box", func(t *testing.T) {
		press(t, "/")
		want(t, "/", "site-search-q")
		s.wantField(t, "#site-search-q", "")
	})

	t.Run("? shows the shortcuts and Escape closes them", func(t *testing.T) {
		s.do(t, "leave the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
		press(t, "?")
		text := read(t, s, "read the help", chromedp.Evaluate[string](
			`(() => { const d = document.querySelector("dialog.shortcuts-help"); return d && d.open ? d.textContent : ""; })()`))
		for _, want := range []string{"Keyboard shortcuts", "Next post or topic", "Reply to the topic", "Search"} {
			if !strings.Contains(text, want) {
				t.Fatalf("the help dialog lacks %q: %q", want, text)
			}
		}
		// While the help is open, j does not move behind it.
		press(t, "j")
		if got := focused(t); got == "post-1" || got == "post-3" {
			t.Fatalf("j moved the focus behind the open help, to %s", got)
		}
		press(t, kb.Escape)
		if read(t, s, "check the help", chromedp.Evaluate[bool](`document.querySelector("dialog.shortcuts-help").open`)) {
			t.Fatal("Escape did not close the help")
		}
	})

	t.Run("j and k move between topics of a board", func(t *testing.T) {
		s.open(t, "/b/cardiology")
		press(t, "j")
		first := read(t, s, "read the focus", chromedp.Evaluate[string](`document.activeElement.textContent`))
		press(t, "j")
		second := read(t, s, "read the focus", chromedp.Evaluate[string](`document.activeElement.textContent`))
		press(t, "k")
		back := read(t, s, "read the focus", chromedp.Evaluate[string](`document.activeElement.textContent`))
		if first == second || back != first || !strings.Contains(first+second, "Push-dose epinephrine") || !strings.Contains(first+second, "Amiodarone loading") {
			t.Fatalf("j, j, k went to %q, %q, %q; want each topic's title in turn", first, second, back)
		}
		// Enter opens the topic the focus is on.
		res := s.follow(t, "open the topic", chromedp.KeyEvent(kb.Enter))
		if res.Status != 200 {
			t.Fatalf("Enter on a topic opened %s with status %d", res.URL, res.Status)
		}
		s.wantQuiet(t)
	})

	t.Run("on a phone / opens the menu at the search box", func(t *testing.T) {
		s.onPhone(t)
		s.open(t, topicPath)
		press(t, "/")
		want(t, "/", "site-search-q")
		if !read(t, s, "check the menu", chromedp.Evaluate[bool](`document.querySelector(".site-menu").open`)) {
			t.Fatal("/ focused the search box in a closed menu")
		}
		s.wantField(t, "#site-search-q", "")
		// Escape closes the menu and leaves the focus on its button.
		press(t, kb.Escape)
		if read(t, s, "check the menu", chromedp.Evaluate[bool](`document.querySelector(".site-menu").open`)) {
			t.Fatal("Escape left the menu open")
		}
		if !read(t, s, "check the focus", chromedp.Evaluate[bool](`document.activeElement.matches(".site-menu > summary")`)) {
			t.Fatalf("after Escape the focus is on %s, want the menu's button", s.activeElement(t))
		}
		// A tap outside closes it too.
		s.do(t, "open the menu", chromedp.Click(chromedp.CSS(".site-menu > summary")))
		// The menu covers the top of the page; the bottom of the screen is clear.
		s.do(t, "tap below the menu", chromedp.MouseClickXY(180, 700))
		if read(t, s, "check the menu", chromedp.Evaluate[bool](`document.querySelector(".site-menu").open`)) {
			t.Fatal("a tap outside left the menu open")
		}
	})
}

// keyPress presses a key as a keyboard does: one key-down that carries its
// text, so that a page that handles the key-down can keep the text from
// being typed (chromedp.KeyEvent sends the text as an event of its own,
// which no page can stop), and a key-up.
func keyPress(key string, modifiers kb.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		r := []rune(key)[0]
		k, ok := kb.Keys[r]
		if !ok {
			return fmt.Errorf("no key for %q", key)
		}
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code,
			WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native, Modifiers: int64(modifiers)}
		if k.Shift {
			down.Modifiers |= int64(kb.ModifierShift)
		}
		if k.Print && modifiers == 0 {
			down.Text, down.UnmodifiedText = k.Text, k.Unmodified
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := cdp.Call(ctx, tgt, input.DispatchKeyEvent, ev); err != nil {
				return fmt.Errorf("press %q: %w", key, err)
			}
		}
		return nil
	})
}
