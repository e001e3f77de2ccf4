package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"rounds/app/apptest"
	"rounds/app/imageproxy"
	"rounds/app/notify"
	"rounds/models"
)

// phoneWidth is the width of a common phone's screen in CSS pixels.
const phoneWidth = 375

// maxHeaderHeight is the most of a phone's screen the header may take.
const maxHeaderHeight = 64

// notPages are the GET routes that answer with no page of the site's
// layout, and why.
var notPages = map[string]string{
	"GET /static/*":                         "stylesheets, scripts and icons",
	"GET /healthz":                          "a health check for load balancers",
	"GET /readyz":                           "a health check for load balancers",
	"GET /img/:signature/:address":          "an image through the proxy",
	"GET /feeds/:token/b/:slug.atom":        "an Atom feed",
	"GET /feeds/:token/b/:slug/podcast.rss": "an RSS feed",
	"GET /auth/:provider/callback":          "a sign-in provider's redirect back, which needs the provider's state",
	"GET /oidc/*":                           "the demo's identity provider",
	"GET /admin/outbox/:name/html":          "a message's own HTML, shown in a frame of the Mail page",
	"GET /settings/digest/preview/email":    "the digest's own HTML, shown in a frame of the preview page",
	"GET /b/:slug/mentions":                 "the composer's @mention suggestions, in JSON",
	"GET /media/:name/:size":                "a post's image, served with its post's permission",
	"GET /uploads/:ticket":                  "a staged upload's preview image, for its uploader",
}

