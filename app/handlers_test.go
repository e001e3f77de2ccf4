package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

func mustContain(t *testing.T, res *apptest.Response, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(res.Body, want) {
			t.Fatalf("response (status %d) lacks %q:\n%s", res.Status, want, res.Body)
		}
	}
}

func mustNotContain(t *testing.T, res *apptest.Response, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(res.Body, u) {
			t.Fatalf("response (status %d) contains %q", res.Status, u)
		}
	}
}

func wantStatus(t *testing.T, res *apptest.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d\n%s", res.Status, status, res.Body)
	}
}

func TestBoardsAndTopicsRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		cardio := a.Board(t, "cardiology", "Cardiology")
		a.Board(t, "pediatrics", "Pediatrics")
		older := a.Topic(t, cardio, okafor, "Heparin nomogram in obesity", "Which weight do you dose on?", "anticoagulation")
		newer := a.Topic(t, cardio, okafor, "Refractory VT in a young athlete", "**Ablation** or ICD first?\n\n| Drug | Dose |\n|---|---|\n| amiodarone | 150 mg |")
		a.Reply(t, older, okafor, "Adjusted body weight, capped.")
		// The reply bumped the older topic above the newer one.

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get("/")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `href="/b/cardiology"`, "Pediatrics", "2 topics", "3 posts")

		res = b.Get("/b/cardiology")
		wantStatus(t, res, http.StatusOK)
		if strings.Index(res.Body, "Heparin nomogram") > strings.Index(res.Body, "Refractory VT") {
			t.Fatal("the topic with the latest reply is not listed first")
		}
		mustContain(t, res, `href="/tags/anticoagulation"`, "1 reply")

		res = b.Get(fmt.Sprintf("/t/%d", newer.ID))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<strong>Ablation</strong>", "<table>", "Dr. Amara Okafor", "Cardiology")

		// A wrong slug moves the reader to the right address; the right one
		// and none at all are served directly.
		res = b.Get(fmt.Sprintf("/t/%d/old-title", newer.ID))
		wantStatus(t, res, http.StatusMovedPermanently)
		if res.Location() != fmt.Sprintf("/t/%d/%s", newer.ID, newer.Slug) {
			t.Fatalf("redirected to %q", res.Location())
		}
		wantStatus(t, b.Get(fmt.Sprintf("/t/%d/%s", newer.ID, newer.Slug)), http.StatusOK)

		wantStatus(t, b.Get("/t/99999"), http.StatusNotFound)
		wantStatus(t, b.Get(fmt.Sprintf("/t/%d?page=2", newer.ID)), http.StatusNotFound)
		wantStatus(t, b.Get("/b/nope"), http.StatusNotFound)
		wantStatus(t, b.Get("/b/cardiology?after=garbage"), http.StatusBadRequest)

		res = b.Get("/tags/anticoagulation")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Heparin nomogram")
		mustNotContain(t, res, "Refractory VT")
		wantStatus(t, b.Get("/tags/unknown"), http.StatusNotFound)
	})
}

