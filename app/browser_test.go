package app_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rounds/app/apptest"
	"rounds/models"
)

// These tests drive a real Chromium against a real server on 127.0.0.1: the
// composer's script, the strict Content-Security-Policy and the focus styles
// only exist in a browser.

// browserTimeout bounds every step in the browser, so that a stuck browser
// fails the test instead of hanging it.
const browserTimeout = 30 * time.Second

func TestBrowser(t *testing.T) {
	browser := startChromium(t)

	t.Run("preview renders markdown through the script under the CSP", func(t *testing.T) {
		s := newSite(t, browser)
		composer := "/b/cardiology/new"
		s.signInAt(t, composer)
		body := "**bold** and a table\n\n| Drug | Dose |\n|---|---|\n| amiodarone | 150 mg |\n\n" +
			"<script>document.title = 'injected'</script>"
		// A full page load would clear this; the preview must not cause one.
		s.do(t, "mark the document", chromedp.Evaluate[chromedp.Void](`window.roundsSameDocument = true`))
		s.do(t, "type the topic",
			chromedp.SendKeys(chromedp.CSS("#field-title"), "Refractory VT in a young athlete"),
			chromedp.SendKeys(chromedp.CSS("#field-body"), body),
			chromedp.Click(chromedp.CSS("[data-preview-button]")),
			// The script fills the preview before it shows it.
			chromedp.WaitVisible(chromedp.CSS("[data-preview]")))

		preview := read(t, s, "read the preview", chromedp.InnerHTML(chromedp.CSS("[data-preview-body]")))
		for _, want := range []string{"<strong>bold</strong>", "<table>", "<td>amiodarone</td>"} {
			if !strings.Contains(preview, want) {
				t.Fatalf("the preview lacks %s:\n%s\nbrowser problems: %v", want, preview, s.log.problems())
			}
		}
		if n := read(t, s, "count scripts", chromedp.Evaluate[int](
			`document.querySelectorAll("[data-preview-body] script").length`)); n != 0 {
			t.Fatalf("the preview holds %d script elements:\n%s", n, preview)
		}
		if title := read(t, s, "read the title", chromedp.Title()); strings.Contains(title, "injected") {
			t.Fatalf("a script from the post ran: the document title is %q", title)
		}
		if !read(t, s, "check the document", chromedp.Evaluate[bool](`window.roundsSameDocument === true`)) {
			t.Fatal("the preview reloaded the page; it should have been fetched by the script")
		}
		s.wantPath(t, composer)
		if !s.log.sent("POST", "/preview", true) {
			t.Fatalf("no POST /preview with an X-CSRF-Token header; requests: %v", s.log.requestList())
		}
		if s.log.sent("POST", composer, false) {
			t.Fatal("the Preview button submitted the form although the script handles it")
		}

		// The preview follows the text while the member keeps typing.
		s.do(t, "type more", chromedp.SendKeys(chromedp.CSS("#field-body"), "\n\nThen *more*."))
		read(t, s, "wait for the preview to follow", chromedp.Poll[bool](
			`document.querySelector("[data-preview-body]").innerHTML.includes("<em>more</em>")`))

		// An identifier typed in the title is flagged in the preview at
		// once, before anything is posted.
		s.do(t, "type a record number into the title", chromedp.SendKeys(chromedp.CSS("#field-title"), " MRN 00482913"))
		read(t, s, "wait for the identifier check", chromedp.Poll[bool](
			`(function () { var p = document.querySelector("[data-preview-body] .phi-check.blocking");
				return !!p && p.textContent.includes("Medical record number") && p.querySelector("mark").textContent === "00482913"; })()`))

		s.wantNoTopics(t)
		s.wantQuiet(t)
	})

	t.Run("preview without JavaScript is rendered by the server", func(t *testing.T) {
		s := newSite(t, browser)
		composer := "/b/cardiology/new"
		s.signInAt(t, composer)
		s.do(t, "turn JavaScript off and reload",
			chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
				_, err := cdp.Call(ctx, tgt, emulation.SetScriptExecutionDisabled,
					emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}),
			chromedp.Navigate(s.url(composer)))
		title, body := "Heparin nomogram in obesity", "Dose on **adjusted** weight?"
		s.do(t, "type the topic",
			chromedp.SendKeys(chromedp.CSS("#field-title"), title),
			chromedp.SendKeys(chromedp.CSS("#field-body"), body))
		res := s.follow(t, "ask for a preview", chromedp.Click(chromedp.CSS("[data-preview-button]")))
		if res.Status != 200 {
			t.Fatalf("the preview came back with status %d", res.Status)
		}
		s.wantPath(t, composer)
		s.do(t, "wait for the preview", chromedp.WaitVisible(chromedp.CSS("[data-preview]")))
		preview := read(t, s, "read the preview", chromedp.InnerHTML(chromedp.CSS("[data-preview-body]")))
		if !strings.Contains(preview, "<strong>adjusted</strong>") {
			t.Fatalf("the server's preview lacks the bold text:\n%s", preview)
		}
		s.wantField(t, "#field-title", title)
		s.wantField(t, "#field-body", body)
		if s.log.sent("POST", "/preview", false) {
			t.Fatal("the script fetched a preview although JavaScript was off")
		}
		s.wantNoTopics(t)
	})

	t.Run("posting a topic opens its page", func(t *testing.T) {
		s := newSite(t, browser)
		s.signInAt(t, "/b/cardiology/new")
		title := "Amiodarone loading in renal failure"
		s.do(t, "type the topic",
			chromedp.SendKeys(chromedp.CSS("#field-title"), title),
			chromedp.SendKeys(chromedp.CSS("#field-tags"), "amiodarone, renal"),
			chromedp.SendKeys(chromedp.CSS("#field-body"), "Do you adjust the **load**?\n\n- eGFR under 30\n- dialysis"))
		res := s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`.composer button.primary[type="submit"]`)))
		if res.Status != 200 {
			t.Fatalf("the topic page came back with status %d", res.Status)
		}
		if u, err := url.Parse(res.URL); err != nil || !regexp.MustCompile(`^/t/\d+/`).MatchString(u.Path) {
			t.Fatalf("posting landed on %s, want a topic page", res.URL)
		}
		if h1 := read(t, s, "read the heading", chromedp.Text(chromedp.CSS("h1"))); h1 != title {
			t.Fatalf("the topic page is headed %q, want %q", h1, title)
		}
		post := read(t, s, "read the post", chromedp.InnerHTML(chromedp.CSS(".post-body")))
		for _, want := range []string{"<strong>load</strong>", "<li>dialysis</li>"} {
			if !strings.Contains(post, want) {
				t.Fatalf("the post lacks %s:\n%s", want, post)
			}
		}
		s.do(t, "find the tag links", chromedp.WaitReady(chromedp.CSS(`a.tag[href="/tags/renal"]`)))
		topics := s.topics(t)
		if len(topics) != 1 || topics[0].Title != title {
			t.Fatalf("the store holds %+v, want the one new topic", topics)
		}
		s.wantQuiet(t)
	})

	t.Run("a refused topic keeps what was typed", func(t *testing.T) {
		s := newSite(t, browser)
		composer := "/b/cardiology/new"
		s.signInAt(t, composer)
		// Markup, entities and quotes must come back exactly, not escaped
		// twice or eaten by the template.
		body := "Ablation or ICD first in a 19-year-old with **refractory** VT?\n\n" +
			"| Drug | Dose |\n|---|---|\n| amiodarone | 150 mg <b>&amp;</b> \"load\" & 'repeat' |\n\n" +
			"<script>alert(1)</script> Thoughts welcome."
		s.do(t, "type the topic",
			chromedp.SendKeys(chromedp.CSS("#field-title"), "VT?"),
			chromedp.SendKeys(chromedp.CSS("#field-body"), body))
		res := s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`.composer button.primary[type="submit"]`)))
		if res.Status != 422 {
			t.Fatalf("a three-letter title came back with status %d, want 422", res.Status)
		}
		s.wantPath(t, composer)
		s.do(t, "find the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
		summary := read(t, s, "read the error summary", chromedp.Text(chromedp.CSS(".error-summary")))
		if !strings.Contains(summary, "at least 5 characters") {
			t.Fatalf("the error summary says %q", summary)
		}
		// Focus moves to the summary so that a screen reader reads it first.
		if !read(t, s, "check the focus", chromedp.Evaluate[bool](`document.activeElement.matches(".error-summary")`)) {
			t.Fatalf("focus is on %s, not on the error summary", s.activeElement(t))
		}
		s.wantField(t, "#field-title", "VT?")
		s.wantField(t, "#field-body", body)
		if got := read(t, s, "read aria-invalid", chromedp.AttributeValue(chromedp.CSS("#field-title"), "aria-invalid")); got.Value != "true" {
			t.Fatalf("the title field is not marked invalid: %+v", got)
		}
		s.wantNoTopics(t)
		// Chromium logs the 422 of the refused form as a failed load.
		s.wantQuiet(t, "responded with a status of 422")
	})

	t.Run("pages log no errors or CSP violations", func(t *testing.T) {
		s := newSite(t, browser)
		okafor := s.member
		topic := s.Topic(t, s.board, okafor, "Refractory VT in a young athlete",
			"**Ablation** or ICD first?\n\n| Drug | Dose |\n|---|---|\n| amiodarone | 150 mg |",
			"arrhythmia")
		s.Reply(t, topic, okafor, "ICD first; ablation once stable.")
		topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
		check := func(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			s.do(t, what, steps...)
			s.wantQuiet(t)
		}
		for _, page := range []struct{ name, path string }{
			{"landing", "/"},
			{"sign-in", "/sign-in"},
		} {
			t.Run(page.name+" as a guest", func(t *testing.T) {
				s.open(t, page.path)
				s.wantQuiet(t)
			})
		}
		s.signInAt(t, "/b/cardiology")
		for _, page := range []struct{ name, path string }{
			{"board index", "/"},
			{"board", "/b/cardiology"},
			{"topic", topicPath},
			{"tag", "/tags/arrhythmia"},
		} {
			t.Run(page.name+" as a member", func(t *testing.T) {
				s.open(t, page.path)
				s.wantQuiet(t)
			})
		}
		t.Run("composer with a live preview", func(t *testing.T) {
			s.open(t, "/b/cardiology/new")
			check(t, "preview a post",
				chromedp.SendKeys(chromedp.CSS("#field-body"), "**bold**"),
				chromedp.Click(chromedp.CSS("[data-preview-button]")),
				chromedp.WaitVisible(chromedp.CSS("[data-preview]")))
		})
		t.Run("topic with the reply composer", func(t *testing.T) {
			s.open(t, topicPath)
			check(t, "preview a reply",
				chromedp.SendKeys(chromedp.CSS("#field-body"), "*agree*"),
				chromedp.Click(chromedp.CSS("[data-preview-button]")),
				chromedp.WaitVisible(chromedp.CSS("[data-preview]")))
		})

		// The check above is worth something only if a violation would be
		// seen: an inline script must be refused, and the refusal logged.
		t.Run("an inline script is refused and reported", func(t *testing.T) {
			ran := read(t, s, "inject an inline script", chromedp.Evaluate[bool](`(() => {
				const script = document.createElement("script");
				script.textContent = "window.roundsInlineRan = true";
				document.body.appendChild(script);
				return window.roundsInlineRan === true;
			})()`))
			if ran {
				t.Fatal("an inline script ran: the Content-Security-Policy does not hold")
			}
			deadline := time.Now().Add(browserTimeout)
			for !slices.ContainsFunc(s.log.problems(), func(p string) bool { return strings.Contains(p, "Content Security Policy") }) {
				if time.Now().After(deadline) {
					t.Fatalf("the refused inline script was not reported; the listener misses CSP violations (saw %v)", s.log.problems())
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	})

	t.Run("keyboard focus is visible", func(t *testing.T) {
		s := newSite(t, browser)
		s.signInAt(t, "/b/cardiology")
		s.open(t, "/")
		s.do(t, "give the page focus", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tgt, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
			return err
		}))
		// Tab from the top of the page into the content: the skip link comes
		// first, and every stop on the way shows where the focus is. The
		// bound only stops a page without the link from looping forever;
		// the header holds up to a dozen stops before the content.
		var stops []string
		for len(stops) < 24 {
			s.do(t, "press Tab", chromedp.KeyEvent(kb.Tab))
			f := read(t, s, "read the focused element", chromedp.Evaluate[focusState](focusScript))
			stops = append(stops, f.Text)
			if f.Tag != "A" && f.Tag != "BUTTON" && f.Tag != "INPUT" {
				t.Fatalf("Tab stop %d is a %s (%q), want a link, a button or the search box", len(stops), f.Tag, f.Text)
			}
			// Chromium's own focus ring is 1px; WCAG 2.2 asks for at least 2.
			width, err := strconv.ParseFloat(strings.TrimSuffix(f.OutlineWidth, "px"), 64)
			if f.OutlineStyle == "none" || err != nil || width < 2 || !f.FocusVisible {
				t.Fatalf("Tab stop %d (%s %q) has no clear focus: outline %s %s, :focus-visible %v",
					len(stops), f.Tag, f.Text, f.OutlineStyle, f.OutlineWidth, f.FocusVisible)
			}
			if len(stops) == 1 {
				if f.Text != "Skip to content" {
					t.Fatalf("the first Tab stop is %q, want the skip link", f.Text)
				}
				if f.Left < 0 {
					t.Fatalf("the focused skip link is off screen (left %.0fpx)", f.Left)
				}
			}
			if f.Href == "/b/cardiology" {
				return
			}
		}
		t.Fatalf("Tab never reached the board link; stops: %q", stops)
	})
}

// focusState is what a keyboard user sees of the focused element.
type focusState struct {
	Tag          string  `json:"tag"`
	Text         string  `json:"text"`
	Href         string  `json:"href"`
	OutlineStyle string  `json:"outlineStyle"`
	OutlineWidth string  `json:"outlineWidth"`
	FocusVisible bool    `json:"focusVisible"`
	Left         float64 `json:"left"`
}

const focusScript = `(() => {
	const el = document.activeElement;
	const style = getComputedStyle(el);
	return {
		tag: el.tagName,
		text: el.textContent.trim(),
		href: el.getAttribute("href") || "",
		outlineStyle: style.outlineStyle,
		outlineWidth: style.outlineWidth,
		focusVisible: el.matches(":focus-visible"),
		left: el.getBoundingClientRect().left,
	};
})()`

// startChromium returns the headless Chromium the browser tests share,
// starting it for the first; each site gets its own browser context, so no
// cookies leak between subtests or tests.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path, ok := chromiumPath()
	if !ok {
		// CI installs Chromium and must run these; on a newcomer's machine
		// without it the rest of the suite still gives a clear answer.
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed, and CI must run the browser tests: apt-get install -y chromium")
		}
		t.Skip("Chromium is not installed, so the browser tests are skipped: apt-get install -y chromium to run them")
	}
	chromium.mu.Lock()
	defer chromium.mu.Unlock()
	if chromium.browser == nil {
		browser, stop, err := launchChromium(path)
		if err != nil {
			t.Fatal(err)
		}
		chromium.browser, chromium.stop = browser, stop
	}
	return chromium.browser
}

