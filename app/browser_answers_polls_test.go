package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/models"
)

// TestBrowserMarkAnswer marks a reply as the answer by clicking in a real
// browser under the strict CSP, and follows the link to it.
func TestBrowserMarkAnswer(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	weber, err := s.Store.UserByUsername(t.Context(), "weber")
	if err != nil {
		t.Fatal(err)
	}
	topic := s.Topic(t, s.board, s.member, "Apixaban in dialysis", "What dose do you use?")
	s.Reply(t, topic, weber, "2.5 mg twice daily, with levels.")
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, path)

	s.follow(t, "mark the reply as the answer", chromedp.Click(chromedp.CSS(`#post-2 form.answer-form button`)))
	s.wantPath(t, path)
	mark := read(t, s, "read the reply's mark", chromedp.Evaluate[string](`document.querySelector('#post-2 .answer-mark').innerText`))
	if !strings.Contains(mark, "Answer") {
		t.Fatalf("the reply's mark reads %q, want it to say Answer", mark)
	}
	by := read(t, s, "read the opening post's note", chromedp.Evaluate[string](`document.querySelector('.answered-by').innerText`))
	if !strings.Contains(by, "Answered by Jonas Weber, RN") || !strings.Contains(by, "jump to answer") {
		t.Fatalf("under the opening post: %q", by)
	}
	s.follow(t, "jump to the answer", chromedp.Click(chromedp.CSS(`.answered-by a[href^="/p/"]`)))
	loc := read(t, s, "read the location", chromedp.Location())
	if !strings.HasSuffix(loc, path+"#post-2") {
		t.Fatalf("the jump went to %s, want %s#post-2", loc, path)
	}
	s.open(t, "/b/cardiology")
	list := read(t, s, "read the board", chromedp.Evaluate[string](`document.querySelector('.topic-list').innerText`))
	if !strings.Contains(strings.ToLower(list), "answered") {
		t.Fatalf("the board's list does not say the topic is answered:\n%s", list)
	}
	s.wantQuiet(t)
}

// TestBrowserCaseOutcome posts a case's outcome from the case's page.
func TestBrowserCaseOutcome(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	topic, _, err := s.Store.CreateTopic(t.Context(), models.NewTopic{BoardID: s.board.ID, AuthorID: s.member.ID,
		Kind: models.KindCase, Title: "Syncope in a marathon runner",
		Case: &models.CaseSummary{AgeBand: "30-39", Sex: "female", Presentation: "Collapsed at mile 20.",
			Question: "Workup?", AttestedByID: s.member.ID},
		PostContent: models.PostContent{Source: "Collapsed at mile 20.", Cooked: "<p>Collapsed at mile 20.</p>", Plain: "Collapsed at mile 20."}})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	s.signInAt(t, path)
	s.follow(t, "open the outcome form", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#case-outcome a[href="/t/%d/outcome/edit"]`, topic.ID))))
	s.do(t, "write the outcome", chromedp.SendKeys(chromedp.CSS("#field-body"), "Long QT type 1 on genetics; ICD placed."))
	s.follow(t, "post the outcome", chromedp.Click(chromedp.CSS(`form.outcome-form button.primary`)))
	s.wantPath(t, path)
	card := read(t, s, "read the outcome", chromedp.Evaluate[string](`document.querySelector('#case-outcome').innerText`))
	if !strings.Contains(card, "Long QT type 1 on genetics") || !strings.Contains(card, "Edit the outcome") {
		t.Fatalf("the outcome card reads:\n%s", card)
	}
	s.wantQuiet(t)
}

// TestBrowserPoll asks for a poll from the composer, writes it, and votes
// in it, without any script.
func TestBrowserPoll(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	s.signInAt(t, "/b/cardiology/new")
	s.do(t, "write a topic and ask for a poll",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Apixaban dose in dialysis"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "What dose do you use?"),
		chromedp.Click(chromedp.CSS(`input[name="add_poll"]`)))
	s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	loc := read(t, s, "read the location", chromedp.Location())
	if !strings.HasSuffix(loc, "/poll") {
		t.Fatalf("after posting with a poll the browser is on %s, want the poll form", loc)
	}
	s.do(t, "write the poll",
		chromedp.SendKeys(chromedp.CSS("#field-question"), "What would you give?"),
		chromedp.SendKeys(chromedp.CSS("#poll-option-0"), "2.5 mg twice daily"),
		chromedp.SendKeys(chromedp.CSS("#poll-option-1"), "5 mg twice daily"))
	s.follow(t, "add the poll", chromedp.Click(chromedp.CSS(`form.poll-new button.primary`)))
	before := read(t, s, "read the poll", chromedp.Evaluate[string](`document.querySelector('.poll').innerText`))
	if !strings.Contains(before, "What would you give?") || !strings.Contains(before, "Results show once you vote") {
		t.Fatalf("the poll before voting reads:\n%s", before)
	}
	s.do(t, "choose an option", chromedp.Click(chromedp.CSS(`.poll-form input[name="option"]`)))
	s.follow(t, "vote", chromedp.Click(chromedp.CSS(`.poll-form button`)))
	after := read(t, s, "read the results", chromedp.Evaluate[string](`document.querySelector('.poll-results').innerText`))
	if !strings.Contains(after, "2.5 mg twice daily (your choice)") || !strings.Contains(after, "1 vote, 100%") {
		t.Fatalf("the results read:\n%s", after)
	}
	s.wantQuiet(t)
}