func TestTopicPagesAndBoardPaging(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	board := a.Board(t, "cardiology", "Cardiology")
	topic := a.Topic(t, board, okafor, "Long thread on AF ablation", "Opening post")
	for i := 2; i <= 45; i++ {
		a.Reply(t, topic, okafor, fmt.Sprintf("Reply number %d", i))
	}
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Get(fmt.Sprintf("/t/%d?page=3", topic.ID))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `id="post-41"`, "Reply number 45", `aria-current="page">3<`)
	mustNotContain(t, res, `id="post-40"`)

	// 35 more topics page the board: 30 on the first page, the rest after.
	for i := range 35 {
		a.Topic(t, board, okafor, fmt.Sprintf("Topic about case %02d", i), "body")
	}
	if err := a.Store.DB().WithContext(ctx).Exec(`UPDATE topics SET pinned = ? WHERE id = ?`, true, topic.ID).Error; err != nil {
		t.Fatal(err)
	}
	first := b.Get("/b/cardiology")
	mustContain(t, first, "Long thread on AF ablation", "Pinned", "Topic about case 34", "Older topics")
	mustNotContain(t, first, "Topic about case 04", "Newer topics")
	older := regexp.MustCompile(`href="(/b/cardiology\?after=[^"]+)"`).FindStringSubmatch(first.Body)
	if older == nil {
		t.Fatal("no link to older topics")
	}
	second := b.Get(strings.ReplaceAll(older[1], "&amp;", "&"))
	wantStatus(t, second, http.StatusOK)
	mustContain(t, second, "Topic about case 00", "Topic about case 04", "Newer topics")
	mustNotContain(t, second, "Topic about case 05", "Long thread on AF ablation", "Older topics")

	// Back from the second page, the first page again, pinned topic and all.
	newer := regexp.MustCompile(`href="(/b/cardiology\?before=[^"]+)"`).FindStringSubmatch(second.Body)
	if newer == nil {
		t.Fatal("no link to newer topics")
	}
	back := b.Get(strings.ReplaceAll(newer[1], "&amp;", "&"))
	wantStatus(t, back, http.StatusOK)
	mustContain(t, back, "Long thread on AF ablation", "Pinned", "Topic about case 34", "Topic about case 05", "Older topics")
	mustNotContain(t, back, "Topic about case 04", "Newer topics")
	wantStatus(t, b.Get("/b/cardiology?before=garbage"), http.StatusBadRequest)
}

func TestStartTopicReplyEditAndDelete(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)

		res := b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{
			"title": {"Amiodarone loading in renal failure"}, "tags": {"Amiodarone, renal"},
			"body": {"Do you adjust the **load**?"}})
		wantStatus(t, res, http.StatusSeeOther)
		topicPath := res.Location()
		res = b.Get(topicPath)
		mustContain(t, res, "Amiodarone loading in renal failure", "<strong>load</strong>", `href="/tags/amiodarone"`, `href="/tags/renal"`)

		var topicID int64
		fmt.Sscanf(topicPath, "/t/%d/", &topicID)
		res = b.Submit(topicPath, fmt.Sprintf("/t/%d/reply", topicID), url.Values{"body": {"No load adjustment needed."}})
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasSuffix(res.Location(), "#post-2") {
			t.Fatalf("reply redirected to %q", res.Location())
		}
		posts, err := a.Store.PostsInTopic(context.Background(), topicID, 1, 10)
		if err != nil || len(posts) != 2 {
			t.Fatalf("posts: %v %v", posts, err)
		}
		reply := posts[1]

		// Edit: every saved edit is a revision with a history page.
		edit := fmt.Sprintf("/p/%d/edit", reply.ID)
		res = b.Submit(edit, edit, url.Values{"body": {"No load adjustment; maintenance unchanged."}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(fmt.Sprintf("/p/%d/history", reply.ID))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Version 2", "Version 1", "No load adjustment needed.", "maintenance unchanged")

		// Someone else may neither edit nor see the history.
		other := a.Browser(t)
		other.SignIn(weber)
		wantStatus(t, other.Get(edit), http.StatusForbidden)
		wantStatus(t, other.Get(fmt.Sprintf("/p/%d/history", reply.ID)), http.StatusForbidden)
		res = other.Submit(topicPath, edit, url.Values{"body": {"hijack"}, "version": {"2"}})
		wantStatus(t, res, http.StatusForbidden)

		// An edit from a stale version keeps the member's text and shows
		// what was saved meanwhile.
		res = b.Submit(edit, edit, url.Values{"body": {"My careful rewrite"}, "version": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "My careful rewrite", "changed elsewhere", "maintenance unchanged", `name="version" value="2"`)

		// Delete leaves a tombstone; the words are gone from the page.
		del := fmt.Sprintf("/p/%d/delete", reply.ID)
		wantStatus(t, b.Get(del), http.StatusOK) // a GET only asks
		mustContain(t, b.Get(topicPath), "maintenance unchanged")
		res = b.Submit(del, del, nil)
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(topicPath)
		mustContain(t, res, "This post was deleted.")
		mustNotContain(t, res, "maintenance unchanged")
		// The author no longer reaches the history; revisions stay in the store.
		wantStatus(t, b.Get(fmt.Sprintf("/p/%d/history", reply.ID)), http.StatusNotFound)
		revs, err := a.Store.PostRevisions(context.Background(), reply.ID)
		if err != nil || len(revs) != 2 {
			t.Fatalf("revisions after delete: %d %v", len(revs), err)
		}
	})
}

