package search

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Search scores with BM25F: a word counts by how often a post uses it, for
// its length, and by how few posts use it, and a word in the title counts
// as more uses in the body (fewer in a long title). Title and body share one measure
// of rarity, the body's (which holds the title), so a word common in posts
// but rare among titles cannot lift a short title over a post whose body
// holds the rare words asked for.
//
// Bleve's own BM25 is not used: it squares the rarity (once in the score,
// once in the query weight), takes the square root of the word's count,
// takes the field's vocabulary divided by the posts as the average length,
// and scales a disjunction by the share of its clauses that matched.
// Measured on MED's long queries, each cost nDCG@10 against textbook BM25:
// the squared rarity about 0.05, the share of clauses 0.036, the length
// 0.025, the square root 0.006 (see ir_test.go for the measurements).
type ranking struct {
	k1 float64 // how quickly more uses of a word stop counting
	b  float64 // how much a long post is marked down against an average one
	// title is what a use of the word in an average-length title adds,
	// in uses in the body: enough to lift a post titled with the words
	// asked for over a short reply that mentions them, too little to
	// outrank a body that has the rarer of them.
	title float64
	// synonym discounts a match on a synonym against the word typed.
	synonym float64
	// tiers puts posts with every word before posts with only some; without
	// it every post with any word is ranked by its score alone.
	tiers bool
	// global measures a word's rarity over every shard, as one index
	// would; without it each shard uses its own share of the posts.
	global bool
	// near is what two words typed next to each other add when a post has
	// them next to each other too, in their rarity: a share of the mean of
	// the two words' weights. 0 adds nothing.
	near float64
	// titleB is how much a long title's uses are marked down against the
	// average title's, as b does for bodies: a word in a five-word title
	// says more about a topic than one in a title that runs to a sentence.
	titleB float64
	// long is the ranking for a question of longWords words or more: a
	// claim-like question (the sentence a clinician pastes) is better
	// answered marking long posts down more (b), where a short one lost.
	long *ranking
}

// longWords is how many words, past the common ones, make a question long.
const longWords = 5

// forWords is the ranking for a question of n words.
func (r ranking) forWords(n int) ranking {
	if r.long != nil && n >= longWords {
		return *r.long
	}
	return r
}

// defaultRanking is what search uses. Each figure was chosen on the
// odd-numbered queries of MED and Cranfield, long and short, and checked
// on the even-numbered ones (TestRankingTuning prints both):
//   - tiers off: putting every post with all the words first cost nDCG@10
//     on short queries of both collections (Cranfield 0.009, MED 0.004 on
//     both halves) and left Cranfield's under plain BM25;
//   - title 1 with titleB 0.75: a title's uses marked down by its length
//     let the title count more (Cranfield gained 0.008 on long queries,
//     on both halves) without MED's first sentences, which stand in for
//     titles there and run long, outranking bodies; 0.5 without the
//     length let a short reply outrank a post titled with the word;
//   - k1 1.5 rather than 1.2: better on Cranfield's halves (+0.003) and
//     the only one of the settings tried that kept recall@100 on MED's
//     short queries at least plain BM25's;
//   - global: each shard's own rarity moved results with the shard a
//     post landed in (and happened to score MED's long queries 0.004
//     higher, which is noise, not a reason);
//   - near 0: a bonus for query words side by side in a post gained up to
//     0.017 on Cranfield but lost 0.003 to 0.027 on MED's held-out half.
//   - for long questions (longWords words or more), b 0.9: both
//     collections' long queries gained on both halves (MED's 0.7137 to
//     0.7216, Cranfield's 0.4010 to 0.4013); for short ones it cost a
//     relevant abstract out of MED's top 100 (recall@100 under plain
//     BM25's). near 0.1 with it gained a little more (0.7227, 0.4042)
//     but doubled a long question's cost (its word pairs are phrase
//     searches: 11 to 21 ms and 16,000 to 39,000 allocations at 20,000
//     posts); near alone cost MED's short queries 0.0024; k1 1.4 with
//     both reached 0.7202 on MED (every query) but cost Cranfield 0.0034.
var defaultRanking = ranking{k1: 1.5, b: 0.75, title: 1, titleB: 0.75, synonym: 0.8, global: true,
	long: &ranking{k1: 1.5, b: 0.9, title: 1, titleB: 0.75, synonym: 0.8, global: true}}

// wordQuery finds the posts holding one analysed term and scores them.
type wordQuery struct {
	term    string
	weight  float64 // 1 for a word typed, less for a synonym
	inTitle bool    // in:title: titles only
	avg     float64 // the average body length, in terms
	avgT    float64 // the average title length, in terms
	rank    ranking
	stats   *corpusStats // rarity over every shard; nil: the shard's own
}

