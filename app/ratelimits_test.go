package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models/testenv"
)

func TestPostingLimitKeepsTheTextAndRecovers(t *testing.T) {
	a := apptest.New(t, apptest.Options{Env: map[string]string{"ROUNDS_RATE_LIMITS": "post=2/2s,search=3/1m"}})
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
	board := a.Board(t, "cardiology", "Cardiology")
	topic := a.Topic(t, board, mod, "Rate of replies", "Go")
	topicPath := fmt.Sprintf("/t/%d", topic.ID)
	b := a.Browser(t)
	b.SignIn(okafor)

	reply := func(b *apptest.Browser, body string, extra ...string) *apptest.Response {
		form := url.Values{"body": {body}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		return b.Submit(topicPath, topicPath+"/reply", form)
	}
	wantStatus(t, reply(b, "First"), http.StatusSeeOther)
	// A preview saves nothing and counts for nothing.
	wantStatus(t, reply(b, "Just looking", "preview", "1"), http.StatusOK)
	wantStatus(t, reply(b, "Second"), http.StatusSeeOther)

	typed := "Third, with <care> & detail\nover two lines"
	res := reply(b, typed)
	wantStatus(t, res, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 2 {
		t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	// The refusal is shown in the form, which keeps every character.
	mustContain(t, res, "You have posted 2 times in 2 seconds", "nothing was saved", `aria-invalid="true"`,
		"Third, with &lt;care&gt; &amp; detail\nover two lines</textarea>")
	current, err := a.Store.TopicByID(context.Background(), topic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if current.PostCount != 3 {
		t.Fatalf("%d posts after a refused reply, want 3", current.PostCount)
	}

	// Moderators are not held to it.
	m := a.Browser(t)
	m.SignIn(mod)
	for i := range 3 {
		wantStatus(t, reply(m, fmt.Sprintf("Moderator note %d", i)), http.StatusSeeOther)
	}

	// Once the wait is over, the member posts again.
	a.Clock.Add(1100 * time.Millisecond)
	wantStatus(t, reply(b, typed), http.StatusSeeOther)

	// Searching has its own limit.
	for range 3 {
		wantStatus(t, b.Get("/search?q=reply"), http.StatusOK)
	}
	res = b.Get("/search?q=reply")
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "Please slow down", "You have searched 3 times in 1 minute")
}

func TestAddressLimitsBehindATrustedProxy(t *testing.T) {
	// The test requests come from 0.0.0.0, standing in for the proxy.
	a := apptest.New(t, apptest.Options{Env: map[string]string{
		"ROUNDS_RATE_LIMITS": "sign_in=2/1m", "ROUNDS_TRUSTED_PROXIES": "0.0.0.0/32, 10.0.0.0/8"}})
	b := a.Browser(t)
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(b.Get("/sign-in").Body)
	if token == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	signIn := func(forwarded string) int {
		form := url.Values{"_csrf": {html.UnescapeString(token[1])}}
		req := httptest.NewRequest(http.MethodPost, "/auth/nowhere", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwarded)
		return b.Do(req).Status
	}
	// The visitor wrote 203.0.113.9 themselves; the proxies appended the
	// real address and their own.
	for range 2 {
		if status := signIn("203.0.113.9, 198.51.100.7, 10.1.2.3"); status == http.StatusTooManyRequests {
			t.Fatal("refused within the limit")
		}
	}
	if status := signIn("203.0.113.10, 198.51.100.7, 10.1.2.3"); status != http.StatusTooManyRequests {
		t.Fatalf("a changed left-most address escaped the limit: status %d", status)
	}
	if status := signIn("198.51.100.8"); status == http.StatusTooManyRequests {
		t.Fatal("another visitor was limited with the first")
	}
}

// Two nodes counting in one Redis share a member's allowance: searches on
// one count on the other, and both let the member back once it recovers.
func TestLimitsSharedThroughRedis(t *testing.T) {
	redisURL := os.Getenv("ROUNDS_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("ROUNDS_TEST_REDIS_URL is not set: no Redis to test against")
	}
	env := map[string]string{"ROUNDS_RATE_LIMITS": "search=2/2s", "ROUNDS_RATE_LIMIT_STORE": "redis", "ROUNDS_REDIS_URL": redisURL}
	var nodes []*apptest.Browser
	clock := testenv.NewClock() // the nodes' clocks agree
	for range 2 {
		a := apptest.New(t, apptest.Options{Env: env, Clock: clock})
		// Each node's first member has the same id: one member, two nodes.
		m := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		b := a.Browser(t)
		b.SignIn(m)
		nodes = append(nodes, b)
	}
	// Another run of this test within the period would share the count:
	// its clock started at the same moment, and Redis forgets a key after
	// the period in real time.
	time.Sleep(2 * time.Second)
	wantStatus(t, nodes[0].Get("/search?q=warfarin"), http.StatusOK)
	wantStatus(t, nodes[1].Get("/search?q=warfarin"), http.StatusOK)
	for _, b := range nodes {
		res := b.Get("/search?q=warfarin")
		wantStatus(t, res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	clock.Add(1100 * time.Millisecond)
	wantStatus(t, nodes[1].Get("/search?q=warfarin"), http.StatusOK)
}
