package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"rounds/models"
	"rounds/models/modelstest"
)

// restrictToPharmacists closes the world's restricted board to everyone
// but pharmacists, as an administrator does with a group.
func (w *world) restrictToPharmacists(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	g := &models.Group{Name: "Pharmacy", AutoProfession: "pharmacist"}
	if err := w.store.SaveGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetBoardGroups(ctx, w.restricted.ID, []int64{g.ID}, nil); err != nil {
		t.Fatal(err)
	}
}

// scopeOf is what u may search: the boards the store says u may read.
func (w *world) scopeOf(t *testing.T, u *models.User) Scope {
	t.Helper()
	boards, err := w.store.ReadableBoards(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	s := Scope{Boards: map[string]int64{}}
	for _, b := range boards {
		s.Boards[b.Slug] = b.ID
	}
	return s
}

// search runs q for scope and returns the whole result.
func (w *world) search(t *testing.T, q string, scope Scope) *Results {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.index.Search(context.Background(), Request{Query: parsed, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRestrictedBoardsAreNeitherFoundNorCounted(t *testing.T) {
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

		outsider := w.scopeOf(t, w.peer)
		if _, ok := outsider.Boards[w.restricted.Slug]; ok {
			t.Fatalf("the fixture failed to restrict %s: %v", w.restricted.Slug, outsider.Boards)
		}
		w.want(t, "warfarin", outsider, open.ID)
		if res := w.search(t, "warfarin", outsider); res.Posts != 1 || res.Groups != 1 {
			t.Fatalf("an outsider's search counts %d posts in %d topics, want 1 in 1", res.Posts, res.Groups)
		}
		w.want(t, "apixaban", outsider)
		if res := w.search(t, "apixaban", outsider); res.Posts != 0 {
			t.Fatalf("a post on a board the member cannot read is counted: %d", res.Posts)
		}
		if res := w.search(t, "board:pharmacy-only warfarin", outsider); !res.NoBoard || res.Posts != 0 || len(res.Topics) != 0 {
			t.Fatalf("board: naming a board the member cannot read: NoBoard=%v, %d posts, %d topics",
				res.NoBoard, res.Posts, len(res.Topics))
		}
		if res := w.search(t, "board:no-such-board warfarin", outsider); !res.NoBoard {
			t.Fatal("board: naming a missing board does not say so")
		}
		// Nor a search whose words no post holds together, which falls
		// back on posts with some of them.
		w.want(t, "warfarin apixaban", outsider, open.ID)
		if res := w.search(t, "warfarin apixaban", outsider); res.Posts != 1 {
			t.Fatalf("an outsider's any-word search counts %d posts, want 1", res.Posts)
		}
		if res := w.search(t, "apixaban shortage stock", outsider); res.Posts != 0 || len(res.Topics) != 0 {
			t.Fatalf("words only a restricted post holds: %d posts", res.Posts)
		}
		// Nor one where some posts hold every word and others only some.
		w.want(t, "warfarin amiodarone", outsider, open.ID)
		if res := w.search(t, "warfarin amiodarone", outsider); res.Posts != 1 {
			t.Fatalf("an outsider's search counts %d posts, want 1", res.Posts)
		}
		// Filters alone (no words) must not reach past the scope either.
		w.want(t, "kind:discussion", outsider, open.ID)

		insider := w.scopeOf(t, pharmacist)
		w.want(t, "warfarin", insider, open.ID, closed.ID)
		w.want(t, "apixaban", insider, closed.ID)
		w.want(t, "board:pharmacy-only warfarin", insider, closed.ID)
		w.want(t, "warfarin amiodarone", insider, open.ID, closed.ID)
		if res := w.search(t, "board:pharmacy-only warfarin", insider); res.NoBoard || res.Posts != 1 {
			t.Fatalf("the pharmacist's board: search: NoBoard=%v, %d posts", res.NoBoard, res.Posts)
		}
	})
}

func TestDeletedAndHiddenPostsAreNotFound(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		all := w.everyone()
		topic, first := w.topic(t, w.board, "Hyperkalemia management", "Calcium gluconate first.")
		deleted := w.reply(t, topic, "Patiromer worked overnight for us.")
		hidden := w.reply(t, topic, "Zirconium is overpriced nonsense.")
		kept := w.reply(t, topic, "Insulin with dextrose while waiting.")
		w.catchUp(t)
		w.want(t, "patiromer", all, deleted.ID)
		w.want(t, "zirconium", all, hidden.ID)

		if err := store.DeletePost(ctx, deleted.ID, w.author.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.HidePost(ctx, hidden.ID, w.author.ID, "unprofessional"); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		w.want(t, "patiromer", all)
		w.want(t, "zirconium", all)
		w.want(t, "overpriced", all)
		w.want(t, "zirconium patiromer", all)
		w.want(t, "zirconium calcium", all, first.ID)
		// Neither is counted by a search that lists the topic's posts.
		if res := w.search(t, "kind:discussion", all); res.Posts != 2 {
			t.Fatalf("kind:discussion counts %d posts, want 2 (the deleted and hidden ones left out)", res.Posts)
		}
		w.want(t, "kind:discussion", all, first.ID, kept.ID)
	})
}

func TestAnonymousPostsDoNotNameTheirAuthor(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		x := w.open(t)
		all := w.everyone()
		_, named := w.topic(t, w.board, "Burnout in residency", "Night float rotation was brutal.")
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{
			BoardID: w.board.ID, AuthorID: w.author.ID, Title: "Near miss with heparin",
			PostContent: models.PostContent{Source: "I nearly gave a tenfold heparin dose.", Cooked: "<p>I nearly gave a tenfold heparin dose.</p>", Plain: plainOf("I nearly gave a tenfold heparin dose.")}, Anonymous: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		anonReply, err := store.CreateReply(ctx, models.NewReply{
			TopicID: topic.ID, AuthorID: w.author.ID, PostContent: models.PostContent{Source: "Tenfold errors haunt me too.", Cooked: "<p>Tenfold errors haunt me too.</p>", Plain: "Tenfold errors haunt me too."}, Anonymous: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		anonOpen := w.find(t, "heparin", all)
		if len(anonOpen) != 1 {
			t.Fatalf("an anonymous post is not found by its words: %v", anonOpen)
		}
		w.want(t, "tenfold", all, anonOpen[0], anonReply.ID)

		// @author finds the author's named posts only.
		w.want(t, "@okafor", all, named.ID)
		w.want(t, "@okafor tenfold", all)
		w.want(t, "@okafor burnout", all, named.ID)

		// The index holds no author for the anonymous posts: no username
		// (any term of one character or more) and, as mapping.go says,
		// no author field at all (not even an empty term).
		authorTerms := func(docID, pattern string) uint64 {
			t.Helper()
			anyAuthor := query.NewWildcardQuery(pattern)
			anyAuthor.SetField(fieldAuthor)
			q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery([]string{docID}), anyAuthor})
			res, err := x.current.Search(bleve.NewSearchRequest(q))
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		for _, id := range []string{docID(topic.ID, anonOpen[0]), docID(topic.ID, anonReply.ID)} {
			if authorTerms(id, "?*") != 0 {
				t.Fatalf("anonymous document %s has a username in the index", id)
			}
		}
		// The same query finds the named post's author, so it can fail.
		if authorTerms(docID(named.TopicID, named.ID), "?*") != 1 {
			t.Fatal("the named post's author is not in the index")
		}
		for _, id := range []string{docID(topic.ID, anonOpen[0]), docID(topic.ID, anonReply.ID)} {
			if authorTerms(id, "*") != 0 {
				t.Errorf("anonymous document %s has an author field (an empty term)", id)
			}
		}
	})
}

func TestAnEmptyScopeFindsNothing(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		w.open(t)
		_, post := w.topic(t, w.board, "Sepsis bundles", "Lactate within the hour.")
		w.catchUp(t)
		w.want(t, "kind:discussion", w.everyone(), post.ID)

		for _, scope := range []Scope{{}, {Boards: map[string]int64{}}} {
			for _, q := range []string{"kind:discussion", "sepsis", "@okafor", "tag:sepsis", "after:2000", "-nothing"} {
				if res := w.search(t, q, scope); res.Posts != 0 || len(res.Topics) != 0 {
					t.Fatalf("%q with no boards in scope found %d posts", q, res.Posts)
				}
			}
		}
	})
}

