package app_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rounds/models"
)

// TestBrowserDraftAndMention writes a new topic in a real browser under the
// strict CSP: the draft saves itself as the member types and comes back
// when the page is opened again; @ and a name opens the suggestions, which
// the keyboard picks from; posting deletes the draft.
func TestBrowserDraftAndMention(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	place := models.NewTopicDraft(s.board.ID)
	s.signInAt(t, "/b/cardiology/new")

	s.do(t, "write a title and a post",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Heparin drip titration"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "Which nomogram do you use?"))
	read(t, s, "wait for the draft to be saved", chromedp.Poll[bool](
		`(function () { var p = document.querySelector("[data-draft-status]");
			return !p.hidden && p.textContent.includes("Draft saved at"); })()`))
	d, err := s.Store.DraftAt(context.Background(), s.member.ID, place)
	if err != nil || d.Values().Get("body") != "Which nomogram do you use?" || d.Values().Get("title") != "Heparin drip titration" {
		t.Fatalf("the saved draft: %+v, %v", d, err)
	}

	// Opened again, the form holds the draft.
	s.open(t, "/b/cardiology/new")
	s.wantField(t, "#field-title", "Heparin drip titration")
	s.wantField(t, "#field-body", "Which nomogram do you use?")

	// @ and the start of a display name suggests the member.
	s.do(t, "type a mention at the end of the text",
		chromedp.Evaluate[chromedp.Void](`(function () { var b = document.querySelector("#field-body");
			b.focus(); b.setSelectionRange(b.value.length, b.value.length); })()`),
		chromedp.SendKeys(chromedp.CSS("#field-body"), " Ask @Jon"))
	read(t, s, "wait for the suggestions", chromedp.Poll[bool](
		`(function () { var l = document.querySelector("[role=listbox]");
			return l && !l.hidden && l.textContent.includes("Jonas Weber, RN"); })()`))
	state := read(t, s, "read the combobox", chromedp.Evaluate[string](
		`(function () { var b = document.querySelector("#field-body");
			var active = document.getElementById(b.getAttribute("aria-activedescendant"));
			return b.getAttribute("role") + " " + b.getAttribute("aria-expanded") + " " +
				(active ? active.getAttribute("aria-selected") + " " + active.textContent : "none"); })()`))
	if state != "combobox true true Jonas Weber, RN @weber · Critical Care Nursing" {
		t.Fatalf("the combobox reads %q", state)
	}
	s.do(t, "pick the member with Enter", keyPress(kb.Enter, 0))
	s.wantField(t, "#field-body", "Which nomogram do you use? Ask @weber ")
	if expanded := read(t, s, "read aria-expanded", chromedp.Evaluate[string](
		`document.querySelector("#field-body").getAttribute("aria-expanded")`)); expanded != "false" {
		t.Fatalf("after picking, aria-expanded is %q", expanded)
	}

	// Escape closes the suggestions, and the text stays as typed.
	s.do(t, "type another mention", chromedp.SendKeys(chromedp.CSS("#field-body"), "and @oka"))
	read(t, s, "wait for the suggestions", chromedp.Poll[bool](
		`(function () { var l = document.querySelector("[role=listbox]"); return l && !l.hidden; })()`))
	s.do(t, "press Escape", keyPress(kb.Escape, 0))
	s.wantField(t, "#field-body", "Which nomogram do you use? Ask @weber and @oka")
	if hidden := read(t, s, "read the listbox", chromedp.Evaluate[bool](`document.querySelector("[role=listbox]").hidden`)); !hidden {
		t.Fatal("Escape left the suggestions open")
	}

	res := s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`.composer button.primary[type="submit"]`)))
	if res.Status != 200 || !strings.Contains(res.URL, "/t/") {
		t.Fatalf("posting led to %s with status %d", res.URL, res.Status)
	}
	if _, err := s.Store.DraftAt(context.Background(), s.member.ID, place); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("the draft after posting: %v, want none", err)
	}
	s.wantQuiet(t)
}

// TestBrowserDraftSavedOnLeaving types a reply and leaves the page at once,
// before the pause that saves a draft: leaving saves it.
func TestBrowserDraftSavedOnLeaving(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	topic := s.Topic(t, s.board, s.member, "Apixaban in dialysis", "What dose do you use?")
	path := "/t/" + strconv.FormatInt(topic.ID, 10) + "/" + topic.Slug
	s.signInAt(t, path)
	s.do(t, "type a reply and leave",
		chromedp.SendKeys(chromedp.CSS("#field-body"), "We check anti-Xa levels."),
		chromedp.Navigate(s.url("/drafts")))
	place := models.ReplyDraft(topic.ID)
	// The beacon may land after the next page: the bound only keeps a
	// draft that never comes from hanging the test.
	for tries := 0; ; tries++ {
		d, err := s.Store.DraftAt(context.Background(), s.member.ID, place)
		if err == nil {
			if got := d.Values().Get("body"); got != "We check anti-Xa levels." {
				t.Fatalf("the draft saved on leaving holds %q", got)
			}
			break
		}
		if !errors.Is(err, models.ErrNotFound) {
			t.Fatal(err)
		}
		if tries == 500 {
			t.Fatal("leaving the page saved no draft")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.wantQuiet(t)
}
