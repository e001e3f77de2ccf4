package search

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"rounds/app/markdown"
	"rounds/models"
	"rounds/models/modelstest"
)

// world is a small community on a fresh database with a search index.
type world struct {
	store      *models.Store
	index      *Index
	dir        string
	author     *models.User
	peer       *models.User
	board      *models.Board
	restricted *models.Board
}

func newWorld(t *testing.T, store *models.Store) *world {
	t.Helper()
	return &world{store: store, dir: t.TempDir(),
		author:     modelstest.Verified("okafor", "Dr. Amara Okafor").Specialty("Cardiology").Make(t, store),
		peer:       modelstest.Verified("weber", "Jonas Weber, RN").Specialty("Critical Care Nursing").Make(t, store),
		board:      modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store),
		restricted: modelstest.OpenBoard("pharmacy-only", "Pharmacy only").Make(t, store),
	}
}

// renderer reads posts as the composers do.
var renderer = markdown.New()

// plainOf is the plain text a composer stores with a post of body.
func plainOf(body string) string {
	res, err := renderer.Render(body)
	if err != nil {
		panic(err)
	}
	return res.Plain
}

// open opens the world's index and builds it, as a starting node does.
func (w *world) open(t *testing.T) *Index {
	t.Helper()
	x, err := Open(w.dir, w.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !x.Status().Ready {
		if err := x.rebuildHere(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = x.Close() })
	w.index = x
	return x
}

func (w *world) topic(t *testing.T, board *models.Board, title, body string, tags ...string) (*models.Topic, *models.Post) {
	t.Helper()
	topic, post, err := w.store.CreateTopic(context.Background(), models.NewTopic{
		BoardID: board.ID, AuthorID: w.author.ID, Title: title, Tags: tags, PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return topic, post
}

func (w *world) reply(t *testing.T, topic *models.Topic, body string) *models.Post {
	t.Helper()
	post, err := w.store.CreateReply(context.Background(), models.NewReply{
		TopicID: topic.ID, AuthorID: w.peer.ID, PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return post
}

func (w *world) catchUp(t *testing.T) {
	t.Helper()
	if _, err := w.index.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// everyone can read both boards.
func (w *world) everyone() Scope {
	return Scope{Boards: map[string]int64{w.board.Slug: w.board.ID, w.restricted.Slug: w.restricted.ID}}
}

// find searches as someone who reads scope and returns the matching post ids.
func (w *world) find(t *testing.T, q string, scope Scope) []int64 {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.index.Search(context.Background(), Request{Query: parsed, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, topic := range res.Topics {
		ids = append(ids, topic.PostIDs...)
	}
	return ids
}

func TestWritesBecomeSearchable(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		w.open(t)
		topic, first := w.topic(t, w.board, "Refractory VT in a young athlete", "Recurrent **ventricular tachycardia** despite amiodarone.", "arrhythmia")
		w.catchUp(t)
		if got := w.find(t, "refractory athlete", w.everyone()); len(got) != 1 || got[0] != first.ID {
			t.Fatalf("title words found %v, want post %d", got, first.ID)
		}
		if got := w.find(t, "tachycardias", w.everyone()); len(got) != 1 {
			t.Fatalf("a stemmed body word found %v", got)
		}
		if got := w.find(t, "vtach", w.everyone()); len(got) != 1 {
			t.Fatalf("a synonym found %v", got)
		}
		reply := w.reply(t, topic, "Did anyone check for ARVC on MRI?")
		w.catchUp(t)
		if got := w.find(t, "arvc", w.everyone()); len(got) != 1 || got[0] != reply.ID {
			t.Fatalf("a reply found %v, want %d", got, reply.ID)
		}
	})
}

// TestShardSpread checks that posts are spread over the shards evenly,
// including opening posts numbered like their topics ("7/7"), which a
// hash's low bit alone put all in one shard.
func TestShardSpread(t *testing.T) {
	set := &shardSet{shards: make([]bleve.Index, shardCount)}
	for _, ids := range []func(i int64) string{
		func(i int64) string { return docID(i, i) },
		func(i int64) string { return docID(i, 20*i+3) },
	} {
		counts := make([]int, shardCount)
		const n = 2000
		for i := int64(1); i <= n; i++ {
			counts[set.shardOf(ids(i))]++
		}
		for s, c := range counts {
			if want := n / shardCount; c < want*9/10 || c > want*11/10 {
				t.Errorf("shard %d holds %d of %d posts, want about %d: %v", s, c, n, want, counts)
			}
		}
	}
}
