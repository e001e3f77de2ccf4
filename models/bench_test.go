package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rounds/internal/cputime"
	"rounds/models"
	"rounds/models/modelstest"
)

// BenchmarkBoardPaging compares the first page of a board of 30,000 topics
// with a page 500 pages deep: keyset paging makes them cost the same.
func BenchmarkBoardPaging(b *testing.B) {
	ctx := context.Background()
	const n = 30000
	store, _, board := benchBoard(b, n, "ecg")
	// The cursor after 500 pages of 30 topics, newest first.
	deep := models.TopicCursor{BumpedAt: benchBase.Add(time.Duration(n-500*30) * time.Minute), ID: int64(n - 500*30 + 1)}
	for _, bc := range []struct {
		name string
		page models.TopicPage
	}{
		{"page1", models.TopicPage{Limit: 30}},
		{"page500", models.TopicPage{Limit: 30, After: &deep}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				got, _, err := store.TopicsInBoard(ctx, board.ID, bc.page)
				if err != nil || len(got) != 30 {
					b.Fatalf("%d topics, %v", len(got), err)
				}
			}
		})
	}
	b.Run("tag-page500", func(b *testing.B) {
		for b.Loop() {
			got, _, err := store.TopicsWithTag(ctx, nil, "ecg", int64(n-500*30), 30)
			if err != nil || len(got) != 30 {
				b.Fatalf("%d topics, %v", len(got), err)
			}
		}
	})
}

// BenchmarkSearchDocsAfter reads a batch of 1,000 documents for a rebuild at
// the start and near the end of 100,000 posts, on every engine under test:
// keyset paging on the posts' primary key makes them cost the same.
func BenchmarkSearchDocsAfter(b *testing.B) {
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			ctx := context.Background()
			store := modelstest.Migrated(b, e)
			author := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(b, store)
			board := modelstest.OpenBoard("cardiology", "Cardiology").Make(b, store)
			const topics, perTopic = 10000, 10
			base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			batch := make([]models.ImportTopic, topics)
			for i := range batch {
				batch[i] = models.ImportTopic{BoardID: board.ID, Title: fmt.Sprintf("Topic %d", i), Tags: []string{"ecg", "syncope"}}
				for j := range perTopic {
					batch[i].Posts = append(batch[i].Posts, models.ImportPost{AuthorID: author.ID,
						Source: "A paragraph of what a clinician might write about the case.", Cooked: "<p>s</p>",
						At: base.Add(time.Duration(i*perTopic+j) * time.Second)})
				}
			}
			if err := store.ImportTopics(ctx, batch); err != nil {
				b.Fatal(err)
			}
			for _, bc := range []struct {
				name  string
				after int64
			}{
				{"first", 0},
				{"deep", topics*perTopic - 2000},
			} {
				b.Run(bc.name, func(b *testing.B) {
					for b.Loop() {
						got, err := store.SearchDocsAfter(ctx, bc.after, 1000)
						if err != nil || len(got) != 1000 {
							b.Fatalf("%d documents, %v", len(got), err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkSearchPage reads back what one page of search results shows: 20
// topics and 60 of their posts, each post with a few paragraphs of text,
// for a member (not a moderator, so the boards' permissions are checked),
// on every engine under test.
func BenchmarkSearchPage(b *testing.B) {
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			ctx := context.Background()
			store := modelstest.Migrated(b, e)
			author := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(b, store)
			reader := modelstest.Verified("reader", "A Reader").Profession("physician").Specialty("cardiology").Make(b, store)
			board := modelstest.OpenBoard("cardiology", "Cardiology").Make(b, store)
			const topics, perTopic = 1000, 5
			paragraph := "Started apixaban at the reduced dose given age over eighty and a creatinine of 1.6; " +
				"rate control with metoprolol, and an echocardiogram before discharge. "
			plain := strings.Repeat(paragraph, 10)
			base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			batch := make([]models.ImportTopic, topics)
			for i := range batch {
				batch[i] = models.ImportTopic{BoardID: board.ID, Title: fmt.Sprintf("Topic %d", i), Tags: []string{"ecg"}}
				for j := range perTopic {
					batch[i].Posts = append(batch[i].Posts, models.ImportPost{AuthorID: author.ID,
						Source: plain, Cooked: "<p>" + plain + "</p>", Plain: plain,
						At: base.Add(time.Duration(i*perTopic+j) * time.Second)})
				}
			}
			if err := store.ImportTopics(ctx, batch); err != nil {
				b.Fatal(err)
			}
			var topicIDs, postIDs []int64
			for i := range 20 {
				topic := int64(1 + i*47)
				topicIDs = append(topicIDs, topic)
				for j := range 3 {
					postIDs = append(postIDs, (topic-1)*perTopic+int64(j)+1)
				}
			}
			b.Run("topics", func(b *testing.B) {
				for b.Loop() {
					ts, err := store.ReadableTopicsByID(ctx, reader, topicIDs)
					if err != nil || len(ts) != len(topicIDs) {
						b.Fatalf("%d topics, %v", len(ts), err)
					}
				}
			})
			b.Run("posts", func(b *testing.B) {
				for b.Loop() {
					ps, err := store.VisiblePostsByID(ctx, reader, postIDs)
					if err != nil || len(ps) != len(postIDs) {
						b.Fatalf("%d posts, %v", len(ps), err)
					}
				}
			})
		})
	}
}

// BenchmarkReadPositionsAmong reads a member's positions among a list
// page's 31 topics, of 2,000 they have read, as the board and Latest pages
// do on every view.
func BenchmarkReadPositionsAmong(b *testing.B) {
	ctx := context.Background()
	const n = 4000
	store, author, _ := benchBoard(b, n)
	var read []models.ReadPosition
	for id := int64(1); id <= n; id += 2 {
		read = append(read, models.ReadPosition{UserID: author.ID, TopicID: id, Number: 1, At: benchBase})
	}
	if err := store.RecordReadPositions(ctx, read); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 31)
	for i := range ids {
		ids[i] = int64(1000 + 7*i)
	}
	b.ReportAllocs()
	before := cputime.Used()
	for b.Loop() {
		got, err := store.ReadPositionsAmong(ctx, author.ID, ids)
		if err != nil || len(got) != 15 {
			b.Fatalf("%d positions, %v", len(got), err)
		}
	}
	cpu := cputime.Used() - before
	b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}

// benchBase is when the first of benchBoard's topics was posted; each
// next one a minute later.
var benchBase = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// benchBoard migrates a store of the first engine with one member and one
// board holding n one-post topics by them, carrying tags, posted a minute
// apart from benchBase, with IDs 1..n.
func benchBoard(b *testing.B, n int, tags ...string) (*models.Store, *models.User, *models.Board) {
	b.Helper()
	ctx := context.Background()
	store := modelstest.Migrated(b, modelstest.Engines(b)[0])
	author := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(b, store)
	board := modelstest.OpenBoard("cardiology", "Cardiology").Make(b, store)
	topics := make([]models.ImportTopic, n)
	for i := range topics {
		topics[i] = models.ImportTopic{BoardID: board.ID, Title: fmt.Sprintf("Topic %d", i), Tags: tags,
			Posts: []models.ImportPost{{AuthorID: author.ID, Source: "s", Cooked: "<p>s</p>", At: benchBase.Add(time.Duration(i) * time.Minute)}}}
	}
	if err := store.ImportTopics(ctx, topics); err != nil {
		b.Fatal(err)
	}
	return store, author, board
}
