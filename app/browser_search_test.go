package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSearch follows a member from the search box in the header to
// the results, grouped by topic with the words highlighted, and on to the
// post a result quotes and the help page.
func TestBrowserSearch(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	dir := screenshots(t)
	byrne := s.VerifiedMember(t, "byrne", "Siobhan Byrne", "Emergency Medicine")
	park := s.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
	emergency := s.Board(t, "emergency", "Emergency Medicine")

	dialysis := s.Topic(t, s.board, s.member, "Apixaban in end-stage renal disease on haemodialysis",
		"A 74-year-old on haemodialysis three times a week with new **atrial fibrillation**, CHA2DS2-VASc 5. "+
			"Warfarin has been erratic (TTR 40%). Is apixaban 5 mg twice daily reasonable, or do you reduce to 2.5 mg?",
		"anticoagulation", "renal")
	reply := s.Reply(t, dialysis, park,
		"Our renal pharmacists use apixaban 2.5 mg twice daily on dialysis unless the patient is under 80 and over 60 kg; "+
			"the RENAL-AF numbers are small, so we recheck bleeding risk at every visit.")
	s.AnonymousReply(t, dialysis, byrne, "We saw one access-site bleed on full-dose apixaban; we now start at 2.5 mg and review at a month.")
	bleed := s.Topic(t, s.board, park, "Restarting anticoagulation after a GI bleed in AF",
		"Upper GI bleed on apixaban, ulcer clipped, Hb stable for 72 hours. When do you restart, and do you switch agents?",
		"anticoagulation")
	s.Reply(t, bleed, s.member, "Day 7 to 14 in most; I keep apixaban rather than switching to a once-daily agent.")
	s.Topic(t, emergency, byrne, "Andexanet or four-factor PCC for an apixaban-associated ICH?",
		"Last apixaban dose four hours ago, small subdural, GCS 14. Our formulary has 4F-PCC only; "+
			"is anyone still giving andexanet alfa?", "neurology", "reversal")
	s.Topic(t, emergency, s.member, "Push-dose epinephrine: how do you mix it?",
		"We draw 10 mcg/mL from the cardiac syringe: 1 mL of 100 mcg/mL and 9 mL saline.")
	s.CatchUp(t)

	s.signInAt(t, "/b/cardiology")
	// A keyboard user reaches the box by Tab and sees where the focus is.
	s.do(t, "give the page focus", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	for stops := 0; ; stops++ {
		if stops == 10 {
			t.Fatal("Tab never reached the header search box")
		}
		s.do(t, "press Tab", chromedp.KeyEvent(kb.Tab))
		if read(t, s, "check the focus", chromedp.Evaluate[bool](`document.activeElement.id === "site-search-q"`)) {
			break
		}
	}
	f := read(t, s, "read the focused box", chromedp.Evaluate[focusState](focusScript))
	if f.OutlineStyle == "none" || f.OutlineWidth != "3px" || !f.FocusVisible {
		t.Fatalf("the focused search box shows outline %s %s, :focus-visible %v; want a 3px ring", f.OutlineStyle, f.OutlineWidth, f.FocusVisible)
	}
	s.do(t, "search from the header",
		chromedp.SendKeys(chromedp.CSS("#site-search-q"), "apixaban"))
	s.follow(t, "submit the search", chromedp.Click(chromedp.CSS(`form.site-search button`)))
	s.wantPath(t, "/search")
	s.wantField(t, "#search-q", "apixaban")
	s.wantText(t, "How to search")

	// One row per topic, the dialysis topic's posts gathered under it.
	titles := read(t, s, "read the result titles", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(".search-topic > .topic-title")].map(a => a.textContent)`))
	if len(titles) != 3 || !strings.Contains(strings.Join(titles, "|"), "Apixaban in end-stage renal disease") {
		t.Fatalf("the results are %q, want the three topics that mention apixaban", titles)
	}
	if slicesContain(titles, "Push-dose") {
		t.Fatalf("a topic without the word was found: %q", titles)
	}
	dialysisPosts := read(t, s, "count the dialysis topic's posts", chromedp.Evaluate[int](fmt.Sprintf(
		`document.querySelector('.search-topic:has(> a[href^="/t/%d/"])').querySelectorAll(".search-post").length`, dialysis.ID)))
	if dialysisPosts < 2 {
		t.Fatalf("the dialysis topic quotes %d posts, want its matching posts grouped under it", dialysisPosts)
	}

	// Every highlight is the word searched for, in titles and snippets, and
	// the highlight is a colour the reader can see.
	marks := read(t, s, "read the highlights", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(".search-results mark")].map(m => m.textContent)`))
	if len(marks) < 4 {
		t.Fatalf("%d highlighted words, want the titles and snippets marked: %q", len(marks), marks)
	}
	for _, m := range marks {
		if !strings.EqualFold(m, "apixaban") {
			t.Fatalf("%q is highlighted; only apixaban was searched for (all: %q)", m, marks)
		}
	}
	if n := read(t, s, "count title highlights", chromedp.Evaluate[int](
		`document.querySelectorAll(".search-topic > .topic-title mark").length`)); n == 0 {
		t.Fatal("no title has its matching word highlighted")
	}
	s.wantMarkColours(t, "rgb(253, 230, 138)", "rgb(27, 36, 41)")
	s.shot(t, dir, "search")

	// The dark scheme has a highlight of its own, still readable.
	s.emulateMedia(t, "prefers-color-scheme", "dark")
	s.wantMarkColours(t, "rgb(77, 61, 0)", "rgb(255, 233, 168)")
	s.emulateMedia(t, "prefers-color-scheme", "")

	// On a phone the search box is in the header's menu, where it takes
	// a row of its own, and nothing scrolls sideways.
	s.onPhone(t)
	s.wantNoSidewaysScroll(t, "the results page")
	s.do(t, "open the menu", chromedp.Click(chromedp.CSS(".site-menu > summary")))
	box := read(t, s, "measure the search box", chromedp.Evaluate[[]float64](
		`(() => { const r = document.querySelector("form.site-search").getBoundingClientRect(); return [r.left, r.right, r.width]; })()`))
	if len(box) != 3 || box[2] < 250 || box[0] < 8 || box[1] > 375-8 {
		t.Fatalf("the header search form spans %v (left, right, width) on a 375px screen, want it wide and off the edges", box)
	}
	s.do(t, "widen the window", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))

	// A quoted reply leads to that reply in its topic.
	res := s.follow(t, "open a quoted reply",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`.search-post a[href="/p/%d"]`, reply.ID))))
	if res.Status != 200 {
		t.Fatalf("the result led to %s with status %d", res.URL, res.Status)
	}
	s.wantPath(t, fmt.Sprintf("/t/%d/%s", dialysis.ID, dialysis.Slug))
	loc := read(t, s, "read the location", chromedp.Location())
	if u, err := url.Parse(loc); err != nil || u.Fragment != fmt.Sprintf("post-%d", reply.Number) {
		t.Fatalf("the result led to %s, want the reply's anchor #post-%d", loc, reply.Number)
	}
	s.wantText(t, "Our renal pharmacists use apixaban 2.5 mg")

	// The help page is a link away from the results.
	s.do(t, "search again", chromedp.Navigate(s.url("/search?q=apixaban")))
	s.follow(t, "open the help", chromedp.Click(chromedp.CSS(`#search-hint a[href="/search/help"]`)))
	s.wantPath(t, "/search/help")
	s.wantText(t, "Abbreviations and synonyms")
	s.wantQuiet(t)
}