func TestModeratorSeesHistoryOfDeletedPost(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	mod := a.VerifiedMember(t, "mod", "Dr. Lena Park", "Internal Medicine")
	if err := a.Store.SetRole(ctx, mod.ID, models.RoleModerator); err != nil {
		t.Fatal(err)
	}
	topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "A topic to delete from", "original words")
	reply := a.Reply(t, topic, okafor, "regrettable words")
	if err := a.Store.DeletePost(ctx, reply.ID, okafor.ID); err != nil {
		t.Fatal(err)
	}
	b := a.Browser(t)
	b.SignIn(mod)
	res := b.Get(fmt.Sprintf("/p/%d/history", reply.ID))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "regrettable words", "Only moderators can see its history")
}

func TestBadInputKeepsTheText(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	board := a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	long := strings.Repeat("x", 32001)
	for _, tc := range []struct {
		name, title, tags, body, message string
	}{
		{"short title", "VT?", "", "A body worth keeping", "at least 5 characters"},
		{"long title", strings.Repeat("t", 201), "", "A body worth keeping", "at most 200 characters"},
		{"empty body", "A sensible title", "", "   ", "Write something"},
		{"long body", "A sensible title", "", long, "at most 32,000 characters"},
		{"six tags", "A sensible title", "a, b, c, d, e, f", "A body worth keeping", "at most five tags"},
		{"bad tag", "A sensible title", "Heart Failure!", "A body worth keeping", "is not"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {tc.title}, "tags": {tc.tags}, "body": {tc.body}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, tc.message)
			if strings.TrimSpace(tc.body) != "" && tc.body != long {
				mustContain(t, res, tc.body)
			}
			if tc.title != "" {
				mustContain(t, res, tc.title)
			}
		})
	}
	topics, _, err := a.Store.TopicsInBoard(context.Background(), board.ID, models.TopicPage{Limit: 10})
	if err != nil || len(topics) != 0 {
		t.Fatalf("refused forms wrote %d topics (%v)", len(topics), err)
	}

	// A reply refused for being empty keeps the topic on screen.
	topic := a.Topic(t, board, okafor, "Digoxin levels in CKD", "What range do you aim for?")
	path := fmt.Sprintf("/t/%d", topic.ID)
	res := b.Submit(path, path+"/reply", url.Values{"body": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Write something", "What range do you aim for?")

	// Preview without JavaScript shows the rendered text and saves nothing.
	res = b.Submit(path, path+"/reply", url.Values{"body": {"*previewed* words"}, "preview": {"1"}})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "<em>previewed</em> words", "*previewed* words")
	if posts, _ := a.Store.PostsInTopic(context.Background(), topic.ID, 1, 10); len(posts) != 1 {
		t.Fatalf("preview wrote a post: %d posts", len(posts))
	}
}

