package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/app/apptest"
)

// newDemoSite serves the demo community, as `rounds demo` does, to a tab
// of its own.
func newDemoSite(t *testing.T, browser context.Context) *site {
	t.Helper()
	a := apptest.New(t, apptest.Options{Listen: true, Demo: true})
	s := &site{App: a, log: &pageLog{}}
	s.base = a.Serve(t)
	s.tab = s.newTab(t, browser)
	return s
}

// newTab opens a tab in a browser context of its own: a private window,
// with cookies of its own.
func (s *site) newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	within(t, "open a tab", func() error { return chromedp.Do(tab) })
	if err := chromedp.Listen(tab, s.log.record); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	return tab
}

// TestBrowserDemo walks the demo in a real browser, with nothing but the
// site to talk to: its podcast plays and times seek it, its cases show
// their card, links their recorded cards, and an applicant verifies by
// the code an administrator reads on the Mail page.
func TestBrowserDemo(t *testing.T) {
	browser := startChromium(t)
	s := newDemoSite(t, browser)
	dir := screenshots(t)

	s.pick(t, "samcohen")
	s.open(t, "/podcasts")
	s.wantText(t, "The Rounds Podcast")
	s.wantText(t, "Episode 13: Liberation")

	// The podcast topic plays the demo's own episode, and a time in a
	// post seeks the player.
	s.open(t, topicPath(demoTopic(t, s.App, "Episode 12 discussion")))
	s.do(t, "play from 0:16", chromedp.Click(chromedp.CSS(`.post-body a.timestamp[data-seek="16"]`)))
	read(t, s, "wait for the player to reach 0:16", chromedp.Poll[bool](
		`(function () { var p = document.getElementById("episode-player");
			return !p.error && p.readyState >= 1 && Math.round(p.duration) === 24 && p.currentTime >= 16; })()`))
	cards := read(t, s, "read the link cards", chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll(".link-card")).map(function (c) { return c.textContent; }).join("\n")`))
	for _, want := range []string{"PMID 20179283", "doi:10.1001/jama.2019.0071", "Lactate clearance vs central venous oxygen saturation"} {
		if !strings.Contains(cards, want) {
			t.Errorf("the podcast topic's link cards lack %q:\n%s", want, cards)
		}
	}
	s.shot(t, dir, "podcast-topic")

	// A case shows its summary once, in its card.
	s.open(t, topicPath(demoTopic(t, s.App, "Case: toddler with fever")))
	s.do(t, "see the case card", chromedp.WaitVisible(chromedp.CSS("section.case-summary")))
	s.wantText(t, "Presented the case summarised above.")
	if n := read(t, s, "count the work-up", chromedp.Evaluate[int](
		`document.querySelector("main").textContent.split("four out of four Kocher criteria").length - 1`)); n != 1 {
		t.Errorf("the case's work-up shows %d times, want once", n)
	}
	s.shot(t, dir, "case")

	// A page's card, on a topic that links a guideline.
	s.open(t, topicPath(demoTopic(t, s.App, "Refractory VT")))
	s.wantText(t, "2022 ESC Guidelines for the management of patients with ventricular arrhythmias")
	s.signOut(t)

	// An applicant verifies by the code mailed to their work address.
	s.pick(t, "applicant")
	s.wantPath(t, "/verify")
	for field, value := range map[string]string{
		"#field-full_name": "Sam Rivera", "#field-specialty": "Emergency Medicine", "#field-npi": "1234567893",
		"#field-license_country": "US", "#field-license_state": "NY", "#field-license_number": "MD-204518",
		"#field-institution": "St. Mary's Hospital", "#field-work_email": "sam.rivera@stmary.example.org",
	} {
		s.do(t, "fill "+field, chromedp.SendKeys(chromedp.CSS(field), value))
	}
	s.do(t, "choose a profession", chromedp.SetValue(chromedp.CSS("#field-profession"), "physician"))
	s.follow(t, "send the application", chromedp.Click(chromedp.CSS(`form[action="/verify"] button.primary`)))
	s.wantText(t, "stmary.example.org")
	s.follow(t, "ask for a code", chromedp.Click(chromedp.CSS(`form[action="/verify/email"] button`)))
	s.wantText(t, "We sent a 6-digit code to sam.rivera@stmary.example.org")
	s.wantText(t, "sign in there as Dr. Samuel Cohen, the demo's administrator, and open Mail")
	s.shot(t, dir, "verification-email")

	// In a private window, the administrator reads it on the Mail page.
	applicant := s.tab
	s.tab = s.newTab(t, browser)
	s.pick(t, "samcohen")
	s.open(t, "/admin/outbox")
	s.follow(t, "open the newest message", chromedp.Click(chromedp.CSS(`main a[href^="/admin/outbox/"]`)))
	text := read(t, s, "read the message", chromedp.Text(chromedp.CSS("pre.mail-text")))
	m := regexp.MustCompile(`\b(\d{6})\b`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no code in the message as the Mail page shows it:\n%s", text)
	}
	s.shot(t, dir, "mail")

	s.tab = applicant
	s.do(t, "type the code", chromedp.SendKeys(chromedp.CSS("#field-code"), m[1]))
	s.follow(t, "confirm", chromedp.Click(chromedp.CSS(`form[action="/verify/email/confirm"] button.primary`)))
	s.wantText(t, "You are verified")

	base, err := url.Parse(s.base)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range s.log.hosts() {
		if host != "" && host != base.Host {
			t.Errorf("the browser asked %s for something; the demo needs nothing but itself", host)
		}
	}
	s.wantQuiet(t)
}
