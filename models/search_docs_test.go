package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestSearchDocsCarryTheirTopicAndDropWhatMembersCannotSee(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic, opening, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID, Kind: models.KindCase,
			Title: "Wide-complex tachycardia after TCA overdose", Tags: []string{"toxicology", "ecg"},
			PostContent: models.PostContent{Source: "QRS 160 ms.", Cooked: "<p>QRS 160 ms.</p>", Plain: "QRS 160 ms."}})
		if err != nil {
			t.Fatal(err)
		}
		reply := func(source string, anonymous bool) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.peer.ID, PostContent: models.PostContent{Source: source, Cooked: "<p>" + source + "</p>", Plain: source}, Anonymous: anonymous})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		bicarb, deleted, hidden, anonymous := reply("Bicarbonate first.", false), reply("Wrong thread.", false), reply("Spam.", false), reply("I missed this once.", true)
		if err := store.DeletePost(ctx, deleted.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.HidePost(ctx, hidden.ID, f.author.ID, "Spam"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: bicarb.ID, EditorID: f.peer.ID, BaseVersion: 1, PostContent: models.PostContent{Source: "Bicarbonate, 1-2 mEq/kg.", Cooked: "x", Plain: "Bicarbonate, 1-2 mEq/kg."}}); err != nil {
			t.Fatal(err)
		}
		f.topic(t, "Another topic") // not asked for: must not come back

		docs, err := store.SearchDocsForTopics(ctx, []int64{topic.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			fmt.Sprintf("%d #1 okafor v1 visible=true %q", opening.ID, "QRS 160 ms."),
			fmt.Sprintf("%d #2 weber v2 visible=true %q", bicarb.ID, "Bicarbonate, 1-2 mEq/kg."),
			fmt.Sprintf("%d #3 weber v1 visible=false %q", deleted.ID, ""),
			fmt.Sprintf("%d #4 weber v1 visible=false %q", hidden.ID, ""),
			fmt.Sprintf("%d #5  v1 visible=true %q", anonymous.ID, "I missed this once."),
		}
		describe := func(docs []models.SearchDoc) []string {
			var got []string
			for _, d := range docs {
				got = append(got, fmt.Sprintf("%d #%d %s v%d visible=%v %q", d.PostID, d.Number, d.Author, d.Version, d.Visible, d.Plain))
				if d.TopicID != topic.ID || d.BoardID != f.board.ID || d.Kind != models.KindCase || d.Title != topic.Title ||
					fmt.Sprint(d.Tags) != "[ecg toxicology]" || d.CreatedAt.IsZero() || d.UpdatedAt.Before(d.CreatedAt) || d.CreatedAt.Location() != time.UTC {
					t.Fatalf("document %+v lacks its topic", d)
				}
			}
			return got
		}
		if got := describe(docs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("documents of the topic:\n%q\nwant\n%q", got, want)
		}

		// By post: missing ids are simply absent, the order is by id.
		docs, err = store.SearchDocsForPosts(ctx, []int64{hidden.ID, 99999, opening.ID, deleted.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := describe(docs); fmt.Sprint(got) != fmt.Sprint([]string{want[0], want[2], want[3]}) {
			t.Fatalf("documents of three posts: %q", got)
		}

		// A rebuild sees only what members see.
		docs, err = store.SearchDocsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if got := describe(docs[:3]); fmt.Sprint(got) != fmt.Sprint([]string{want[0], want[1], want[4]}) || len(docs) != 4 {
			t.Fatalf("a rebuild read %d documents: %q", len(docs), got)
		}
		if n, err := store.CountSearchDocs(ctx); err != nil || n != 4 {
			t.Fatalf("count %d, %v", n, err)
		}
		versions, err := store.SearchVersions(ctx, opening.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(versions) != fmt.Sprintf("map[%d:2 %d:1]", bicarb.ID, anonymous.ID) {
			t.Fatalf("versions after the opening post: %v", versions)
		}
		// Unhiding brings a post back.
		if err := store.UnhidePost(ctx, hidden.ID, f.author.ID); err != nil {
			t.Fatal(err)
		}
		if docs, err = store.SearchDocsForPosts(ctx, []int64{hidden.ID}); err != nil || len(docs) != 1 || !docs[0].Visible || docs[0].Plain != "Spam." {
			t.Fatalf("an unhidden post: %+v, %v", docs, err)
		}
		if docs, err = store.SearchDocsForPosts(ctx, nil); err != nil || len(docs) != 0 {
			t.Fatalf("no ids: %+v, %v", docs, err)
		}
		// Hiding the opening post hides its topic: none of the topic's posts
		// is counted, the other topic's one still is; unhiding counts them
		// again (the unhidden reply with them).
		if n, err := store.CountSearchDocs(ctx); err != nil || n != 5 {
			t.Fatalf("count with the reply unhidden %d, %v; want 5", n, err)
		}
		if err := store.HidePost(ctx, opening.ID, f.author.ID, "Identifiers"); err != nil {
			t.Fatal(err)
		}
		if n, err := store.CountSearchDocs(ctx); err != nil || n != 1 {
			t.Fatalf("count with the opening post hidden %d, %v; want 1", n, err)
		}
		if err := store.UnhidePost(ctx, opening.ID, f.author.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := store.CountSearchDocs(ctx); err != nil || n != 5 {
			t.Fatalf("count with the opening post shown again %d, %v; want 5", n, err)
		}
	})
}

func TestSearchDocsAfterPagesEveryPostOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		if head, err := store.OutboxHead(ctx); err != nil || head != 0 {
			t.Fatalf("outbox head of an empty outbox: %d, %v", head, err)
		}
		// 250 topics of 10 posts, on two tags alternately.
		const topics, perTopic = 250, 10
		at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		var batch []models.ImportTopic
		for i := range topics {
			it := models.ImportTopic{BoardID: f.board.ID, Title: fmt.Sprintf("Topic %d", i), Tags: []string{[]string{"ecg", "sepsis"}[i%2]}}
			for j := range perTopic {
				it.Posts = append(it.Posts, models.ImportPost{AuthorID: f.author.ID, Source: fmt.Sprintf("post %d.%d", i, j), Cooked: "c", Plain: fmt.Sprintf("post %d.%d", i, j), At: at.Add(time.Duration(i*perTopic+j) * time.Second)})
			}
			batch = append(batch, it)
		}
		if err := store.ImportTopics(ctx, batch); err != nil {
			t.Fatal(err)
		}
		head, err := store.OutboxHead(ctx)
		if err != nil || head != int64(topics) {
			t.Fatalf("outbox head %d, %v; want %d", head, err, topics)
		}
		if n, err := store.CountSearchDocs(ctx); err != nil || n != topics*perTopic {
			t.Fatalf("count %d, %v", n, err)
		}

		seen := map[int64]int{}
		var ids []int64
		var after int64
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatal("paging does not end")
			}
			docs, err := store.SearchDocsAfter(ctx, after, 333)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) == 0 {
				break
			}
			versions, err := store.SearchVersions(ctx, after, 333)
			if err != nil {
				t.Fatal(err)
			}
			if len(versions) != len(docs) {
				t.Fatalf("%d versions for %d documents after %d", len(versions), len(docs), after)
			}
			for _, d := range docs {
				if d.PostID <= after {
					t.Fatalf("post %d came after %d", d.PostID, after)
				}
				after = d.PostID
				seen[d.PostID]++
				ids = append(ids, d.PostID)
				if v, ok := versions[d.PostID]; !ok || v != d.Version {
					t.Fatalf("post %d: version %d, SearchVersions says %d (%v)", d.PostID, d.Version, v, ok)
				}
				if want := fmt.Sprintf("post %d.%d", d.TopicID-1, d.Number-1); d.Plain != want || len(d.Tags) != 1 || d.Author != "okafor" {
					t.Fatalf("document %+v, want source %q", d, want)
				}
			}
		}
		if len(seen) != topics*perTopic || len(ids) != topics*perTopic {
			t.Fatalf("paged %d distinct of %d documents, want %d", len(seen), len(ids), topics*perTopic)
		}

		// More than one IN list's worth of ids, by post and by topic.
		docs, err := store.SearchDocsForPosts(ctx, ids)
		if err != nil || len(docs) != len(ids) {
			t.Fatalf("%d documents by post id, %v", len(docs), err)
		}
		var topicIDs []int64
		for id := range int64(topics) {
			topicIDs = append(topicIDs, id+1)
		}
		if docs, err = store.SearchDocsForTopics(ctx, topicIDs); err != nil || len(docs) != len(ids) {
			t.Fatalf("%d documents by topic id, %v", len(docs), err)
		}
		tags, err := store.TagsForTopics(ctx, topicIDs)
		if err != nil || len(tags) != topics {
			t.Fatalf("tags of %d topics, %v", len(tags), err)
		}
	})
}
