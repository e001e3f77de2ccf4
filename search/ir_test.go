package search

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// A test collection: documents, queries written by people who wanted
// something, and judgments of which documents answer each query. Relevance
// is measured on two, one medical (MED) and one not (Cranfield), so that a
// change tuned on one cannot hide a loss on the other.
type irCollection struct {
	name    string
	docs    []irDoc // document i+1 is docs[i]
	queries []irQuery
	rel     map[int]map[int]bool // query id → relevant document ids
}

type irDoc struct {
	title, body string
}

type irQuery struct {
	id   int
	text string
}

// loadCollection imports every document as a topic of one post, through
// the database, and builds an index of them as a node does. Topic i is
// document i.
func loadCollection(t *testing.T, c irCollection) *Index {
	t.Helper()
	ctx := context.Background()
	// SQLite is enough: the figures are the index's, not the database's.
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	author := modelstest.Verified("librarian", "Librarian").Make(t, store)
	board := modelstest.OpenBoard("collection", c.name).Make(t, store)
	// All written at the same moment, so the date ties nothing.
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	imports := make([]models.ImportTopic, len(c.docs))
	for i, d := range c.docs {
		imports[i] = models.ImportTopic{BoardID: board.ID, Title: d.title, Posts: []models.ImportPost{{
			AuthorID: author.ID, Source: d.body, Cooked: "<p>" + d.body + "</p>", Plain: plainOf(d.body), At: at,
		}}}
	}
	if err := store.ImportTopics(ctx, imports); err != nil {
		t.Fatal(err)
	}
	w := &world{store: store, dir: t.TempDir()}
	x := w.open(t)
	// Topic ids are the documents' ids only if the import numbered from 1.
	first, err := store.SearchDocsAfter(ctx, 0, 1)
	if err != nil || len(first) != 1 || first[0].TopicID != 1 {
		t.Fatalf("the first imported topic is not topic 1: %v %v", first, err)
	}
	// Every document must be in the index, or the figures measure a
	// rebuild that lost documents rather than ranking.
	if n, err := x.current.DocCount(); err != nil || n != uint64(len(c.docs)) {
		t.Fatalf("the rebuilt index holds %d of %d posts (%v): Rebuild lost documents", n, len(c.docs), err)
	}
	return x
}

// queryText turns a query into what a member could type: the query
// language gives quotes, a leading -, @ and "key:" meanings, so every
// character other than a letter or digit becomes a space (punctuation
// carries nothing a search uses); words the analyser drops anyway ("the",
// "of") are left out so long questions fit in the 32 parts Parse allows.
// With short, only the first three words are kept, as a member types a
// question in a hurry. It returns how many words had to be cut past the
// limit.
func queryText(x *Index, raw string, short bool) (string, int) {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return ' '
	}, raw)
	var words []string
	for _, w := range strings.Fields(clean) {
		if len(x.analyze(w, nil)) > 0 {
			words = append(words, w)
		}
	}
	limit := maxTerms
	if short {
		limit = shortQueryWords
	}
	cut := 0
	if len(words) > limit {
		cut = len(words) - limit
		words = words[:limit]
	}
	if short {
		cut = 0
	}
	return strings.Join(words, " "), cut
}

// shortQueryWords is how many words a short query keeps.
const shortQueryWords = 3