// Searcher implements query.Query.
func (q *wordQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	field := fieldBody
	if q.inTitle {
		field = fieldTitle
	}
	scoring := options.Score != "none"
	postings, err := r.TermFieldReader(ctx, []byte(q.term), field, scoring, scoring, false)
	if err != nil {
		return nil, err
	}
	s := &wordSearcher{postings: postings, scoring: scoring, k1: q.rank.k1, b: q.rank.b, titleW: q.rank.title, titleB: q.rank.titleB, avgT: q.avgT}
	if !scoring {
		return s, nil
	}
	var n, df float64
	if q.stats.usable() {
		n, df = q.stats.docs, q.stats.df(field, q.term)
	} else {
		docs, err := r.DocCount()
		if err != nil {
			_ = postings.Close()
			return nil, err
		}
		n, df = float64(docs), float64(postings.Count())
	}
	s.idf = q.weight * math.Log(1+(n-df+0.5)/(df+0.5))
	s.avg = q.avg
	if q.inTitle {
		s.avg = 0 // titles are all short: their length is not held against them
		return s, nil
	}
	if s.titles, err = r.TermFieldReader(ctx, []byte(q.term), fieldTitle, true, s.titleB > 0 && s.avgT > 0, false); err != nil {
		_ = postings.Close()
		return nil, err
	}
	return s, nil
}

// wordSearcher walks a term's postings in the body and, beside them, in
// the title, which are a subset of them (the body holds the title).
type wordSearcher struct {
	postings index.TermFieldReader
	titles   index.TermFieldReader // nil when not scoring, and for in:title
	scoring  bool
	idf      float64 // with the query's weight
	avg      float64 // average length; 0 for no length normalisation
	k1, b    float64
	titleW   float64 // what a use in the title adds
	titleB   float64 // how much a long title's uses are marked down
	avgT     float64 // the average title length

	doc     index.TermFieldDoc
	title   index.TermFieldDoc
	inTitle *index.TermFieldDoc // the next title holding the term, nil past the last
	started bool
}

func (s *wordSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	tfd, err := s.postings.Next(s.doc.Reset())
	if err != nil || tfd == nil {
		return nil, err
	}
	return s.match(ctx, tfd)
}

func (s *wordSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	tfd, err := s.postings.Advance(id, s.doc.Reset())
	if err != nil || tfd == nil {
		return nil, err
	}
	return s.match(ctx, tfd)
}

func (s *wordSearcher) match(ctx *search.SearchContext, tfd *index.TermFieldDoc) (*search.DocumentMatch, error) {
	m := ctx.DocumentMatchPool.Get()
	m.IndexInternalID = index.NewIndexInternalIDFrom(m.IndexInternalID, tfd.ID)
	if !s.scoring {
		return m, nil
	}
	tf := float64(tfd.Freq)
	if s.avg > 0 && tfd.Norm > 0 {
		length := 1 / (tfd.Norm * tfd.Norm) // Bleve keeps 1/√length
		tf /= 1 - s.b + s.b*length/s.avg
	}
	if s.titles != nil {
		n, err := s.titleUses(tfd.ID)
		if err != nil {
			return nil, err
		}
		tf += s.titleW * n
	}
	m.Score = s.idf * tf * (s.k1 + 1) / (tf + s.k1)
	return m, nil
}

// titleUses is how often the term is in the title of the post id, which
// is never before the last post asked about.
func (s *wordSearcher) titleUses(id index.IndexInternalID) (float64, error) {
	if !s.started || s.inTitle != nil && s.inTitle.ID.Compare(id) < 0 {
		s.started = true
		next, err := s.titles.Advance(id, s.title.Reset())
		if err != nil {
			return 0, err
		}
		s.inTitle = next
	}
	if s.inTitle != nil && s.inTitle.ID.Equals(id) {
		n := float64(s.inTitle.Freq)
		if s.titleB > 0 && s.avgT > 0 && s.inTitle.Norm > 0 {
			length := 1 / (s.inTitle.Norm * s.inTitle.Norm)
			n /= 1 - s.titleB + s.titleB*length/s.avgT
		}
		return n, nil
	}
	return 0, nil
}

func (s *wordSearcher) Close() error {
	err := s.postings.Close()
	if s.titles != nil {
		if terr := s.titles.Close(); err == nil {
			err = terr
		}
	}
	return err
}

