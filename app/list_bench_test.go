package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"rounds/app"
	"rounds/app/apptest"
	"rounds/app/seed"
)

// BenchmarkListPages measures the board, tag and Latest pages in process,
// a verified member reading boards and tags in turn. "uncached" moves the
// site's clock past the caches' lifetime before every request, so the
// lists are read from the database and written out each time, as at a
// million posts with many boards, tags and pages; "cached" does not. Both
// report the process's CPU time a page (every thread's, the collector's
// too), steadier than wall time on a shared machine.
func BenchmarkListPages(b *testing.B) {
	a := apptest.New(b, apptest.Options{SearchUnbuilt: true})
	err := seed.LoadSynthetic(context.Background(), a.Store, app.NewMarkdown(a.Config),
		seed.Options{Topics: 1000, Replies: 4, Members: 50, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var boards, tags []string
	if err := a.Store.DB().Raw(`SELECT slug FROM boards ORDER BY id`).Scan(&boards).Error; err != nil {
		b.Fatal(err)
	}
	if err := a.Store.DB().Raw(`SELECT DISTINCT tag FROM topic_tags ORDER BY tag`).Scan(&tags).Error; err != nil {
		b.Fatal(err)
	}
	reader := a.Browser(b)
	reader.SignIn(a.VerifiedMember(b, "weber", "Jonas Weber, RN", "Critical Care Nursing"))
	cookies := reader.Cookies()
	handler := a.Fiber.Handler()
	pages := map[string]func(i int) string{
		"board":  func(i int) string { return "/b/" + boards[i%len(boards)] },
		"tag":    func(i int) string { return "/tags/" + tags[i%len(tags)] },
		"latest": func(int) string { return "/latest" },
	}
	for _, name := range []string{"board", "tag", "latest"} {
		for _, cached := range []bool{false, true} {
			label := name + "/uncached"
			if cached {
				label = name + "/cached"
			}
			b.Run(label, func(b *testing.B) {
				b.ReportAllocs()
				cpu := processCPU(b)
				i := 0
				for b.Loop() {
					if !cached {
						a.Clock.Add(time.Minute)
					}
					var ctx fasthttp.RequestCtx
					ctx.Request.SetRequestURI(pages[name](i))
					ctx.Request.Header.SetMethod(fasthttp.MethodGet)
					for n, v := range cookies {
						ctx.Request.Header.SetCookie(n, v)
					}
					handler(&ctx)
					if ctx.Response.StatusCode() != fasthttp.StatusOK {
						b.Fatalf("%s: status %d", pages[name](i), ctx.Response.StatusCode())
					}
					i++
				}
				b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
			})
		}
	}
}
