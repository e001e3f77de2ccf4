package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// titles runs a search as someone who reads every board and returns the
// titles of the topics found, best first.
func (w *world) titles(t *testing.T, q string) []string {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.index.Search(context.Background(), Request{Query: parsed, Scope: w.everyone()})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, th := range res.Topics {
		topic, err := w.store.TopicByID(context.Background(), th.TopicID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, topic.Title)
	}
	return out
}

// TestPhrasesMatchTheirSynonyms checks that words in quotes are found as
// written, with other endings, and as the synonym list's other forms of
// the phrase or of a term inside it, but never as words apart.
func TestPhrasesMatchTheirSynonyms(t *testing.T) {
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	w := newWorld(t, store)
	w.open(t)
	for _, p := range []struct{ title, body string }{
		{"Clinic follow-up after discharge", "Our HF clinic sees every patient within a week of discharge."},
		{"Readmissions in winter", "Congestive heart failure readmissions double in January."},
		{"Diuretics at home", "Patients with heart failures on high-dose furosemide need a scale at home."},
		{"Kidneys and the heart", "The heart was fine; the kidney failure came first."},
		{"Young patient in the ED", "An acute MI at 29, with cocaine on the history."},
		{"Chest pain in a marathon runner", "Acute chest pain, myocardial infarction ruled out twice."},
	} {
		w.topic(t, w.board, p.title, p.body)
	}
	w.catchUp(t)

	for _, tc := range []struct {
		query      string
		want       []string // every one found, in any order
		notWanted  []string
		onlyWanted bool
	}{
		{
			query:      `"heart failure"`,
			want:       []string{"Clinic follow-up after discharge", "Readmissions in winter", "Diuretics at home"},
			notWanted:  []string{"Kidneys and the heart"},
			onlyWanted: true,
		},
		{
			query:      `"CHF"`,
			want:       []string{"Clinic follow-up after discharge", "Readmissions in winter", "Diuretics at home"},
			onlyWanted: true,
		},
		{
			query:      `"acute myocardial infarction"`,
			want:       []string{"Young patient in the ED"},
			notWanted:  []string{"Chest pain in a marathon runner"},
			onlyWanted: true,
		},
		{
			query:      `"kidney failure"`,
			want:       []string{"Kidneys and the heart"},
			onlyWanted: true,
		},
		{
			query:     `furosemide -"heart failure"`,
			notWanted: []string{"Diuretics at home"},
		},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got := w.titles(t, tc.query)
			for _, title := range tc.want {
				if !slices.Contains(got, title) {
					t.Errorf("%s did not find %q; found %s", tc.query, title, strings.Join(got, " | "))
				}
			}
			for _, title := range tc.notWanted {
				if slices.Contains(got, title) {
					t.Errorf("%s found %q", tc.query, title)
				}
			}
			if tc.onlyWanted && len(got) != len(tc.want) {
				t.Errorf("%s found %d topics, want %d: %s", tc.query, len(got), len(tc.want), strings.Join(got, " | "))
			}
		})
	}
}

// TestARareWordInABodyOutranksACommonWordInATitle is the failure that title
// and body scored with their own statistics made: a word used in many
// bodies but in few titles ("treat") made a short title holding it outrank
// a post whose body held the rare words of a long question.
func TestARareWordInABodyOutranksACommonWordInATitle(t *testing.T) {
	store := modelstest.Migrated(t, modelstest.Engines(t)[0])
	w := newWorld(t, store)
	w.open(t)
	ctx := context.Background()
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	post := func(title, body string) models.ImportTopic {
		return models.ImportTopic{BoardID: w.board.ID, Title: title,
			Posts: []models.ImportPost{{AuthorID: w.author.ID, Source: body, Plain: plainOf(body), At: at}}}
	}
	words := strings.Fields("fluids antibiotics analgesia potassium sodium chart review handover " +
		"sepsis delirium falls pressure ulcer nutrition mobility discharge planning family meeting " +
		"oxygen saturation lactate creatinine urine output drains wounds dressing pain score")
	var imports []models.ImportTopic
	for i := range 200 {
		var body []string
		for j := range 12 {
			body = append(body, words[(i*7+j*5)%len(words)])
		}
		if i%3 == 0 {
			body = append(body, "we treat it early")
		}
		imports = append(imports, post(fmt.Sprintf("Ward round %d", i), strings.Join(body, " ")+"."))
	}
	imports = append(imports,
		post("How do you treat it?", "Asking for a colleague."),
		post("Night shift question", "After a long pump run the patient came back to the unit on "+
			"three pressors with a warm periphery and a normal echo; the team talked it through at the "+
			"bedside and reached for methylene blue, which brought the vasoplegia round within the hour, "+
			"and the pressors came down over the night. The next morning the lactate had cleared, the urine "+
			"output had picked up and the family meeting went ahead as planned, with the surgeon, the "+
			"intensivist and the bedside nurse all present to explain what had happened overnight."),
	)
	if err := store.ImportTopics(ctx, imports); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)

	// No post has every word, so the any-word ranking answers.
	got := w.titles(t, "what evidence is there to treat vasoplegia with methylene blue and which protocols work")
	if len(got) == 0 || got[0] != "Night shift question" {
		t.Fatalf("the post holding the rare words is not first: %s", strings.Join(got[:min(3, len(got))], " | "))
	}
	// A title still settles a tie: the same words in a title and in a
	// body, with nothing else to tell them apart.
	w.topic(t, w.board, "Methylene blue for vasoplegia", "What dose do you start with?")
	w.topic(t, w.board, "What dose do you start with?", "Methylene blue for vasoplegia")
	w.catchUp(t)
	got = w.titles(t, "methylene blue vasoplegia")
	if len(got) < 2 || got[0] != "Methylene blue for vasoplegia" {
		t.Fatalf("a title match does not settle a tie: %s", strings.Join(got, " | "))
	}
}

// TestLongQuestionsRankedApart checks that the ranking for long questions
// applies from longWords typed words, not from the tokens they make.
func TestLongQuestionsRankedApart(t *testing.T) {
	r := defaultRanking
	if r.long == nil || r.long.b == r.b {
		t.Fatal("no separate ranking for long questions")
	}
	if got := r.forWords(longWords - 1); got.b != r.b {
		t.Errorf("%d words ranked with b %.2f, want %.2f", longWords-1, got.b, r.b)
	}
	if got := r.forWords(longWords); got.b != r.long.b {
		t.Errorf("%d words ranked with b %.2f, want %.2f", longWords, got.b, r.long.b)
	}
	x := &Index{}
	var err error
	if x.analyzer, err = textAnalyzerFor(newMapping()); err != nil {
		t.Fatal(err)
	}
	q, err := Parse("x-ray of the two-dimensional lung")
	if err != nil {
		t.Fatal(err)
	}
	if words := x.typedWords(q.Words); words != 3 {
		t.Errorf("counted %d words in %q, want 3", words, q.Words)
	}
}