func TestLockedTopicKeepsTheReply(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Rules of this board", "Be kind.")
	b := a.Browser(t)
	b.SignIn(okafor)
	path := fmt.Sprintf("/t/%d", topic.ID)
	page := b.Get(path)
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if err := a.Store.DB().Exec(`UPDATE topics SET locked = ? WHERE id = ?`, true, topic.ID).Error; err != nil {
		t.Fatal(err)
	}
	res := b.Post(path+"/reply", url.Values{"_csrf": {token[1]}, "body": {"A reply I spent time on"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "A reply I spent time on", "locked")
}

func TestWritesNeedAVerifiedMemberAndCSRF(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	pending := a.PendingMember(t, "newcomer")
	topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "A topic for replies", "Opening.")
	path := fmt.Sprintf("/t/%d", topic.ID)

	guest := a.Browser(t)
	res := guest.Get("/b/cardiology/new")
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location(), "/sign-in?return=") {
		t.Fatalf("guest sent to %q", res.Location())
	}
	mustNotContain(t, guest.Get(path), `action="/t/`)

	p := a.Browser(t)
	p.SignIn(pending)
	res = p.Get("/b/cardiology/new")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/verify" {
		t.Fatalf("pending member sent to %q, want /verify", res.Location())
	}
	wantStatus(t, p.Submit("/verify", path+"/reply", url.Values{"body": {"x"}}), http.StatusForbidden)

	b := a.Browser(t)
	b.SignIn(okafor)
	// No token, a wrong token, and a token from another browser all fail.
	wantStatus(t, b.Post(path+"/reply", url.Values{"body": {"x"}}), http.StatusForbidden)
	wantStatus(t, b.Post(path+"/reply", url.Values{"body": {"x"}, "_csrf": {"forged"}}), http.StatusForbidden)
	other := a.Browser(t)
	other.SignIn(okafor)
	theirs := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(other.Get(path).Body)
	wantStatus(t, b.Post(path+"/reply", url.Values{"body": {"x"}, "_csrf": {theirs[1]}}), http.StatusForbidden)
	if posts, _ := a.Store.PostsInTopic(context.Background(), topic.ID, 1, 10); len(posts) != 1 {
		t.Fatalf("a refused request wrote: %d posts", len(posts))
	}

	// Signing out ends the session: the old cookie no longer works.
	res = b.Submit(path, "/sign-out", nil)
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, b.Get("/b/cardiology/new"), http.StatusSeeOther)
}

