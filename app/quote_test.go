package app_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"rounds/app/apptest"
)

func TestQuoteAPostIntoTheReply(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?\n\nWe see bleeding on 5 mg.")
		anon := a.AnonymousReply(t, topic, okafor, "I [sometimes] use 2.5 mg.")
		other := a.Topic(t, board, okafor, "Another topic", "Not this one.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)

		b := a.Browser(t)
		b.SignIn(weber)
		page := b.Get(topicPath)
		quoteURL := fmt.Sprintf("%s?quote=%d#reply-heading", topicURLOf(t, page.Body, topic.ID), anon.ID)
		mustContain(t, page, `href="`+html.EscapeString(quoteURL)+`" class="quote-link" rel="nofollow">Quote</a>`)

		opening := openingPostOf(t, a, topic.ID)
		res := b.Get(fmt.Sprintf("%s?quote=%d", topicPath, opening))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, html.EscapeString("> What dose do you use?\n>\n> We see bleeding on 5 mg.\n>\n> — [Dr. Amara Okafor, post #1](/p/"+fmt.Sprint(opening)+")\n\n"))

		// An anonymous author stays anonymous in a quote.
		res = b.Get(fmt.Sprintf("%s?quote=%d", topicPath, anon.ID))
		mustContain(t, res, html.EscapeString("> I [sometimes] use 2.5 mg.\n>\n> — [Anonymous"))
		if body := textareaOf(res.Body); strings.Contains(body, "Okafor") {
			t.Fatalf("the quote of an anonymous post names its author:\n%s", body)
		}

		// A post of another topic, or none, quotes nothing.
		res = b.Get(fmt.Sprintf("%s?quote=%d", topicPath, openingPostOf(t, a, other.ID)))
		wantStatus(t, res, http.StatusOK)
		if body := textareaOf(res.Body); body != "" {
			t.Fatalf("a post of another topic was quoted: %q", body)
		}
		wantStatus(t, b.Get(topicPath+"?quote=junk"), http.StatusOK)
	})
}

// topicURLOf finds the topic's canonical address in its page.
func topicURLOf(t *testing.T, body string, id int64) string {
	t.Helper()
	prefix := fmt.Sprintf("/t/%d/", id)
	i := strings.Index(body, `href="`+prefix)
	if i < 0 {
		t.Fatalf("no link to %s in the page", prefix)
	}
	rest := body[i+len(`href="`):]
	return rest[:strings.IndexAny(rest, `"?#`)]
}

// textareaOf is the reply composer's text, unescaped.
func textareaOf(body string) string {
	i := strings.Index(body, `name="body"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	start := strings.Index(rest, ">") + 1
	end := strings.Index(rest, "</textarea>")
	return strings.TrimPrefix(html.UnescapeString(rest[start:end]), "\n")
}
