package seed

import (
	"context"
	"testing"
	"time"

	"rounds/app/markdown"
	"rounds/internal/cputime"
	"rounds/models/modelstest"
)

// BenchmarkLoadSynthetic measures `rounds seed` on a fresh SQLite database
// (and PostgreSQL when ROUNDS_TEST_DATABASE_URL is set), in posts a second:
//
//	go test ./app/seed -run '^$' -bench LoadSynthetic -benchtime 3x -cpuprofile cpu.prof
func BenchmarkLoadSynthetic(b *testing.B) {
	const topics, replies = 500, 19
	for n, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			md := markdown.New()
			posts := 0
			for b.Loop() {
				b.StopTimer()
				store := modelstest.Migrated(b, modelstest.Engines(b)[n])
				b.StartTimer()
				err := LoadSynthetic(context.Background(), store, md, Options{Topics: topics, Replies: replies, Members: 500, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				posts += topics * (replies + 1)
			}
			b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}

// BenchmarkImportChunk measures the writer's half of a seed alone: one
// chunk of generated, rendered topics written with ImportTopics, again and
// again into the same database, in posts a second:
//
//	go test ./app/seed -run '^$' -bench ImportChunk -benchtime 10x -cpuprofile cpu.prof
func BenchmarkImportChunk(b *testing.B) {
	const replies = 19
	chunkTopics := chunkPosts / (replies + 1)
	for n, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			ctx := context.Background()
			store := modelstest.Migrated(b, modelstest.Engines(b)[n])
			g := NewGenerator(1)
			now := store.Now()
			userIDs, err := ensureMembers(ctx, store, g.Members(500), now)
			if err != nil {
				b.Fatal(err)
			}
			boardIDs, err := ensureBoards(ctx, store, g.Boards(), now)
			if err != nil {
				b.Fatal(err)
			}
			generated := make([]Topic, chunkTopics)
			for i := range generated {
				generated[i] = g.Topic(i, replies, len(userIDs), now)
			}
			topics, err := importTopics(generated, userIDs, boardIDs, markdown.New(), nil)
			if err != nil {
				b.Fatal(err)
			}
			posts := 0
			cpu := cputime.Used()
			for b.Loop() {
				if err := store.ImportTopics(ctx, topics); err != nil {
					b.Fatal(err)
				}
				posts += chunkTopics * (replies + 1)
			}
			b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
			b.ReportMetric(float64((cputime.Used()-cpu).Microseconds())/float64(posts), "cpu-µs/post")
		})
	}
}

// BenchmarkRenderChunk measures the other half: generating and rendering
// one chunk of topics on one goroutine, in posts a second.
func BenchmarkRenderChunk(b *testing.B) {
	const replies = 19
	chunkTopics := chunkPosts / (replies + 1)
	g := NewGenerator(1)
	md := markdown.New()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	userIDs := make([]int64, 500)
	boardIDs := make([]int64, len(g.Boards()))
	posts := 0
	cpu := cputime.Used()
	for b.Loop() {
		generated := make([]Topic, chunkTopics)
		for i := range generated {
			generated[i] = g.Topic(i, replies, len(userIDs), now)
		}
		if _, err := importTopics(generated, userIDs, boardIDs, md, nil); err != nil {
			b.Fatal(err)
		}
		posts += chunkTopics * (replies + 1)
	}
	b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64((cputime.Used()-cpu).Microseconds())/float64(posts), "cpu-µs/post")
}
