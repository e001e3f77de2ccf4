package search

import (
	"context"
	"fmt"
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
			Posts: []models.ImportPost{{AuthorID: w.author.ID, Source: body, At: at}}}
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
