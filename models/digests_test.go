package models_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

func TestDigestPeriod(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	settings := func(freq models.DigestFrequency, hour, weekday int, zone string) models.DigestSettings {
		return models.DigestSettings{Frequency: freq, Hour: hour, Weekday: weekday, TimeZone: zone}
	}
	tests := []struct {
		name        string
		settings    models.DigestSettings
		now         string
		key         string
		due, window string
	}{
		{"weekly default, mid-week", models.DefaultDigestSettings(1), "2026-11-25T10:00:00Z",
			"2026-11-23/weekly", "2026-11-23T07:00:00Z", "2026-11-16T07:00:00Z"},
		{"weekly, a minute before the hour", models.DefaultDigestSettings(1), "2026-11-23T06:59:00Z",
			"2026-11-16/weekly", "2026-11-16T07:00:00Z", "2026-11-09T07:00:00Z"},
		{"weekly, on the hour", models.DefaultDigestSettings(1), "2026-11-23T07:00:00Z",
			"2026-11-23/weekly", "2026-11-23T07:00:00Z", "2026-11-16T07:00:00Z"},
		{"daily in New York before the local hour", settings(models.DigestDaily, 7, 0, "America/New_York"), "2026-11-25T11:59:00Z",
			"2026-11-24/daily", "2026-11-24T12:00:00Z", "2026-11-23T12:00:00Z"},
		{"daily in New York at the local hour", settings(models.DigestDaily, 7, 0, "America/New_York"), "2026-11-25T12:00:00Z",
			"2026-11-25/daily", "2026-11-25T12:00:00Z", "2026-11-24T12:00:00Z"},
		{"weekly on Sunday in Tokyo, Saturday in UTC", settings(models.DigestWeekly, 8, 0, "Asia/Tokyo"), "2026-11-28T23:30:00Z",
			"2026-11-29/weekly", "2026-11-28T23:00:00Z", "2026-11-21T23:00:00Z"},
		{"daily in Berlin across the end of summer time", settings(models.DigestDaily, 7, 0, "Europe/Berlin"), "2026-10-25T06:30:00Z",
			"2026-10-25/daily", "2026-10-25T06:00:00Z", "2026-10-24T05:00:00Z"},
		{"weekly on Saturday at 23:00 in Auckland", settings(models.DigestWeekly, 23, 6, "Pacific/Auckland"), "2026-11-28T10:30:00Z",
			"2026-11-28/weekly", "2026-11-28T10:00:00Z", "2026-11-21T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := models.DigestPeriod(tt.settings, at(tt.now))
			if !ok {
				t.Fatal("no period")
			}
			if p.Key != tt.key || !p.Due.Equal(at(tt.due)) || !p.WindowStart.Equal(at(tt.window)) {
				t.Fatalf("period %s due %s window %s, want %s due %s window %s",
					p.Key, p.Due.Format(time.RFC3339), p.WindowStart.Format(time.RFC3339), tt.key, tt.due, tt.window)
			}
		})
	}
	if _, ok := models.DigestPeriod(settings(models.DigestNever, 7, 1, "UTC"), testenv.Start()); ok {
		t.Error("a member who takes no digest has a period")
	}
}