func TestPreviewRendersSanitizedHTML(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Submit("/b/cardiology/new", "/preview", url.Values{"body": {"**bold** <script>alert(1)</script> [x](javascript:alert(1))"}})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "<strong>bold</strong>")
	mustNotContain(t, res, "<script", "javascript:", "<html")
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	a := apptest.New(t, apptest.Options{BaseURL: "https://rounds.example.org"})
	b := a.Browser(t)
	home := b.Get("/")
	css := regexp.MustCompile(`href="(/static/css/rounds\.[0-9a-f]+\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatalf("no hashed stylesheet link:\n%s", home.Body)
	}
	for _, path := range []string{"/", "/b/missing", css[1], "/static/css/rounds.0000000000.css", "/healthz"} {
		res := b.Get(path)
		csp := res.Header.Get("Content-Security-Policy")
		for _, directive := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, directive)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", path)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			"Strict-Transport-Security": "max-age=63072000; includeSubDomains"} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
		if res.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s: no request ID", path)
		}
	}
	static := b.Get(css[1])
	wantStatus(t, static, http.StatusOK)
	if cc := static.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Fatalf("static Cache-Control %q", cc)
	}
	if ct := static.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Fatalf("static Content-Type %q", ct)
	}
	wantStatus(t, b.Get("/static/css/rounds.0000000000.css"), http.StatusNotFound)

	// Over https the cookies take the __Host- prefix and the Secure flag.
	a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	res := b.Get("/demo/sign-in")
	if sc := res.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, "__Host-rounds_csrf=") || !strings.Contains(strings.ToLower(sc), "secure") ||
		!strings.Contains(strings.ToLower(sc), "httponly") || !strings.Contains(strings.ToLower(sc), "samesite=lax") {
		t.Fatalf("csrf cookie %q", sc)
	}
}

func TestCompressedResponses(t *testing.T) {
	a := apptest.New(t)
	a.Board(t, "cardiology", "Cardiology")
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res := a.Browser(t).Do(req)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

func TestServeHasNoDemoSignIn(t *testing.T) {
	a := apptest.New(t, apptest.Options{Serve: true})
	a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	wantStatus(t, b.Get("/demo/sign-in"), http.StatusNotFound)
	res := b.Post("/demo/sign-in", url.Values{"username": {"okafor"}})
	if res.Status == http.StatusSeeOther {
		t.Fatal("serve signed someone in through the demo route")
	}
	mustNotContain(t, b.Get("/"), "/demo/sign-in")
}

func TestHealthAndReadiness(t *testing.T) {
	a := apptest.New(t)
	b := a.Browser(t)
	wantStatus(t, b.Get("/healthz"), http.StatusOK)
	wantStatus(t, b.Get("/readyz"), http.StatusOK)
	if err := a.Store.Close(); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, b.Get("/readyz"), http.StatusServiceUnavailable)
}

func TestTitlesAreEscaped(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. <b>Okafor</b>", "Cardiology")
	topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, `<script>alert("t")</script> title`, "body")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Get(fmt.Sprintf("/t/%d", topic.ID))
	mustNotContain(t, res, `<script>alert`, "<b>Okafor</b>")
	mustContain(t, res, "&lt;script&gt;")
}

func TestIdleSessionEnds(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	wantStatus(t, b.Get("/b/cardiology/new"), http.StatusOK)
	idle := a.Store.Now().Add(-a.Config.SessionIdle - time.Minute)
	if err := a.Store.DB().Exec(`UPDATE sessions SET last_seen_at = ?`, idle).Error; err != nil {
		t.Fatal(err)
	}
	res := b.Get("/b/cardiology/new")
	wantStatus(t, res, http.StatusSeeOther)
	var n int64
	if err := a.Store.DB().Raw(`SELECT COUNT(*) FROM sessions`).Scan(&n).Error; err != nil || n != 0 {
		t.Fatalf("%d sessions left after the idle one ended (%v)", n, err)
	}
}

func TestRefusedFormKeepsLeadingNewlines(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	// HTML drops one newline straight after <textarea>, so the form must
	// write one of its own before the member's text.
	res := b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"VT?"}, "body": {"\n    indented code\nline two"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, ">\n\n    indented code\nline two</textarea>")
}

func TestMembersSeeAndEndTheirSessions(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	a.Board(t, "cardiology", "Cardiology")
	laptop, phone, other := a.Browser(t), a.Browser(t), a.Browser(t)
	laptop.SignIn(okafor)
	phone.SignIn(okafor)
	other.SignIn(weber)

	res := laptop.Get("/settings/sessions")
	wantStatus(t, res, http.StatusOK)
	if n := strings.Count(res.Body, `name="id"`); n != 2 {
		t.Fatalf("the page lists %d sessions, want okafor's 2", n)
	}
	mustContain(t, res, "This browser")

	// Another member's session cannot be ended from here.
	var weberSession string
	if err := a.Store.DB().Raw(`SELECT id FROM sessions WHERE user_id = ?`, weber.ID).Scan(&weberSession).Error; err != nil {
		t.Fatal(err)
	}
	wantStatus(t, laptop.Submit("/settings/sessions", "/settings/sessions/end", url.Values{"id": {weberSession}}), http.StatusNotFound)
	wantStatus(t, other.Get("/b/cardiology/new"), http.StatusOK)

	// Ending every other session signs the phone out and keeps the laptop.
	wantStatus(t, laptop.Submit("/settings/sessions", "/settings/sessions/end", url.Values{"others": {"1"}}), http.StatusSeeOther)
	wantStatus(t, phone.Get("/b/cardiology/new"), http.StatusSeeOther)
	wantStatus(t, laptop.Get("/b/cardiology/new"), http.StatusOK)
}

func TestSessionsNameBrowserAndSystem(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	const firefox = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0"
	if err := a.Store.DB().Exec(`UPDATE sessions SET user_agent = ? WHERE user_id = ?`, firefox, okafor.ID).Error; err != nil {
		t.Fatal(err)
	}
	res := b.Get("/settings/sessions")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, ">Firefox on macOS</strong>")
	if strings.Contains(res.Body, ">"+firefox) {
		t.Error("the page shows the raw User-Agent string as the session's name")
	}
}
