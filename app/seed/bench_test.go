package seed

import (
	"context"
	"testing"

	"rounds/app/markdown"
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
