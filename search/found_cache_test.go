package search

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// kept says whether the index holds an answer for q and scope that a
// search would use now.
func (w *world) kept(t *testing.T, q string, scope Scope) bool {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	var boardID int64
	if parsed.Board != "" {
		boardID = scope.Boards[parsed.Board]
	}
	x := w.index
	_, ok := x.found.get(foundKey(parsed, scope, boardID), x.generation.Load(), searchSettings{ranking: x.ranking, countCap: x.countCap})
	return ok
}

// TestKeptSearchesEndWithAChangeToTheIndex checks that a search's kept
// answer is used until the index changes, and never after: a new post, an
// edit, a hidden post and a deleted one are each seen by the next search.
func TestKeptSearchesEndWithAChangeToTheIndex(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		all := w.everyone()
		topic, first := w.topic(t, w.board, "Warfarin reversal", "Vitamin K and prothrombin complex for warfarin bleeds.")
		w.catchUp(t)

		w.want(t, "warfarin", all, first.ID)
		if !w.kept(t, "warfarin", all) {
			t.Fatal("a search's answer is not kept")
		}
		w.want(t, "warfarin", all, first.ID) // from what was kept

		reply := w.reply(t, topic, "Warfarin restarted on day three.")
		w.want(t, "warfarin", all, first.ID) // the index has not taken the reply yet
		w.catchUp(t)
		if w.kept(t, "warfarin", all) {
			t.Fatal("an answer kept from before a change to the index is still used")
		}
		w.want(t, "warfarin", all, first.ID, reply.ID)

		w.edit(t, reply, nil, "Apixaban restarted on day three.")
		w.catchUp(t)
		w.want(t, "warfarin", all, first.ID)
		w.want(t, "apixaban", all, reply.ID)

		if err := store.HidePost(ctx, reply.ID, w.author.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "apixaban", all)

		if err := store.DeletePost(ctx, first.ID, w.author.ID); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "warfarin", all)
		if res := w.search(t, "warfarin", all); res.Posts != 0 || res.Groups != 0 {
			t.Fatalf("a deleted post is still counted: %d posts in %d topics", res.Posts, res.Groups)
		}
	})
}

// TestKeptSearchesAreKeptPerScope checks that what one member's search
// found in boards another may not read never reaches the other, whichever
// searches first, with or without board:.
func TestKeptSearchesAreKeptPerScope(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.restrictToPharmacists(t)
		pharmacist := &models.User{Username: "lindqvist", DisplayName: "Eva Lindqvist, PharmD", Profession: "pharmacist", Status: models.StatusVerified}
		if err := store.CreateUser(ctx, pharmacist); err != nil {
			t.Fatal(err)
		}
		w.open(t)
		_, open := w.topic(t, w.board, "Warfarin and amiodarone", "Reduce the warfarin dose by a third.")
		_, closed := w.topic(t, w.restricted, "Warfarin stock shortage", "Switch to apixaban where warfarin is out.")
		w.catchUp(t)
		outsider, insider := w.scopeOf(t, w.peer), w.scopeOf(t, pharmacist)
		if _, ok := outsider.Boards[w.restricted.Slug]; ok {
			t.Fatalf("the fixture failed to restrict %s: %v", w.restricted.Slug, outsider.Boards)
		}

		// The member who reads more searches first.
		w.want(t, "warfarin", insider, open.ID, closed.ID)
		w.want(t, "warfarin", outsider, open.ID)
		if res := w.search(t, "warfarin", outsider); res.Posts != 1 {
			t.Fatalf("the outsider's count is %d posts, want 1", res.Posts)
		}
		w.want(t, "board:pharmacy-only warfarin", insider, closed.ID)
		if res := w.search(t, "board:pharmacy-only warfarin", outsider); !res.NoBoard || len(res.Topics) != 0 {
			t.Fatalf("board: naming a board the outsider cannot read after an insider's search: NoBoard=%v, %d topics", res.NoBoard, len(res.Topics))
		}
		w.want(t, "kind:discussion", insider, open.ID, closed.ID)
		w.want(t, "kind:discussion", outsider, open.ID)

		// And the other way round.
		w.want(t, "apixaban", outsider)
		w.want(t, "apixaban", insider, closed.ID)
		w.want(t, "apixaban", outsider)

		// A scope naming every board but one is not the scope of every board.
		every := Scope{Boards: map[string]int64{w.board.Slug: w.board.ID, w.restricted.Slug: w.restricted.ID}, All: true}
		w.want(t, "warfarin", every, open.ID, closed.ID)
		w.want(t, "warfarin", outsider, open.ID)
	})
}

