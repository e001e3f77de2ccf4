package seed

import (
	"context"
	"slices"
	"testing"
	"time"

	"rounds/app/markdown"
	"rounds/models"
	"rounds/models/modelstest"
)

// A synthetic community is written in chunks by one writer while others
// render, into a database that may hold posts already. Whatever the chunks,
// it must hold exactly what the generator makes for the seed, topic i as
// the i-th topic written, with every count, time and search entry a topic
// written one post at a time would have.
func TestLoadSyntheticWritesWhatTheGeneratorMakes(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		md := markdown.New()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		// A first seed, so the second lands on a database with topics,
		// posts and search entries of its own.
		first := Options{Topics: 9, Replies: 2, Members: 12, Seed: 3, Now: now}
		if err := LoadSynthetic(ctx, store, md, first); err != nil {
			t.Fatalf("first seed: %v", err)
		}
		var before struct{ Topics, Posts, Outbox int64 }
		if err := store.DB().Raw(`SELECT (SELECT COUNT(*) FROM topics) AS topics, (SELECT COUNT(*) FROM posts) AS posts,
			(SELECT COALESCE(MAX(id), 0) FROM search_outbox) AS outbox`).Scan(&before).Error; err != nil {
			t.Fatal(err)
		}
		// Chunks of three or four topics: many chunks, the last one short.
		opts := Options{Topics: 23, Replies: 4, Members: 12, Seed: 11, Now: now, chunkPosts: 17}
		reported := 0
		opts.Progress = func(posts int) {
			if posts <= reported {
				t.Errorf("progress went from %d to %d posts", reported, posts)
			}
			reported = posts
		}
		if err := LoadSynthetic(ctx, store, md, opts); err != nil {
			t.Fatalf("second seed: %v", err)
		}
		if want := opts.Topics * (opts.Replies + 1); reported != want {
			t.Errorf("progress ended at %d posts, want %d", reported, want)
		}

		g := NewGenerator(opts.Seed)
		members := g.Members(opts.Members)
		boards := g.Boards()
		var topics []models.Topic
		if err := store.DB().Where("id > ?", before.Topics).Order("id").Find(&topics).Error; err != nil {
			t.Fatal(err)
		}
		if len(topics) != opts.Topics {
			t.Fatalf("%d topics written, want %d", len(topics), opts.Topics)
		}
		for i, topic := range topics {
			want := g.Topic(i, opts.Replies, len(members), now)
			var author models.User
			if err := store.DB().Take(&author, topic.AuthorID).Error; err != nil {
				t.Fatal(err)
			}
			var board models.Board
			if err := store.DB().Take(&board, topic.BoardID).Error; err != nil {
				t.Fatal(err)
			}
			if topic.Title != want.Title || board.Slug != boards[want.Board].Slug || author.Username != members[want.Posts[0].Author].Username ||
				topic.Pinned != want.Pinned || topic.PostCount != len(want.Posts) {
				t.Errorf("topic %d: %q on %s by %s, pinned %v, %d posts; want %q on %s by %s, pinned %v, %d posts", i,
					topic.Title, board.Slug, author.Username, topic.Pinned, topic.PostCount,
					want.Title, boards[want.Board].Slug, members[want.Posts[0].Author].Username, want.Pinned, len(want.Posts))
			}
			last := want.Posts[len(want.Posts)-1].At
			if !topic.BumpedAt.Equal(last.UTC().Truncate(time.Microsecond)) {
				t.Errorf("topic %d bumped at %v, want its last post's time %v", i, topic.BumpedAt, last)
			}
			var tags []string
			if err := store.DB().Raw(`SELECT tag FROM topic_tags WHERE topic_id = ? ORDER BY tag`, topic.ID).Scan(&tags).Error; err != nil {
				t.Fatal(err)
			}
			wantTags := slices.Sorted(slices.Values(want.Tags))
			if !slices.Equal(tags, wantTags) {
				t.Errorf("topic %d has tags %v, want %v", i, tags, want.Tags)
			}

			var posts []models.Post
			if err := store.DB().Where("topic_id = ?", topic.ID).Order("number").Find(&posts).Error; err != nil {
				t.Fatal(err)
			}
			if len(posts) != len(want.Posts) {
				t.Fatalf("topic %d has %d posts, want %d", i, len(posts), len(want.Posts))
			}
			for j, p := range posts {
				w := want.Posts[j]
				rendered, err := md.Render(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				if p.Number != j+1 || p.Source != w.Body || p.Cooked != rendered.HTML ||
					!p.CreatedAt.Equal(w.At.UTC().Truncate(time.Microsecond)) {
					t.Errorf("topic %d post %d: number %d, created %v, source or HTML differ from the generator's", i, j+1, p.Number, p.CreatedAt)
				}
				var username string
				if err := store.DB().Raw(`SELECT username FROM users WHERE id = ?`, p.AuthorID).Scan(&username).Error; err != nil {
					t.Fatal(err)
				}
				if username != members[w.Author].Username {
					t.Errorf("topic %d post %d by %s, want %s", i, j+1, username, members[w.Author].Username)
				}
				var revisions []struct {
					Version int
					Source  string
					Title   string
				}
				if err := store.DB().Raw(`SELECT version, source, title FROM post_revisions WHERE post_id = ?`, p.ID).
					Scan(&revisions).Error; err != nil {
					t.Fatal(err)
				}
				wantTitle := ""
				if j == 0 {
					wantTitle = want.Title
				}
				if len(revisions) != 1 || revisions[0].Version != 1 || revisions[0].Source != w.Body || revisions[0].Title != wantTitle {
					t.Errorf("topic %d post %d has revisions %+v, want its first version", i, j+1, revisions)
				}
			}
		}

		// Every board counts what it holds, from both seeds.
		var boardRows []models.Board
		if err := store.DB().Find(&boardRows).Error; err != nil {
			t.Fatal(err)
		}
		type held struct {
			topics, posts int64
			last          time.Time
		}
		heldBy := map[int64]*held{}
		var all []models.Topic
		if err := store.DB().Find(&all).Error; err != nil {
			t.Fatal(err)
		}
		boardOf := map[int64]int64{}
		for _, topic := range all {
			boardOf[topic.ID] = topic.BoardID
			if heldBy[topic.BoardID] == nil {
				heldBy[topic.BoardID] = &held{}
			}
			heldBy[topic.BoardID].topics++
		}
		var allPosts []models.Post
		if err := store.DB().Find(&allPosts).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range allPosts {
			h := heldBy[boardOf[p.TopicID]]
			h.posts++
			if p.CreatedAt.After(h.last) {
				h.last = p.CreatedAt
			}
		}
		for _, b := range boardRows {
			h := heldBy[b.ID]
			if h == nil {
				h = &held{}
			}
			if b.TopicCount != h.topics || b.PostCount != h.posts || (b.LastPostAt == nil) != h.last.IsZero() ||
				b.LastPostAt != nil && !b.LastPostAt.Equal(h.last) {
				t.Errorf("board %d counts %d topics, %d posts, last %v; holds %d, %d, last %v",
					b.ID, b.TopicCount, b.PostCount, b.LastPostAt, h.topics, h.posts, h.last)
			}
		}

		// The search index finds them: each new topic has its entry in the
		// outbox, and the indexer reads each of its posts from it.
		entries, err := store.OutboxAfter(ctx, before.Outbox, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var topicIDs []int64
		for _, e := range entries {
			if e.PostID != nil {
				t.Errorf("outbox entry %d names post %d; a seeded topic's entry names the topic", e.ID, *e.PostID)
			}
			topicIDs = append(topicIDs, e.TopicID)
		}
		if len(topicIDs) != opts.Topics || topicIDs[0] != topics[0].ID || topicIDs[len(topicIDs)-1] != topics[len(topics)-1].ID {
			t.Fatalf("outbox entries for topics %v, want one for each of %d to %d", topicIDs, topics[0].ID, topics[len(topics)-1].ID)
		}
		docs, err := store.SearchDocsForTopics(ctx, topicIDs)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != opts.Topics*(opts.Replies+1) {
			t.Errorf("the indexer reads %d posts of the new topics, want %d", len(docs), opts.Topics*(opts.Replies+1))
		}
		for _, d := range docs {
			i := int(d.TopicID - topics[0].ID)
			want := g.Topic(i, opts.Replies, len(members), now)
			rendered, err := md.Render(want.Posts[d.Number-1].Body)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Visible || d.Title != want.Title || d.Plain != rendered.Plain || d.Plain == "" {
				t.Errorf("topic %d post %d as the indexer reads it: visible %v, title %q, text %q", i, d.Number, d.Visible, d.Title, d.Plain)
			}
		}
	})
}
