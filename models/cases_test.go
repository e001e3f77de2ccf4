package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func caseSummary(attestedBy int64) *models.CaseSummary {
	return &models.CaseSummary{
		SourceURL: "https://radiopaedia.org/cases/pneumomediastinum-12", AgeBand: "90-plus", Sex: "female",
		Presentation: "Sudden chest pain after vomiting.\nCrepitus over the neck.",
		Workup:       "CXR: air along the left heart border.", Question: "Would you get a contrast swallow now or wait?",
		AttestedByID: attestedBy,
	}
}

func TestCaseSummaryIsStoredWithItsTopic(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic, post, err := store.CreateTopic(ctx, models.NewTopic{
			BoardID: f.board.ID, AuthorID: f.author.ID, Title: "Chest pain after vomiting",
			PostContent: models.PostContent{Source: "**Presentation:** chest pain", Cooked: "<p><strong>Presentation:</strong> chest pain</p>"},
			Case:        caseSummary(f.author.ID),
		})
		if err != nil {
			t.Fatal(err)
		}
		if topic.Kind != models.KindCase || post.Number != 1 {
			t.Fatalf("topic kind %q, post %d", topic.Kind, post.Number)
		}
		got, err := store.CaseSummaryFor(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := caseSummary(f.author.ID)
		if got.SourceURL != want.SourceURL || got.AgeBand != want.AgeBand || got.Sex != want.Sex ||
			got.Presentation != want.Presentation || got.Workup != want.Workup || got.Question != want.Question ||
			got.AttestedByID != f.author.ID || got.AttestedAt.IsZero() {
			t.Fatalf("stored %+v, want %+v", got, want)
		}
		loaded, err := store.TopicByID(ctx, topic.ID)
		if err != nil || loaded.Kind != models.KindCase {
			t.Fatalf("topic %+v, %v", loaded, err)
		}

		plain := f.topic(t, "Not a case")
		if _, err := store.CaseSummaryFor(ctx, plain.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("summary of a plain topic: %v, want not found", err)
		}
	})
}

func TestCaseSummaryIsAllOrNothing(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		for _, tc := range []struct {
			name string
			// checked cases the store refuses before writing anything;
			// the others reach the database, whose NOT NULL refuses them
			// after the topic, its post and its tags were written.
			checked bool
			broken  func(cs *models.CaseSummary)
		}{
			{"no presentation", false, func(cs *models.CaseSummary) { cs.Presentation = "" }},
			{"no question", false, func(cs *models.CaseSummary) { cs.Question = "" }},
			{"no attestation", false, func(cs *models.CaseSummary) { cs.AttestedByID = 0 }},
			{"an exact age", true, func(cs *models.CaseSummary) { cs.AgeBand = "92" }},
			{"unknown sex", true, func(cs *models.CaseSummary) { cs.Sex = "f" }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				cs := caseSummary(f.author.ID)
				tc.broken(cs)
				_, _, err := store.CreateTopic(ctx, models.NewTopic{
					BoardID: f.board.ID, AuthorID: f.author.ID, Title: "A half-written case", Tags: []string{"ecg"},
					PostContent: models.PostContent{Source: "Opening", Cooked: "<p>Opening</p>"}, Case: cs,
				})
				if err == nil {
					t.Fatal("a broken case summary was accepted")
				}
				if errors.Is(err, models.ErrInvalidCase) != tc.checked {
					t.Fatalf("refused with %v; checked before writing: %v", err, !tc.checked)
				}
			})
		}
		var topics, posts, tags, summaries int64
		db := store.DB().WithContext(ctx)
		for table, n := range map[string]*int64{"topics": &topics, "posts": &posts, "topic_tags": &tags, "case_summaries": &summaries} {
			if err := db.Table(table).Count(n).Error; err != nil {
				t.Fatal(err)
			}
		}
		if topics+posts+tags+summaries != 0 {
			t.Fatalf("a refused case left %d topics, %d posts, %d tags, %d summaries", topics, posts, tags, summaries)
		}
		board, err := store.BoardBySlug(ctx, f.board.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if board.TopicCount != 0 {
			t.Fatalf("board counts %d topics", board.TopicCount)
		}
	})
}

func TestMentionsAgeOver89(t *testing.T) {
	for text, want := range map[string]bool{
		"A 92-year-old woman with chest pain": true,
		"95 yo man":                           true,
		"aged 91, lives alone":                true,
		"Age: 103":                            true,
		"A woman in her nineties":             false,
		"A 45-year-old man":                   false,
		"Troponin 95 ng/L at 3 hours":         false,
		"HR 98, BP 92/60":                     false,
	} {
		if got := models.MentionsAgeOver89(text); got != want {
			t.Errorf("MentionsAgeOver89(%q) = %v, want %v", text, got, want)
		}
	}
}
