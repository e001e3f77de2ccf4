package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/models"
)

// screenshots is where the journey saves its pictures: the folder named by
// ROUNDS_SCREENSHOTS (docs/screenshots when the README's pictures are
// renewed), or a temporary one.
func screenshots(t *testing.T) string {
	if dir := os.Getenv("ROUNDS_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func (s *site) shot(t *testing.T, dir, name string) {
	t.Helper()
	png := read(t, s, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (s *site) wantText(t *testing.T, want string) {
	t.Helper()
	if text := read(t, s, "read the page", chromedp.Text(chromedp.CSS("main"))); !strings.Contains(text, want) {
		t.Fatalf("the page lacks %q:\n%s", want, text)
	}
}

func (s *site) pick(t *testing.T, username string) {
	t.Helper()
	s.open(t, "/sign-in")
	res := s.follow(t, "sign in as "+username,
		chromedp.Click(chromedp.CSS(`form:has(input[name="username"][value="`+username+`"]) button`)))
	if res.Status != 200 {
		t.Fatalf("signing in as %s ended at %s with status %d", username, res.URL, res.Status)
	}
}

func (s *site) signOut(t *testing.T) {
	t.Helper()
	s.follow(t, "sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
	s.wantPath(t, "/")
}

// TestBrowserVerificationJourney follows a clinician from the landing page
// through the demo's provider, the application and a moderator's approval
// to reading a board, in a real browser.
func TestBrowserVerificationJourney(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	dir := screenshots(t)
	park := s.VerifiedMember(t, "park", "Dr. Lena Park", "Internal Medicine")
	if err := s.Store.SetRole(t.Context(), park.ID, models.RoleModerator); err != nil {
		t.Fatal(err)
	}
	topic := s.Topic(t, s.board, s.member, "Refractory VT in a 24-year-old athlete: ablation or ICD first?",
		"Structurally normal heart, three episodes of **sustained monomorphic VT** despite beta-blockade.\n\n"+
			"| Option | For | Against |\n|---|---|---|\n| Ablation | curative in focal VT | recurrence |\n| ICD | protects at once | young patient, shocks |\n\n"+
			"What would you do first?[^1]\n\n[^1]: Assume no family history of sudden death.", "arrhythmia", "sports")
	s.Reply(t, topic, park, "Ablation first if the substrate is focal; an ICD can follow if VT recurs.")

	s.open(t, "/")
	s.wantText(t, "Case discussion among verified clinicians")
	s.shot(t, dir, "landing")

	// A new clinician signs in and applies.
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
	s.wantText(t, "Your application is with the moderators")
	s.shot(t, dir, "verification")
	s.signOut(t)

	// A moderator approves it.
	s.pick(t, "park")
	s.open(t, "/mod/verifications")
	s.wantText(t, "Sam Rivera")
	s.shot(t, dir, "verification-queue")
	s.follow(t, "open the application", chromedp.Click(chromedp.CSS(`main a[href^="/mod/verifications/"]`)))
	s.shot(t, dir, "verification-review")
	s.do(t, "choose approve", chromedp.Click(chromedp.CSS(`input[name="decision"][value="approve"]`)))
	s.follow(t, "record the decision", chromedp.Click(chromedp.CSS(`form[action$="/decide"] button.primary`)))
	s.signOut(t)

	// The new member reads and writes.
	s.pick(t, "applicant")
	s.open(t, "/")
	s.wantText(t, "Cardiology")
	s.open(t, "/b/cardiology")
	s.wantText(t, "Refractory VT")
	s.shot(t, dir, "board")
	s.open(t, fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug))
	s.wantText(t, "sustained monomorphic VT")
	s.shot(t, dir, "topic")
	s.open(t, "/b/cardiology/new")
	s.do(t, "write a post",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Push-dose epinephrine: how do you mix it?"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "We draw **10 mcg/mL** from the cardiac syringe:\n\n- 1 mL of 100 mcg/mL\n- 9 mL saline"),
		chromedp.Click(chromedp.CSS("[data-preview-button]")),
		chromedp.WaitVisible(chromedp.CSS("[data-preview]")))
	s.shot(t, dir, "composer")
	s.wantQuiet(t)
}