// chromium is the one Chromium the browser tests share, started by the
// first of them and stopped by TestMain: starting one took 8 s of a 17 s
// test on a busy machine. Every site opens its tab in a browser context of
// its own (a private window with its own cookies and storage), so no test
// sees what another left in the browser.
var chromium struct {
	mu      sync.Mutex
	browser context.Context
	stop    func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.mu.Lock()
	if chromium.stop != nil {
		chromium.stop()
	}
	chromium.mu.Unlock()
	os.Exit(code)
}

// launchChromium starts Chromium with a profile directory of its own and
// returns it with the function that stops it and removes the directory.
func launchChromium(path string) (context.Context, func(), error) {
	profile, err := os.MkdirTemp("", "rounds-chromium-")
	if err != nil {
		return nil, nil, fmt.Errorf("Chromium's profile directory: %w", err)
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // the tests run as root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		if err := os.RemoveAll(profile); err != nil {
			fmt.Fprintf(os.Stderr, "remove Chromium's profile: %v\n", err)
		}
	}
	// Chromedp ties the browser's life to the context of its first action,
	// so it cannot carry a deadline; a timer stands in for one.
	if err := answerWithin(func() error { return chromedp.Do(browser) }); err != nil {
		stop()
		return nil, nil, fmt.Errorf("start Chromium (%s): %w", path, err)
	}
	return browser, stop, nil
}