// TestPagesComeFromTheKeptSearch checks that the pages of a kept answer
// are the pages a fresh search gives, and that changing a page handed out
// does not change what later searches get.
func TestPagesComeFromTheKeptSearch(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		w.open(t)
		all := w.everyone()
		for i := range 2*TopicsPerPage + 5 {
			topic, _ := w.topic(t, w.board, fmt.Sprintf("Heparin question %d", i), "Heparin drip rates, again.")
			if i%3 == 0 {
				w.reply(t, topic, "Heparin nomogram attached.")
			}
		}
		w.catchUp(t)
		pages := func(q string) [][]TopicHit {
			var out [][]TopicHit
			for page := 1; page <= 4; page++ {
				parsed, err := Parse(q)
				if err != nil {
					t.Fatal(err)
				}
				res, err := w.index.Search(context.Background(), Request{Query: parsed, Scope: all, Page: page})
				if err != nil {
					t.Fatal(err)
				}
				if res.Pages != 3 {
					t.Fatalf("%q page %d: %d pages, want 3", q, page, res.Pages)
				}
				out = append(out, res.Topics)
			}
			return out
		}
		for _, q := range []string{"heparin", "order:newest heparin"} {
			first := pages(q)
			if !w.kept(t, q, all) {
				t.Fatalf("%q: not kept", q)
			}
			if len(first[0]) != TopicsPerPage || len(first[1]) != TopicsPerPage || len(first[2]) != 5 || len(first[3]) != 0 {
				t.Fatalf("%q: pages of %d, %d, %d and %d topics, want 20, 20, 5 and 0", q, len(first[0]), len(first[1]), len(first[2]), len(first[3]))
			}
			seen := map[int64]bool{}
			for _, page := range first {
				for _, hit := range page {
					if seen[hit.TopicID] {
						t.Fatalf("%q: topic %d on two pages", q, hit.TopicID)
					}
					seen[hit.TopicID] = true
				}
			}
			// Spoil the pages handed out; the kept answer must not change.
			for _, page := range first {
				for i := range page {
					page[i].PostIDs[0] = -1
				}
			}
			again := pages(q)
			w.index.found = newFoundCache(foundCacheSize)
			fresh := pages(q)
			for i := range fresh {
				if !slices.EqualFunc(again[i], fresh[i], func(a, b TopicHit) bool {
					return a.TopicID == b.TopicID && slices.Equal(a.PostIDs, b.PostIDs)
				}) {
					t.Fatalf("%q page %d: kept %v, fresh %v", q, i+1, again[i], fresh[i])
				}
			}
		}
	})
}

// TestSearchesAtOnceGetOneAnswer checks that many members asking the same
// thing at the same moment all get the whole answer (run with -race).
func TestSearchesAtOnceGetOneAnswer(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		w.open(t)
		all := w.everyone()
		var want []int64
		for i := range 12 {
			topic, first := w.topic(t, w.board, fmt.Sprintf("Sepsis bundle %d", i), "Sepsis fluids and lactate.")
			want = append(want, first.ID, w.reply(t, topic, "Sepsis antibiotics within the hour.").ID)
		}
		w.catchUp(t)
		slices.Sort(want)
		parsed, err := Parse("sepsis")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		got := make([][]int64, 16)
		errs := make([]error, len(got))
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := w.index.Search(context.Background(), Request{Query: parsed, Scope: all})
				errs[i] = err
				if err == nil {
					for _, topic := range res.Topics {
						got[i] = append(got[i], topic.PostIDs...)
					}
				}
			}()
		}
		wg.Wait()
		for i := range got {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			slices.Sort(got[i])
			if !slices.Equal(got[i], want) {
				t.Fatalf("search %d found %v, want %v", i, got[i], want)
			}
		}
	})
}