// Bleve's query norm scales every clause of a query alike, so it changes
// no order; these scores ignore it.
func (s *wordSearcher) Weight() float64            { return 1 }
func (s *wordSearcher) SetQueryNorm(float64)       {}
func (s *wordSearcher) Count() uint64              { return s.postings.Count() }
func (s *wordSearcher) Min() int                   { return 0 }
func (s *wordSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *wordSearcher) Size() int                  { return 64 + s.postings.Size() }

// anyQuery matches a post that at least min of its clauses match. Its
// score is the sum of theirs, or with best the highest of them: the words
// of a question add up, while a word and its synonyms are one idea.
type anyQuery struct {
	clauses []query.Query
	min     int
	best    bool
}

// Searcher implements query.Query.
func (q *anyQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s := &anySearcher{min: max(q.min, 1), best: q.best}
	for _, c := range q.clauses {
		child, err := c.Searcher(ctx, r, m, options)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.children = append(s.children, child)
	}
	s.current = make([]*search.DocumentMatch, len(s.children))
	return s, nil
}

// anySearcher merges its children's hits, which each come in id order.
type anySearcher struct {
	children []search.Searcher
	current  []*search.DocumentMatch // each child's next hit; nil once it has no more
	min      int
	best     bool
	started  bool
}

func (s *anySearcher) start(ctx *search.SearchContext) error {
	s.started = true
	for i, c := range s.children {
		next, err := c.Next(ctx)
		if err != nil {
			return err
		}
		s.current[i] = next
	}
	return nil
}

func (s *anySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for {
		var lowest index.IndexInternalID
		for _, m := range s.current {
			if m != nil && (lowest == nil || m.IndexInternalID.Compare(lowest) < 0) {
				lowest = m.IndexInternalID
			}
		}
		if lowest == nil {
			return nil, nil
		}
		var hit *search.DocumentMatch
		matched := 0
		score := 0.0
		for _, m := range s.current {
			if m == nil || !m.IndexInternalID.Equals(lowest) {
				continue
			}
			matched++
			if s.best {
				score = max(score, m.Score)
			} else {
				score += m.Score
			}
			if hit == nil {
				hit = m
			}
		}
		if matched < s.min {
			hit = nil
		} else {
			hit.Score = score
		}
		// Move every child that was on this post past it; the hit
		// returned is the first of their matches and stays out of the pool.
		for i, m := range s.current {
			if m == nil || !m.IndexInternalID.Equals(lowest) {
				continue
			}
			next, err := s.children[i].Next(ctx)
			if err != nil {
				return nil, err
			}
			if m != hit {
				ctx.DocumentMatchPool.Put(m)
			}
			s.current[i] = next
		}
		if hit != nil {
			return hit, nil
		}
	}
}

func (s *anySearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for i, c := range s.children {
			next, err := c.Advance(ctx, id)
			if err != nil {
				return nil, err
			}
			s.current[i] = next
		}
		return s.Next(ctx)
	}
	for i, m := range s.current {
		if m == nil || m.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(m)
		next, err := s.children[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.current[i] = next
	}
	return s.Next(ctx)
}

func (s *anySearcher) Close() error {
	var first error
	for _, c := range s.children {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *anySearcher) Weight() float64      { return 1 }
func (s *anySearcher) SetQueryNorm(float64) {}
func (s *anySearcher) Min() int             { return s.min }

func (s *anySearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		n += c.Count()
	}
	return n
}

func (s *anySearcher) DocumentMatchPoolSize() int {
	n := len(s.children)
	for _, c := range s.children {
		n += c.DocumentMatchPoolSize()
	}
	return n
}

func (s *anySearcher) Size() int {
	n := 64
	for _, c := range s.children {
		n += c.Size()
	}
	return n
}

// lengthEstimate is the average length of a post's body, which BM25 holds
// each post's length against. Bleve keeps no total of a field's length, so
// it is measured from the dictionary: the number of posts each term is in,
// summed over the terms, is the number of distinct terms in all posts.
// That undercounts words a post repeats, which only shifts where a post
// counts as long; it is measured again when the index is replaced or has
// grown or shrunk by a tenth.
//
// Measuring reads the head of every term's list of posts, which is spread
// over the whole index: at a million posts, 120 MiB of a shard's 360 MiB
// segment, and every page of it stays in the server's resident memory for
// as long as the index is open (Bleve maps its segments and gives no way
// to let the pages go). So the figures are kept in the index: a rebuild
// measures them before the server opens the index, and a server that
// measures them again, past a tenth's change, writes them with the
// tailer's next batch. A server reads them there rather than measuring,
// while the index holds within a tenth of the posts it held then.
type lengthEstimate struct {
	mu    sync.Mutex
	name  string // the index measured
	docs  uint64 // posts it held then
	avg   float64
	avgT  float64 // the average title, over topics
	saved bool    // the figures are the ones kept in the index
}

