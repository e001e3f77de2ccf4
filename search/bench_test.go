package search

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// benchQueries are what members type: one to four words, abbreviations,
// phrases and filters, over the vocabulary `rounds seed` writes.
var benchQueries = []string{
	"heparin", "sepsis", "fosphenytoin", "vancomycin", "delirium", "afib", "hyperkalemia", "ketamine",
	"heparin dosing", "septic shock", "vancomycin trough", "atrial fibrillation", "apixaban renal",
	"norepinephrine septic shock dose", "apixaban dosing elderly ckd", "ketamine intubation hypotension",
	"amiodarone vt storm", "mi troponin", "dka insulin potassium",
	`"septic shock"`, `"heart failure" furosemide`, `"loop diuretic" hyponatremia`,
	"heparin board:critical-care", "sepsis kind:case", "tag:anticoagulation apixaban",
	"amiodarone after:2025-06", "in:title sepsis", "order:newest heparin", "tag:sepsis tag:antibiotics",
	"insulin -glargine", "board:pediatrics croup dexamethasone",
}

// loadQueries are the 20 queries scripts/bench.lua sends in turn: the
// same searches, one client at a time, with no HTTP or template around them.
var loadQueries = []string{
	"heparin", "sepsis", "vancomycin", "delirium", "hyperkalemia", "ketamine",
	"heparin dosing", "septic shock", "vancomycin trough", "atrial fibrillation", "apixaban renal",
	"ketamine intubation hypotension", "dka insulin potassium",
	`"septic shock"`, `"heart failure" furosemide`,
	"order:newest heparin", "order:newest delirium",
	"tag:anticoagulation apixaban", "tag:sepsis tag:antibiotics", "tag:sepsis",
}

