package models_test

import (
	"context"
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func listTitles(topics []models.TopicSummary) []string {
	titles := make([]string, len(topics))
	for i := range topics {
		titles[i] = topics[i].Title
	}
	return titles
}

// TestTagListKeepsToWhatTheReaderMayRead checks the tag list's prepared
// statement against each kind of reader: a board closed to a group is
// listed to its members and moderators only, a topic whose opening post is
// hidden to moderators (and the system) only, an anonymous author is never
// named, tags come sorted, and paging below a topic id walks the rest.
func TestTagListKeepsToWhatTheReaderMayRead(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("mod", "Dr. Mod").Moderator().Make(t, store)
		nurse := modelstest.Verified("nurse", "Sam Nurse").Profession("nurse").Make(t, store)
		closed := f.closedBoard(t, "nursing", "Nursing", &models.Group{Name: "Nursing", AutoProfession: "nurse"})
		open1 := f.topic(t, "Open one", "sepsis", "antibiotics")
		if _, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closed.ID, AuthorID: f.author.ID, Title: "Nurses only",
			Tags: []string{"sepsis"}, PostContent: models.PostContent{Source: "x", Cooked: "<p>x</p>", Plain: "x"}}); err != nil {
			t.Fatal(err)
		}
		hidden := f.topic(t, "Hidden by the moderators", "sepsis")
		if err := store.HidePost(ctx, openingPost(t, store, hidden.ID), mod.ID, "Identifies a patient"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID, Title: "Asked anonymously",
			Anonymous: true, Tags: []string{"sepsis"}, PostContent: models.PostContent{Source: "y", Cooked: "<p>y</p>", Plain: "y"}}); err != nil {
			t.Fatal(err)
		}
		f.topic(t, "Another tag only", "ecg")

		for _, c := range []struct {
			name   string
			viewer *models.User
			want   string
		}{
			{"a member outside the group", f.peer, "[Asked anonymously Open one]"},
			{"a member of the group", nurse, "[Asked anonymously Nurses only Open one]"},
			{"a moderator", mod, "[Asked anonymously Hidden by the moderators Nurses only Open one]"},
			{"the system", nil, "[Asked anonymously Hidden by the moderators Nurses only Open one]"},
		} {
			got, more, err := store.TopicsWithTag(ctx, c.viewer, "sepsis", 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if more || fmt.Sprint(listTitles(got)) != c.want {
				t.Errorf("%s: %v (more %v), want %s", c.name, listTitles(got), more, c.want)
			}
			for _, topic := range got {
				switch topic.Title {
				case "Asked anonymously":
					if !topic.Anonymous || topic.AuthorName != "" || topic.AuthorUsername != "" || topic.AuthorSpecialty != "" {
						t.Errorf("%s: the anonymous author is named: %+v", c.name, topic)
					}
				case "Open one":
					if topic.ID != open1.ID || fmt.Sprint(topic.Tags) != "[antibiotics sepsis]" || topic.AuthorUsername != "okafor" ||
						topic.BoardSlug != "cardiology" || topic.OpenerHidden || topic.CreatedAt.Location().String() != "UTC" {
						t.Errorf("%s: %+v", c.name, topic)
					}
				case "Hidden by the moderators":
					if !topic.OpenerHidden {
						t.Errorf("%s: the hidden topic is not marked so", c.name)
					}
				}
			}
		}
		// Paging: two at a time, below the last one's id.
		first, more, err := store.TopicsWithTag(ctx, mod, "sepsis", 0, 2)
		if err != nil || !more || len(first) != 2 {
			t.Fatalf("first page: %v more=%v err=%v", listTitles(first), more, err)
		}
		rest, more, err := store.TopicsWithTag(ctx, mod, "sepsis", first[1].ID, 2)
		if err != nil || more || fmt.Sprint(listTitles(rest)) != "[Nurses only Open one]" {
			t.Fatalf("second page: %v more=%v err=%v", listTitles(rest), more, err)
		}
	})
}

// TestBoardListHidesHiddenOpenersFromMembers checks the board list's
// prepared statements: pinned and unpinned topics apart, a topic whose
// opening post is hidden for moderators only, tags read with the topics.
func TestBoardListHidesHiddenOpenersFromMembers(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("mod", "Dr. Mod").Moderator().Make(t, store)
		f.topic(t, "Plain", "ecg", "arrhythmia")
		pinned := f.topic(t, "Pinned", "guidelines")
		if err := store.PinTopic(ctx, pinned.ID, mod.ID, true); err != nil {
			t.Fatal(err)
		}
		hidden := f.topic(t, "Hidden")
		if err := store.HidePost(ctx, openingPost(t, store, hidden.ID), mod.ID, "Identifies a patient"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			viewer       *models.User
			want, pinned string
		}{
			{f.peer, "[Plain]", "[Pinned]"},
			{mod, "[Hidden Plain]", "[Pinned]"},
		} {
			got, more, err := store.TopicsInBoard(ctx, f.board.ID, models.TopicPage{Limit: 10, Viewer: c.viewer})
			if err != nil || more || fmt.Sprint(listTitles(got)) != c.want {
				t.Errorf("%s: %v more=%v err=%v, want %s", c.viewer.Username, listTitles(got), more, err, c.want)
			}
			for _, topic := range got {
				if topic.Title == "Plain" && fmt.Sprint(topic.Tags) != "[arrhythmia ecg]" {
					t.Errorf("tags %v", topic.Tags)
				}
			}
			p, err := store.PinnedTopics(ctx, c.viewer, f.board.ID)
			if err != nil || fmt.Sprint(listTitles(p)) != c.pinned || fmt.Sprint(p[0].Tags) != "[guidelines]" {
				t.Errorf("%s pinned: %v err=%v", c.viewer.Username, listTitles(p), err)
			}
		}
	})
}

// TestReadPositionsAmongManyTopics checks the fixed-slot statement of
// ReadPositionsAmong past one run's slots: every asked topic the member
// opened, and no one else's position nor any topic not asked about.
func TestReadPositionsAmongManyTopics(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		var ids []int64
		var positions []models.ReadPosition
		for i := range 70 {
			topic := f.topic(t, fmt.Sprintf("Topic %d", i))
			ids = append(ids, topic.ID)
			if i%3 == 0 {
				positions = append(positions, models.ReadPosition{UserID: f.peer.ID, TopicID: topic.ID, Number: 1, At: store.Now()})
			}
			positions = append(positions, models.ReadPosition{UserID: f.author.ID, TopicID: topic.ID, Number: 1, At: store.Now()})
		}
		if err := store.RecordReadPositions(ctx, positions); err != nil {
			t.Fatal(err)
		}
		got, err := store.ReadPositionsAmong(ctx, f.peer.ID, ids[:69])
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 23 {
			t.Errorf("%d positions, want 23", len(got))
		}
		for i, id := range ids {
			_, ok := got[id]
			if want := i%3 == 0 && i < 69; ok != want {
				t.Errorf("topic %d (%d): listed %v, want %v", i, id, ok, want)
			}
		}
	})
}