// lengthFigures are what a measurement found, as kept in the index under
// keyLength.
type lengthFigures struct {
	docs      uint64
	avg, avgT float64
}

func (f lengthFigures) encode() []byte {
	return []byte(strconv.FormatUint(f.docs, 10) + " " + strconv.FormatFloat(f.avg, 'g', -1, 64) + " " +
		strconv.FormatFloat(f.avgT, 'g', -1, 64))
}

// decodeLength reads figures kept in the index; ok is false when there
// are none, or none usable.
func decodeLength(raw []byte) (f lengthFigures, ok bool) {
	parts := strings.Fields(string(raw))
	if len(parts) != 3 {
		return f, false
	}
	var err [3]error
	f.docs, err[0] = strconv.ParseUint(parts[0], 10, 64)
	f.avg, err[1] = strconv.ParseFloat(parts[1], 64)
	f.avgT, err[2] = strconv.ParseFloat(parts[2], 64)
	if err[0] != nil || err[1] != nil || err[2] != nil || f.docs == 0 || !(f.avg >= 1) || !(f.avgT >= 1) {
		return f, false
	}
	return f, true
}

// withinATenth says whether two counts of posts differ by less than a tenth.
func withinATenth(a, b uint64) bool { return 10*max(a, b) < 11*min(a, b) }

// measureLength measures the average lengths of an index that holds docs
// posts, reading every term's count in the body and the title.
func measureLength(idx *shardSet, docs uint64) (lengthFigures, error) {
	terms, err := idx.postingsCount(fieldBody)
	var titles, topics uint64
	if err == nil {
		titles, err = idx.postingsCount(fieldTitle)
	}
	if err == nil {
		topics, err = idx.termCount(fieldTopic)
	}
	if err != nil {
		return lengthFigures{}, err
	}
	return lengthFigures{
		docs: docs,
		avg:  max(1, float64(terms)/float64(docs)),
		avgT: max(1, float64(titles)/float64(max(topics, 1))),
	}, nil
}

// averageLength is the average number of distinct terms in a post's body
// and in a topic's title.
func (x *Index) averageLength() (body, title float64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.current == nil {
		return 1, 1
	}
	docs, err := x.current.DocCount()
	if err != nil || docs == 0 {
		return 1, 1
	}
	l := &x.length
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.name == x.name && l.avg > 0 && withinATenth(docs, l.docs) {
		return l.avg, l.avgT
	}
	if l.name != x.name {
		// First use of this index here: the figures it keeps, if they
		// still hold.
		if raw, err := x.current.GetInternal(keyLength); err == nil {
			if f, ok := decodeLength(raw); ok && withinATenth(docs, f.docs) {
				l.name, l.docs, l.avg, l.avgT, l.saved = x.name, f.docs, f.avg, f.avgT, true
				return l.avg, l.avgT
			}
		}
	}
	f, err := measureLength(x.current, docs)
	if err != nil {
		x.log.Warn("measure the search index", "err", err)
		if l.avg > 0 {
			return l.avg, l.avgT
		}
		return 1, 1
	}
	l.name, l.docs, l.avg, l.avgT, l.saved = x.name, f.docs, f.avg, f.avgT, false
	return l.avg, l.avgT
}

// unsavedLength is the figures measured here for the index name that the
// index does not keep yet, if any.
func (l *lengthEstimate) unsavedLength(name string) (lengthFigures, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.saved || l.name != name || l.avg <= 0 {
		return lengthFigures{}, false
	}
	return lengthFigures{docs: l.docs, avg: l.avg, avgT: l.avgT}, true
}

// savedLength notes that the index name keeps the figures f, unless they
// have been measured again since.
func (l *lengthEstimate) savedLength(name string, f lengthFigures) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.name == name && l.docs == f.docs && l.avg == f.avg && l.avgT == f.avgT {
		l.saved = true
	}
}

// corpusStats are the figures rarity is measured with, over every shard
// of the index rather than each shard's own share: a word's weight then
// does not depend on which shard a post landed in, and a small community
// scores as one index would.
type corpusStats struct {
	docs    float64
	counts  map[string]float64 // field and term → posts holding it
	readers []index.IndexReader
	failed  bool // a shard could not be read: fall back to each shard's figures
}