// BenchmarkQueries measures search latency as a member sees it: the
// query, then loading and highlighting the posts on the first page. It
// runs on a data folder filled by `rounds seed` (and indexed by `rounds
// reindex`, or here on first use):
//
//	ROUNDS_BENCH_DATA=./data/bench go test ./search -run '^$' -bench Queries -benchtime 3000x
//
// Set ROUNDS_BENCH_DATABASE_URL for PostgreSQL, ROUNDS_BENCH_SCOPE=restricted
// for a member kept out of one board, ROUNDS_BENCH_QUERY to time one query,
// ROUNDS_BENCH_QUERIES=load for the 20 queries of scripts/bench instead of
// the longer list, ROUNDS_BENCH_KEPT=off to forget every search's answer
// before the next (what a search costs when the index has just changed). It reports p50, p95 and p99 in milliseconds of wall
// time and the process's CPU time a search (steadier on a busy machine),
// and logs the same for each query.
func BenchmarkQueries(b *testing.B) {
	dir := os.Getenv("ROUNDS_BENCH_DATA")
	if dir == "" {
		b.Skip("set ROUNDS_BENCH_DATA to a data folder filled by rounds seed")
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := models.Open(ctx, os.Getenv("ROUNDS_BENCH_DATABASE_URL"), dir, log)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	x, err := Open(filepath.Join(dir, "search"), store, log)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if !x.Status().Ready {
		if err := x.rebuildHere(ctx); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := x.CatchUp(ctx); err != nil {
		b.Fatal(err)
	}
	boards, err := store.Boards(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// A member who reads every board, as most do; with
	// ROUNDS_BENCH_SCOPE=restricted, one who may not read the first board,
	// so that every search carries the board filter.
	scope := Scope{Boards: map[string]int64{}, All: true}
	for _, board := range boards {
		scope.Boards[board.Slug] = board.ID
	}
	if os.Getenv("ROUNDS_BENCH_SCOPE") == "restricted" {
		delete(scope.Boards, boards[0].Slug)
		scope.All = false
	}
	queries := benchQueries
	if os.Getenv("ROUNDS_BENCH_QUERIES") == "load" {
		queries = loadQueries
	}
	if only := os.Getenv("ROUNDS_BENCH_QUERY"); only != "" {
		queries = []string{only}
	}
	parsed := make([]Query, len(queries))
	for i, q := range queries {
		if parsed[i], err = Parse(q); err != nil {
			b.Fatal(err)
		}
	}
	kept := os.Getenv("ROUNDS_BENCH_KEPT") != "off"
	all := &latencies{}
	each := make([]latencies, len(parsed))
	var hits uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := i % len(parsed)
		if !kept {
			x.found = newFoundCache(foundCacheSize)
		}
		start, cpuStart := time.Now(), cpuTime()
		res, err := x.Search(ctx, Request{Query: parsed[n], Scope: scope})
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		for _, t := range res.Topics {
			ids = append(ids, t.PostIDs...)
		}
		docs, err := store.SearchDocsForPosts(ctx, ids)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range docs {
			_ = res.Snippet(d.Plain)
			_ = res.Highlight(d.Title)
		}
		took, cpu := time.Since(start), cpuTime()-cpuStart
		all.add(took, cpu)
		each[n].add(took, cpu)
		hits += res.Posts
	}
	b.StopTimer()
	if b.N >= len(parsed) {
		b.Logf("%-40s %9s %9s %9s", "query", "p50 ms", "p95 ms", "CPU ms")
		for i, q := range queries {
			b.Logf("%-40q %9.2f %9.2f %9.2f", q, each[i].at(0.50), each[i].at(0.95), each[i].cpuMS())
		}
	}
	b.ReportMetric(all.at(0.50), "p50-ms")
	b.ReportMetric(all.at(0.95), "p95-ms")
	b.ReportMetric(all.at(0.99), "p99-ms")
	b.ReportMetric(all.cpuMS(), "cpu-ms/search")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
}

// latencies are the wall and CPU times of searches.
type latencies struct {
	wall []time.Duration
	cpu  time.Duration
}

func (l *latencies) add(wall, cpu time.Duration) {
	l.wall = append(l.wall, wall)
	l.cpu += cpu
}

// at is the p-th quantile of the wall times, in milliseconds.
func (l *latencies) at(p float64) float64 {
	if len(l.wall) == 0 {
		return 0
	}
	sorted := slices.Clone(l.wall)
	slices.Sort(sorted)
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}

// cpuMS is the mean CPU time of a search, in milliseconds.
func (l *latencies) cpuMS() float64 {
	if len(l.wall) == 0 {
		return 0
	}
	return float64(l.cpu.Microseconds()) / 1000 / float64(len(l.wall))
}

// benchPost is a post as members write them: emphasis, a list, links, a
// PubMed ID and a table, so turning it into words is real work.
const benchPost = `Agree with @okafor on **rate control first** in new-onset AF (see the
[AHA guideline](https://www.ahajournals.org/doi/10.1161/CIR.0000000000001193) and PMID 36314711).

- metoprolol 25 mg twice daily, titrated to a resting rate under 110
- *anticoagulate* when CHA₂DS₂-VASc ≥ 2; apixaban 5 mg twice daily unless dose reduction applies
- check TSH, electrolytes and an echocardiogram

| Drug | Dose | Renal adjustment |
|------|------|------------------|
| apixaban | 5 mg bd | 2.5 mg bd with two of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 |
| rivaroxaban | 20 mg od | 15 mg od at CrCl 15–50 |

Rhythm control when symptoms persist: https://www.escardio.org/Guidelines — ` + "`amiodarone`" + ` only for the structurally abnormal heart.
`

// BenchmarkIndexBatch measures building the search documents of a batch of
// 500 posts and indexing them: reading them from the database (SQLite),
// turning each into the words the index holds, and building a fresh index
// of them.
func BenchmarkIndexBatch(b *testing.B) {
	ctx := context.Background()
	store := modelstest.Migrated(b, modelstest.Engines(b)[0])
	author := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(b, store)
	board := modelstest.OpenBoard("cardiology", "Cardiology").Make(b, store)
	const posts = 500
	var topic *models.Topic
	for i := range posts {
		body := fmt.Sprintf("Post %d. %s", i, benchPost)
		var err error
		if i%25 == 0 {
			topic, _, err = store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: author.ID,
				Title: fmt.Sprintf("Rate or rhythm control %d", i), PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body)}})
		} else {
			_, err = store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: author.ID,
				PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body)}})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		done, err := build(ctx, filepath.Join(b.TempDir(), "index"), store, posts, defaultSegments, nil)
		if err != nil {
			b.Fatal(err)
		}
		if done != posts {
			b.Fatalf("indexed %d posts of %d", done, posts)
		}
	}
}

