package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/app/notify"
	"rounds/models"
)

// TestBrowserEmailSettingsAndUnsubscribe chooses what comes by email on
// the settings page and stops one kind from an email's unsubscribe link,
// by clicking in a real browser under the strict CSP.
func TestBrowserEmailSettingsAndUnsubscribe(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	s.signInAt(t, "/settings/digest")
	s.do(t, "choose mentions in the digest and reactions never",
		chromedp.Click(chromedp.CSS(`input[name="email_mention"][value="digest"]`)),
		chromedp.Click(chromedp.CSS(`input[name="email_reaction"][value="never"]`)))
	s.follow(t, "save the email choices", chromedp.Click(chromedp.CSS(`form[action="/settings/email"] button.primary`)))
	s.wantPath(t, "/settings/digest")
	page := read(t, s, "read the page", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if !strings.Contains(page, "Saved.") {
		t.Fatalf("no word that the choices were saved:\n%s", page)
	}
	es, err := s.Store.EmailSettingsFor(t.Context(), s.member.ID)
	if err != nil {
		t.Fatal(err)
	}
	if es[models.NotifyMention] != models.EmailInDigest || es[models.NotifyReaction] != models.EmailNever || es[models.NotifyReply] != models.EmailNow {
		t.Fatalf("saved %v", es)
	}

	s.open(t, notify.UnsubscribePath+s.Site.Unsubscribes.Token(s.member.ID, []string{models.NotifyReply}))
	s.follow(t, "press Unsubscribe", chromedp.Click(chromedp.CSS(`main form button.primary`)))
	done := read(t, s, "read the page", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if !strings.Contains(done, "You are unsubscribed") {
		t.Fatalf("after unsubscribing:\n%s", done)
	}
	if es, err = s.Store.EmailSettingsFor(t.Context(), s.member.ID); err != nil || es[models.NotifyReply] != models.EmailNever {
		t.Fatalf("replies after unsubscribing: %v, %v", es, err)
	}
	s.wantQuiet(t)
}
