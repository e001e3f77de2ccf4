package app_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"rounds/app"
	"rounds/app/apptest"
	"rounds/app/seed"
	"rounds/models"
	"rounds/models/modelstest"
)

// BenchmarkTopicPage measures a full topic page of 20 posts: routing,
// middleware, two queries and the template, without the network.
func BenchmarkTopicPage(b *testing.B) {
	pageAlone(b)
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

// BenchmarkCreateReplyConcurrent has 32 writers post replies at once
// through the reply form, as the load test's reply phase does over HTTP:
// each reply is parsed once and written in one transaction (the post and
// its plain text, its revision, its link and the job fetching its preview,
// a notification for the topic's author and one for the mention, the
// search outbox entry, the topic's and board's counts). It reports the
// posts written a second and the 50th and 99th percentile of one reply's
// time, which is mostly its wait for the database's writers, on SQLite
// and, when ROUNDS_TEST_DATABASE_URL is set, on PostgreSQL. On SQLite it
// also reports the commits (syncs of the WAL) a post took: write
// transactions that queue behind one another share one.
func BenchmarkCreateReplyConcurrent(b *testing.B) {
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) { benchmarkCreateReplyConcurrent(b, e.Name) })
	}
}

func benchmarkCreateReplyConcurrent(b *testing.B, engine models.Engine) {
	var e modelstest.Engine
	for _, fresh := range modelstest.Engines(b) {
		if fresh.Name == engine {
			e = fresh
		}
	}
	a := apptest.NewOn(b, e, apptest.Options{Env: map[string]string{
		"ROUNDS_RATE_LIMITS": "post=1000000000/1s,post_ip=1000000000/1s",
	}})
	board := a.Board(b, "cardiology", "Cardiology")
	author := a.VerifiedMember(b, "okafor", "Dr. Amara Okafor", "Cardiology")
	peer := a.VerifiedMember(b, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	a.VerifiedMember(b, "lindqvist", "Dr. Erik Lindqvist", "Emergency Medicine")
	const topics = 50
	paths := make([]string, topics)
	for i := range paths {
		t := a.Topic(b, board, author, fmt.Sprintf("Rate or rhythm control in new AF, case %d", i),
			"A 60-year-old with **new-onset atrial fibrillation**. Rate or rhythm?", "afib")
		paths[i] = fmt.Sprintf("/t/%d/reply", t.ID)
	}
	reader := a.Browser(b)
	reader.SignIn(peer)
	page := reader.Get(strings.TrimSuffix(paths[0], "/reply"))
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		b.Fatalf("no CSRF token on the topic page (status %d)", page.Status)
	}
	form := url.Values{"_csrf": {html.UnescapeString(m[1])}, "body": {
		"Agree with @lindqvist: rate control first. The [AHA guideline](https://www.ahajournals.org/doi/10.1161/CIR.0000000000001193) " +
			"says so.\n\n- metoprolol 25 mg twice daily\n- *anticoagulate* when CHA₂DS₂-VASc ≥ 2",
	}}.Encode()
	cookies := reader.Cookies()
	handler := a.Fiber.Handler()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		next      atomic.Int64
	)
	b.SetParallelism(16) // 32 writers on 2 cores, as the load test's connections
	b.ReportAllocs()
	commits := a.Store.SQLiteCommits()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(paths[next.Add(1)%topics])
			ctx.Request.Header.SetMethod(fasthttp.MethodPost)
			ctx.Request.Header.SetContentType("application/x-www-form-urlencoded")
			ctx.Request.SetBodyString(form)
			for name, value := range cookies {
				ctx.Request.Header.SetCookie(name, value)
			}
			t0 := time.Now()
			handler(&ctx)
			mine = append(mine, time.Since(t0))
			if ctx.Response.StatusCode() != fasthttp.StatusSeeOther {
				b.Errorf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
				return
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "posts/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	if engine == models.SQLite {
		after := a.Store.SQLiteCommits()
		// The search indexer and the job queue write beside the replies;
		// their commits count too.
		posts := float64(len(latencies))
		took := after.Groups + after.Alone - commits.Groups - commits.Alone
		b.ReportMetric(float64(took)/posts, "commits/post")
		// What it took before writes shared commits: one each.
		writes := after.Writes + after.Alone - commits.Writes - commits.Alone
		b.ReportMetric(float64(writes)/posts, "writes/post")
	}
}

// BenchmarkTopicPageUncached measures a topic page that no cache holds, as
// at a million posts, where readers spread over tens of thousands of
// topics and a topic's page seldom comes back within the caches' few
// seconds: a verified member reads seeded topics (20 posts, some with
// links) in turn, and the site's clock moves past the caches' lifetime
// before each round of them, so the topic, its posts and the member's
// marks are read and written out on every request while the session and
// the header's counts come from the read cache, as they do under load.
func BenchmarkTopicPageUncached(b *testing.B) {
	pageAlone(b)
	// No search index: its building the seeded posts is not the page's work.
	a := apptest.New(b, apptest.Options{SearchUnbuilt: true})
	const topics = 200
	err := seed.LoadSynthetic(context.Background(), a.Store, app.NewMarkdown(a.Config),
		seed.Options{Topics: topics, Replies: 19, Members: 50, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	reader := a.Browser(b)
	reader.SignIn(a.VerifiedMember(b, "weber", "Jonas Weber, RN", "Critical Care Nursing"))
	cookies := reader.Cookies()
	handler := a.Fiber.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU(b)
	i := 0
	for b.Loop() {
		if i%topics == 0 {
			a.Clock.Add(time.Minute)
		}
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/t/" + strconv.Itoa(i%topics+1))
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		for name, value := range cookies {
			ctx.Request.Header.SetCookie(name, value)
		}
		handler(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
		i++
	}
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// pageAlone leaves out, while the benchmark runs, the tests' comparison of
// each topic page with the one the templates write.
func pageAlone(b *testing.B) {
	app.CheckTopicFrames(false)
	b.Cleanup(func() { app.CheckTopicFrames(true) })
}

// processCPU is the CPU time the process has used, every thread's (the
// garbage collector's too): on a machine shared with other work it says
// more about a page's cost than the time it took.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
