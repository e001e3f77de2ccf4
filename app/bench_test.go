package app_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"rounds/app/apptest"
)

// BenchmarkTopicPage measures a full topic page of 20 posts: routing,
// middleware, two queries and the template, without the network.
func BenchmarkTopicPage(b *testing.B) {
	a := apptest.New(b)
	author := a.VerifiedMember(b, "okafor", "Dr. Amara Okafor", "Cardiology")
	peer := a.VerifiedMember(b, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	body := strings.Repeat("A 60-year-old with **new-onset atrial fibrillation** and a CHA₂DS₂-VASc of 3. "+
		"Rate control with metoprolol, then [guideline](https://www.ahajournals.org/) anticoagulation.\n\n", 6)
	topic := a.Topic(b, a.Board(b, "cardiology", "Cardiology"), author, "Rate or rhythm control in new AF", body, "afib")
	for i := range 19 {
		a.Reply(b, topic, peer, fmt.Sprintf("Reply %d. %s", i, body))
	}
	// Topics are for verified members, so the page is read signed in, with
	// the board's access check it makes on every view.
	reader := a.Browser(b)
	reader.SignIn(peer)
	cookies := reader.Cookies()
	handler := a.Fiber.Handler()
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		for name, value := range cookies {
			ctx.Request.Header.SetCookie(name, value)
		}
		handler(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

// BenchmarkCreateReply measures a member posting a reply with a link and a
// mention through the reply form: the handler, the markdown, the store's
// transaction (post, links, notification, outbox) on SQLite, and the
// redirect, without the network.
func BenchmarkCreateReply(b *testing.B) {
	// The posting limits would refuse a member posting this fast.
	a := apptest.New(b, apptest.Options{Env: map[string]string{
		"ROUNDS_RATE_LIMITS": "post=1000000000/1s,post_ip=1000000000/1s",
	}})
	author := a.VerifiedMember(b, "okafor", "Dr. Amara Okafor", "Cardiology")
	peer := a.VerifiedMember(b, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	topic := a.Topic(b, a.Board(b, "cardiology", "Cardiology"), author, "Rate or rhythm control in new AF",
		"A 60-year-old with **new-onset atrial fibrillation**. Rate or rhythm?", "afib")
	reader := a.Browser(b)
	reader.SignIn(peer)
	page := reader.Get(fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug))
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		b.Fatalf("no CSRF token on the topic page (status %d)", page.Status)
	}
	form := url.Values{"_csrf": {html.UnescapeString(m[1])}, "body": {
		"Agree with @okafor: rate control first. The [AHA guideline](https://www.ahajournals.org/doi/10.1161/CIR.0000000000001193) " +
			"and PMID 36314711 both say so.\n\n" +
			"- metoprolol 25 mg twice daily\n- *anticoagulate* when CHA₂DS₂-VASc ≥ 2\n\nSee also https://www.escardio.org/Guidelines.",
	}}.Encode()
	cookies := reader.Cookies()
	handler := a.Fiber.Handler()
	path := fmt.Sprintf("/t/%d/reply", topic.ID)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.SetMethod(fasthttp.MethodPost)
		ctx.Request.Header.SetContentType("application/x-www-form-urlencoded")
		ctx.Request.SetBodyString(form)
		for name, value := range cookies {
			ctx.Request.Header.SetCookie(name, value)
		}
		handler(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusSeeOther {
			b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
}
