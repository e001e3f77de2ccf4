package app_test

import (
	"fmt"
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
