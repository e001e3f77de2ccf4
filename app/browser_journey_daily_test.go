package app_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/models"
)

// TestBrowserJourneyEveryDay walks the demo as a member using it day to
// day, in a real browser, and saves the README's pictures of it: Unread
// with its new posts and a topic opened at them, a draft that comes back
// with the mention suggestions open, the demo's answered topic with its
// poll voted in, a case's outcome, a consult, the email settings, an image
// being redacted in the composer, and Latest on a phone.
func TestBrowserJourneyEveryDay(t *testing.T) {
	browser := startChromium(t)
	s := newDemoSite(t, browser)
	dir := screenshots(t)
	ctx := t.Context()
	member := func(username string) *models.User {
		t.Helper()
		u, err := s.Store.UserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	sam, priya, reyes := member("samcohen"), member("priya_pharmd"), member("dreyes")
	s.pick(t, "samcohen")

	// Sam read the push-dose topic to its end; two replies come after.
	pressors := demoTopic(t, s.App, "Push-dose pressors")
	first := pressors.PostCount + 1
	if err := s.Store.RecordReadPositions(ctx, []models.ReadPosition{
		{UserID: sam.ID, TopicID: pressors.ID, Number: pressors.PostCount, At: s.Store.Now()}}); err != nil {
		t.Fatal(err)
	}
	s.Reply(t, &pressors, priya, "Update from our pharmacy: the prefilled **10 mcg/mL** syringes arrived this week, so nobody mixes at the bedside any more.")
	s.Reply(t, &pressors, reyes, "Same here since the spring. The syringes are labelled in mcg/mL, which ended the mix-ups with the 1 mg/mL vials.")
	s.open(t, "/unread")
	row := read(t, s, "read the unread list", chromedp.Evaluate[string](`document.querySelector('main .topic-list').textContent`))
	if !strings.Contains(row, "Push-dose pressors") || !strings.Contains(row, "2 new") {
		t.Fatalf("Unread lacks the topic with its 2 new posts:\n%s", row)
	}
	s.shot(t, dir, "unread")
	s.follow(t, "open the topic from Unread", chromedp.Click(chromedp.CSS(`main .topic-title`)))
	marker := read(t, s, "read the marker", chromedp.Evaluate[string](
		`(() => { const m = document.querySelector('.new-since'); return m ? m.textContent + ' ' + m.nextElementSibling.id : ''; })()`))
	if want := "New since your last visit post-" + strconv.Itoa(first); marker != want {
		t.Fatalf("the first new post is marked %q, want %q", marker, want)
	}
	s.do(t, "bring the marker into view", chromedp.Evaluate[chromedp.Void](
		`document.querySelector('.new-since').scrollIntoView({block: 'start'}); window.scrollBy(0, -160)`))
	s.shotScreen(t, dir, "new-since")

	// A reply saves itself as a draft; opened again, the page brings it
	// back, and @ with a name offers the members to mention.
	s.open(t, "/b/pharmacotherapy/new")
	s.do(t, "start writing a topic",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Vancomycin on CRRT: how do you dose it?"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "We load with 25 mg/kg and go by levels."))
	read(t, s, "wait for the draft to be saved", chromedp.Poll[bool](
		`(function () { var p = document.querySelector("[data-draft-status]");
			return !p.hidden && p.textContent.includes("Draft saved at"); })()`))
	s.open(t, "/b/pharmacotherapy/new")
	s.wantField(t, "#field-title", "Vancomycin on CRRT: how do you dose it?")
	s.wantField(t, "#field-body", "We load with 25 mg/kg and go by levels.")
	if status := read(t, s, "read the draft's status", chromedp.Evaluate[string](
		`(function () { var p = document.querySelector("[data-draft-status]"); return p.hidden ? "" : p.innerText; })()`)); !strings.Contains(status, "Draft saved at") {
		t.Fatalf("the restored draft's status reads %q", status)
	}
	s.do(t, "type a mention",
		chromedp.Evaluate[chromedp.Void](`(function () { var b = document.querySelector("#field-body");
			b.focus(); b.setSelectionRange(b.value.length, b.value.length); })()`),
		chromedp.SendKeys(chromedp.CSS("#field-body"), " What do you think, @Pri"))
	read(t, s, "wait for the suggestions", chromedp.Poll[bool](
		`(function () { var l = document.querySelector("[role=listbox]");
			return l && !l.hidden && l.textContent.includes("Priya Nair, PharmD"); })()`))
	s.shot(t, dir, "draft-mention")

	// The demo's apixaban question: its answer is marked, and voting in
	// its poll shows the results.
	s.open(t, topicPath(demoTopic(t, s.App, "Apixaban for AF in patients on hemodialysis")))
	by := read(t, s, "read the opening post's note", chromedp.Evaluate[string](`document.querySelector('.answered-by').innerText`))
	if !strings.Contains(by, "Answered by Priya Nair, PharmD") {
		t.Fatalf("under the opening post: %q", by)
	}
	if mark := read(t, s, "read the answer's mark", chromedp.Evaluate[string](`document.querySelector('#post-2 .answer-mark').innerText`)); !strings.Contains(mark, "Answer") {
		t.Fatalf("the answer's mark reads %q", mark)
	}
	// With nothing selected, the button that quotes a selection is not
	// shown.
	if shown := read(t, s, "look for the Quote selection button", chromedp.Evaluate[bool](
		`(function () { var b = document.querySelector('.quote-selection'); return !!b && b.getClientRects().length > 0; })()`)); shown {
		t.Fatal("the Quote selection button shows with nothing selected")
	}
	s.do(t, "choose 2.5 mg", chromedp.Click(chromedp.CSS(`.poll-form input[name="option"]`)))
	s.follow(t, "vote", chromedp.Click(chromedp.CSS(`.poll-form button`)))
	results := read(t, s, "read the results", chromedp.Evaluate[string](`document.querySelector('.poll-results').innerText`))
	if !strings.Contains(results, "Apixaban 2.5 mg twice daily (your choice)") || !strings.Contains(results, "5 votes, 55%") {
		t.Fatalf("the poll's results read:\n%s", results)
	}
	s.shot(t, dir, "answer-poll")

	// A case with what became of it.
	s.open(t, topicPath(demoTopic(t, s.App, "Case: woman in her 50s with recurrent syncope")))
	outcome := read(t, s, "read the outcome", chromedp.Evaluate[string](`document.querySelector('#case-outcome').innerText`))
	if !strings.Contains(outcome, "HV interval over 100 ms") {
		t.Fatalf("the case's outcome reads:\n%s", outcome)
	}
	s.do(t, "bring the outcome into view", chromedp.Evaluate[chromedp.Void](
		`document.querySelector('#case-outcome').scrollIntoView({block: 'start'}); window.scrollBy(0, -24)`))
	s.shotScreen(t, dir, "case-outcome")

	// Sam's consult with a pharmacist.
	s.open(t, "/consults")
	list := read(t, s, "read the consults", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if !strings.Contains(list, "Vancomycin on CRRT: loading and first level") || !strings.Contains(list, "With Priya Nair, PharmD") {
		t.Fatalf("the consults page says:\n%s", list)
	}
	s.shot(t, dir, "consults")
	s.follow(t, "open the consult", chromedp.Click(chromedp.CSS(`main a[href^="/consults/"]:not([href="/consults/new"])`)))
	messages := read(t, s, "read the messages", chromedp.Evaluate[string](`document.querySelector('.consult-messages').innerHTML`))
	if !strings.Contains(messages, "<strong>25 mg/kg of actual body weight</strong>") || strings.Count(messages, "Priya Nair, PharmD") == 0 {
		t.Fatalf("the consult's messages:\n%s", messages)
	}
	s.shot(t, dir, "consult")

	// Mentions go in the digest from now on.
	s.open(t, "/settings/digest")
	s.do(t, "choose mentions in the digest", chromedp.Click(chromedp.CSS(`input[name="email_mention"][value="digest"]`)))
	s.follow(t, "save the email choices", chromedp.Click(chromedp.CSS(`form[action="/settings/email"] button.primary`)))
	if saved := read(t, s, "read the choices", chromedp.Evaluate[string](`(function () {
		var h = document.querySelector('#email'); h.scrollIntoView({block: 'start'});
		var n = document.querySelector('.notice'); var c = document.querySelector('input[name="email_mention"]:checked');
		return (n ? n.innerText : '') + ' ' + (c ? c.value : ''); })()`)); saved != "Saved. digest" {
		t.Fatalf("after saving, the email section reads %q", saved)
	}
	s.shotScreen(t, dir, "email-settings")

	// A photo in the composer: the face is blurred on upload, and a box
	// drawn with the mouse is blacked out.
	s.open(t, "/b/emergency-medicine/new")
	s.do(t, "write the topic",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Rash after amiodarone"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "Photo attached; blue-grey on the face."))
	s.chooseImage(t, "IMG_0042.jpg", photoWithMetadata(t))
	s.drawBox(t, [2]float64{0.55, 0.75}, [2]float64{0.95, 0.92})
	s.follow(t, "black out the box", chromedp.Click(chromedp.CSS(`button[name="redact"]`)))
	caption := read(t, s, "read the staged image", chromedp.Evaluate[string](`document.querySelector('.staged-image').innerText`))
	if !strings.Contains(caption, "A face was found and is blurred.") || !strings.Contains(caption, "1 box blacked out") {
		t.Fatalf("the staged image says:\n%s", caption)
	}
	s.wantField(t, "#field-title", "Rash after amiodarone")
	read(t, s, "wait for the redacted image", chromedp.Evaluate[bool](`new Promise(function(done){
		var i = document.querySelector('.staged-image img');
		i.scrollIntoView({block: 'center'});
		if (i.complete) { done(i.naturalWidth > 0); } else { i.addEventListener('load', function(){ done(true); }); }
	})`, chromedp.EvalAwaitPromise))
	s.shotScreen(t, dir, "image-redaction")

	// Latest on a phone: a one-line header over the list.
	s.onPhone(t)
	for _, path := range []string{"/unread", "/new", "/latest"} {
		s.open(t, path)
		s.wantFitsPhone(t, path)
	}
	s.wantText(t, "Apixaban for AF in patients on hemodialysis")
	s.shotScreen(t, dir, "phone-latest")
	s.wantQuiet(t)
}