// A newest-first search over many posts looks at recent windows first; the
// member's scope must hold in each of them.
func TestNewestFirstStaysInScope(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.restrictToPharmacists(t)
		x := w.open(t)
		now := store.Now()
		var imports []models.ImportTopic
		add := func(board *models.Board, n int, at time.Time, body string) {
			for i := range n {
				imports = append(imports, models.ImportTopic{BoardID: board.ID, Title: fmt.Sprintf("Round %d", i),
					Posts: []models.ImportPost{{AuthorID: w.author.ID, Source: body, Cooked: "<p>" + body + "</p>", Plain: plainOf(body), At: at}}})
			}
		}
		add(w.board, maxHits+20, now.Add(-time.Hour), "Digoxin level on rounds.")
		add(w.restricted, 30, now, "Digoxin stock is low.")
		if err := store.ImportTopics(ctx, imports); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		outsider := w.scopeOf(t, w.peer)
		res := w.search(t, "order:newest digoxin", outsider)
		if res.Posts != uint64(maxHits+20) {
			t.Fatalf("an outsider's newest-first search counts %d posts, want %d", res.Posts, maxHits+20)
		}
		var hits []int64
		for page := 1; page <= res.Pages; page++ {
			parsed, err := Parse("order:newest digoxin")
			if err != nil {
				t.Fatal(err)
			}
			r, err := x.Search(ctx, Request{Query: parsed, Scope: outsider, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, topic := range r.Topics {
				hits = append(hits, topic.PostIDs...)
			}
		}
		docs, err := store.SearchDocsForPosts(ctx, hits)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.BoardID != w.board.ID {
				t.Fatalf("a newest-first search found post %d on board %d, outside the member's scope", d.PostID, d.BoardID)
			}
		}
		if len(hits) == 0 {
			t.Fatal("the newest-first search found nothing")
		}
	})
}
