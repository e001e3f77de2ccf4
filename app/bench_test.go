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
	handler := a.Fiber.Handler()
	path := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		handler(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}
