package search

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// The hand-made clinical corpus and the searches members are expected to
// make of it, at the repository root.
var relevanceDir = filepath.Join("..", "testdata", "search")

type corpusFile struct {
	Users []struct {
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		Specialty   string `json:"specialty"`
	} `json:"users"`
	Boards []struct {
		Slug  string `json:"slug"`
		Title string `json:"title"`
	} `json:"boards"`
	Topics []corpusTopic `json:"topics"`
}

type corpusTopic struct {
	Title   string   `json:"title"`
	Board   string   `json:"board"`
	Kind    string   `json:"kind"`
	Tags    []string `json:"tags"`
	Author  string   `json:"author"`
	At      string   `json:"at"` // YYYY-MM-DD; empty: written now
	Body    string   `json:"body"`
	Replies []struct {
		Author string `json:"author"`
		Body   string `json:"body"`
	} `json:"replies"`
}

// relevanceCase is one search and what it must find, by topic title.
type relevanceCase struct {
	Query   string   `json:"query"`
	Why     string   `json:"why"`
	Top1    string   `json:"top1"`     // the best topic
	Top3    []string `json:"top3"`     // each among the best three
	Order   []string `json:"order"`    // the first topics, in this order
	Absent  []string `json:"absent"`   // not found at all
	AnyWord *bool    `json:"any_word"` // whether the any-word fallback answered
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(relevanceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// corpusWorld is the corpus in a fresh store with an index kept up to date
// through the search outbox, as a running node keeps it.
type corpusWorld struct {
	index  *Index
	scope  Scope
	titles map[int64]string // topic id → title
}

func loadCorpus(t *testing.T, store *models.Store) *corpusWorld {
	t.Helper()
	ctx := context.Background()
	var c corpusFile
	readJSON(t, "corpus.json", &c)

	users := map[string]int64{}
	for _, u := range c.Users {
		user := &models.User{Username: u.Username, DisplayName: u.DisplayName, Specialty: u.Specialty, Status: models.StatusVerified}
		if err := store.CreateUser(ctx, user); err != nil {
			t.Fatal(err)
		}
		users[u.Username] = user.ID
	}
	cw := &corpusWorld{scope: Scope{Boards: map[string]int64{}}, titles: map[int64]string{}}
	for _, b := range c.Boards {
		board := modelstest.OpenBoard(b.Slug, b.Title).Make(t, store)
		cw.scope.Boards[b.Slug] = board.ID
	}
	lookup := func(what string, m map[string]int64, key string) int64 {
		id, ok := m[key]
		if !ok {
			t.Fatalf("corpus.json: no %s %q", what, key)
		}
		return id
	}

	// The index starts empty, as on a new site, and follows the outbox.
	w := &world{store: store, dir: t.TempDir()}
	cw.index = w.open(t)

	// Topics written now go through the forms' path; dated ones are
	// imported, the only way to give a post its own time.
	var dated []models.ImportTopic
	for _, tp := range c.Topics {
		boardID := lookup("board", cw.scope.Boards, tp.Board)
		if tp.At != "" {
			at, err := time.Parse("2006-01-02", tp.At)
			if err != nil {
				t.Fatalf("corpus.json: %q: %v", tp.Title, err)
			}
			it := models.ImportTopic{BoardID: boardID, Kind: tp.Kind, Title: tp.Title, Tags: tp.Tags,
				Posts: []models.ImportPost{{AuthorID: lookup("user", users, tp.Author), Source: tp.Body, Cooked: cooked(tp.Body), Plain: plainOf(tp.Body), At: at}}}
			for i, r := range tp.Replies {
				it.Posts = append(it.Posts, models.ImportPost{AuthorID: lookup("user", users, r.Author),
					Source: r.Body, Cooked: cooked(r.Body), Plain: plainOf(r.Body), At: at.Add(time.Duration(i+1) * time.Hour)})
			}
			dated = append(dated, it)
			continue
		}
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: boardID, AuthorID: lookup("user", users, tp.Author),
			Kind: tp.Kind, Title: tp.Title, Tags: tp.Tags, PostContent: models.PostContent{Source: tp.Body, Cooked: cooked(tp.Body), Plain: plainOf(tp.Body)}})
		if err != nil {
			t.Fatal(err)
		}
		cw.titles[topic.ID] = tp.Title
		for _, r := range tp.Replies {
			if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: lookup("user", users, r.Author),
				PostContent: models.PostContent{Source: r.Body, Cooked: cooked(r.Body), Plain: plainOf(r.Body)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := store.ImportTopics(ctx, dated); err != nil {
		t.Fatal(err)
	}
	// Imported topics are numbered by the import; find them by title.
	docs, err := store.SearchDocsAfter(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Number == 1 {
			cw.titles[d.TopicID] = d.Title
		}
	}
	if len(cw.titles) != len(c.Topics) {
		t.Fatalf("the store holds %d topics, corpus.json %d (duplicate titles?)", len(cw.titles), len(c.Topics))
	}
	w.index = cw.index
	w.catchUp(t)
	if n, err := cw.index.current.DocCount(); err != nil || n != uint64(len(docs)) {
		t.Fatalf("the index holds %d of %d posts (%v)", n, len(docs), err)
	}
	return cw
}

func cooked(source string) string { return "<p>" + html.EscapeString(source) + "</p>" }

// search runs a query as a member who reads every board does.
func (cw *corpusWorld) search(t *testing.T, q string) (*Results, []string) {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatalf("%q does not parse: %v", q, err)
	}
	res, err := cw.index.Search(context.Background(), Request{Query: parsed, Scope: cw.scope})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages > 1 {
		t.Fatalf("%q: %d pages of results; the corpus is meant to fit on one", q, res.Pages)
	}
	var titles []string
	for _, th := range res.Topics {
		titles = append(titles, cw.titles[th.TopicID])
	}
	return res, titles
}

// TestRelevance runs the searches in testdata/search/queries.json against
// the corpus in testdata/search/corpus.json and checks the topics each must
// (or must not) find.
func TestRelevance(t *testing.T) {
	var cases []relevanceCase
	readJSON(t, "queries.json", &cases)
	var c corpusFile
	readJSON(t, "corpus.json", &c)
	known := map[string]bool{}
	for _, tp := range c.Topics {
		known[tp.Title] = true
	}
	for _, tc := range cases {
		for _, title := range slices.Concat([]string{tc.Top1}, tc.Top3, tc.Order, tc.Absent) {
			if title != "" && !known[title] {
				t.Fatalf("queries.json: %q names a topic not in corpus.json: %q", tc.Query, title)
			}
		}
	}

	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		cw := loadCorpus(t, store)
		for _, tc := range cases {
			res, got := cw.search(t, tc.Query)
			if testing.Verbose() {
				t.Logf("%-40q any-word=%-5v %s", tc.Query, res.AnyWord, strings.Join(got[:min(4, len(got))], " | "))
			}
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("%q (%s): "+format+"\n  found: %s", append(append([]any{tc.Query, tc.Why}, args...), strings.Join(got, " | "))...)
			}
			if tc.Top1 != "" && (len(got) == 0 || got[0] != tc.Top1) {
				fail("want %q first", tc.Top1)
			}
			for _, want := range tc.Top3 {
				if !slices.Contains(got[:min(3, len(got))], want) {
					fail("want %q in the top 3", want)
				}
			}
			if len(tc.Order) > 0 && !slices.Equal(got[:min(len(tc.Order), len(got))], tc.Order) {
				fail("want the first %d in this order: %s", len(tc.Order), strings.Join(tc.Order, " | "))
			}
			for _, not := range tc.Absent {
				if slices.Contains(got, not) {
					fail("found %q, which must not match", not)
				}
			}
			if tc.AnyWord != nil && res.AnyWord != *tc.AnyWord {
				fail("AnyWord is %v, want %v", res.AnyWord, *tc.AnyWord)
			}
		}
	})
}

