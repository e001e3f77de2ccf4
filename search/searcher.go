package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
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
	Topics  []TopicHit
	Posts   uint64 // posts that match, all told
	Groups  int    // topics among the best maxHits posts
	Capped  bool   // more posts matched than were grouped into topics
	Page    int
	Pages   int
	AnyWord bool // no post had every word; these have some of them
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
	plan := x.plan(q)
	res.highlight = highlighter{analyzer: x.analyzer, terms: plan.terms}
	if plan.empty() && !q.filtered() {
		return res, nil
	}
	filter := x.filter(q, r.Scope, boardID)
	newest := q.Order == "newest" || plan.empty()
	sr, err := x.find(ctx, plan.query(x.plain), filter, newest, q.After)
	if err != nil {
		return nil, err
	}
	if !x.plain && sr.Total == 0 && len(plan.concepts) > 1 {
		if sr, err = x.find(ctx, plan.query(true), filter, newest, q.After); err != nil {
			return nil, err
		}
		res.AnyWord = sr.Total > 0
	} else if !x.plain && !newest && sr.Total < uint64(maxHits) && len(plan.concepts) > 1 {
		// Fewer posts have every word than a search groups: posts with
		// some of the words follow them, best first.
		some, err := x.find(ctx, plan.query(true), filter, newest, q.After)
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
	res.Posts = sr.Total
	res.Capped = sr.Total > uint64(len(sr.Hits))
	groups := group(sr)
	res.Groups = len(groups)
	res.Pages = max(1, (len(groups)+TopicsPerPage-1)/TopicsPerPage)
	if from := (page - 1) * TopicsPerPage; from < len(groups) {
		res.Topics = groups[from:min(from+TopicsPerPage, len(groups))]
	}
	res.Took = time.Since(start)
	return res, nil
}

func (q Query) filtered() bool {
	return q.Board != "" || q.Author != "" || q.Kind != "" || len(q.Tags) > 0 || !q.Before.IsZero() || !q.After.IsZero()
}

// find runs a query, best first or newest first. Sorting by date reads
// every hit's date, so a newest-first search looks at the last two days,
// then a week, a month, half a year, two years, and only then at
// everything: when a window holds a full page of hits, nothing older can
// be among them.
func (x *Index) find(ctx context.Context, text, filter query.Query, newest bool, after time.Time) (*bleve.SearchResult, error) {
	if !newest {
		return x.run(ctx, text, filter, []string{"-_score"}, maxHits, "")
	}
	// The count runs beside the windows: it reads every hit, they read few.
	type counted struct {
		sr  *bleve.SearchResult
		err error
	}
	counting := make(chan counted, 1)
	go func() {
		sr, err := x.run(ctx, text, filter, []string{"-_score"}, 0, bleve.ScoreNone)
		counting <- counted{sr, err}
	}()
	total := func() (uint64, error) {
		c := <-counting
		if c.err != nil {
			return 0, c.err
		}
		return c.sr.Total, nil
	}
	now := x.store.Now()
	for _, days := range newestWindows {
		from := now.AddDate(0, 0, -days)
		if !after.IsZero() && !from.After(after) {
			break
		}
		yes := true
		recent := query.NewDateRangeInclusiveQuery(from, time.Time{}, &yes, nil)
		recent.SetField(fieldCreated)
		within := query.Query(recent)
		if filter != nil {
			within = query.NewConjunctionQuery([]query.Query{filter, recent})
		}
		sr, err := x.run(ctx, text, within, []string{"-" + fieldCreated}, maxHits, bleve.ScoreNone)
		if err != nil {
			_, _ = total()
			return nil, err
		}
		if len(sr.Hits) >= maxHits {
			sr.Total, err = total()
			return sr, err
		}
	}
	sr, err := x.run(ctx, text, filter, []string{"-" + fieldCreated}, maxHits, bleve.ScoreNone)
	if err != nil {
		_, _ = total()
		return nil, err
	}
	sr.Total, err = total()
	return sr, err
}

// newestWindows are the spans, in days, a newest-first search tries.
var newestWindows = []int{2, 7, 30, 182, 730}

