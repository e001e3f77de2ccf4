package search

import (
	"context"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestAnsweredTopicsAreFoundByState(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		answered, opening := w.topic(t, w.board, "Apixaban in dialysis", "What dose of apixaban on dialysis?")
		reply := w.reply(t, answered, "Apixaban 2.5 mg twice daily.")
		_, other := w.topic(t, w.board, "Apixaban after TAVI", "Any apixaban experience after TAVI?")
		w.catchUp(t)
		if got := w.find(t, "apixaban is:answered", w.everyone()); len(got) != 0 {
			t.Fatalf("is:answered before any answer found %v", got)
		}
		if err := store.MarkAnswer(ctx, answered.ID, reply.ID, w.author.ID, false); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		ids := func(q string) string {
			t.Helper()
			return fmt.Sprint(w.find(t, q+" order:newest", w.everyone()))
		}
		both := fmt.Sprint([]int64{reply.ID, opening.ID})
		if got := ids("apixaban is:answered"); got != both {
			t.Fatalf("is:answered found %s, want the answered topic's posts %s", got, both)
		}
		if got := ids("is:answered"); got != both {
			t.Fatalf("is:answered alone found %s, want %s", got, both)
		}
		for _, q := range []string{"apixaban is:unanswered", "apixaban -is:answered", "is:unanswered"} {
			if got, want := ids(q), fmt.Sprint([]int64{other.ID}); got != want {
				t.Fatalf("%s found %s, want %s", q, got, want)
			}
		}
		if err := store.UnmarkAnswer(ctx, answered.ID, w.author.ID, false); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		if got := ids("is:answered"); got != "[]" {
			t.Fatalf("is:answered after unmarking found %s", got)
		}
	})
}

func TestOutcomesAreFoundWithTheirCase(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newWorld(t, store)
		w.open(t)
		caseTopic, opening, err := store.CreateTopic(ctx, models.NewTopic{BoardID: w.board.ID, AuthorID: w.author.ID,
			Kind: models.KindCase, Title: "Syncope in a marathon runner",
			Case: &models.CaseSummary{AgeBand: "30-39", Sex: "female", Presentation: "Collapsed at mile 20.",
				Question: "Workup?", AttestedByID: w.author.ID},
			PostContent: models.PostContent{Source: "Collapsed at mile 20.", Cooked: "<p>Collapsed at mile 20.</p>",
				Plain: plainOf("Collapsed at mile 20.")}})
		if err != nil {
			t.Fatal(err)
		}
		reply := w.reply(t, caseTopic, "Get an echo.")
		_, other := w.topic(t, w.board, "Syncope after a meal", "Postprandial syncope in the elderly.")
		w.catchUp(t)
		if got := w.find(t, "brugada", w.everyone()); len(got) != 0 {
			t.Fatalf("the outcome's word found %v before the outcome", got)
		}
		if _, err := store.SaveOutcome(ctx, models.OutcomeWrite{TopicID: caseTopic.ID, AuthorID: w.author.ID, OutcomeOn: "2026-03-01",
			PostContent: models.PostContent{Source: "Brugada pattern on ajmaline.", Cooked: "<p>Brugada pattern on ajmaline.</p>",
				Plain: plainOf("Brugada pattern on ajmaline.")}}); err != nil {
			t.Fatal(err)
		}
		w.catchUp(t)
		if got, want := fmt.Sprint(w.find(t, "brugada", w.everyone())), fmt.Sprint([]int64{opening.ID}); got != want {
			t.Fatalf("the outcome's word found %s, want the case's opening post %s", got, want)
		}
		if got, want := fmt.Sprint(w.find(t, "syncope has:outcome order:newest", w.everyone())), fmt.Sprint([]int64{opening.ID}); got != want {
			t.Fatalf("syncope has:outcome found %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(w.find(t, "has:outcome", w.everyone())), fmt.Sprint([]int64{reply.ID, opening.ID}); got != want {
			t.Fatalf("has:outcome found %s, want the case's posts %s", got, want)
		}
		if got, want := fmt.Sprint(w.find(t, "syncope -has:outcome", w.everyone())), fmt.Sprint([]int64{other.ID}); got != want {
			t.Fatalf("syncope -has:outcome found %s, want %s", got, want)
		}
	})
}