// TestSnippet checks how a result quotes a post: matches marked after
// stemming and synonyms, HTML escaped, long posts cut around the matches.
// TestSqueeze checks that the snippet's white-space folding is what
// strings.Fields and a join make, up to its limit.
func TestSqueeze(t *testing.T) {
	for _, text := range []string{"", "   ", "one", "  one  two\t\nthree ", "a\u00a0b\u2003 c", "é  ü\r\n"} {
		got, more := squeeze(text, 1000)
		if want := strings.Join(strings.Fields(text), " "); got != want || more {
			t.Errorf("squeeze(%q) = %q, %v; want %q, false", text, got, more, want)
		}
	}
	got, more := squeeze(strings.Repeat("word ", 100), 20)
	if got != "word word word word word" || !more {
		t.Errorf("squeeze cut at 20 = %q, %v; want the words up to the limit and the word it is in, and more", got, more)
	}
}

func TestSnippet(t *testing.T) {
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	x, err := Open(t.TempDir(), store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	if err := x.rebuildHere(context.Background()); err != nil {
		t.Fatal(err)
	}
	results := func(t *testing.T, q string) *Results {
		t.Helper()
		parsed, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(context.Background(), Request{Query: parsed, Scope: Scope{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	filler := strings.Repeat("The team reviewed the chart and agreed on the plan for the night. ", 12)
	for _, tc := range []struct {
		name, query, source string
		want, not           []string
		leading, trailing   bool // an ellipsis before or after
	}{
		{
			name: "stemmed matches", query: "infarcts",
			source: "Acute **infarction** of the left MCA territory, with smaller infarcts nearby.",
			want:   []string{"Acute <mark>infarction</mark> of", "smaller <mark>infarcts</mark> nearby"},
			not:    []string{"**"},
		},
		{
			name: "synonyms marked", query: "mi",
			source: "An old myocardial infarction on the ECG.",
			want:   []string{"<mark>myocardial</mark> <mark>infarction</mark>"},
		},
		{
			name: "html escaped", query: "script",
			source: "Pasting `<script>alert(1)</script>` into the note field & saving it breaks the page.\n\n<div>raw html</div>\n",
			want:   []string{"&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;", "field &amp; saving"},
			not:    []string{"<script", "<div", "raw html"},
		},
		{
			name: "long post cut around the match", query: "vasopressin",
			source:  filler + "We added vasopressin at 0.03 units per minute once norepinephrine passed 0.25. " + filler,
			want:    []string{"<mark>vasopressin</mark> at 0.03 units"},
			leading: true, trailing: true,
		},
		{
			name: "long post matched at its start", query: "vasopressin",
			source:   "Vasopressin first, then the rest. " + filler,
			want:     []string{"<mark>Vasopressin</mark> first"},
			trailing: true,
		},
		{
			name: "the window with most distinct words wins", query: "lactate capillary",
			source:  "Lactate was 4. " + filler + "Lactate clearance versus capillary refill time as the target. " + filler,
			want:    []string{"<mark>Lactate</mark> clearance versus <mark>capillary</mark> refill"},
			leading: true, trailing: true,
		},
		{
			name: "a match deep in a long post", query: "vasopressin",
			source:  strings.Repeat(filler, 10) + "We added vasopressin at 0.03 units per minute. " + filler,
			want:    []string{"<mark>vasopressin</mark> at 0.03 units"},
			leading: true, trailing: true,
		},
		{
			// Only the first snippetScanMax bytes are looked through.
			name: "a match past where search looks shows the opening", query: "vasopressin",
			source:   strings.Repeat(filler, 60) + "We added vasopressin at 0.03 units per minute.",
			want:     []string{"The team reviewed the chart"},
			not:      []string{"<mark>"},
			trailing: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(results(t, tc.query).Snippet(plainOf(tc.source)))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("snippet lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("snippet has %q:\n%s", n, got)
				}
			}
			if strings.HasPrefix(got, "…") != tc.leading {
				t.Errorf("leading ellipsis %v, want %v:\n%s", strings.HasPrefix(got, "…"), tc.leading, got)
			}
			if strings.HasSuffix(got, "…") != tc.trailing {
				t.Errorf("trailing ellipsis %v, want %v:\n%s", strings.HasSuffix(got, "…"), tc.trailing, got)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(html.UnescapeString(got))
			if n := len(strings.TrimSuffix(strings.TrimPrefix(plain, "…"), "…")); n > snippetBytes {
				t.Errorf("snippet is %d bytes, want at most %d:\n%s", n, snippetBytes, got)
			}
		})
	}

	// A match is found wherever it falls against the stretches the text
	// is analysed in, on either side of a boundary or across it.
	res := results(t, "vasopressin")
	for pad := snippetScan/3 - 8; pad < snippetScan/3+8; pad++ {
		text := strings.Repeat("ab ", pad) + "then vasopressin was started"
		if got := string(res.Snippet(text)); !strings.Contains(got, "then <mark>vasopressin</mark> was") {
			t.Errorf("with %d bytes before it, the match is not marked:\n%s", 3*pad, got)
		}
	}

	res = results(t, "infarcts")
	if got, want := string(res.Highlight("Watershed infarction <b>after</b> surgery")),
		"Watershed <mark>infarction</mark> &lt;b&gt;after&lt;/b&gt; surgery"; got != want {
		t.Errorf("Highlight = %q, want %q", got, want)
	}
}

// TestNeedlesFindEveryWord checks the snippet's shortcut on every word of
// the Cranfield collection: a word is analysed only if it holds the start
// of a term (needle), so every word must hold the needle of each stem
// the analyser makes of it, or its match would go unmarked.
func TestNeedlesFindEveryWord(t *testing.T) {
	analyzer, err := textAnalyzerFor(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	extra := "dying lying tying Happy happiness hopping possibility generalization CHF MI mi's Troponins infarcts"
	seen := map[string]bool{}
	words := strings.Fields(extra)
	for _, d := range cranfieldCollection(t).docs {
		words = append(words, strings.Fields(d.title+" "+d.body)...)
	}
	checked := 0
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		for _, tok := range analyzer.Analyze([]byte(w)) {
			h := newHighlighter(analyzer, map[string]bool{string(tok.Term): true})
			if may, _ := h.mayMatch(w, nil); !may {
				t.Errorf("%q stems to %q, but the snippet would not analyse it", w, tok.Term)
			}
			checked++
		}
	}
	if checked < 5000 {
		t.Fatalf("checked %d words, want the collection's", checked)
	}
}