func TestDigestSettingsValidate(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := &models.User{Username: "tz", DisplayName: "tz", Status: models.StatusVerified}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := store.DigestSettingsFor(ctx, u.ID)
		if err != nil || got.Frequency != models.DigestWeekly || got.Hour != 7 || got.Weekday != 1 || got.TimeZone != "UTC" {
			t.Fatalf("defaults %+v, %v", got, err)
		}
		for _, bad := range []models.DigestSettings{
			{UserID: u.ID, Frequency: "hourly", TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestDaily, Hour: 24, TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestWeekly, Weekday: 7, TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestDaily, TimeZone: "Mars/Olympus_Mons"},
			{UserID: u.ID, Frequency: models.DigestDaily, TimeZone: "Local"},
		} {
			if err := store.SaveDigestSettings(ctx, bad); !errors.Is(err, models.ErrInvalidSettings) {
				t.Errorf("saving %+v: %v, want ErrInvalidSettings", bad, err)
			}
		}
		want := models.DigestSettings{UserID: u.ID, Frequency: models.DigestDaily, Hour: 18, Weekday: 5, TimeZone: "Australia/Sydney"}
		if err := store.SaveDigestSettings(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err = store.DigestSettingsFor(ctx, u.ID)
		if err != nil || got.Frequency != want.Frequency || got.Hour != 18 || got.Weekday != 5 || got.TimeZone != want.TimeZone {
			t.Fatalf("saved %+v, read %+v, %v", want, got, err)
		}
	})
}

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
		b := &models.Board{Slug: slug, Title: strings.ToUpper(slug[:1]) + slug[1:], CreatedAt: store.Now()}
		if err := store.CreateBoard(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := store.SetBoardEmailPolicy(ctx, b.ID, policy); err != nil {
			t.Fatal(err)
		}
		return b
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
	ctx := context.Background()
	u := &models.User{Username: username, DisplayName: name, Specialty: specialty, Status: status}
	if err := w.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := w.store.LinkIdentity(ctx, u.ID, models.Identity{Provider: "test", Issuer: "https://idp.test",
		Subject: username, Email: username + "@hospital.test", EmailVerified: true}); err != nil {
		t.Fatal(err)
	}
	return u
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

func titles(d *models.Digest) []string {
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
				d, err := store.DigestContent(ctx, u.ID, w.before, until, 0)
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
				d, err := store.DigestContent(ctx, u.ID, tt.since, until, 0)
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
			d, err := store.DigestContent(ctx, u.ID, w.before, until, 0)
			must(t, err)
			byTitle := map[string]models.DigestItem{}
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
			d, err := store.DigestContent(ctx, u.ID, w.before, until, 2)
			must(t, err)
			if len(d.Items) != 2 {
				t.Fatalf("%d items, want the limit of 2", len(d.Items))
			}
		})

		t.Run("moderator reads every board but never a hidden post", func(t *testing.T) {
			u := reader("moderator")
			must(t, store.SetRole(ctx, u.ID, models.RoleModerator))
			d, err := store.DigestContent(ctx, u.ID, w.before, until, 0)
			must(t, err)
			got := titles(d)
			if !slices.Contains(got, w.private.Title) || slices.Contains(got, w.hiddenOpener.Title) {
				t.Fatalf("moderator's digest %q: want the restricted board, not the hidden topic", got)
			}
		})
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDueMembersAndClaims(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := &digestWorld{store: store}
		monday := w.member(t, "monday", "Monday", "", models.StatusVerified)           // defaults: Monday 07:00 UTC
		tokyo := w.member(t, "tokyo", "Tokyo", "", models.StatusVerified)              // daily 08:00 Tokyo
		never := w.member(t, "never", "Never", "", models.StatusVerified)              // turned off
		suspended := w.member(t, "suspended", "Suspended", "", models.StatusSuspended) // not a member in good standing
		noMail := &models.User{Username: "nomail", DisplayName: "No mail", Status: models.StatusVerified}
		must(t, store.CreateUser(ctx, noMail))
		must(t, store.SaveDigestSettings(ctx, models.DigestSettings{UserID: tokyo.ID, Frequency: models.DigestDaily, Hour: 8, TimeZone: "Asia/Tokyo"}))
		must(t, store.SaveDigestSettings(ctx, models.DigestSettings{UserID: never.ID, Frequency: models.DigestNever, Hour: 7, Weekday: 1, TimeZone: "UTC"}))
		_ = suspended

		ids := func(due []models.DueDigest) []string {
			var out []string
			for _, d := range due {
				u, err := store.UserByID(ctx, d.UserID)
				must(t, err)
				out = append(out, u.Username+" "+d.Period.Key)
			}
			return out
		}
		now := time.Date(2026, 11, 23, 6, 30, 0, 0, time.UTC) // Monday 06:30 UTC, 15:30 in Tokyo
		due, err := store.DueMembers(ctx, now)
		must(t, err)
		if got, want := ids(due), []string{"monday 2026-11-16/weekly", "tokyo 2026-11-23/daily"}; !slices.Equal(got, want) {
			t.Fatalf("due %q, want %q", got, want)
		}

		p := due[0].Period
		c, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if c.Outcome != models.ClaimFirst {
			t.Fatalf("first claim: %v", c.Outcome)
		}
		due, err = store.DueMembers(ctx, now)
		must(t, err)
		if got := ids(due); !slices.Equal(got, []string{"tokyo 2026-11-23/daily"}) {
			t.Fatalf("after a claim, due %q", got)
		}
		again, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if again.Outcome != models.ClaimHeld || again.Holds() {
			t.Fatalf("second claim while the first holds: %v", again.Outcome)
		}
		must(t, store.ReleaseDigestClaim(ctx, c, "421 try later"))
		retry, err := store.ClaimDigest(ctx, monday.ID, p, now, time.Minute)
		must(t, err)
		if retry.Outcome != models.ClaimRetry {
			t.Fatalf("claim after a release: %v", retry.Outcome)
		}
		if err := store.MarkDigestSent(ctx, c, "x@y", 1, now, now); !errors.Is(err, models.ErrClaimLost) {
			t.Fatalf("finishing a released claim: %v, want ErrClaimLost", err)
		}
		later := now.Add(2 * time.Minute)
		taken, err := store.ClaimDigest(ctx, monday.ID, p, later, time.Minute)
		must(t, err)
		if taken.Outcome != models.ClaimTakenOver || !taken.PreviousClaimAt.Equal(now) {
			t.Fatalf("claim after the lease: %v (previous %v)", taken.Outcome, taken.PreviousClaimAt)
		}
		must(t, store.MarkDigestSent(ctx, taken, "digest-1@rounds.test", 3, later, later))
		done, err := store.ClaimDigest(ctx, monday.ID, p, later.Add(time.Hour), time.Minute)
		must(t, err)
		if done.Outcome != models.ClaimFinished || done.Status != models.DeliverySent {
			t.Fatalf("claim after sending: %v %q", done.Outcome, done.Status)
		}
		rows, err := store.DigestDeliveries(ctx, monday.ID, 10)
		must(t, err)
		if len(rows) != 1 || rows[0].Attempts != 3 || rows[0].MessageID != "digest-1@rounds.test" || rows[0].SentAt == nil {
			t.Fatalf("delivery rows %+v", rows)
		}

		// The next period continues where the sent one stopped.
		next, ok := models.DigestPeriod(models.DefaultDigestSettings(monday.ID), now.Add(7*24*time.Hour))
		if !ok {
			t.Fatal("no next period")
		}
		since, err := store.DigestSince(ctx, monday.ID, next)
		must(t, err)
		if !since.Equal(later) {
			t.Fatalf("next digest starts %v, want where the last stopped, %v", since, later)
		}
		// Without a sent digest, one period back.
		since, err = store.DigestSince(ctx, tokyo.ID, due[0].Period)
		must(t, err)
		if !since.Equal(due[0].Period.WindowStart) {
			t.Fatalf("first digest starts %v, want %v", since, due[0].Period.WindowStart)
		}
	})
}