// TestBrowserPhone opens every page of the site, as every kind of visitor
// who can reach it, on a phone's screen: nothing is wider than the screen
// (which would make the browser zoom out or scroll sideways), and the
// header takes at most a line.
func TestBrowserPhone(t *testing.T) {
	browser := startChromium(t)
	a := apptest.New(t, apptest.Options{Listen: true})
	base := a.Serve(t)
	ctx := t.Context()

	// Who visits: the author of most things, a member, a moderator, an
	// administrator and an applicant, each with long names that a narrow
	// header must still hold.
	reyes := a.VerifiedMember(t, "reyes", "Dr. Ana Reyes-Villanueva", "Paediatric Nephrology")
	member := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	moderator := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
	admin := a.Admin(t, "okafor", "Dr. Amara Okafor-Whitfield", "Cardiac Electrophysiology")
	applicant := a.PendingMember(t, "rivera")
	application := &models.Verification{UserID: applicant.ID, FullName: "Sam Rivera", Profession: "physician",
		Specialty: "Emergency Medicine", Institution: "St. Mary's Hospital and Regional Trauma Centre",
		WorkEmail: "sam.rivera@stmary.example.org"}
	if err := a.Store.SubmitVerification(ctx, application); err != nil {
		t.Fatal(err)
	}

	// Content as clinicians write it: a wide table with long drug names,
	// a long address, a code block.
	board := a.Board(t, "cardiology", "Cardiology and Cardiac Electrophysiology")
	topic := a.Topic(t, board, reyes, "Amiodarone loading with a heparin infusion in renal failure: what do you hold?",
		"| Drug | Loading dose | Maintenance | Hold infusion when | Monitoring |\n|---|---|---|---|---|\n"+
			"| amiodarone | 150 mg over 10 minutes | 1 mg/min for 6 hours, then 0.5 mg/min | QTc over 500 ms | ECG every 8 hours |\n"+
			"| unfractionated heparin | 80 units/kg | 18 units/kg/hour | aPTT over 100 seconds | aPTT every 6 hours |\n\n"+
			"See https://www.escardio.org/Guidelines/Clinical-Practice-Guidelines/Ventricular-Arrhythmias-and-the-Prevention-of-Sudden-Cardiac-Death\n\n"+
			"```\nsupercalifragilisticexpialidocious-infusion-protocol-version-twelve = true\n```",
		"arrhythmia", "anticoagulation")
	reported := a.Reply(t, topic, reyes, "Hold the heparin when the aPTT is over 100 seconds.")
	if _, err := a.Store.FlagPost(ctx, models.NewFlag{PostID: reported.ID, ReporterID: member.ID, Reason: "spam"}); err != nil {
		t.Fatal(err)
	}
	anonymous := a.AnonymousReply(t, topic, reyes, "Posted without my name: we hold it at 90 seconds.")
	group := a.Group(t, "Electrophysiology team", "", "", admin, reyes)
	feedToken, err := a.Store.CreateFeedToken(ctx, member.ID)
	if err != nil {
		t.Fatal(err)
	}
	unsubscribe, err := a.Store.CreateUnsubscribeToken(ctx, member.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A message on the Mail page: the applicant asks for a code.
	applying := a.Browser(t)
	applying.SignIn(applicant)
	wantStatus(t, applying.Submit("/verify", "/verify/email", nil), http.StatusOK)
	mail, err := a.Site.Mailer.Outbox(0)
	if err != nil || len(mail) == 0 {
		t.Fatalf("no message in the outbox: %v", err)
	}

	// Each verified visitor has a post of their own, edited once, and a
	// notification: a reply that mentions them.
	own := map[string]*models.Post{}
	// And a case of their own, whose outcome they edited once.
	cases := map[string]int64{}
	for _, u := range []*models.User{member, moderator, admin} {
		b := a.Browser(t)
		b.SignIn(u)
		caseTopic, _, err := a.Store.CreateTopic(t.Context(), models.NewTopic{BoardID: board.ID, AuthorID: u.ID,
			Kind: models.KindCase, Title: "Syncope in a runner", Case: &models.CaseSummary{AgeBand: "30-39", Sex: "female",
				Presentation: "Collapsed at mile 20.", Question: "Workup?", AttestedByID: u.ID},
			PostContent: models.PostContent{Source: "Collapsed.", Cooked: "<p>Collapsed.</p>", Plain: "Collapsed."}})
		if err != nil {
			t.Fatal(err)
		}
		for version, text := range []string{"Long QT on the repeat ECG.", "Long QT type 1 on genetics; an ICD was placed."} {
			if _, err := a.Store.SaveOutcome(t.Context(), models.OutcomeWrite{TopicID: caseTopic.ID, AuthorID: u.ID,
				BaseVersion: version, OutcomeOn: "2026-03-01",
				PostContent: models.PostContent{Source: text, Cooked: "<p>" + text + "</p>", Plain: text}}); err != nil {
				t.Fatal(err)
			}
		}
		cases[u.Username] = caseTopic.ID
		p := a.Reply(t, topic, u, "First thoughts on the loading dose.")
		edit := fmt.Sprintf("/p/%d/edit", p.ID)
		wantStatus(t, b.Submit(edit, edit, url.Values{"body": {"Second thoughts on the loading dose, with a word more."},
			"version": {"1"}}), http.StatusSeeOther)
		own[u.Username] = p
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		by := a.Browser(t)
		by.SignIn(reyes)
		wantStatus(t, by.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Thank you @" + u.Username + "."}}), http.StatusSeeOther)
	}

	// A consult of reyes with the member, the moderator and the
	// administrator, and reyes's message in it, which the member reported.
	consult := a.Consult(t, reyes, "Amiodarone loading in renal failure: a private question for the electrophysiology team",
		"What do you hold?", member, moderator, admin)
	consultMessages, err := a.Store.ConsultMessages(ctx, consult.ID)
	if err != nil {
		t.Fatal(err)
	}
	consultMessage := consultMessages[0].ID
	if err := a.Store.ReportConsultMessage(ctx, consultMessage, member.ID, models.FlagSpam, ""); err != nil {
		t.Fatal(err)
	}

	visitors := []struct {
		role string
		user *models.User
	}{
		{"guest", nil},
		{"pending", applicant},
		{"member", member},
		{"moderator", moderator},
		{"admin", admin},
	}
	for _, v := range visitors {
		t.Run(v.role, func(t *testing.T) {
			s := &site{App: a, base: base, log: &pageLog{}}
			s.tab = s.newTab(t, browser)
			s.onPhone(t)
			if v.user != nil {
				s.signInByCookie(t, v.user)
			}
			var notification string
			if v.user != nil && v.user.IsVerified() {
				b := a.Browser(t)
				b.SignIn(v.user)
				if notification = unreadNotification(b.Get("/notifications").Body); notification == "" {
					t.Fatalf("%s has no unread notification", v.user.Username)
				}
			}
			ownPost := topic.ID
			if v.user != nil && own[v.user.Username] != nil {
				ownPost = own[v.user.Username].ID
			}
			ownCase := topic.ID
			if v.user != nil && cases[v.user.Username] != 0 {
				ownCase = cases[v.user.Username]
			}
			ids := strings.NewReplacer(
				// Members post and edit the outcome of their own case.
				"/t/:id<int>/outcome", fmt.Sprintf("/t/%d/outcome", ownCase),
				"/t/:id<int>/:slug", fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug),
				"/t/:id<int>", fmt.Sprintf("/t/%d", topic.ID),
				// Members report others' posts; edit, delete and read the
				// history of their own.
				"/p/:id<int>/flag", fmt.Sprintf("/p/%d/flag", reported.ID),
				"/p/:id<int>", fmt.Sprintf("/p/%d", ownPost),
				"/mod/review/:id<int>", fmt.Sprintf("/mod/review/%d", reported.ID),
				"/mod/posts/:id<int>", fmt.Sprintf("/mod/posts/%d", anonymous.ID),
				"/mod/topics/:id<int>", fmt.Sprintf("/mod/topics/%d", topic.ID),
				"/mod/verifications/:id<int>", fmt.Sprintf("/mod/verifications/%d", application.ID),
				"/admin/boards/:id<int>", fmt.Sprintf("/admin/boards/%d", board.ID),
				"/admin/groups/:id<int>", fmt.Sprintf("/admin/groups/%d", group.ID),
				"/admin/members/:id<int>", fmt.Sprintf("/admin/members/%d", reyes.ID),
				"/mod/consult-messages/:id<int>", fmt.Sprintf("/mod/consult-messages/%d", consultMessage),
				"/consult-messages/:id<int>", fmt.Sprintf("/consult-messages/%d", consultMessage),
				"/consults/:id<int>", fmt.Sprintf("/consults/%d", consult.ID),
				"/u/:username", "/u/"+reyes.Username,
				"/notifications/:id<int>", "/notifications/"+notification,
				"/unsubscribe/email/:token", notify.UnsubscribePath+a.Site.Unsubscribes.Token(reyes.ID, models.EmailKinds),
				"/unsubscribe/:token", "/unsubscribe/"+unsubscribe,
				"/feeds/:token", "/feeds/"+feedToken,
				"/admin/outbox/:name", "/admin/outbox/"+mail[0].Name,
				"/img/:signature/:address", imageproxy.NewSigner(a.Config.Secret).URL("http://127.0.0.1/ecg.png"),
				":slug", board.Slug, ":tag", "arrhythmia",
			)
			var keys []string
			for key, needs := range routeAccess {
				method, _, _ := strings.Cut(key, " ")
				if _, skip := notPages[key]; method != http.MethodGet || skip || !allowed(needs, v.role) {
					continue
				}
				keys = append(keys, key)
			}
			sort.Strings(keys)
			if len(keys) == 0 {
				t.Fatal("no pages to visit")
			}
			for _, key := range keys {
				_, pattern, _ := strings.Cut(key, " ")
				path := ids.Replace(pattern)
				if strings.ContainsAny(path, ":<") {
					t.Fatalf("no address for %s: %s", key, path)
				}
				res := read(t, s, "open "+path, chromedp.NavigateResponse(s.url(path)))
				if res.Status >= 400 {
					t.Errorf("%s: GET %s: status %d", v.role, path, res.Status)
					continue
				}
				s.wantFitsPhone(t, v.role+" on "+path)
			}
			s.wantQuiet(t)
		})
	}

	t.Run("a table in a post scrolls sideways with its words whole", func(t *testing.T) {
		s := &site{App: a, base: base, log: &pageLog{}}
		s.tab = s.newTab(t, browser)
		s.onPhone(t)
		s.signInByCookie(t, member)
		s.open(t, fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug))
		s.wantFitsPhone(t, "the topic with a wide table")
		if broken := read(t, s, "look for broken words", chromedp.Evaluate[[]string](wordsBrokenInCells)); len(broken) > 0 {
			t.Fatalf("the table breaks words across lines: %q", broken)
		}
		scrolls := read(t, s, "measure the table", chromedp.Evaluate[bool](
			`(() => { const t = document.querySelector(".post-body table"); return t.scrollWidth > t.clientWidth && getComputedStyle(t).overflowX === "auto"; })()`))
		if !scrolls {
			t.Fatal("the wide table does not scroll sideways in its post")
		}
		s.shotScreen(t, screenshots(t), "phone-topic")
	})

	t.Run("the menu opens without JavaScript", func(t *testing.T) {
		s := &site{App: a, base: base, log: &pageLog{}}
		s.tab = s.newTab(t, browser)
		s.onPhone(t)
		s.do(t, "turn JavaScript off", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tgt, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		s.signInByCookie(t, admin)
		s.open(t, "/b/cardiology")
		if read(t, s, "see the audit link", chromedp.Evaluate[bool](visible(`a[href="/admin/audit"]`))) {
			t.Fatal("the menu's links show before the menu is opened")
		}
		s.do(t, "open the menu", chromedp.Click(chromedp.CSS(".site-menu > summary")))
		for _, sel := range []string{`a[href="/admin/audit"]`, `a[href="/mod/review"]`, `#site-search-q`, `form[action="/sign-out"] button`} {
			if !read(t, s, "see "+sel, chromedp.Evaluate[bool](visible(sel))) {
				t.Fatalf("the open menu does not show %s", sel)
			}
		}
		s.wantFitsPhone(t, "the board with the menu open")
		s.shotScreen(t, screenshots(t), "phone-menu")
		if h := read(t, s, "measure the header", chromedp.Evaluate[float64](
			`document.querySelector(".site-header").getBoundingClientRect().height`)); h > maxHeaderHeight {
			t.Fatalf("the header with its menu open is %.0fpx tall; the menu should drop over the page", h)
		}
		s.follow(t, "follow a link in the menu", chromedp.Click(chromedp.CSS(`.site-menu a[href="/admin/audit"]`)))
		s.wantPath(t, "/admin/audit")
	})

	t.Run("on a wide screen the header shows its links", func(t *testing.T) {
		s := &site{App: a, base: base, log: &pageLog{}}
		s.tab = s.newTab(t, browser)
		s.signInByCookie(t, moderator)
		s.open(t, "/b/cardiology")
		if read(t, s, "see the menu button", chromedp.Evaluate[bool](visible(`.site-menu > summary`))) {
			t.Fatal("a wide screen shows the Menu button")
		}
		s.open(t, fmt.Sprintf("/p/%d/history", own[moderator.Username].ID))
		s.wantText(t, "word more")
		s.shot(t, screenshots(t), "history")
		for _, sel := range []string{`a[href="/podcasts"]`, `a[href="/mod/review"]`, `#site-search-q`, `a.notifications-link`, `form[action="/sign-out"] button`} {
			if !read(t, s, "see "+sel, chromedp.Evaluate[bool](visible(sel))) {
				t.Fatalf("the header on a wide screen does not show %s", sel)
			}
		}
		s.wantQuiet(t)
	})
}

// visible is a script that says whether the element is drawn with a size.
func visible(sel string) string {
	return fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true}); })()`, sel)
}

// pageFit is how a page sits on the screen.
type pageFit struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Header      float64  `json:"header"`
	Wide        []string `json:"wide"`
}

// wantFitsPhone wants the page no wider than the screen and its header
// no taller than a line; when it is too wide, it names what sticks out.
func (s *site) wantFitsPhone(t *testing.T, what string) {
	t.Helper()
	fit := read(t, s, "measure "+what, chromedp.Evaluate[pageFit](`(() => {
		const root = document.documentElement;
		const header = document.querySelector(".site-header");
		const wide = [];
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right > root.clientWidth + 0.5 && wide.length < 5) {
				wide.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " right " + Math.round(r.right));
			}
		}
		return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
			header: header ? header.getBoundingClientRect().height : 0, wide: wide };
	})()`))
	if fit.ClientWidth != phoneWidth {
		t.Fatalf("%s: the page is laid out %dpx wide, want the phone's %dpx", what, fit.ClientWidth, phoneWidth)
	}
	if fit.ScrollWidth > fit.ClientWidth {
		t.Errorf("%s is %dpx wide on a %dpx screen; wider than the screen: %s", what, fit.ScrollWidth, fit.ClientWidth,
			strings.Join(fit.Wide, ", "))
	}
	if fit.Header == 0 {
		t.Errorf("%s has no header", what)
	} else if fit.Header > maxHeaderHeight {
		t.Errorf("%s: the header is %.0fpx tall on a phone, want at most %dpx", what, fit.Header, maxHeaderHeight)
	}
}

// signInByCookie signs the tab in as u with the session of a sign-in made
// outside the browser, which is quicker than the picker and reaches
// members the picker does not list, such as applicants.
func (s *site) signInByCookie(t *testing.T, u *models.User) {
	t.Helper()
	b := s.Browser(t)
	b.SignIn(u)
	cookies := b.Cookies()
	if len(cookies) == 0 {
		t.Fatalf("signing in as %s set no cookie", u.Username)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range cookies {
			if !yield(name) {
				return
			}
		}
	})
	s.do(t, "set the session cookies", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		for _, name := range names {
			if _, err := cdp.Call(ctx, tgt, network.SetCookie, network.SetCookieParams{
				Name: name, Value: cookies[name], URL: s.base + "/"}); err != nil {
				return fmt.Errorf("set cookie %s: %w", name, err)
			}
		}
		return nil
	}))
}

// wordsBrokenInCells lists the words in the post's table cells that the
// browser broke across lines.
const wordsBrokenInCells = `(() => {
	const broken = [];
	for (const cell of document.querySelectorAll(".post-body td, .post-body th")) {
		const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			for (const m of node.data.matchAll(/\S+/g)) {
				const range = document.createRange();
				range.setStart(node, m.index);
				range.setEnd(node, m.index + m[0].length);
				if (range.getClientRects().length > 1) broken.push(m[0]);
			}
		}
	}
	return broken;
})()`

// shotScreen saves what the screen shows, as a phone's user sees it, rather
// than the whole page.
func (s *site) shotScreen(t *testing.T, dir, name string) {
	t.Helper()
	png := read(t, s, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserPhoneDemo opens the demo's richest pages on a phone: its
// podcast topic with the player and link cards, a case with its card, and
// the podcasts page.
func TestBrowserPhoneDemo(t *testing.T) {
	browser := startChromium(t)
	s := newDemoSite(t, browser)
	s.onPhone(t)
	s.pick(t, "samcohen")
	for _, path := range []string{
		"/", "/podcasts",
		topicPath(demoTopic(t, s.App, "Episode 12 discussion")),
		topicPath(demoTopic(t, s.App, "Case: toddler with fever")),
		topicPath(demoTopic(t, s.App, "Refractory VT")),
	} {
		s.open(t, path)
		s.wantFitsPhone(t, "the demo's "+path)
	}
	s.wantQuiet(t)
}
