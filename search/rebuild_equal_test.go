package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"rounds/models"
	"rounds/models/modelstest"
)

// equalQueries cover what members type: words, a phrase, synonyms and
// abbreviations, filters, exclusions and the newest first.
var equalQueries = []string{
	"heparin", "septic shock", `"septic shock"`, "afib apixaban", "troponin renal dosing",
	"vancomycin trough kidney", "mi", "tag:sepsis norepinephrine", "heparin -warfarin",
	"in:title sepsis", "order:newest heparin", "board:cardiology apixaban", "delirium ketamine hypotension",
}

// A rebuild (Bleve's offline builder, a shard's posts merged into one
// segment) must answer every query exactly as the index the tailer built
// post by post: the same posts with the same scores, in the same order,
// the same counts and the same topics. Posts of equal score are compared
// by id: a search leaves them in the order the index stores them, which
// differs between any two indexes built differently, and did before the
// builder too.
func TestRebuiltIndexAnswersLikeOneBuiltPostByPost(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		// Posts only written, never edited or removed: an index kept post
		// by post still counts a replaced document's words in its
		// statistics until a merge drops it, so with edits the two
		// indexes would rightly score a little apart.
		words := strings.Fields("heparin warfarin apixaban troponin sepsis septic shock norepinephrine " +
			"vancomycin trough kidney renal dosing afib delirium ketamine hypotension lactate fluids " +
			"culture antibiotics infarction myocardial dose elderly review")
		rng := rand.New(rand.NewPCG(7, 16))
		text := func() string {
			var b strings.Builder
			for range 4 + rng.IntN(30) {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteString(" ")
			}
			return b.String()
		}
		var topic *models.Topic
		for i := range 160 {
			if i%8 == 0 {
				board := w.board
				if i%16 == 0 {
					board = w.restricted
				}
				var tags []string
				if i%24 == 0 {
					tags = []string{"sepsis"}
				}
				topic, _ = w.topic(t, board, fmt.Sprintf("Case %d: %s", i, text()), text(), tags...)
			} else {
				w.reply(t, topic, text())
			}
			w.catchUp(t) // indexed as written, one post at a time
		}
		before := answers(t, w)
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}

		// Segments of 40 posts, so each shard merges several at once; and
		// of 10 posts merged three at a time, so that merged segments are
		// merged again (as past rebuildMergeMax segments a shard). Then
		// in parts (shardBuild): of 30 posts, three segments each, whose
		// merged segments are merged again; and as the defaults do.
		for _, seg := range []segments{
			{batch: 40, mergeMax: rebuildMergeMax}, {batch: 10, mergeMax: 3},
			{batch: 10, mergeMax: rebuildMergeMax, part: 30}, {batch: 7, mergeMax: 2, part: 25}, defaultSegments,
		} {
			if _, err := rebuild(ctx, w.dir, store, seg, nil); err != nil {
				t.Fatal(err)
			}
			w.reopen(t)
			after := answers(t, w)
			for i, q := range equalQueries {
				if err := sameAnswer(before[i], after[i]); err != nil {
					t.Errorf("%q: the index rebuilt with %+v answers differently: %v", q, seg, err)
				}
			}
		}
	})
}

// answer is what a search shows (topics, counts) and the scored hits
// behind it.
type answer struct {
	topics []TopicHit
	posts  uint64
	hits   search.DocumentMatchCollection
}

func answers(t *testing.T, w *world) []answer {
	t.Helper()
	ctx := context.Background()
	var out []answer
	found := 0
	for _, q := range equalQueries {
		parsed, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.index.Search(ctx, Request{Query: parsed, Scope: w.everyone()})
		if err != nil {
			t.Fatal(err)
		}
		var boardID int64
		if parsed.Board != "" {
			boardID = w.everyone().Boards[parsed.Board]
		}
		plan := w.index.plan(ctx, parsed)
		sr, err := w.index.run(ctx, plan.query(false), w.index.filter(parsed, w.everyone(), boardID), []string{"-_score", "_id"}, maxHits, "")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, answer{topics: res.Topics, posts: res.Posts, hits: sr.Hits})
		if len(sr.Hits) > 0 {
			found++
		}
	}
	if found < len(equalQueries)-1 {
		t.Fatalf("only %d of %d queries found anything: the fixture does not test much", found, len(equalQueries))
	}
	return out
}

func sameAnswer(want, got answer) error {
	if want.posts != got.posts {
		return fmt.Errorf("%d posts match, want %d", got.posts, want.posts)
	}
	if len(want.hits) != len(got.hits) {
		return fmt.Errorf("%d hits, want %d", len(got.hits), len(want.hits))
	}
	for i := range want.hits {
		w, g := want.hits[i], got.hits[i]
		if w.ID != g.ID || math.Abs(w.Score-g.Score) > 1e-9*math.Max(1, math.Abs(w.Score)) {
			return fmt.Errorf("hit %d is %s (score %v), want %s (score %v)", i+1, g.ID, g.Score, w.ID, w.Score)
		}
	}
	if w, g := topicIDs(want.topics), topicIDs(got.topics); !slices.Equal(w, g) {
		return fmt.Errorf("topics %v, want %v", g, w)
	}
	return nil
}

func topicIDs(topics []TopicHit) []int64 {
	var ids []int64
	for _, t := range topics {
		ids = append(ids, t.TopicID)
	}
	slices.Sort(ids)
	return ids
}