// TestFoundCacheWaitsForTheFirstSearch checks that a search asked while
// the same one runs waits for its answer rather than running again, and
// runs for itself when the first one failed.
func TestFoundCacheWaitsForTheFirstSearch(t *testing.T) {
	c := newFoundCache(4)
	release := make(chan struct{})
	started := make(chan struct{})
	runs := 0
	var mu sync.Mutex
	search := func() (*found, error) {
		mu.Lock()
		runs++
		mu.Unlock()
		return &found{posts: 7}, nil
	}
	first := make(chan *found)
	go func() {
		f, _ := c.do("k", 1, func() (*found, error) {
			close(started)
			<-release
			return search()
		})
		first <- f
	}()
	<-started
	second := make(chan *found)
	go func() {
		f, _ := c.do("k", 1, search)
		second <- f
	}()
	// Let the first finish once the second waits for it.
	for {
		c.mu.Lock()
		waiting := c.calls["k\x001"].waiting
		c.mu.Unlock()
		if waiting == 1 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	a, b := <-first, <-second
	if a == nil || b == nil || a.posts != 7 || b.posts != 7 {
		t.Fatalf("answers %v and %v, want 7 posts each", a, b)
	}
	mu.Lock()
	defer mu.Unlock()
	if runs != 1 {
		t.Fatalf("the search ran %d times for two callers at once, want 1", runs)
	}

	failed := fmt.Errorf("request ended")
	f, err := c.do("k", 2, func() (*found, error) { return nil, failed })
	if err != failed || f != nil {
		t.Fatalf("a failed search gives %v, %v", f, err)
	}
}

// TestFoundKeysTellSearchesApart checks that searches that may find
// different posts never share a key.
func TestFoundKeysTellSearchesApart(t *testing.T) {
	parse := func(s string) Query {
		q, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	all := Scope{Boards: map[string]int64{"a": 1, "b": 2}, All: true}
	some := Scope{Boards: map[string]int64{"a": 1, "b": 2}}
	fewer := Scope{Boards: map[string]int64{"a": 1}}
	other := Scope{Boards: map[string]int64{"a": 1, "c": 3}}
	keys := map[string]string{}
	for _, tc := range []struct {
		name  string
		q     Query
		scope Scope
		board int64
	}{
		{"words", parse("heart failure"), all, 0},
		{"one word", parse("heartfailure"), all, 0},
		{"phrase", parse(`"heart failure"`), all, 0},
		{"excluded", parse("heart -failure"), all, 0},
		{"in title", parse("in:title heart failure"), all, 0},
		{"newest", parse("order:newest heart failure"), all, 0},
		{"some boards", parse("heart failure"), some, 0},
		{"fewer boards", parse("heart failure"), fewer, 0},
		{"other boards", parse("heart failure"), other, 0},
		{"board", parse("board:a heart failure"), all, 1},
		{"other board", parse("board:b heart failure"), all, 2},
		{"author", parse("@okafor heart failure"), all, 0},
		{"kind", parse("kind:case heart failure"), all, 0},
		{"tag", parse("tag:hf heart failure"), all, 0},
		{"two tags", parse("tag:hf tag:cardiology heart failure"), all, 0},
		{"after", parse("after:2025 heart failure"), all, 0},
		{"before", parse("before:2025 heart failure"), all, 0},
		{"answered", parse("is:answered heart failure"), all, 0},
		{"unanswered", parse("is:unanswered heart failure"), all, 0},
	} {
		key := foundKey(tc.q, tc.scope, tc.board)
		if prev, ok := keys[key]; ok {
			t.Errorf("%s and %s share a key", prev, tc.name)
		}
		keys[key] = tc.name
	}
	// The same boards, listed in another order, are the same search.
	a := Scope{Boards: map[string]int64{"x": 5, "y": 9, "z": 2}}
	b := Scope{Boards: map[string]int64{"z": 2, "x": 5, "y": 9}}
	if foundKey(parse("sepsis"), a, 0) != foundKey(parse("sepsis"), b, 0) {
		t.Error("one set of boards gives two keys")
	}
}