func slicesContain(list []string, part string) bool {
	for _, s := range list {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

// wantMarkColours wants the first highlight drawn in these colours.
func (s *site) wantMarkColours(t *testing.T, background, ink string) {
	t.Helper()
	got := read(t, s, "read the highlight's colours", chromedp.Evaluate[[]string](
		`(() => { const st = getComputedStyle(document.querySelector(".search-results mark")); return [st.backgroundColor, st.color]; })()`))
	if len(got) != 2 || got[0] != background || got[1] != ink {
		t.Fatalf("the highlight is drawn %q, want background %s and text %s", got, background, ink)
	}
}

// emulateMedia sets a CSS media feature, or clears it with an empty value.
func (s *site) emulateMedia(t *testing.T, name, value string) {
	t.Helper()
	s.do(t, "emulate "+name+": "+value, chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: name, Value: value}}})
		return err
	}))
}

// onPhone shows the page as a 375px-wide phone would.
func (s *site) onPhone(t *testing.T) {
	t.Helper()
	s.do(t, "narrow the window", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: 375, Height: 740, DeviceScaleFactor: 1, Mobile: true})
		return err
	}))
}

// wantNoSidewaysScroll wants the page to fit the window's width.
func (s *site) wantNoSidewaysScroll(t *testing.T, page string) {
	t.Helper()
	if overflow := read(t, s, "measure the page", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > window.innerWidth`)); overflow {
		t.Fatalf("%s scrolls sideways on a 375px-wide screen", page)
	}
}
