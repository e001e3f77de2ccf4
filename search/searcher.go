package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Scope is what the member searching may read. It becomes part of the
// query, so nothing outside it is found, counted or quoted.
type Scope struct {
	Boards map[string]int64 // slug → id of every board the member can read
	All    bool             // the member can read every board, so no board filter is needed
}

// Request is one search by one member.
type Request struct {
	Query Query
	Scope Scope
	Page  int // from 1
}

// How results are shown.
const (
	TopicsPerPage = 20
	postsPerTopic = 3   // best-matching posts shown under a topic
	maxHits       = 500 // posts grouped into topics; deeper pages need a narrower search
)

// Results are the topics a search found, best first, one page of them.
type Results struct {
	Topics []TopicHit
	Posts  uint64 // posts that match, all told
	// PostsEstimated says Posts is an estimate: past a count of many
	// thousands, the rest are estimated rather than read.
	PostsEstimated bool
	Groups         int  // topics among the best maxHits posts
	Capped         bool // more posts matched than were grouped into topics
	Page           int
	Pages          int
	AnyWord        bool // no post had every word; these have some of them
	// NoBoard is set when board: named a board the member cannot search
	// (missing or not theirs: the two look the same).
	NoBoard bool
	Took    time.Duration

	highlight highlighter
}

// TopicHit is a topic with the ids of its best-matching posts.
type TopicHit struct {
	TopicID int64
	PostIDs []int64
}

