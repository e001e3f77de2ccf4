package digest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"rounds/app/digest"
	"rounds/models"
	"rounds/models/modelstest"
)

// digestWorld is a small site: authors posting on open, restricted and
// policy-limited boards, and readers in every situation a digest meets.
type digestWorld struct {
	store                                *models.Store
	alice, bob, carol                    *models.User
	general, cases, journal, cardio      *models.Board
	heparin, quiet, chest, jama, private *models.Topic
	hiddenOpener                         *models.Topic
	cardiology                           *models.Group
	hiddenReply, deletedReply, anonReply *models.Post
	before                               time.Time
	openers                              map[int64]int64 // topic → opening post
}

func newDigestWorld(t *testing.T, store *models.Store) *digestWorld {
	t.Helper()
	ctx := context.Background()
	w := &digestWorld{store: store, before: store.Now().Add(-time.Minute), openers: map[int64]int64{}}
	w.alice = w.member(t, "alice", "Dr. Alice Ng", "Cardiology", models.StatusVerified)
	w.bob = w.member(t, "bob", "Bob Ortiz, RN", "Emergency Nursing", models.StatusVerified)
	w.carol = w.member(t, "carol", "Dr. Carol Diaz", "Nephrology", models.StatusVerified)
	board := func(slug string, policy models.EmailPolicy) *models.Board {
		return modelstest.OpenBoard(slug, strings.ToUpper(slug[:1])+slug[1:]).EmailPolicy(policy).Make(t, store)
	}
	w.general = board("general", models.EmailFull)
	w.cases = board("cases", models.EmailCounts)
	w.journal = board("journal", models.EmailTitles)
	w.cardio = board("cardio", models.EmailFull)
	w.cardiology = &models.Group{Name: "Cardiology", AutoSpecialty: "cardiology"}
	if err := store.SaveGroup(ctx, w.cardiology); err != nil {
		t.Fatal(err)
	}
	if err := store.SetBoardGroups(ctx, w.cardio.ID, []int64{w.cardiology.ID}, nil); err != nil {
		t.Fatal(err)
	}
	w.heparin = w.topic(t, w.general, w.alice, "Heparin dosing in AKI")
	w.anonReply = w.reply(t, w.heparin, w.carol, "I halve it &amp; <em>check</em> anti-Xa.", true)
	w.reply(t, w.heparin, w.bob, "Same here.", false)
	w.hiddenReply = w.reply(t, w.heparin, w.bob, "Patient John Smith, MRN 123", false)
	w.deletedReply = w.reply(t, w.heparin, w.bob, "Posted twice by mistake", false)
	if err := store.HidePost(ctx, w.hiddenReply.ID, w.alice.ID, "identifiers"); err != nil {
		t.Fatal(err)
	}
	if err := store.DeletePost(ctx, w.deletedReply.ID, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	w.quiet = w.topic(t, w.general, w.bob, "Night shift handover template")
	w.chest = w.topic(t, w.cases, w.alice, "Case: chest pain at 34")
	w.reply(t, w.chest, w.bob, "Troponin trend?", false)
	w.jama = w.topic(t, w.journal, w.bob, "JAMA review of DOACs")
	w.private = w.topic(t, w.cardio, w.alice, "Cardiology only: TAVI outcomes")
	w.hiddenOpener = w.topic(t, w.general, w.bob, "Opening post hidden by moderators")
	if err := store.HidePost(ctx, w.openers[w.hiddenOpener.ID], w.alice.ID, "off topic"); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *digestWorld) member(t *testing.T, username, name, specialty string, status models.Status) *models.User {
	t.Helper()
	return modelstest.Verified(username, name).Specialty(specialty).Status(status).WithEmail().Make(t, w.store)
}

func (w *digestWorld) topic(t *testing.T, b *models.Board, author *models.User, title string) *models.Topic {
	t.Helper()
	topic, opener, err := w.store.CreateTopic(context.Background(), models.NewTopic{BoardID: b.ID, AuthorID: author.ID,
		Title: title, PostContent: models.PostContent{Source: "About " + title, Cooked: "<p>About " + title + "</p>"}})
	if err != nil {
		t.Fatal(err)
	}
	w.openers[topic.ID] = opener.ID
	return topic
}

// reply adds a reply; an anonymous one is labelled with k = 1, so its label
// names the author's specialty.
func (w *digestWorld) reply(t *testing.T, topic *models.Topic, author *models.User, cooked string, anonymous bool) *models.Post {
	t.Helper()
	p, err := w.store.CreateReply(context.Background(), models.NewReply{TopicID: topic.ID, AuthorID: author.ID,
		PostContent: models.PostContent{Source: cooked, Cooked: "<p>" + cooked + "</p>"}, Anonymous: anonymous, AnonymityK: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func titles(d *digest.Digest) []string {
	var out []string
	for _, it := range d.Items {
		mark := ""
		if it.Watched {
			mark = "*"
		}
		out = append(out, mark+it.TopicTitle)
	}
	return out
}

func TestDigestContent(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newDigestWorld(t, store)
		until := store.Now().Add(time.Minute)
		reader := func(name string) *models.User {
			return w.member(t, name, "Reader "+name, "Pediatrics", models.StatusVerified)
		}

		tests := []struct {
			name  string
			setup func(t *testing.T) *models.User
			since time.Time
			// want lists titles in order; a leading * marks a watched topic.
			want []string
		}{
			{"default: the busiest readable topics, nothing hidden or restricted", func(t *testing.T) *models.User {
				return reader("lurker")
			}, w.before, []string{"Heparin dosing in AKI", "Case: chest pain at 34", "JAMA review of DOACs", "Night shift handover template"}},
			{"watched board and topic first", func(t *testing.T) *models.User {
				u := reader("watcher")
				must(t, store.SetBoardLevel(ctx, u.ID, w.journal.ID, models.LevelWatch))
				must(t, store.SetTopicLevel(ctx, u.ID, w.quiet.ID, models.LevelWatch))
				return u
			}, w.before, []string{"*JAMA review of DOACs", "*Night shift handover template", "Heparin dosing in AKI", "Case: chest pain at 34"}},
			{"muted board, one of its topics watched", func(t *testing.T) *models.User {
				u := reader("muter")
				must(t, store.SetBoardLevel(ctx, u.ID, w.general.ID, models.LevelMute))
				must(t, store.SetTopicLevel(ctx, u.ID, w.heparin.ID, models.LevelWatch))
				must(t, store.SetTopicLevel(ctx, u.ID, w.jama.ID, models.LevelMute))
				return u
			}, w.before, []string{"*Heparin dosing in AKI", "Case: chest pain at 34"}},
			{"back to default after a mute", func(t *testing.T) *models.User {
				u := reader("unmuter")
				must(t, store.SetTopicLevel(ctx, u.ID, w.jama.ID, models.LevelMute))
				must(t, store.SetTopicLevel(ctx, u.ID, w.jama.ID, models.LevelDefault))
				return u
			}, w.before, []string{"Heparin dosing in AKI", "Case: chest pain at 34", "JAMA review of DOACs", "Night shift handover template"}},
			{"own posts left out, restricted board readable by specialty", func(t *testing.T) *models.User {
				return w.alice
			}, w.before, []string{"Heparin dosing in AKI", "JAMA review of DOACs", "Case: chest pain at 34", "Night shift handover template"}},
			{"listed in a group, then taken off it: access lost", func(t *testing.T) *models.User {
				u := reader("former")
				must(t, store.AddGroupMember(ctx, w.cardiology.ID, u.ID))
				d, err := digest.Content(ctx, store, u.ID, w.before, until, 0)
				must(t, err)
				if !slices.Contains(titles(d), "Cardiology only: TAVI outcomes") {
					t.Fatalf("a group member's digest %v lacks the group's board", titles(d))
				}
				must(t, store.RemoveGroupMember(ctx, w.cardiology.ID, u.ID))
				return u
			}, w.before, []string{"Heparin dosing in AKI", "Case: chest pain at 34", "JAMA review of DOACs", "Night shift handover template"}},
			{"suspended member gets nothing", func(t *testing.T) *models.User {
				u := reader("suspended")
				must(t, store.SetBoardLevel(ctx, u.ID, w.general.ID, models.LevelWatch))
				must(t, store.DB().Exec(`UPDATE users SET status = ? WHERE id = ?`, models.StatusSuspended, u.ID).Error)
				return u
			}, w.before, nil},
			{"unverified member gets nothing", func(t *testing.T) *models.User {
				return w.member(t, "pending", "Pending", "", models.StatusApplied)
			}, w.before, nil},
			{"digests turned off", func(t *testing.T) *models.User {
				u := reader("never")
				must(t, store.SaveDigestSettings(ctx, models.DigestSettings{UserID: u.ID, Frequency: models.DigestNever, Hour: 7, Weekday: 1, TimeZone: "UTC"}))
				return u
			}, w.before, nil},
			{"nothing new since the last digest", func(t *testing.T) *models.User {
				return reader("uptodate")
			}, until.Add(-time.Second), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := tt.setup(t)
				d, err := digest.Content(ctx, store, u.ID, tt.since, until, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got := titles(d); !slices.Equal(got, tt.want) {
					t.Fatalf("digest %q, want %q", got, tt.want)
				}
				if d.Empty() != (len(tt.want) == 0) {
					t.Fatalf("Empty() = %v with %d items", d.Empty(), len(d.Items))
				}
			})
		}

		t.Run("posts, policies and anonymity", func(t *testing.T) {
			u := reader("details")
			d, err := digest.Content(ctx, store, u.ID, w.before, until, 0)
			must(t, err)
			byTitle := map[string]digest.Item{}
			for _, it := range d.Items {
				byTitle[it.TopicTitle] = it
			}
			heparin := byTitle[w.heparin.Title]
			if heparin.EmailPolicy != models.EmailFull || !heparin.NewTopic || heparin.NewPosts != 3 {
				t.Fatalf("heparin item %+v: want full policy, a new topic, 3 visible posts", heparin)
			}
			var authors []string
			for _, p := range heparin.Posts {
				authors = append(authors, p.Author)
				if p.PostID == w.hiddenReply.ID || p.PostID == w.deletedReply.ID {
					t.Errorf("hidden or deleted post %d in the digest", p.PostID)
				}
			}
			if want := []string{"Dr. Alice Ng", "Anonymous Nephrology", "Bob Ortiz, RN"}; !slices.Equal(authors, want) {
				t.Fatalf("heparin authors %q, want %q (anonymous by specialty)", authors, want)
			}
			for _, p := range heparin.Posts {
				if strings.Contains(p.Cooked, "Carol") {
					t.Errorf("anonymous post leaks its author: %q", p.Cooked)
				}
			}
			if it := byTitle[w.chest.Title]; it.EmailPolicy != models.EmailCounts || len(it.Posts) != 0 || it.NewPosts != 2 {
				t.Errorf("counts-only item %+v: want 2 posts counted and none carried", it)
			}
			if it := byTitle[w.jama.Title]; it.EmailPolicy != models.EmailTitles || len(it.Posts) != 0 {
				t.Errorf("titles-only item %+v: want no posts carried", it)
			}
		})

		t.Run("limit", func(t *testing.T) {
			u := reader("limited")
			d, err := digest.Content(ctx, store, u.ID, w.before, until, 2)
			must(t, err)
			if len(d.Items) != 2 {
				t.Fatalf("%d items, want the limit of 2", len(d.Items))
			}
		})

		t.Run("moderator reads every board but never a hidden post", func(t *testing.T) {
			u := reader("moderator")
			must(t, store.SetRole(ctx, u.ID, models.RoleModerator))
			d, err := digest.Content(ctx, store, u.ID, w.before, until, 0)
			must(t, err)
			got := titles(d)
			if !slices.Contains(got, w.private.Title) || slices.Contains(got, w.hiddenOpener.Title) {
				t.Fatalf("moderator's digest %q: want the restricted board, not the hidden topic", got)
			}
		})
	})
}

// TestDigestOrder pins what a member's digest carries and in what order on
// a fixed corpus: watched topics first, then by posts of others, then by
// the newest post; the three newest posts by others under each topic of a
// board that mails posts, oldest first; nothing from a topic the member
// alone wrote in.
func TestDigestOrder(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := &digestWorld{store: store, before: store.Now().Add(-time.Minute), openers: map[int64]int64{}}
		alice := w.member(t, "alice", "Alice", "Cardiology", models.StatusVerified)
		bob := w.member(t, "bob", "Bob", "Nephrology", models.StatusVerified)
		carol := w.member(t, "carol", "Carol", "Pediatrics", models.StatusVerified)
		reader := w.member(t, "reader", "Reader", "Pediatrics", models.StatusVerified)
		general := modelstest.OpenBoard("general", "General").EmailPolicy(models.EmailFull).Make(t, store)
		cases := modelstest.OpenBoard("cases", "Cases").EmailPolicy(models.EmailCounts).Make(t, store)

		a := w.topic(t, general, alice, "A")
		for _, author := range []*models.User{bob, reader, bob, carol, reader, bob, bob} {
			w.reply(t, a, author, "on A", false)
		}
		w.topic(t, general, bob, "F")
		b := w.topic(t, general, bob, "B")
		w.reply(t, b, carol, "on B", false)
		w.reply(t, b, carol, "on B", false)
		c := w.topic(t, cases, carol, "C")
		w.reply(t, c, alice, "on C", false)
		w.reply(t, c, alice, "on C", false)
		e := w.topic(t, general, reader, "E")
		w.reply(t, e, alice, "on E", false)
		d := w.topic(t, general, alice, "D")
		w.topic(t, general, reader, "G") // the reader alone wrote in it
		must(t, store.SetTopicLevel(ctx, reader.ID, d.ID, models.LevelWatch))
		until := store.Now().Add(time.Minute)

		describe := func(d *digest.Digest) []string {
			var out []string
			for _, it := range d.Items {
				s := it.TopicTitle
				if it.Watched {
					s = "*" + s
				}
				if it.NewTopic {
					s += " new"
				}
				s += fmt.Sprintf(" %d", it.NewPosts)
				for _, p := range it.Posts {
					s += fmt.Sprintf(" %d:%s", p.Number, p.Author)
				}
				out = append(out, s)
			}
			return out
		}
		want := []string{
			"*D new 1 1:Alice",
			"A new 6 5:Carol 7:Bob 8:Bob",
			"C new 3",
			"B new 3 1:Bob 2:Carol 3:Carol",
			"E 1 2:Alice",
			"F new 1 1:Bob",
		}
		got, err := digest.Content(ctx, store, reader.ID, w.before, until, 0)
		must(t, err)
		if !slices.Equal(describe(got), want) {
			t.Fatalf("digest\n%q\nwant\n%q", describe(got), want)
		}
		got, err = digest.Content(ctx, store, reader.ID, w.before, until, 3)
		must(t, err)
		if !slices.Equal(describe(got), want[:3]) {
			t.Fatalf("digest limited to 3\n%q\nwant\n%q", describe(got), want[:3])
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