func chromiumPath() (string, bool) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, true
		}
	}
	return "", false
}

// within runs the first action of a browser or a tab. Chromedp ties their
// lives to the context of that call, so it cannot carry a deadline; a timer
// stands in for one.
func within(t *testing.T, what string, start func() error) {
	t.Helper()
	if err := answerWithin(start); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// answerWithin is start's error, or one saying it gave no answer within
// browserTimeout.
func answerWithin(start func() error) error {
	done := make(chan error, 1)
	go func() { done <- start() }()
	select {
	case err := <-done:
		return err
	case <-time.After(browserTimeout):
		return fmt.Errorf("no answer within %v", browserTimeout)
	}
}

// site is a Rounds server on 127.0.0.1 with a member and a board, and a
// browser tab of its own that records what goes wrong in the page.
type site struct {
	*apptest.App
	base string
	tab  context.Context
	log  *pageLog
	// checked counts the problems that wantQuiet has seen.
	checked int
	member  *models.User
	board   *models.Board
}

func newSite(t *testing.T, browser context.Context) *site {
	t.Helper()
	a := apptest.New(t, apptest.Options{Listen: true})
	s := &site{App: a, log: &pageLog{}}
	s.member = a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	// A second member, so that signing in means picking the right button.
	a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	s.board = a.Board(t, "cardiology", "Cardiology")
	s.base = a.Serve(t)

	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	within(t, "open a tab", func() error { return chromedp.Do(tab) })
	if err := chromedp.Listen(tab, s.log.record); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	s.tab = tab
	return s
}

func (s *site) url(path string) string { return s.base + path }

// do runs browser steps with a deadline.
func (s *site) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v\nbrowser problems: %v", what, err, s.log.problems())
	}
}