// Search runs a search. An empty query finds nothing.
func (x *Index) Search(ctx context.Context, r Request) (*Results, error) {
	start := time.Now()
	page := max(r.Page, 1)
	res := &Results{Page: page}
	q := r.Query
	var boardID int64
	if q.Board != "" {
		id, ok := r.Scope.Boards[q.Board]
		if !ok {
			res.NoBoard = true
			return res, nil
		}
		boardID = id
	}
	// Read before the index is: see found_cache.go.
	generation := x.generation.Load()
	settings := searchSettings{ranking: x.ranking, countCap: x.countCap}
	key := foundKey(q, r.Scope, boardID)
	f, ok := x.found.get(key, generation, settings)
	if !ok {
		var err error
		f, err = x.found.do(key, generation, func() (*found, error) {
			f, err := x.findAll(ctx, q, r.Scope, boardID)
			if err == nil {
				x.found.put(key, generation, settings, f)
			}
			return f, err
		})
		if err != nil {
			return nil, err
		}
	}
	res.highlight = f.highlight
	res.Posts, res.PostsEstimated, res.Capped, res.AnyWord = f.posts, f.estimated, f.capped, f.anyWord
	res.Groups = len(f.groups)
	res.Pages = max(1, (len(f.groups)+TopicsPerPage-1)/TopicsPerPage)
	if from := (page - 1) * TopicsPerPage; from < len(f.groups) {
		// Copies: the kept answer is shared by every search that asks it.
		for _, t := range f.groups[from:min(from+TopicsPerPage, len(f.groups))] {
			res.Topics = append(res.Topics, TopicHit{TopicID: t.TopicID, PostIDs: slices.Clone(t.PostIDs)})
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// findAll asks the index for every topic a search finds (up to maxHits
// posts' worth), best or newest first, with the count of posts.
func (x *Index) findAll(ctx context.Context, q Query, scope Scope, boardID int64) (*found, error) {
	plan := x.plan(ctx, q)
	f := &found{highlight: newHighlighter(x.analyzer, plan.terms)}
	if plan.empty() && !q.filtered() {
		return f, nil
	}
	filter := x.filter(q, scope, boardID)
	newest := q.Order == "newest" || plan.empty()
	sr, about, err := x.find(ctx, plan.query(false), filter, newest, q.After)
	if err != nil {
		return nil, err
	}
	if sr.Total == 0 && len(plan.concepts) > 1 {
		if sr, about, err = x.find(ctx, plan.query(true), filter, newest, q.After); err != nil {
			return nil, err
		}
		f.anyWord = sr.Total > 0
	} else if !newest && sr.Total < uint64(maxHits) && len(plan.concepts) > 1 && !x.ranking.tiers {
		// Fewer posts have every word than a search groups: every post
		// with some of the words is ranked with them by its score.
		some, _, err := x.find(ctx, plan.query(true), filter, newest, q.After)
		if err != nil {
			return nil, err
		}
		sr = some
	} else if !newest && sr.Total < uint64(maxHits) && len(plan.concepts) > 1 {
		// Fewer posts have every word than a search groups: posts with
		// some of the words follow them, best first.
		some, _, err := x.find(ctx, plan.query(true), filter, newest, q.After)
		if err != nil {
			return nil, err
		}
		all := make(map[string]bool, len(sr.Hits))
		for _, hit := range sr.Hits {
			all[hit.ID] = true
		}
		for _, hit := range some.Hits {
			if len(sr.Hits) >= maxHits {
				break
			}
			if !all[hit.ID] {
				sr.Hits = append(sr.Hits, hit)
			}
		}
		sr.Total = some.Total
	}
	f.posts, f.estimated = sr.Total, about
	f.capped = sr.Total > uint64(len(sr.Hits))
	f.groups = group(sr)
	return f, nil
}

func (q Query) filtered() bool {
	return q.Board != "" || q.Author != "" || q.Kind != "" || len(q.Tags) > 0 || !q.Before.IsZero() || !q.After.IsZero() ||
		len(q.States) > 0 || len(q.NotStates) > 0
}

// find runs a query, best first or newest first, and says whether the
// total it gives is an estimate. Sorting by date reads every hit's date,
// so a newest-first search looks at the last two days first, then at a
// span it expects to hold a little more than maxHits from the hits found
// so far, and only past two years at everything: when a window holds
// maxHits hits, nothing older can be among them, and
// the posts outside it are counted only up to countCap, the rest
// estimated, so a search that matches millions costs about what its first
// page does.
func (x *Index) find(ctx context.Context, text, filter query.Query, newest bool, after time.Time) (*bleve.SearchResult, bool, error) {
	if !newest {
		sr, err := x.run(ctx, text, filter, []string{"-_score"}, maxHits, "")
		return sr, false, err
	}
	found := 0
	now := x.store.Now()
	for days := firstWindow; days <= lastWindow; days = nextWindow(days, found) {
		from := now.AddDate(0, 0, -days)
		if !after.IsZero() && !from.After(after) {
			break
		}
		recent := writtenBetween(from, time.Time{})
		// The window is joined to the words, not given as a filter: Bleve
		// tests a filter on every post the words match (hundreds of
		// thousands for a common word at a million posts), while a
		// conjunction skips to the posts both match.
		var sr *bleve.SearchResult
		var err error
		if text != nil {
			sr, err = x.run(ctx, query.NewConjunctionQuery([]query.Query{text, recent}), filter, []string{"-" + fieldNewest}, maxHits, bleve.ScoreNone)
		} else {
			within := query.Query(recent)
			if filter != nil {
				within = query.NewConjunctionQuery([]query.Query{filter, recent})
			}
			sr, err = x.run(ctx, nil, within, []string{"-" + fieldNewest}, maxHits, bleve.ScoreNone)
		}
		if err != nil {
			return nil, false, err
		}
		found = len(sr.Hits)
		if found >= maxHits {
			total, about, err := x.count(ctx, text, filter)
			sr.Total = total
			return sr, about, err
		}
	}
	// The full run counts every hit, exactly, as it sorts them.
	sr, err := x.run(ctx, text, filter, []string{"-" + fieldNewest}, maxHits, bleve.ScoreNone)
	return sr, false, err
}

// countCap is how many hits a count reads before it estimates the rest.
const countCap = 20000

// count counts a query's hits up to countCap and estimates the rest from
// how far through the index the count got, saying whether it estimated.
func (x *Index) count(ctx context.Context, text, filter query.Query) (uint64, bool, error) {
	x.mu.RLock()
	shards := 1
	if x.current != nil {
		shards = len(x.current.shards)
	}
	x.mu.RUnlock()
	est := &countEstimate{}
	capped := func(q query.Query) query.Query {
		return &capQuery{Query: q, limit: x.countCap / shards, into: est}
	}
	sr, err := x.runWrapped(ctx, text, filter, []string{"-_score"}, 0, bleve.ScoreNone, capped)
	if err != nil {
		return 0, false, err
	}
	total, about := est.total()
	if !about {
		total = sr.Total
	}
	return total, about, nil
}

// A newest-first search's windows, in days: the first, and the last
// before the whole index.
const (
	firstWindow = 2
	lastWindow  = 730
)

// nextWindow is the span to try after days held found hits, fewer than
// maxHits: one expected to hold half as many again as maxHits at the rate
// found, at least twice and at most sixteen times as long, and the last
// window rather than one just short of it. Every window read costs a pass
// over the query's hits in it, so fewer, better-sized windows read less.
func nextWindow(days, found int) int {
	next := days * 16
	if found > 0 {
		next = days * maxHits * 3 / (2 * found)
	}
	next = min(max(next, days*2), days*16)
	if next < lastWindow && next*2 > lastWindow {
		next = lastWindow
	}
	if days < lastWindow && next > lastWindow {
		next = lastWindow
	}
	return next
}

func (x *Index) run(ctx context.Context, text, filter query.Query, order []string, size int, score string) (*bleve.SearchResult, error) {
	return x.runWrapped(ctx, text, filter, order, size, score, nil)
}

// runWrapped is run with the whole query passed through wrap, if not nil.
func (x *Index) runWrapped(ctx context.Context, text, filter query.Query, order []string, size int, score string, wrap func(query.Query) query.Query) (*bleve.SearchResult, error) {
	var bq *query.BooleanQuery
	switch t := text.(type) {
	case *query.BooleanQuery:
		filtered := *t
		bq = &filtered
	case nil:
		// Filters alone: their postings drive the search, which is far
		// cheaper than testing every document against them.
		if filter == nil {
			return nil, fmt.Errorf("search: a query with neither words nor filters")
		}
		bq = &query.BooleanQuery{Must: filter}
		filter = nil
	default:
		bq = &query.BooleanQuery{Must: t}
	}
	if filter != nil {
		bq.Filter = filter
	}
	var whole query.Query = bq
	if wrap != nil {
		whole = wrap(bq)
	}
	req := bleve.NewSearchRequestOptions(whole, size, 0, false)
	req.SortBy(order)
	req.Score = score
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.current == nil {
		return nil, ErrRebuilding
	}
	sr, err := x.current.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	settleTies(req.Sort, sr.Hits)
	return sr, nil
}

// settleTies puts hits that sort equal in the order of their ids. The
// shards' answers are merged in the order they arrive, and Bleve breaks a
// tie by the hit's number within its own shard, so two equal hits from
// different shards could change places from one search to the next, and a
// page could differ from the same page a moment before.
func settleTies(order search.SortOrder, hits search.DocumentMatchCollection) {
	scoring, desc := order.CacheIsScore(), order.CacheDescending()
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		if c := order.Compare(scoring, desc, a, b); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// group gathers hits by topic, in the order of each topic's best hit,
// reading the topic from each hit's id.
func group(sr *bleve.SearchResult) []TopicHit {
	var groups []TopicHit
	at := map[int64]int{}
	for _, hit := range sr.Hits {
		topicID, postID, ok := parseDocID(hit.ID)
		if !ok {
			continue
		}
		i, seen := at[topicID]
		if !seen {
			i = len(groups)
			at[topicID] = i
			groups = append(groups, TopicHit{TopicID: topicID})
		}
		if len(groups[i].PostIDs) < postsPerTopic {
			groups[i].PostIDs = append(groups[i].PostIDs, postID)
		}
	}
	return groups
}

// filter is what a hit must satisfy without adding to its score: the
// member's boards first, then the query's filters.
func (x *Index) filter(q Query, scope Scope, boardID int64) query.Query {
	var must []query.Query
	term := func(field, value string) query.Query {
		t := query.NewTermQuery(value)
		t.SetField(field)
		return t
	}
	switch {
	case boardID != 0:
		must = append(must, term(fieldBoard, strconv.FormatInt(boardID, 10)))
	case !scope.All:
		if len(scope.Boards) == 0 {
			return query.NewMatchNoneQuery()
		}
		var boards []query.Query
		for _, id := range scope.Boards {
			boards = append(boards, term(fieldBoard, strconv.FormatInt(id, 10)))
		}
		must = append(must, query.NewDisjunctionQuery(boards))
	}
	if q.Author != "" {
		must = append(must, term(fieldAuthor, q.Author))
	}
	if q.Kind != "" {
		must = append(must, term(fieldKind, q.Kind))
	}
	for _, tag := range q.Tags {
		must = append(must, term(fieldTags, tag))
	}
	if !q.Before.IsZero() || !q.After.IsZero() {
		must = append(must, writtenBetween(q.After, q.Before))
	}
	for _, state := range q.States {
		must = append(must, term(fieldState, state))
	}
	if len(q.NotStates) > 0 {
		var not []query.Query
		for _, state := range q.NotStates {
			not = append(not, term(fieldState, state))
		}
		if len(must) == 0 {
			must = append(must, query.NewMatchAllQuery())
		}
		return query.NewBooleanQuery([]query.Query{conjunction(must)}, nil, not)
	}
	if len(must) == 0 {
		return nil
	}
	return conjunction(must)
}

// plan is the text part of a query, analysed: each concept is a word (or
// words) with its synonyms, any of which may match.
type plan struct {
	concepts []query.Query
	phrases  []query.Query
	excluded []query.Query
	near     []query.Query   // words typed side by side, found so in a post: a bonus
	terms    map[string]bool // analysed terms, for highlighting
}

func (p plan) empty() bool { return len(p.concepts) == 0 && len(p.phrases) == 0 }

// query joins the plan: every concept and phrase must match (or, with
// anyWord, every phrase and at least one concept), and nothing excluded.
func (p plan) query(anyWord bool) query.Query {
	if p.empty() {
		if len(p.excluded) == 0 {
			return nil
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, p.excluded)
	}
	must := append([]query.Query(nil), p.phrases...)
	if anyWord && len(p.concepts) > 1 {
		must = append(must, &anyQuery{clauses: p.concepts, min: 1})
	} else {
		must = append(must, p.concepts...)
	}
	// Built by hand rather than with NewBooleanQuery, which wraps even one
	// clause in a conjunction that costs time on every hit.
	bq := &query.BooleanQuery{Must: conjunction(must)}
	if len(p.near) > 0 {
		bq.Must = &bonusQuery{main: bq.Must, bonus: p.near}
	}
	if len(p.excluded) > 0 {
		bq.MustNot = query.NewDisjunctionQuery(p.excluded)
	}
	return bq
}

// conjunction requires every query; one needs no wrapping.
func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// longestSynonym is the most words a synonym entry spans.
const longestSynonym = 6

// maxPhraseForms bounds the forms one quoted phrase is looked for in: the
// phrase as typed and, for each part of it the synonym list knows, the
// same phrase with that part's synonyms in its place.
const maxPhraseForms = 12

// plan analyses the query's words, phrases and exclusions.
func (x *Index) plan(ctx context.Context, q Query) plan {
	p := plan{terms: map[string]bool{}}
	// Every word is looked for in the body, which holds the title too; a
	// use in the title adds to the score (see scoring.go).
	rank := x.ranking.forWords(x.typedWords(q.Words))
	var stats *corpusStats
	if rank.global {
		stats = x.openStats()
		defer stats.close()
	}
	avg, avgTitle := x.averageLength()
	s := scorer{ctx: ctx, inTitle: q.InTitle, avg: avg, avgT: avgTitle, rank: rank, stats: stats}
	synonymWeight := rank.synonym
	for _, t := range x.terms(q.Words) {
		tokens := x.analyze(t.typed, p.terms)
		if len(tokens) == 0 {
			continue // only common words such as "the"
		}
		alternatives := []query.Query{s.allWords(tokens, 1)}
		for _, syn := range t.synonyms {
			if synTokens := x.analyze(syn, p.terms); len(synTokens) > 0 {
				alternatives = append(alternatives, s.allWords(synTokens, synonymWeight))
			}
		}
		p.concepts = append(p.concepts, anyOf(alternatives))
	}
	if rank.near > 0 && stats.usable() {
		p.near = s.pairs(x.analyze(strings.Join(q.Words, " "), nil), rank.near)
	}
	for _, ph := range q.Phrases {
		var forms []query.Query
		for i, form := range x.phraseForms(ph) {
			if tokens := x.analyze(form, p.terms); len(tokens) > 0 {
				weight := 1.0
				if i > 0 {
					weight = synonymWeight
				}
				forms = append(forms, s.phrase(tokens, weight))
			}
		}
		if len(forms) > 0 {
			p.phrases = append(p.phrases, anyOf(forms))
		}
	}
	for _, ex := range q.Excluded {
		if tokens := x.analyze(ex, nil); len(tokens) > 0 {
			p.excluded = append(p.excluded, exactly(tokens))
		}
	}
	return p
}

// typedWords counts the words typed, past the common ones ("the"): a
// hyphenated "x-ray" is one word.
func (x *Index) typedWords(words []string) int {
	n := 0
	for _, w := range words {
		if slices.ContainsFunc(x.analyze(w, nil), func(t string) bool { return t != "" }) {
			n++
		}
	}
	return n
}

// term is one or more words of a query that the synonym list treats as
// one term, with that term's synonyms.
type term struct {
	typed    string
	synonyms []string
}

// terms cuts words into terms, the longest the synonym list knows first:
// "heart failure" is one term, so CHF is found for it.
func (x *Index) terms(words []string) []term {
	var out []term
	for i := 0; i < len(words); {
		n := 1
		for size := min(longestSynonym, len(words)-i); size > 1; size-- {
			if len(x.synonyms.Expand(strings.Join(words[i:i+size], " "))) > 0 {
				n = size
				break
			}
		}
		typed := strings.Join(words[i:i+n], " ")
		out = append(out, term{typed: typed, synonyms: x.synonyms.Expand(typed)})
		i += n
	}
	return out
}

// phraseForms is the phrase as typed, then the same phrase with each
// known term in it replaced by its synonyms: "heart failure" is also
// looked for as "CHF" and "HF", "acute mi" as "acute myocardial
// infarction". Each form must still match as a phrase.
func (x *Index) phraseForms(phrase string) []string {
	forms := []string{""}
	for _, t := range x.terms(strings.Fields(phrase)) {
		var next []string
		for _, form := range forms {
			for _, word := range append([]string{t.typed}, t.synonyms...) {
				if len(next) < maxPhraseForms {
					next = append(next, strings.TrimSpace(form+" "+word))
				}
			}
		}
		forms = next
	}
	return forms
}

// anyOf matches any of the alternatives, scored as the best of them.
func anyOf(alternatives []query.Query) query.Query {
	if len(alternatives) == 1 {
		return alternatives[0]
	}
	return &anyQuery{clauses: alternatives, min: 1, best: true}
}

// scorer builds the scored parts of a query.
type scorer struct {
	ctx     context.Context
	inTitle bool    // in:title: match titles only
	avg     float64 // the average length of a post's body, in terms
	avgT    float64 // the average length of a topic's title
	rank    ranking
	stats   *corpusStats
}

func (s scorer) word(term string, weight float64) query.Query {
	field := fieldBody
	if s.inTitle {
		field = fieldTitle
	}
	s.stats.note(s.ctx, field, term)
	return &wordQuery{term: term, weight: weight, inTitle: s.inTitle, avg: s.avg, avgT: s.avgT, rank: s.rank, stats: s.stats}
}

// maxPairs bounds the bonuses for words side by side one query carries.
const maxPairs = 12

// pairs are bonuses for each two words next to each other in tokens
// (common words left out between them are kept as gaps) found in that
// order in a post, each worth weight times the mean of the two words'
// rarity.
func (s scorer) pairs(tokens []string, weight float64) []query.Query {
	field := fieldBody
	if s.inTitle {
		field = fieldTitle
	}
	idf := func(term string) float64 {
		s.stats.note(s.ctx, field, term)
		n, df := s.stats.docs, s.stats.df(field, term)
		return math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	var out []query.Query
	seen := map[string]bool{}
	for i := 0; i < len(tokens) && len(out) < maxPairs; i++ {
		if tokens[i] == "" {
			continue
		}
		j := i + 1
		for j < len(tokens) && tokens[j] == "" {
			j++
		}
		if j == len(tokens) || j-i > 3 || tokens[i] == tokens[j] {
			continue
		}
		pair := tokens[i : j+1]
		key := strings.Join(pair, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		score := weight * (idf(tokens[i]) + idf(tokens[j])) / 2
		out = append(out, fixedQuery{newPhraseQuery(pair, field), score})
	}
	return out
}

// allWords matches a post holding every token; common words the analyser
// left out ("") match anything.
func (s scorer) allWords(tokens []string, weight float64) query.Query {
	var each []query.Query
	for _, t := range tokens {
		if t != "" {
			each = append(each, s.word(t, weight))
		}
	}
	return conjunction(each)
}

// phrase matches the tokens in order and scores them as words.
func (s scorer) phrase(tokens []string, weight float64) query.Query {
	if len(tokens) == 1 {
		return s.word(tokens[0], weight)
	}
	field := fieldBody
	if s.inTitle {
		field = fieldTitle
	}
	inOrder := newPhraseQuery(tokens, field)
	return query.NewConjunctionQuery([]query.Query{inOrder, s.allWords(tokens, weight)})
}

// exactly matches the tokens in order in a post's body, which holds the
// title: what an exclusion leaves out. Its score is not used.
func exactly(tokens []string) query.Query {
	if len(tokens) == 1 {
		t := query.NewTermQuery(tokens[0])
		t.SetField(fieldBody)
		return t
	}
	return newPhraseQuery(tokens, fieldBody)
}

// analyze runs text through the index's analyser and notes its terms. A
// common word left out inside the text leaves "" in its place, so that a
// phrase keeps its shape.
func (x *Index) analyze(text string, note map[string]bool) []string {
	var terms []string
	last := 0
	for _, tok := range x.analyzer.Analyze([]byte(text)) {
		if last > 0 {
			for gap := last + 1; gap < tok.Position; gap++ {
				terms = append(terms, "") // a common word dropped here: any word fits
			}
		}
		last = tok.Position
		term := string(tok.Term)
		terms = append(terms, term)
		if note != nil {
			note[term] = true
		}
	}
	return terms
}

func textAnalyzerFor(m mapping.IndexMapping) (analysis.Analyzer, error) {
	a := m.AnalyzerNamed(textAnalyzer)
	if a == nil {
		return nil, fmt.Errorf("search: no %q analyser", textAnalyzer)
	}
	return a, nil
}