func TestUnsubscribeToken(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := &digestWorld{store: store}
		u := w.member(t, "leaver", "Leaver", "", models.StatusVerified)
		token, err := store.CreateUnsubscribeToken(ctx, u.ID)
		must(t, err)
		if len(token) < 22 {
			t.Fatalf("token %q is shorter than 128 bits", token)
		}
		var stored int64
		must(t, store.DB().Raw(`SELECT COUNT(*) FROM unsubscribe_tokens WHERE token_hash = ?`, token).Scan(&stored).Error)
		if stored != 0 {
			t.Fatal("the token itself is stored")
		}
		if _, err := store.UnsubscribeByToken(ctx, "not-a-token"); !models.IsNotFound(err) {
			t.Fatalf("unknown token: %v, want ErrNotFound", err)
		}
		for range 2 {
			id, err := store.UnsubscribeByToken(ctx, token)
			if err != nil || id != u.ID {
				t.Fatalf("unsubscribe: %d, %v", id, err)
			}
		}
		s, err := store.DigestSettingsFor(ctx, u.ID)
		must(t, err)
		if s.Frequency != models.DigestNever {
			t.Fatalf("frequency %q after unsubscribing", s.Frequency)
		}
		due, err := store.DueMembers(ctx, store.Now())
		must(t, err)
		if len(due) != 0 {
			t.Fatalf("unsubscribed member still due: %+v", due)
		}
	})
}