func (x *Index) run(ctx context.Context, text, filter query.Query, order []string, size int, score string) (*bleve.SearchResult, error) {
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
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
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
	return sr, nil
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
		yes, no := true, false
		dates := query.NewDateRangeInclusiveQuery(q.After, q.Before, &yes, &no)
		dates.SetField(fieldCreated)
		must = append(must, dates)
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
	titled   []query.Query // the concepts and phrases in titles: optional, they raise the score
	excluded []query.Query
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
		some := query.NewDisjunctionQuery(p.concepts)
		some.SetMin(1)
		must = append(must, some)
	} else {
		must = append(must, p.concepts...)
	}
	// Built by hand rather than with NewBooleanQuery, which wraps even one
	// clause in a conjunction that costs time on every hit.
	bq := &query.BooleanQuery{Must: conjunction(must)}
	if len(p.titled) > 0 {
		bq.Should = query.NewDisjunctionQuery(p.titled)
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

// synonymWeight discounts a match on a synonym against the word typed.
const synonymWeight = 0.8

// longestSynonym is the most words a synonym entry spans.
const longestSynonym = 6

// plan analyses the query's words, phrases and exclusions.
func (x *Index) plan(q Query) plan {
	p := plan{terms: map[string]bool{}}
	// Every word is looked for in the body, which holds the title too; a
	// match in the title adds to the score.
	fields := []fieldWeight{{fieldBody, 1}}
	titles := []fieldWeight{{fieldTitle, titleBoost}}
	if q.InTitle {
		fields, titles = []fieldWeight{{fieldTitle, 1}}, nil
	}
	if x.plain {
		titles = nil
	}
	words := q.Words
	for i := 0; i < len(words); {
		n := 1
		for size := min(longestSynonym, len(words)-i); size > 1; size-- {
			if len(x.expand(strings.Join(words[i:i+size], " "))) > 0 {
				n = size
				break
			}
		}
		typed := strings.Join(words[i:i+n], " ")
		i += n
		tokens := x.analyze(typed, p.terms)
		if len(tokens) == 0 {
			continue // only common words such as "the"
		}
		alternatives := []query.Query{allTokens(tokens, fields, 1)}
		if titles != nil {
			p.titled = append(p.titled, allTokens(tokens, titles, 1))
		}
		for _, syn := range x.expand(typed) {
			if t := x.analyze(syn, p.terms); len(t) > 0 {
				alternatives = append(alternatives, allTokens(t, fields, synonymWeight))
			}
		}
		if len(alternatives) == 1 {
			p.concepts = append(p.concepts, alternatives[0])
		} else {
			p.concepts = append(p.concepts, query.NewDisjunctionQuery(alternatives))
		}
	}
	for _, ph := range q.Phrases {
		if t := x.analyze(ph, p.terms); len(t) > 0 {
			p.phrases = append(p.phrases, phrase(t, fields, 1))
			if titles != nil {
				p.titled = append(p.titled, phrase(t, titles, 1))
			}
		}
	}
	for _, ex := range q.Excluded {
		if t := x.analyze(ex, nil); len(t) > 0 {
			p.excluded = append(p.excluded, phrase(t, []fieldWeight{{fieldBody, 1}}, 1))
		}
	}
	return p
}

func (x *Index) expand(term string) []string {
	if x.plain {
		return nil
	}
	return x.synonyms.Expand(term)
}

type fieldWeight struct {
	field  string
	weight float64
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

// allTokens matches a document holding every token in one of the fields.
func allTokens(tokens []string, fields []fieldWeight, weight float64) query.Query {
	if len(tokens) == 1 {
		return anyField(tokens[0], fields, weight)
	}
	var each []query.Query
	for _, t := range tokens {
		if t != "" {
			each = append(each, anyField(t, fields, weight))
		}
	}
	return query.NewConjunctionQuery(each)
}

func anyField(term string, fields []fieldWeight, weight float64) query.Query {
	var qs []query.Query
	for _, f := range fields {
		t := query.NewTermQuery(term)
		t.SetField(f.field)
		t.SetBoost(f.weight * weight)
		qs = append(qs, t)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// phrase matches the analysed tokens in order in one of the fields.
func phrase(tokens []string, fields []fieldWeight, weight float64) query.Query {
	if len(tokens) == 1 {
		return anyField(tokens[0], fields, weight)
	}
	var qs []query.Query
	for _, f := range fields {
		p := query.NewPhraseQuery(tokens, f.field)
		p.SetBoost(f.weight * weight)
		qs = append(qs, p)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func textAnalyzerFor(m mapping.IndexMapping) (analysis.Analyzer, error) {
	a := m.AnalyzerNamed(textAnalyzer)
	if a == nil {
		return nil, fmt.Errorf("search: no %q analyser", textAnalyzer)
	}
	return a, nil
}