// openStats starts measuring the current index; close it once the query
// is built.
func (x *Index) openStats() *corpusStats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.current == nil {
		return nil
	}
	st := &corpusStats{counts: map[string]float64{}}
	for _, shard := range x.current.shards {
		raw, err := shard.Advanced()
		if err != nil {
			st.close()
			return nil
		}
		r, err := raw.Reader()
		if err != nil {
			st.close()
			return nil
		}
		st.readers = append(st.readers, r)
		n, err := r.DocCount()
		if err != nil {
			st.close()
			return nil
		}
		st.docs += float64(n)
	}
	return st
}

// note looks up how many posts hold term in field, once.
func (st *corpusStats) note(ctx context.Context, field, term string) {
	if st == nil || st.failed {
		return
	}
	key := field + "\x00" + term
	if _, ok := st.counts[key]; ok {
		return
	}
	n := 0.0
	for _, r := range st.readers {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			st.failed = true
			return
		}
		n += float64(tfr.Count())
		_ = tfr.Close()
	}
	st.counts[key] = n
}

func (st *corpusStats) df(field, term string) float64 { return st.counts[field+"\x00"+term] }

// usable says whether the figures can be scored with.
func (st *corpusStats) usable() bool { return st != nil && !st.failed && st.docs > 0 }

func (st *corpusStats) close() {
	if st == nil {
		return
	}
	for _, r := range st.readers {
		_ = r.Close()
	}
	st.readers = nil
}

// bonusQuery matches what its main query matches; each bonus query that
// matches the same post adds its score. Words of the query found next to
// each other in a post, as typed, lift it this way.
type bonusQuery struct {
	main  query.Query
	bonus []query.Query
}

// Searcher implements query.Query.
func (q *bonusQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	main, err := q.main.Searcher(ctx, r, m, options)
	if err != nil || options.Score == "none" {
		return main, err
	}
	s := &bonusSearcher{main: main}
	for _, b := range q.bonus {
		child, err := b.Searcher(ctx, r, m, options)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.bonus = append(s.bonus, child)
	}
	s.current = make([]*search.DocumentMatch, len(s.bonus))
	s.done = make([]bool, len(s.bonus))
	return s, nil
}

type bonusSearcher struct {
	main    search.Searcher
	bonus   []search.Searcher
	current []*search.DocumentMatch // each bonus's last hit
	done    []bool                  // the bonus has no more hits
}

func (s *bonusSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.main.Next(ctx)
	if err != nil || m == nil {
		return m, err
	}
	return m, s.add(ctx, m)
}

func (s *bonusSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.main.Advance(ctx, id)
	if err != nil || m == nil {
		return m, err
	}
	return m, s.add(ctx, m)
}

// add brings each bonus up to the main hit and adds the score of those on it.
func (s *bonusSearcher) add(ctx *search.SearchContext, m *search.DocumentMatch) error {
	for i, b := range s.bonus {
		if s.done[i] {
			continue
		}
		cur := s.current[i]
		if cur == nil || cur.IndexInternalID.Compare(m.IndexInternalID) < 0 {
			if cur != nil {
				ctx.DocumentMatchPool.Put(cur)
			}
			next, err := b.Advance(ctx, m.IndexInternalID)
			if err != nil {
				return err
			}
			s.current[i], s.done[i] = next, next == nil
			cur = next
		}
		if cur != nil && cur.IndexInternalID.Equals(m.IndexInternalID) {
			m.Score += cur.Score
		}
	}
	return nil
}

func (s *bonusSearcher) Close() error {
	err := s.main.Close()
	for _, b := range s.bonus {
		if berr := b.Close(); err == nil {
			err = berr
		}
	}
	return err
}

func (s *bonusSearcher) Weight() float64      { return 1 }
func (s *bonusSearcher) SetQueryNorm(float64) {}
func (s *bonusSearcher) Count() uint64        { return s.main.Count() }
func (s *bonusSearcher) Min() int             { return 0 }

func (s *bonusSearcher) DocumentMatchPoolSize() int {
	n := s.main.DocumentMatchPoolSize()
	for _, b := range s.bonus {
		n += b.DocumentMatchPoolSize() + 1
	}
	return n
}

func (s *bonusSearcher) Size() int {
	n := 64 + s.main.Size()
	for _, b := range s.bonus {
		n += b.Size()
	}
	return n
}

// fixedQuery matches what its query matches, each post scoring score.
type fixedQuery struct {
	query.Query
	score float64
}

// Searcher implements query.Query.
func (q fixedQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Query.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	return fixedSearcher{s, q.score}, nil
}

type fixedSearcher struct {
	search.Searcher
	score float64
}

func (s fixedSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Next(ctx)
	if m != nil {
		m.Score = s.score
	}
	return m, err
}

func (s fixedSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Advance(ctx, id)
	if m != nil {
		m.Score = s.score
	}
	return m, err
}
