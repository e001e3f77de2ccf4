package search

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// MappingVersion names the shape of the index. Change it whenever the
// mapping or what goes into a document changes: a node that finds an index
// built with another version rebuilds it from the database.
const MappingVersion = "9"

// Field names in the index.
const (
	fieldTitle   = "title"   // the topic's title, on the post that opens it
	fieldBody    = "body"    // the post's text, without markup, after the title on an opening post
	fieldTopic   = "topic"   // topic id, to find a topic's documents when it changes
	fieldBoard   = "board"   // board id
	fieldKind    = "kind"    // discussion, podcast or case
	fieldTags    = "tags"    // the topic's tags
	fieldAuthor  = "author"  // username; absent for anonymous posts
	fieldCreated = "created" // when the post was written, as its day, month and year (dates.go): searched by date, not sorted on
	fieldNewest  = "newest"  // when the post was written, as a short key that sorts as the time does (order:newest)
	fieldVersion = "version" // the post's version, stored to compare the index with the database; not searchable
	fieldState   = "state"   // the topic's states: answered, outcome
)

// textAnalyzer is English analysis with stemming, used for titles, bodies
// and the words of a query alike.
const textAnalyzer = rememberingName

// document is what the index holds for one post. Bleve indexes every
// field it finds, empty or not, so fields that a post may lack are
// pointers, left nil: a reply has no title, an anonymous post no author.
type document struct {
	Title   *string  `json:"title,omitempty"`
	Body    string   `json:"body"`
	Topic   string   `json:"topic"`
	Board   string   `json:"board"`
	Kind    string   `json:"kind"`
	Tags    []string `json:"tags,omitempty"`
	Author  *string  `json:"author,omitempty"`
	Created []string `json:"created"`
	Newest  string   `json:"newest"`
	Version float64  `json:"version"`
	State   []string `json:"state,omitempty"`
}

func newMapping() mapping.IndexMapping {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = false
		f.IncludeTermVectors = true // phrases need positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	// A number is indexed as sixteen terms, one per precision, mostly
	// unique to the post, so each such field costs the index's
	// dictionaries more than a post's words do (when a post was written is
	// indexed as a few day, month and year terms instead: dates.go, and
	// newest-first searches sort on fieldNewest, one short term a post,
	// rather than on a date's doc values). The version is only ever
	// read back, never searched: stored, not indexed. (When a post last
	// changed is not kept at all: nothing searches, sorts or shows it.)
	version := bleve.NewNumericFieldMapping()
	version.Index = false
	version.Store = true
	version.IncludeTermVectors = false
	version.IncludeInAll = false
	version.DocValues = false

	post := bleve.NewDocumentStaticMapping()
	post.AddFieldMappingsAt(fieldTitle, text())
	post.AddFieldMappingsAt(fieldBody, text())
	post.AddFieldMappingsAt(fieldTopic, keywordField(false))
	post.AddFieldMappingsAt(fieldBoard, keywordField(false))
	post.AddFieldMappingsAt(fieldKind, keywordField(false))
	post.AddFieldMappingsAt(fieldTags, keywordField(false))
	post.AddFieldMappingsAt(fieldAuthor, keywordField(false))
	post.AddFieldMappingsAt(fieldCreated, keywordField(false))
	post.AddFieldMappingsAt(fieldNewest, keywordField(true))
	post.AddFieldMappingsAt(fieldVersion, version)
	post.AddFieldMappingsAt(fieldState, keywordField(false))
	// No field goes into Bleve's catch-all "_all" field, and every query
	// names its fields: without this, each document still carried an
	// empty "_all", which cost about a tenth of building the index. An
	// index built before has that empty field and reads the same, so the
	// mapping's version stays.
	post.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = post
	m.DefaultAnalyzer = textAnalyzer
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = index.BM25Scoring
	return m
}

// sortAlphabet's characters are in ascending byte order, so fixed-width
// numbers written in it sort as strings as they do as numbers.
const sortAlphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"

// newestKey is t's microseconds since 1970 in nine characters of
// sortAlphabet (good for five centuries), so that sorting keys as strings
// sorts posts by when they were written. Times before 1970 share the
// lowest key.
func newestKey(t time.Time) string {
	n := max(t.UnixMicro(), 0)
	var b [9]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = sortAlphabet[n%64]
		n /= 64
	}
	return string(b[:])
}
