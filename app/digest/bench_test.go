package digest_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rounds/app/digest"
	"rounds/models"
	"rounds/models/modelstest"
)

const (
	benchMembers = 10_000
	benchBoards  = 12
	benchTopics  = 400
	benchReplies = 3_000
	// benchWorkers is as many digests in flight as a node's default River
	// queue runs; ROUNDS_BENCH_DIGEST_WORKERS changes it, to see what a
	// queue of the digests' own would give.
	benchWorkers = 4
)

func benchConcurrency(b *testing.B) int {
	if v := os.Getenv("ROUNDS_BENCH_DIGEST_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("ROUNDS_BENCH_DIGEST_WORKERS=%q is not a positive number", v)
		}
		return n
	}
	return benchWorkers
}

// BenchmarkDigest builds and sends the digests of 10,000 members to the
// in-process SMTP server: claim, choose content under each member's board
// access, render both parts, send over SMTP, record. It reports digests
// per second and the process's peak RSS.
//
//	go test -run '^$' -bench Digest -benchtime 1x -timeout 30m ./app/digest/
func BenchmarkDigest(b *testing.B) {
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			store := modelstest.Migrated(b, e)
			s := newSite(b, store, &sink{countOnly: true})
			members := seedBench(b, s)
			b.ResetTimer()
			start := time.Now()
			var sent, empty atomic.Int64
			for i := range b.N {
				p := models.Period{
					Key:         fmt.Sprintf("2099-01-%02d/weekly", i+1),
					Due:         s.clock.Now(),
					WindowStart: s.clock.Now().Add(-24 * time.Hour),
				}
				work := make(chan int64)
				var wg sync.WaitGroup
				for range benchConcurrency(b) {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for id := range work {
							outcome, err := s.workers.Deliver(context.Background(), id, p)
							if err != nil {
								b.Error(err)
								return
							}
							switch outcome {
							case digest.Sent:
								sent.Add(1)
							case digest.Empty:
								empty.Add(1)
							}
						}
					}()
				}
				for _, id := range members {
					work <- id
				}
				close(work)
				wg.Wait()
			}
			elapsed := time.Since(start)
			b.StopTimer()
			total := float64(len(members) * b.N)
			b.ReportMetric(total/elapsed.Seconds(), "digests/s")
			b.ReportMetric(float64(sent.Load())/float64(b.N), "sent/op")
			b.ReportMetric(float64(empty.Load())/float64(b.N), "empty/op")
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			}
			if got := s.sink.accepted(); int64(got) != sent.Load() {
				b.Fatalf("the server received %d digests, %d were recorded as sent", got, sent.Load())
			}
		})
	}
}

// seedBench writes a site in one transaction: boards (two of them closed
// to a group), topics and replies from a few authors, and the members who
// read them, each with an address.
func seedBench(b *testing.B, s *site) []int64 {
	b.Helper()
	ctx := context.Background()
	store := s.store
	var members []int64
	err := store.InTransaction(ctx, func(tx *models.Store) error {
		group := &models.Group{Name: "Cardiology", AutoSpecialty: "Cardiology"}
		if err := tx.SaveGroup(ctx, group); err != nil {
			return err
		}
		var boards []*models.Board
		for i := range benchBoards {
			board := &models.Board{Slug: "board-" + strconv.Itoa(i), Title: "Board " + strconv.Itoa(i), CreatedAt: tx.Now()}
			if err := tx.CreateBoard(ctx, board); err != nil {
				return err
			}
			switch i {
			case 0, 1:
				if err := tx.SetBoardGroups(ctx, board.ID, []int64{group.ID}, nil); err != nil {
					return err
				}
			case 2:
				if err := tx.SetBoardEmailPolicy(ctx, board.ID, models.EmailCounts); err != nil {
					return err
				}
			case 3:
				if err := tx.SetBoardEmailPolicy(ctx, board.ID, models.EmailTitles); err != nil {
					return err
				}
			}
			boards = append(boards, board)
		}
		var authors []int64
		for i := range 20 {
			u := &models.User{Username: "author" + strconv.Itoa(i), DisplayName: "Author " + strconv.Itoa(i),
				Specialty: "Cardiology", Status: models.StatusVerified}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			authors = append(authors, u.ID)
		}
		body := strings.Repeat("Discussed the case at handover; the team agreed on a plan and a follow-up. ", 6)
		var topics []int64
		for i := range benchTopics {
			topic, _, err := tx.CreateTopic(ctx, models.NewTopic{BoardID: boards[i%benchBoards].ID, AuthorID: authors[i%len(authors)],
				Title: "Topic " + strconv.Itoa(i) + " about anticoagulation", PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}, Anonymous: i%7 == 0})
			if err != nil {
				return err
			}
			topics = append(topics, topic.ID)
		}
		for i := range benchReplies {
			// Activity is skewed, as on a real site: a few topics get most replies.
			t := topics[(i*i)%benchTopics]
			if _, err := tx.CreateReply(ctx, models.NewReply{TopicID: t, AuthorID: authors[(i*7)%len(authors)],
				PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}}); err != nil {
				return err
			}
		}
		db := tx.DB()
		for i := range benchMembers {
			specialty := "Hospital Medicine"
			if i%5 == 0 {
				specialty = "Cardiology"
			}
			u := &models.User{Username: "m" + strconv.Itoa(i), DisplayName: "Member " + strconv.Itoa(i),
				Specialty: specialty, Status: models.StatusVerified}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := db.Exec(`INSERT INTO identities (user_id, provider, issuer, subject, email, email_verified, created_at, last_used_at)
				VALUES (?, 'bench', 'https://idp.test', ?, ?, TRUE, ?, ?)`, u.ID, u.Username, u.Username+"@hospital.test",
				tx.Now(), tx.Now()).Error; err != nil {
				return err
			}
			if i%3 == 0 {
				if err := tx.SetBoardLevel(ctx, u.ID, boards[4+i%8].ID, models.LevelWatch); err != nil {
					return err
				}
			}
			if i%4 == 0 {
				if err := tx.SetTopicLevel(ctx, u.ID, topics[1], models.LevelMute); err != nil {
					return err
				}
			}
			members = append(members, u.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return members
}

// peakRSS is the process's high-water resident set in bytes, from Linux's
// /proc; 0 elsewhere.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// BenchmarkChoose chooses one member's digest from a corpus already
// loaded, the step every digest of a window repeats: the member's
// candidates under their board access and subscriptions, the ranking, and
// the posts' texts (read from the database once, then from the corpus).
//
//	go test -run '^$' -bench Choose -benchmem ./app/digest/
func BenchmarkChoose(b *testing.B) {
	e := modelstest.Engines(b)[0]
	store := modelstest.Migrated(b, e)
	s := newSite(b, store, &sink{countOnly: true})
	members := seedBench(b, s)
	ctx := context.Background()
	until := s.clock.Now()
	corpus, err := store.LoadDigestCorpus(ctx, until.Add(-24*time.Hour), until)
	if err != nil {
		b.Fatal(err)
	}
	readers := make([]*models.DigestMember, 200)
	for i := range readers {
		if readers[i], err = store.DigestMemberFor(ctx, members[i*len(members)/len(readers)], ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	items := 0
	for i := range b.N {
		d, err := digest.Choose(ctx, store, corpus, readers[i%len(readers)], 0)
		if err != nil {
			b.Fatal(err)
		}
		items += len(d.Items)
	}
	if items == 0 {
		b.Fatal("every digest was empty")
	}
}
