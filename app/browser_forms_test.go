package app_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserForms checks what the composer's script and the forms' styles
// do for a member in a real browser.
func TestBrowserForms(t *testing.T) {
	browser := startChromium(t)

	t.Run("the live preview follows the first keys typed, with no click", func(t *testing.T) {
		s := newSite(t, browser)
		s.signInAt(t, "/b/cardiology/new")
		s.do(t, "type a post", chromedp.SendKeys(chromedp.CSS("#field-body"), "Dose on **adjusted** weight?"))
		read(t, s, "wait for the preview", chromedp.Poll[bool](
			`(function () { var p = document.querySelector("[data-preview]");
				return !p.hidden && p.querySelector("[data-preview-body]").innerHTML.includes("<strong>adjusted</strong>"); })()`))
		if s.log.sent("POST", "/b/cardiology/new", false) {
			t.Fatal("the form was sent; only the preview should have been asked for")
		}
		s.wantQuiet(t)
	})

	t.Run("a refused field's message goes once the member changes the field", func(t *testing.T) {
		s := newSite(t, browser)
		s.signInAt(t, "/b/cardiology/new")
		s.do(t, "type a title too short and no post",
			chromedp.SendKeys(chromedp.CSS("#field-title"), "VT"))
		res := s.follow(t, "post", chromedp.Click(chromedp.CSS(`.composer button.primary[type="submit"]`)))
		if res.Status != 422 {
			t.Fatalf("the refused form came back with status %d", res.Status)
		}
		count := func(what, js string) int {
			return read(t, s, what, chromedp.Evaluate[int](js))
		}
		if n := count("count the problems", `document.querySelectorAll(".error-summary li").length`); n != 2 {
			t.Fatalf("the summary lists %d problems, want the title's and the post's", n)
		}
		s.do(t, "put the title right", chromedp.SendKeys(chromedp.CSS("#field-title"), " storm after ablation"))
		if n := count("count the title's messages", `document.querySelectorAll("#title-error, .error-summary a[href='#field-title']").length`); n != 0 {
			t.Fatalf("the title, now changed, still shows %d messages", n)
		}
		if read(t, s, "read the title's marking", chromedp.Evaluate[bool](
			`document.querySelector("#field-title").hasAttribute("aria-invalid") || document.querySelector("#field-title").closest(".field").classList.contains("invalid")`)) {
			t.Fatal("the title, now changed, is still marked invalid")
		}
		// The post, not yet touched, keeps its message.
		if n := count("count the post's messages", `document.querySelectorAll("#body-error, .error-summary a[href='#field-body']").length`); n != 2 {
			t.Fatalf("the post, not yet changed, shows %d messages, want its own and its line in the summary", n)
		}
		s.do(t, "write the post", chromedp.SendKeys(chromedp.CSS("#field-body"), "Amiodarone and lidocaine first?"))
		if n := count("look for the summary", `document.querySelectorAll(".error-summary").length`); n != 0 {
			t.Fatal("the summary stays although every field it listed was changed")
		}
		s.wantQuiet(t, "status of 422")
	})

	t.Run("the podcast link box has the form's style", func(t *testing.T) {
		s := newSite(t, browser)
		s.signInAt(t, "/b/cardiology/podcast")
		box := read(t, s, "measure the link box", chromedp.Evaluate[map[string]string](
			`(function () { var b = getComputedStyle(document.querySelector("#field-url"));
				var f = document.querySelector("#field-url").closest(".field").getBoundingClientRect();
				return {width: String(Math.round(document.querySelector("#field-url").getBoundingClientRect().width) === Math.round(f.width)),
					padding: b.paddingLeft, radius: b.borderTopLeftRadius}; })()`))
		if box["width"] != "true" || box["padding"] == "0px" || box["padding"] == "1px" || box["radius"] == "0px" {
			t.Fatalf("the link box is unstyled: %v", box)
		}
		s.wantQuiet(t)
	})
}
