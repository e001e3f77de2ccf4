package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsult starts a consult from the member menu with a live
// preview of the first message, is stopped by the identifier guard with
// the text kept, sends it, and replies, by clicking in a real browser
// under the strict CSP.
func TestBrowserConsult(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	s.signInAt(t, "/consults")

	s.follow(t, "start a consult", chromedp.Click(chromedp.CSS(`a[href="/consults/new"]`)))
	s.do(t, "fill in the consult",
		chromedp.SendKeys(chromedp.CSS("#field-to"), "weber"),
		chromedp.SendKeys(chromedp.CSS("#field-subject"), "Pericarditis recurrence"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "My patient, SSN 123-45-6789, relapsed on **colchicine**."))
	s.follow(t, "send it", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	s.wantPath(t, "/consults/new")
	s.wantField(t, "#field-subject", "Pericarditis recurrence")
	guard := read(t, s, "read the guard", chromedp.Evaluate[string](`document.querySelector('#field-phi').innerText`))
	if !strings.Contains(guard, "Social Security number") {
		t.Fatalf("the identifier guard says:\n%s", guard)
	}
	s.do(t, "edit the identifier out",
		chromedp.SetValue(chromedp.CSS("#field-body"), "My patient relapsed on **colchicine**."))
	s.follow(t, "send it again", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	page := read(t, s, "read the consult", chromedp.Evaluate[string](`document.querySelector('main').innerHTML`))
	for _, want := range []string{"Pericarditis recurrence", "<strong>colchicine</strong>", "Jonas Weber, RN"} {
		if !strings.Contains(page, want) {
			t.Fatalf("the consult page lacks %q:\n%s", want, page)
		}
	}

	s.do(t, "write a reply", chromedp.SendKeys(chromedp.CSS(".reply #field-body"), "Any thoughts on the taper?"))
	s.follow(t, "send the reply", chromedp.Click(chromedp.CSS(`.reply button.primary`)))
	text := read(t, s, "read the messages", chromedp.Evaluate[string](`document.querySelector('.consult-messages').innerText`))
	if !strings.Contains(text, "Any thoughts on the taper?") {
		t.Fatalf("the consult lacks the reply:\n%s", text)
	}
	s.open(t, "/consults")
	list := read(t, s, "read the list", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if !strings.Contains(list, "Pericarditis recurrence") || !strings.Contains(list, "With Jonas Weber, RN") {
		t.Fatalf("the consults page says:\n%s", list)
	}
	// The refused form came back with 422, as it should.
	s.wantQuiet(t, "status of 422")
}