// read runs one browser action with a deadline and returns its value.
func read[T any](t *testing.T, s *site, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v\nbrowser problems: %v", what, err, s.log.problems())
	}
	return v
}

// follow runs steps that load a new page, such as a click on a submit
// button, waits for the page and returns its response.
func (s *site) follow(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v\nbrowser problems: %v", what, err, s.log.problems())
	}
	return res
}

// open loads a page and wants it served.
func (s *site) open(t *testing.T, path string) {
	t.Helper()
	res := read(t, s, "open "+path, chromedp.NavigateResponse(s.url(path)))
	if res.Status != 200 {
		t.Fatalf("GET %s: status %d", path, res.Status)
	}
}

// signInAt opens a members-only page as a guest, is sent to the demo
// sign-in page, clicks the demo member's button and comes back to the page.
func (s *site) signInAt(t *testing.T, path string) {
	t.Helper()
	s.do(t, "open "+path, chromedp.Navigate(s.url(path)))
	s.wantPath(t, "/sign-in")
	button := fmt.Sprintf(`form:has(input[name="username"][value=%q]) button.member-button`, s.member.Username)
	res := s.follow(t, "sign in as "+s.member.Username, chromedp.Click(chromedp.CSS(button)))
	if res.Status != 200 {
		t.Fatalf("after signing in, %s came back with status %d", res.URL, res.Status)
	}
	s.wantPath(t, path)
}

