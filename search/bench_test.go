package search

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"rounds/models"
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

// BenchmarkQueries measures search latency as a member sees it: the
// query, then loading and highlighting the posts on the first page. It
// runs on a data folder filled by `rounds seed` (and indexed by `rounds
// reindex`, or here on first use):
//
//	ROUNDS_BENCH_DATA=./data/bench go test ./search -run '^$' -bench Queries -benchtime 3000x
//
// Set ROUNDS_BENCH_DATABASE_URL for PostgreSQL, ROUNDS_BENCH_SCOPE=restricted
// for a member kept out of one board, ROUNDS_BENCH_QUERY to time one query.
// It reports p50, p95 and p99 in milliseconds.
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
	if only := os.Getenv("ROUNDS_BENCH_QUERY"); only != "" {
		queries = []string{only}
	}
	parsed := make([]Query, len(queries))
	for i, q := range queries {
		if parsed[i], err = Parse(q); err != nil {
			b.Fatal(err)
		}
	}
	latencies := make([]time.Duration, 0, b.N)
	slowest := make([]time.Duration, len(parsed))
	var hits uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := x.Search(ctx, Request{Query: parsed[i%len(parsed)], Scope: scope})
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
			_ = res.Snippet(d.Source)
			_ = res.Highlight(d.Title)
		}
		took := time.Since(start)
		latencies = append(latencies, took)
		slowest[i%len(parsed)] = max(slowest[i%len(parsed)], took)
		hits += res.Posts
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	at := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	order := make([]int, len(parsed))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return slowest[order[i]] > slowest[order[j]] })
	for _, i := range order[:min(8, len(order))] {
		b.Logf("slowest %-40q %v", queries[i], slowest[i].Round(time.Millisecond/10))
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
}
