package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestCaseOutcomesKeepEveryVersionAndOnlyTheirAuthorWrites(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		discussion := f.topic(t, "Statins after 80")
		caseTopic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID, Kind: models.KindCase,
			Title: "Syncope in a marathon runner", Case: &models.CaseSummary{AgeBand: "30-39", Sex: "female",
				Presentation: "Collapsed at mile 20.", Question: "Workup?", AttestedByID: f.author.ID},
			PostContent: models.PostContent{Source: "Case.", Cooked: "<p>Case.</p>", Plain: "Case."}})
		if err != nil {
			t.Fatal(err)
		}
		write := func(topicID, author int64, base int, text, day string) (*models.CaseOutcome, error) {
			return store.SaveOutcome(ctx, models.OutcomeWrite{TopicID: topicID, AuthorID: author, BaseVersion: base, OutcomeOn: day,
				PostContent: models.PostContent{Source: text, Cooked: "<p>" + text + "</p>", Plain: text}})
		}
		if _, err := store.OutcomeOf(ctx, caseTopic.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("outcome before any: %v", err)
		}
		// Only the case's author, and only on a case.
		if _, err := write(caseTopic.ID, f.peer.ID, 0, "Mine.", "2026-03-01"); !errors.Is(err, models.ErrNotCaseAuthor) {
			t.Fatalf("a peer's outcome: %v", err)
		}
		if _, err := write(discussion.ID, f.author.ID, 0, "Not a case.", "2026-03-01"); !errors.Is(err, models.ErrNotCaseAuthor) {
			t.Fatalf("an outcome on a discussion: %v", err)
		}
		if _, err := write(caseTopic.ID, f.author.ID, 0, "Bad date.", "March 1st"); err == nil {
			t.Fatal("an outcome with no valid day was saved")
		}

		first, err := write(caseTopic.ID, f.author.ID, 0, "Long QT on repeat ECG; ICD placed.", "2026-03-01")
		if err != nil {
			t.Fatal(err)
		}
		if first.Version != 1 || first.OutcomeOn != "2026-03-01" {
			t.Fatalf("first outcome %+v", first)
		}
		// A second first version, and an edit from a stale version, conflict.
		if _, err := write(caseTopic.ID, f.author.ID, 0, "Again.", "2026-03-02"); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a second new outcome: %v", err)
		}
		edited, err := write(caseTopic.ID, f.author.ID, 1, "Long QT type 1 on genetics; ICD placed, back to running.", "2026-04-10")
		if err != nil {
			t.Fatal(err)
		}
		if edited.Version != 2 || !edited.IsEdited() || edited.OutcomeOn != "2026-04-10" {
			t.Fatalf("edited outcome %+v", edited)
		}
		if _, err := write(caseTopic.ID, f.author.ID, 1, "Stale.", "2026-04-11"); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("an edit from a stale version: %v", err)
		}
		revs, err := store.OutcomeRevisions(ctx, caseTopic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Version != 2 || !strings.HasPrefix(revs[1].Source, "Long QT on repeat") || revs[1].OutcomeOn != "2026-03-01" {
			t.Fatalf("revisions %+v", revs)
		}

		// Lists say the outcome is posted, and search carries its text
		// with the opening post only.
		got, err := store.TopicByID(ctx, caseTopic.ID)
		if err != nil || !got.HasOutcome {
			t.Fatalf("topic has outcome %v (%v)", got.HasOutcome, err)
		}
		if other, err := store.TopicByID(ctx, discussion.ID); err != nil || other.HasOutcome {
			t.Fatalf("the discussion has an outcome: %v %v", other.HasOutcome, err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: caseTopic.ID, AuthorID: f.peer.ID,
			PostContent: models.PostContent{Source: "Great save.", Cooked: "<p>Great save.</p>", Plain: "Great save."}}); err != nil {
			t.Fatal(err)
		}
		docs, err := store.SearchDocsForTopics(ctx, []int64{caseTopic.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 || !docs[0].HasOutcome || !docs[1].HasOutcome || !strings.Contains(docs[0].Outcome, "genetics") || docs[1].Outcome != "" {
			t.Fatalf("search documents %+v", docs)
		}
	})
}
