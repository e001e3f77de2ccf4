package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestPollsCountVotesKeepThemApartAndClose(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		topic := f.topic(t, "Apixaban in dialysis")
		post := openingPost(t, store, topic.ID)
		third := modelstest.Verified("patel", "Dr. Ravi Patel").Make(t, store)
		closes := store.Now().Add(48 * time.Hour)
		np := models.NewPoll{PostID: post, AuthorID: f.author.ID, Question: "What would you do?",
			Options: []string{"2.5 mg twice daily", "5 mg twice daily", "Warfarin"}, ClosesAt: &closes}

		// Only the post's author adds a poll, once, with 2 to 10 options.
		peerPoll := np
		peerPoll.AuthorID = f.peer.ID
		if _, err := store.CreatePoll(ctx, peerPoll); !errors.Is(err, models.ErrNotPostAuthor) {
			t.Fatalf("a peer's poll: %v", err)
		}
		short := np
		short.Options = []string{"Only one"}
		if _, err := store.CreatePoll(ctx, short); !errors.Is(err, models.ErrInvalidPoll) {
			t.Fatalf("a poll of one option: %v", err)
		}
		if _, err := store.CreatePoll(ctx, np); err != nil {
			t.Fatal(err)
		}
		if got, err := store.TopicByID(ctx, topic.ID); err != nil || !got.HasPolls {
			t.Fatalf("the topic does not know it has a poll (%v)", err)
		}
		if _, err := store.CreatePoll(ctx, np); !errors.Is(err, models.ErrPollExists) {
			t.Fatalf("a second poll: %v", err)
		}
		polls, err := store.PollsOn(ctx, f.peer.ID, []int64{post})
		if err != nil {
			t.Fatal(err)
		}
		p := polls[post]
		if p == nil || len(p.Options) != 3 || p.Voted || p.Closed || p.Multiple || p.Options[0].Label != "2.5 mg twice daily" {
			t.Fatalf("poll before votes %+v", p)
		}
		a, b, c := p.Options[0].ID, p.Options[1].ID, p.Options[2].ID

		// One choice in a single-choice poll, of its own options.
		if err := store.Vote(ctx, post, f.peer.ID, []int64{a, b}); !errors.Is(err, models.ErrInvalidVote) {
			t.Fatalf("two choices in a single-choice poll: %v", err)
		}
		if err := store.Vote(ctx, post, f.peer.ID, []int64{999999}); !errors.Is(err, models.ErrInvalidVote) {
			t.Fatalf("another poll's option: %v", err)
		}
		if err := store.Vote(ctx, post, f.peer.ID, nil); !errors.Is(err, models.ErrInvalidVote) {
			t.Fatalf("no choice: %v", err)
		}
		for _, v := range []struct {
			user   int64
			option int64
		}{{f.peer.ID, a}, {third.ID, a}, {third.ID, c}} { // patel changes their mind
			if err := store.Vote(ctx, post, v.user, []int64{v.option}); err != nil {
				t.Fatal(err)
			}
		}
		tally := func(viewer int64) string {
			t.Helper()
			polls, err := store.PollsOn(ctx, viewer, []int64{post})
			if err != nil {
				t.Fatal(err)
			}
			p := polls[post]
			s := fmt.Sprintf("voters %d voted %v closed %v:", p.Voters, p.Voted, p.Closed)
			for _, o := range p.Options {
				s += fmt.Sprintf(" %d%s", o.Votes, map[bool]string{true: "*"}[o.Mine])
			}
			return s
		}
		if got, want := tally(f.peer.ID), "voters 2 voted true closed false: 1* 0 1"; got != want {
			t.Fatalf("as the peer: %s, want %s", got, want)
		}
		if got, want := tally(f.author.ID), "voters 2 voted false closed false: 1 0 1"; got != want {
			t.Fatalf("as the author: %s, want %s", got, want)
		}

		// Editing the post leaves the poll and its votes.
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: post, EditorID: f.author.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "Edited.", Cooked: "<p>Edited.</p>", Plain: "Edited."}}); err != nil {
			t.Fatal(err)
		}
		if got, want := tally(f.peer.ID), "voters 2 voted true closed false: 1* 0 1"; got != want {
			t.Fatalf("after an edit: %s, want %s", got, want)
		}

		// Once closed, it takes no votes.
		store.SetClock(func() time.Time { return closes.Add(time.Minute) })
		if err := store.Vote(ctx, post, f.peer.ID, []int64{b}); !errors.Is(err, models.ErrPollClosed) {
			t.Fatalf("a vote after closing: %v", err)
		}
		if got, want := tally(f.peer.ID), "voters 2 voted true closed true: 1* 0 1"; got != want {
			t.Fatalf("after closing: %s, want %s", got, want)
		}
	})
}