// BenchmarkRebuild measures `rounds reindex` in process, to profile it: a
// whole rebuild of the index of a data folder filled by `rounds seed`, into
// a temporary folder, reporting posts a second.
//
//	ROUNDS_BENCH_DATA=./data/bench go test ./search -run '^$' -bench Rebuild -benchtime 1x -cpuprofile cpu.prof
//
// ROUNDS_BENCH_BATCH sets the posts a segment holds and ROUNDS_BENCH_MERGE_MAX
// the segments merged at once (defaultSegments unless set).
func BenchmarkRebuild(b *testing.B) {
	dir := os.Getenv("ROUNDS_BENCH_DATA")
	if dir == "" {
		b.Skip("set ROUNDS_BENCH_DATA to a data folder filled by rounds seed")
	}
	ctx := context.Background()
	store, err := models.Open(ctx, os.Getenv("ROUNDS_BENCH_DATABASE_URL"), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	seg := defaultSegments
	for name, v := range map[string]*int{"ROUNDS_BENCH_BATCH": &seg.batch, "ROUNDS_BENCH_MERGE_MAX": &seg.mergeMax, "ROUNDS_BENCH_PART": &seg.part} {
		if s := os.Getenv(name); s != "" {
			if *v, err = strconv.Atoi(s); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
		}
	}
	var posts int64
	cpuStart := cpuTime()
	for b.Loop() {
		stats, err := rebuild(ctx, b.TempDir(), store, seg, nil)
		if err != nil {
			b.Fatal(err)
		}
		posts += stats.Posts
	}
	b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
	// The CPU a post costs, every core's: the steadier figure on a busy
	// machine, where posts/s says more about the neighbours.
	b.ReportMetric(float64((cpuTime()-cpuStart).Microseconds())/float64(max(posts, 1)), "cpu-µs/post")
}

// BenchmarkSnippet measures quoting a result: a post of a few paragraphs
// matched near its start, and a long one (about 20 KB, a pasted guideline)
// matched near its end, which is past the stretch analysed at a time.
//
//	go test ./search -run '^$' -bench Snippet -benchmem
func BenchmarkSnippet(b *testing.B) {
	analyzer, err := textAnalyzerFor(newMapping())
	if err != nil {
		b.Fatal(err)
	}
	res := &Results{highlight: newHighlighter(analyzer, map[string]bool{"apixaban": true, "renal": true})}
	paragraph := "Rate control first in new-onset atrial fibrillation, with metoprolol titrated to a resting rate under 110; " +
		"check thyroid function, electrolytes and an echocardiogram before discharge. "
	for _, bc := range []struct {
		name, plain string
	}{
		{"short", "Apixaban at the reduced dose for renal function. " + strings.Repeat(paragraph, 8)},
		{"long", strings.Repeat(paragraph, 100) + "Apixaban needs a renal dose check. " + strings.Repeat(paragraph, 40)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if s := res.Snippet(bc.plain); !strings.Contains(string(s), "<mark>") {
					b.Fatalf("no match marked: %s", s)
				}
			}
		})
	}
}
