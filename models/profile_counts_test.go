package models_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// The counts a profile shows are kept as posts are written, hidden,
// deleted, purged, moved and reacted to. After every kind of write, each
// viewer's counts on each profile are exactly what counting the posts
// themselves gives (board access, hidden posts and hidden topics for
// moderators only, deleted and anonymous posts never), and the kept table
// matches a recount from scratch.
func TestProfileCountsStayRightThroughEveryWrite(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
		insider := modelstest.Verified("ito", "Dr. Ken Ito").Make(t, store)
		group := &models.Group{Name: "Cardiologists"}
		closed := f.closedBoard(t, "private", "Private", group)
		for _, u := range []int64{f.author.ID, insider.ID} {
			if err := store.AddGroupMember(ctx, group.ID, u); err != nil {
				t.Fatal(err)
			}
		}

		viewers := map[string]*models.User{"author": f.author, "peer": f.peer, "moderator": mod, "insider": insider}
		members := map[string]*models.User{"okafor": f.author, "weber": f.peer, "ito": insider}
		check := func(t *testing.T, step string) {
			t.Helper()
			drift, err := store.MemberCountsDrift()
			if err != nil {
				t.Fatal(err)
			}
			if len(drift) > 0 {
				t.Fatalf("after %s the kept counts drifted:\n%s", step, strings.Join(drift, "\n"))
			}
			for vn, v := range viewers {
				for username, m := range members {
					p, err := store.ProfileOf(ctx, v, username)
					if err != nil {
						t.Fatal(err)
					}
					want, err := store.ProfileCountsCounted(v, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					got := [5]int64{p.Topics, p.Replies, p.Helpful, p.Agree, p.Thanks}
					if got != want {
						t.Fatalf("after %s, %s sees %s's counts %v; counting the posts gives %v", step, vn, username, got, want)
					}
				}
			}
		}
		// counts is what viewer sees on the author's profile: topics,
		// replies, helpful, agree, thanks.
		counts := func(t *testing.T, viewer *models.User) [5]int64 {
			t.Helper()
			p, err := store.ProfileOf(ctx, viewer, "okafor")
			if err != nil {
				t.Fatal(err)
			}
			return [5]int64{p.Topics, p.Replies, p.Helpful, p.Agree, p.Thanks}
		}
		content := func(s string) models.PostContent {
			return models.PostContent{Source: s, Cooked: "<p>" + s + "</p>", Plain: s}
		}
		reply := func(t *testing.T, topicID int64, author *models.User, anonymous bool) *models.Post {
			t.Helper()
			nr := models.NewReply{TopicID: topicID, AuthorID: author.ID, PostContent: content("a reply")}
			if anonymous {
				nr.Anonymous, nr.AnonymityK = true, 1
			}
			p, err := store.CreateReply(ctx, nr)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		must := func(t *testing.T, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		react := func(t *testing.T, who *models.User, postID int64, kind models.ReactionKind) {
			t.Helper()
			_, err := store.ToggleReaction(ctx, who.ID, postID, kind)
			must(t, err)
		}

		// Topics and replies, signed and anonymous, on an open board and
		// on one only a group reads.
		open, opener, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Signed topic", PostContent: content("opening")})
		must(t, err)
		peerReply := reply(t, open.ID, f.peer, false)
		peerReply2 := reply(t, open.ID, f.peer, false)
		own := reply(t, open.ID, f.author, false)
		anon := reply(t, open.ID, f.author, true)
		_, _, err = store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anonymous topic", PostContent: content("anon"), Anonymous: true, AnonymityK: 1})
		must(t, err)
		private, privateOpener, err := store.CreateTopic(ctx, models.NewTopic{BoardID: closed.ID, AuthorID: f.author.ID,
			Title: "Group only", PostContent: content("private")})
		must(t, err)
		insiderReply := reply(t, private.ID, insider, false)
		check(t, "posting")
		if got, want := counts(t, f.peer), [5]int64{1, 1, 0, 0, 0}; got != want {
			t.Fatalf("the peer sees %v, want %v", got, want)
		}
		if got, want := counts(t, insider), [5]int64{2, 1, 0, 0, 0}; got != want {
			t.Fatalf("the group member sees %v, want %v", got, want)
		}

		// Reactions, on signed and anonymous posts, added and taken back.
		react(t, f.peer, opener.ID, models.ReactHelpful)
		react(t, f.peer, own.ID, models.ReactAgree)
		react(t, insider, own.ID, models.ReactAgree)
		react(t, f.peer, anon.ID, models.ReactThanks)
		react(t, f.author, peerReply.ID, models.ReactThanks)
		react(t, f.author, insiderReply.ID, models.ReactHelpful)
		check(t, "reacting")
		if got, want := counts(t, f.peer), [5]int64{1, 1, 1, 2, 0}; got != want {
			t.Fatalf("the peer sees %v, want %v", got, want)
		}
		react(t, insider, own.ID, models.ReactAgree)
		check(t, "taking a reaction back")

		// Hiding and showing a reply, and the opening post, which hides
		// the whole topic (the peer's replies in it too) from members.
		must(t, store.HidePost(ctx, own.ID, mod.ID, "off topic"))
		check(t, "hiding a reply")
		if got, want := counts(t, f.peer), [5]int64{1, 0, 1, 0, 0}; got != want {
			t.Fatalf("the peer sees %v, want %v", got, want)
		}
		if got, want := counts(t, mod), [5]int64{2, 1, 1, 1, 0}; got != want {
			t.Fatalf("the moderator sees %v, want %v", got, want)
		}
		must(t, store.UnhidePost(ctx, own.ID, mod.ID))
		check(t, "showing a reply")
		must(t, store.HidePost(ctx, opener.ID, mod.ID, "off topic"))
		check(t, "hiding an opening post")
		if got, want := counts(t, f.peer), [5]int64{0, 0, 0, 0, 0}; got != want {
			t.Fatalf("the peer sees %v, want %v", got, want)
		}
		react(t, f.peer, own.ID, models.ReactHelpful)
		check(t, "reacting in a hidden topic")
		reply(t, open.ID, f.author, false)
		check(t, "replying in a hidden topic")
		must(t, store.UnhidePost(ctx, opener.ID, mod.ID))
		check(t, "showing an opening post")

		// A report that hides a post at once, and its dismissal; a
		// moderator's redaction, which shows a hidden post again.
		_, err = store.FlagPost(ctx, models.NewFlag{PostID: peerReply.ID, ReporterID: f.author.ID, Reason: models.FlagPHI,
			IdentifierFound: true})
		must(t, err)
		check(t, "a report hiding a post")
		must(t, store.DismissFlags(ctx, peerReply.ID, mod.ID, "no identifier"))
		check(t, "dismissing the report")
		must(t, store.HidePost(ctx, own.ID, mod.ID, "identifier"))
		check(t, "hiding for an identifier")
		_, err = store.EditPost(ctx, models.PostEdit{PostID: own.ID, EditorID: mod.ID, BaseVersion: 1,
			PostContent: content("edited clean"), Redact: true, Reason: "identifier removed"})
		must(t, err)
		check(t, "a redaction")

		// Moving a topic to the group's board and back.
		must(t, store.MoveTopic(ctx, open.ID, closed.ID, mod.ID, "belongs there"))
		check(t, "moving a topic")
		if got, want := counts(t, f.peer), [5]int64{0, 0, 0, 0, 0}; got != want {
			t.Fatalf("the peer sees %v after the move, want %v", got, want)
		}
		must(t, store.MoveTopic(ctx, open.ID, f.board.ID, mod.ID, "back"))
		check(t, "moving it back")

		// A change of who may read a board needs no recount.
		must(t, store.SetBoardGroups(ctx, f.board.ID, []int64{group.ID}, nil))
		check(t, "closing a board")
		must(t, store.SetBoardGroups(ctx, f.board.ID, nil, nil))
		check(t, "opening it again")

		// Deleting, by the author and by a moderator, and purging a reply
		// and a whole topic.
		must(t, store.DeletePost(ctx, peerReply2.ID, f.peer.ID))
		check(t, "deleting a reply")
		brief, briefOpener, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Short-lived", PostContent: content("soon gone")})
		must(t, err)
		reply(t, brief.ID, f.peer, false)
		react(t, f.peer, briefOpener.ID, models.ReactThanks)
		check(t, "reacting to an opening post")
		must(t, store.DeletePost(ctx, briefOpener.ID, f.author.ID))
		check(t, "deleting an opening post")
		must(t, store.ModeratorDeletePost(ctx, own.ID, mod.ID, "rude"))
		check(t, "a moderator deleting a reply")
		_, err = store.PurgePost(ctx, peerReply.ID, mod.ID, "identifier")
		must(t, err)
		check(t, "purging a reply")
		_, err = store.PurgePost(ctx, privateOpener.ID, mod.ID, "identifier")
		must(t, err)
		check(t, "purging a topic")

		// Bulk import, as the seed and demo commands write.
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		must(t, store.ImportTopics(ctx, []models.ImportTopic{{BoardID: f.board.ID, Title: "Imported",
			Posts: []models.ImportPost{{AuthorID: f.author.ID, Source: "a", Cooked: "<p>a</p>", At: at},
				{AuthorID: f.peer.ID, Source: "b", Cooked: "<p>b</p>", At: at}, {AuthorID: f.author.ID, Source: "c", Cooked: "<p>c</p>", At: at}}}}))
		check(t, "importing")
		if got, want := counts(t, mod), [5]int64{2, 2, 1, 0, 0}; got != want {
			t.Fatalf("the moderator sees %v at the end, want %v", got, want)
		}
	})
}

// Writes racing in one topic (reactions, replies, and a moderator hiding
// and showing the opening post and a reply) leave the kept counts exactly
// what the posts say: each counted write reads its before and after with
// the topic to itself.
func TestProfileCountsSurviveConcurrentWrites(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
		topic, opener, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Busy topic", PostContent: models.PostContent{Source: "o", Cooked: "<p>o</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID,
			PostContent: models.PostContent{Source: "r", Cooked: "<p>r</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 64)
		var wg sync.WaitGroup
		run := func(n int, do func(i int) error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					if err := do(i); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		kinds := []models.ReactionKind{models.ReactHelpful, models.ReactAgree, models.ReactThanks}
		run(9, func(i int) error {
			_, err := store.ToggleReaction(ctx, f.peer.ID, opener.ID, kinds[i%3])
			return err
		})
		run(9, func(i int) error {
			_, err := store.ToggleReaction(ctx, f.peer.ID, reply.ID, kinds[i%3])
			return err
		})
		run(6, func(i int) error {
			_, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID,
				PostContent: models.PostContent{Source: "more", Cooked: "<p>more</p>"}})
			return err
		})
		run(6, func(i int) error {
			if i%2 == 0 {
				return store.HidePost(ctx, opener.ID, mod.ID, "check")
			}
			return store.UnhidePost(ctx, opener.ID, mod.ID)
		})
		run(5, func(i int) error {
			if i%2 == 0 {
				return store.HidePost(ctx, reply.ID, mod.ID, "check")
			}
			return store.UnhidePost(ctx, reply.ID, mod.ID)
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		drift, err := store.MemberCountsDrift()
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) > 0 {
			t.Fatalf("the kept counts drifted:\n%s", strings.Join(drift, "\n"))
		}
		// The reply ends hidden, the opening post shown: the peer sees
		// the topic and the six replies written during the race, and the
		// three reactions left on the opening post.
		p, err := store.ProfileOf(ctx, f.peer, "okafor")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := [5]int64{p.Topics, p.Replies, p.Helpful, p.Agree, p.Thanks}, [5]int64{1, 6, 1, 1, 1}; got != want {
			t.Fatalf("the peer sees %v, want %v", got, want)
		}
	})
}