// rankedTopics runs a search as a member does and pages through the
// results until it has want topics or there are no more.
func rankedTopics(t *testing.T, x *Index, q Query, want int) ([]int64, *Results) {
	t.Helper()
	var topics []int64
	var first *Results
	for page := 1; len(topics) < want; page++ {
		res, err := x.Search(context.Background(), Request{Query: q, Scope: Scope{All: true}, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
		}
		for _, th := range res.Topics {
			topics = append(topics, th.TopicID)
		}
		if page >= res.Pages || len(res.Topics) == 0 {
			break
		}
	}
	if len(topics) > want {
		topics = topics[:want]
	}
	return topics, first
}

// ndcg is nDCG@k with binary gains and a log2 discount.
func ndcg(ranked []int, relevant map[int]bool, k int) float64 {
	dcg := 0.0
	for i, d := range ranked[:min(k, len(ranked))] {
		if relevant[d] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	ideal := 0.0
	for i := range min(k, len(relevant)) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func recall(ranked []int, relevant map[int]bool, k int) float64 {
	found := 0
	for _, d := range ranked[:min(k, len(ranked))] {
		if relevant[d] {
			found++
		}
	}
	if len(relevant) == 0 {
		return 0
	}
	return float64(found) / float64(len(relevant))
}

// irFigures are one ranking's figures, averaged over the queries.
type irFigures struct {
	ndcg10, recall100 float64
	perQuery          map[int][2]float64
}

func (f *irFigures) add(id int, ranked []int, relevant map[int]bool) {
	n, r := ndcg(ranked, relevant, 10), recall(ranked, relevant, 100)
	f.perQuery[id] = [2]float64{n, r}
	f.ndcg10 += n
	f.recall100 += r
}

func (f *irFigures) average() {
	f.ndcg10 /= float64(len(f.perQuery))
	f.recall100 /= float64(len(f.perQuery))
}

// irRun is what one collection measured, with one kind of query.
type irRun struct {
	ours, bm25 irFigures
	anyWord    int // queries answered by the any-word fallback
}

// evaluate runs every query of the collection two ways: as members
// search, and with textbook BM25 over the words of each post (title and
// body as one field, no synonyms, any word), computed here from the
// index's own analyser.
func evaluate(t *testing.T, x *Index, c irCollection, short bool) irRun {
	t.Helper()
	r := irRun{
		ours: irFigures{perQuery: map[int][2]float64{}},
		bm25: irFigures{perQuery: map[int][2]float64{}},
	}
	baseline := newBM25(x, c.docs)
	for _, cq := range c.queries {
		text, cut := queryText(x, cq.text, short)
		if cut > 0 {
			t.Logf("%s query %d: %d words past the %d-part limit left out", c.name, cq.id, cut, maxTerms)
		}
		q, err := Parse(text)
		if err != nil {
			t.Fatalf("%s query %d %q: %v", c.name, cq.id, text, err)
		}
		topics, res := rankedTopics(t, x, q, 100)
		ranked := make([]int, len(topics))
		for i, id := range topics {
			ranked[i] = int(id)
		}
		r.ours.add(cq.id, ranked, c.rel[cq.id])
		if res.AnyWord {
			r.anyWord++
		}
		r.bm25.add(cq.id, baseline.rank(text, 100), c.rel[cq.id])
	}
	r.ours.average()
	r.bm25.average()
	return r
}

// report logs a collection's figures, and each query's with -v.
func (r irRun) report(t *testing.T, c irCollection, kind string) {
	t.Helper()
	t.Logf("%s, %s queries: %d documents, %d queries", c.name, kind, len(c.docs), len(c.queries))
	t.Logf("  %-28s %8s %10s", "", "nDCG@10", "recall@100")
	t.Logf("  %-28s %8.4f %10.4f", "Rounds search", r.ours.ndcg10, r.ours.recall100)
	t.Logf("  %-28s %8.4f %10.4f", "textbook BM25 (in the test)", r.bm25.ndcg10, r.bm25.recall100)
	t.Logf("  any-word fallback answered %d of %d queries", r.anyWord, len(c.queries))
	if testing.Verbose() && os.Getenv("ROUNDS_IR_PER_QUERY") != "" {
		var b strings.Builder
		for _, q := range c.queries {
			o, m := r.ours.perQuery[q.id], r.bm25.perQuery[q.id]
			fmt.Fprintf(&b, "\n  q%-3d ours %.3f/%.3f  bm25 %.3f/%.3f", q.id, o[0], o[1], m[0], m[1])
		}
		t.Logf("per query, nDCG@10/recall@100:%s", b.String())
	}
}

// irFloor is what a collection's figures must not fall under, for one
// kind of query: a little under what search measured, so that a change
// which ranks worse fails.
type irFloor struct {
	ndcg10, recall100 float64
	// belowBM25 is how far under textbook BM25 search may be; 0 but where
	// a choice made for members costs a little (see its use).
	belowBM25 float64
}

// check fails when a figure is under its floor or under textbook BM25.
func (r irRun) check(t *testing.T, c irCollection, kind string, floor irFloor) {
	t.Helper()
	const eps = 1e-9 // sums of floats: equal runs must compare equal
	if r.ours.ndcg10 < floor.ndcg10 {
		t.Errorf("%s, %s queries: nDCG@10 %.3f fell below its floor %.3f", c.name, kind, r.ours.ndcg10, floor.ndcg10)
	}
	if r.ours.recall100 < floor.recall100 {
		t.Errorf("%s, %s queries: recall@100 %.3f fell below its floor %.3f", c.name, kind, r.ours.recall100, floor.recall100)
	}
	if r.ours.ndcg10 < r.bm25.ndcg10-floor.belowBM25-eps {
		t.Errorf("%s, %s queries: nDCG@10 %.4f is under textbook BM25's %.4f", c.name, kind, r.ours.ndcg10, r.bm25.ndcg10)
	}
	if r.ours.recall100 < r.bm25.recall100-eps {
		t.Errorf("%s, %s queries: recall@100 %.4f is under textbook BM25's %.4f", c.name, kind, r.ours.recall100, r.bm25.recall100)
	}
}

// bm25 is Okapi BM25 as textbooks give it (k1 1.2, b 0.75, Robertson's
// IDF with Lucene's +1), over the text the index holds for each post, with
// every query word optional: the baseline a search engine should not fall
// below.
type bm25 struct {
	x      *Index
	tf     []map[string]int // per document
	length []float64
	df     map[string]int
	avg    float64
}

func newBM25(x *Index, docs []irDoc) *bm25 {
	b := &bm25{x: x, df: map[string]int{}}
	total := 0.0
	for _, d := range docs {
		tf := map[string]int{}
		n := 0
		// What toDocument indexes for an opening post.
		for _, tok := range x.analyzer.Analyze([]byte(d.title + "\n\n" + plainOf(d.body))) {
			tf[string(tok.Term)]++
			n++
		}
		for term := range tf {
			b.df[term]++
		}
		b.tf = append(b.tf, tf)
		b.length = append(b.length, float64(n))
		total += float64(n)
	}
	b.avg = total / float64(len(docs))
	return b
}

// rank returns the best k documents for the query, ties by id.
func (b *bm25) rank(query string, k int) []int {
	const k1, bl = 1.2, 0.75
	n := float64(len(b.tf))
	scores := map[int]float64{}
	for _, tok := range b.x.analyzer.Analyze([]byte(query)) {
		df := float64(b.df[string(tok.Term)])
		if df == 0 {
			continue
		}
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for i, tf := range b.tf {
			if f := float64(tf[string(tok.Term)]); f > 0 {
				scores[i+1] += idf * f * (k1 + 1) / (f + k1*(1-bl+bl*b.length[i]/b.avg))
			}
		}
	}
	ids := make([]int, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if scores[ids[i]] != scores[ids[j]] {
			return scores[ids[i]] > scores[ids[j]]
		}
		return ids[i] < ids[j]
	})
	return ids[:min(k, len(ids))]
}
