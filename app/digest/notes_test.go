package digest_test

import (
	"context"
	"strings"
	"testing"

	"rounds/app/digest"
	"rounds/models"
	"rounds/models/modelstest"
)

// Replies and mentions a member wants in the digest come under their own
// heading, as the board's email policy lets them, and alone they are
// enough for a digest.
func TestDigestRepliesAndMentions(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		full := s.board("wards", models.EmailFull)
		titles := s.board("journal", models.EmailTitles)
		reader := s.member("reader", models.StatusVerified)
		if err := store.SaveEmailSettings(ctx, reader.ID, models.EmailSettings{
			models.NotifyReply: models.EmailInDigest, models.NotifyMention: models.EmailInDigest}); err != nil {
			t.Fatal(err)
		}
		own := func(b *models.Board, title string) *models.Topic {
			t.Helper()
			topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: b.ID, AuthorID: reader.ID, Title: title,
				PostContent: models.PostContent{Source: "Opening", Cooked: "<p>Opening</p>"}})
			if err != nil {
				t.Fatal(err)
			}
			return topic
		}
		reply := func(topic *models.Topic, body string, anonymous bool) {
			t.Helper()
			if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: s.author.ID, Anonymous: anonymous,
				PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}}); err != nil {
				t.Fatal(err)
			}
		}
		reply(own(full, "Heparin in AKI"), "Halve the dose.", false)
		reply(own(titles, "Journal club topic"), "Words that stay on the site.", false)
		outcome, err := s.workers.Deliver(ctx, reader.ID, s.period(reader))
		if err != nil || outcome != digest.Sent {
			t.Fatalf("deliver: %v, %v", outcome, err)
		}
		e := parse(t, s.sink.received()[0])
		for _, want := range []string{"REPLIES AND MENTIONS", "Dr. Author replied to your topic in \"Heparin in AKI\" (Board wards):",
			"Halve the dose.", "Dr. Author replied to your topic in \"Journal club topic\" (Board journal)"} {
			if !strings.Contains(e.text, want) {
				t.Errorf("the digest lacks %q:\n%s", want, e.text)
			}
		}
		if !strings.Contains(e.html, "REPLIES AND MENTIONS") {
			t.Errorf("the HTML digest lacks the section")
		}
		if strings.Contains(e.text, "Words that stay on the site") || strings.Contains(e.html, "Words that stay on the site") {
			t.Errorf("a titles-only board's post text is in the digest")
		}
	})
}

func TestDigestLeavesOutNotesNotAskedFor(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		full := s.board("wards", models.EmailFull)
		reader := modelstest.Verified("reader", "Dr. Reader").WithEmail().Make(t, store)
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: full.ID, AuthorID: reader.ID, Title: "Heparin in AKI",
			PostContent: models.PostContent{Source: "Opening", Cooked: "<p>Opening</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: s.author.ID,
			PostContent: models.PostContent{Source: "Halve the dose.", Cooked: "<p>Halve the dose.</p>"}}); err != nil {
			t.Fatal(err)
		}
		// Replies come right away by default: the digest has the topic,
		// not the note.
		if _, err := s.workers.Deliver(ctx, reader.ID, s.period(reader)); err != nil {
			t.Fatal(err)
		}
		for _, raw := range s.sink.received() {
			if e := parse(t, raw); strings.Contains(e.text, "REPLIES AND MENTIONS") {
				t.Fatalf("a note the member wants right away is in the digest:\n%s", e.text)
			}
		}
	})
}

// Consult messages a participant wants in the digest come among the
// notes, with the consult's subject and text, and to no one else.
func TestDigestConsultMessages(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		reader := s.member("reader", models.StatusVerified)
		outsider := s.member("outsider", models.StatusVerified)
		for _, u := range []*models.User{reader, outsider} {
			if err := store.SaveEmailSettings(ctx, u.ID, models.EmailSettings{models.EmailConsult: models.EmailInDigest}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.StartConsult(ctx, models.NewConsult{StarterID: s.author.ID, Subject: "Pericarditis recurrence",
			MemberIDs: []int64{reader.ID}, PostContent: models.PostContent{Source: "Colchicine for how long?",
				Cooked: "<p>Colchicine for how long?</p>"}}); err != nil {
			t.Fatal(err)
		}
		outcome, err := s.workers.Deliver(ctx, reader.ID, s.period(reader))
		if err != nil || outcome != digest.Sent {
			t.Fatalf("deliver: %v, %v", outcome, err)
		}
		e := parse(t, s.sink.received()[0])
		for _, want := range []string{"REPLIES AND MENTIONS", "Dr. Author wrote in a consult", "Pericarditis recurrence",
			"Private consult", "Colchicine for how long?", "/consults/"} {
			if !strings.Contains(e.text, want) {
				t.Errorf("the digest lacks %q:\n%s", want, e.text)
			}
		}
		before := len(s.sink.received())
		if _, err := s.workers.Deliver(ctx, outsider.ID, s.period(outsider)); err != nil {
			t.Fatal(err)
		}
		for _, raw := range s.sink.received()[before:] {
			if strings.Contains(string(raw), "Pericarditis") || strings.Contains(parse(t, raw).text, "Colchicine") {
				t.Fatalf("a member outside the consult got it in their digest")
			}
		}
	})
}
