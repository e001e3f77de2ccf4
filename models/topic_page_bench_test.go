package models_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// BenchmarkTopicPageReads measures the store's reads of an uncached topic
// page, on every engine under test: the topic, its first page of 20 posts
// and a verified reader's marks on them, each over 200 topics read in turn
// (as at a million posts, where a page seldom comes back while cached).
// Compare allocs/op and ns/op before and after a change to these reads.
func BenchmarkTopicPageReads(b *testing.B) {
	const topics, perTopic = 200, 20
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			ctx := context.Background()
			store := modelstest.Migrated(b, e)
			reader := modelstest.Verified("weber", "Jonas Weber, RN").Make(b, store)
			board := modelstest.OpenBoard("cardiology", "Cardiology").Make(b, store)
			authors := make([]*models.User, 10)
			for i := range authors {
				authors[i] = modelstest.Verified(fmt.Sprintf("author%d", i), fmt.Sprintf("Dr. Author %d", i)).
					Specialty("Cardiology").Make(b, store)
			}
			// About the size of a seeded post's HTML.
			cooked := "<p>" + strings.Repeat("Rate control with metoprolol, then anticoagulation by CHA₂DS₂-VASc. ", 12) + "</p>"
			batch := make([]models.ImportTopic, topics)
			for i := range batch {
				posts := make([]models.ImportPost, perTopic)
				for j := range posts {
					posts[j] = models.ImportPost{AuthorID: authors[(i+j)%len(authors)].ID, Source: "s", Cooked: cooked, Plain: "s",
						At: benchBase.Add(time.Duration(i*perTopic+j) * time.Minute)}
				}
				batch[i] = models.ImportTopic{BoardID: board.ID, Title: fmt.Sprintf("Topic %d", i), Tags: []string{"afib", "ecg"}, Posts: posts}
			}
			if err := store.ImportTopics(ctx, batch); err != nil {
				b.Fatal(err)
			}
			b.Run("TopicByID", func(b *testing.B) {
				benchEachTopic(b, topics, func(id int64) error {
					_, err := store.TopicByID(ctx, id)
					return err
				})
			})
			b.Run("PostsInTopic", func(b *testing.B) {
				benchEachTopic(b, topics, func(id int64) error {
					posts, err := store.PostsInTopic(ctx, id, 1, perTopic)
					if err == nil && len(posts) != perTopic {
						err = fmt.Errorf("%d posts, want %d", len(posts), perTopic)
					}
					return err
				})
			})
			b.Run("ReaderMarksOn", func(b *testing.B) {
				benchEachTopic(b, topics, func(id int64) error {
					_, err := store.ReaderMarksOn(ctx, reader.ID, id, 1, perTopic)
					return err
				})
			})
			// The three together: one by one as the page read them
			// before, and as ReadTopicPage reads them (one round trip on
			// PostgreSQL).
			b.Run("ThreeReads", func(b *testing.B) {
				benchEachTopic(b, topics, func(id int64) error {
					if _, err := store.TopicByID(ctx, id); err != nil {
						return err
					}
					if _, err := store.PostsInTopic(ctx, id, 1, perTopic); err != nil {
						return err
					}
					_, err := store.ReaderMarksOn(ctx, reader.ID, id, 1, perTopic)
					return err
				})
			})
			b.Run("ReadTopicPage", func(b *testing.B) {
				benchEachTopic(b, topics, func(id int64) error {
					_, err := store.ReadTopicPage(ctx, models.TopicPageQuery{TopicID: id, Topic: true, Posts: true,
						First: 1, Last: perTopic, ReaderID: reader.ID})
					return err
				})
			})
		})
	}
}

// benchEachTopic runs read on topics 1 to n in turn and reports, beside
// allocations, the process's CPU time a read: steadier than wall time on a
// shared machine (the database server's own CPU, on PostgreSQL, is not in
// it).
func benchEachTopic(b *testing.B, n int, read func(id int64) error) {
	b.ReportAllocs()
	var before, after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		b.Fatal(err)
	}
	serverBefore, server := postgresBackendsCPU()
	i := 0
	for b.Loop() {
		if err := read(int64(i%n + 1)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		b.Fatal(err)
	}
	cpu := (after.Utime.Nano() + after.Stime.Nano()) - (before.Utime.Nano() + before.Stime.Nano())
	b.ReportMetric(float64(cpu)/1e3/float64(b.N), "cpu-µs/op")
	if serverAfter, ok := postgresBackendsCPU(); server && ok {
		b.ReportMetric(float64(serverAfter-serverBefore)/1e3/float64(b.N), "pg-cpu-µs/op")
	}
}

// postgresBackendsCPU is the CPU time so far of the PostgreSQL backends
// serving the test database (ROUNDS_TEST_DATABASE_URL's), when the server
// runs on this machine and /proc shows them: what a read costs the server
// besides this process. Backends that ended are not counted, so it is
// only read around a run whose connections stay open.
func postgresBackendsCPU() (time.Duration, bool) {
	u, err := url.Parse(os.Getenv(modelstest.EnvDatabaseURL))
	if err != nil || u.Path == "" {
		return 0, false
	}
	database := " " + strings.TrimPrefix(u.Path, "/") + " "
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	ticks, found := int64(0), false
	for _, d := range dirs {
		cmdline, err := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		if err != nil || !strings.HasPrefix(string(cmdline), "postgres:") || !strings.Contains(string(cmdline), database) {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command's closing parenthesis: utime and
		// stime are the 12th and 13th of them.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 13 {
			continue
		}
		user, _ := strconv.ParseInt(fields[11], 10, 64)
		system, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks, found = ticks+user+system, true
	}
	// Linux counts in clock ticks of 1/100 s.
	return time.Duration(ticks) * 10 * time.Millisecond, found
}