func (s *site) wantPath(t *testing.T, path string) {
	t.Helper()
	loc := read(t, s, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil || u.Path != path {
		t.Fatalf("the browser is on %s, want %s", loc, path)
	}
}

// wantField wants a form field to hold exactly the text.
func (s *site) wantField(t *testing.T, sel, want string) {
	t.Helper()
	if got := read(t, s, "read "+sel, chromedp.Value(chromedp.CSS(sel))); got != want {
		t.Fatalf("%s holds %q, want %q", sel, got, want)
	}
}

func (s *site) activeElement(t *testing.T) string {
	t.Helper()
	return read(t, s, "describe the focus", chromedp.Evaluate[string](
		`document.activeElement.outerHTML.slice(0, 120)`))
}

func (s *site) topics(t *testing.T) []models.TopicSummary {
	t.Helper()
	topics, _, err := s.Store.TopicsInBoard(context.Background(), s.board.ID, models.TopicPage{Limit: 10})
	if err != nil {
		t.Fatalf("list topics: %v", err)
	}
	return topics
}

func (s *site) wantNoTopics(t *testing.T) {
	t.Helper()
	if topics := s.topics(t); len(topics) != 0 {
		t.Fatalf("the store holds %d topics, want none: %+v", len(topics), topics)
	}
}

// wantQuiet wants no script error, console error or CSP violation since the
// last check, other than those that contain one of the expected texts.
func (s *site) wantQuiet(t *testing.T, expected ...string) {
	t.Helper()
	// A round trip to the tab: the events that came before its answer have
	// been recorded by the time it returns.
	read(t, s, "sync with the tab", chromedp.Evaluate[int](`1`))
	all := s.log.problems()
	p := slices.DeleteFunc(all[s.checked:], func(p string) bool {
		return slices.ContainsFunc(expected, func(e string) bool { return strings.Contains(p, e) })
	})
	s.checked = len(all)
	if len(p) > 0 {
		t.Fatalf("the browser reported %d problems:\n%s", len(p), strings.Join(p, "\n"))
	}
}

// pageLog records, from the browser's events, what went wrong in a tab and
// which requests it sent.
type pageLog struct {
	mu       sync.Mutex
	trouble  []string
	requests []request
}

type request struct {
	method, host, path string
	csrfHeader         bool
}

// record runs in the tab's event loop: it must return fast and run no
// browser command.
func (l *pageLog) record(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		l.trouble = append(l.trouble, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			if a.Description != "" {
				args = append(args, a.Description)
			} else {
				args = append(args, string(a.Value))
			}
		}
		l.trouble = append(l.trouble, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
	case *log.EventEntryAdded:
		e := ev.Entry
		// CSP violations arrive as errors with the source "security".
		if e.Level == log.EntryLevelError || e.Source == log.EntrySourceSecurity {
			l.trouble = append(l.trouble, fmt.Sprintf("browser %s (%s) at %s: %s", e.Level, e.Source, e.URL, e.Text))
		}
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil {
			return
		}
		r := request{method: ev.Request.Method, host: u.Host, path: u.Path}
		for name := range ev.Request.Headers {
			if strings.EqualFold(name, "X-CSRF-Token") {
				r.csrfHeader = true
			}
		}
		l.requests = append(l.requests, r)
	}
}

func (l *pageLog) problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.trouble)
}

// sent reports whether the tab sent the request, with the CSRF header when
// asked for.
func (l *pageLog) sent(method, path string, withCSRFHeader bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.requests, func(r request) bool {
		return r.method == method && r.path == path && (r.csrfHeader || !withCSRFHeader)
	})
}

// hosts lists the hosts the tab sent requests to.
func (l *pageLog) hosts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var list []string
	for _, r := range l.requests {
		if !slices.Contains(list, r.host) {
			list = append(list, r.host)
		}
	}
	return list
}

func (l *pageLog) requestList() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var list []string
	for _, r := range l.requests {
		list = append(list, r.method+" "+r.path)
	}
	return list
}
