package app_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"rounds/app/apptest"
	"rounds/models"
)

// sendReply sends a reply by email to the site's listener with a real
// SMTP client, as the member's mail server would.
func sendReply(t testing.TB, a *apptest.App, from, to, messageID, body string) {
	t.Helper()
	msg := fmt.Sprintf("From: Member <%s>\r\nTo: <%s>\r\nSubject: Re: the topic\r\nMessage-ID: <%s>\r\n"+
		"Date: Sun, 03 Jun 2040 20:10:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n\r\n"+
		"On Sun, 3 Jun 2040, Rounds wrote:\r\n> Jonas Weber, RN replied to your topic\r\n", from, to, messageID,
		strings.ReplaceAll(body, "\n", "\r\n"))
	c, err := smtp.Dial(a.Site.InboundAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{to}, strings.NewReader(msg)); err != nil {
		t.Fatalf("send reply by email: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

// runWithInbound runs test on a site that takes replies by email on a
// listener of its own, as `rounds serve` does, and sends its mail to the
// sink; env adds to its settings.
func runWithInbound(t *testing.T, env map[string]string, test func(t *testing.T, a *apptest.App, sink *mailSink)) {
	sink, smtpURL := startMailSink(t)
	opts := apptest.Options{Env: map[string]string{"ROUNDS_SMTP_URL": smtpURL, "ROUNDS_SMTP_INBOUND_ADDR": "127.0.0.1:0"}}
	maps.Copy(opts.Env, env)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		if err := a.Site.StartInbound(context.Background()); err != nil {
			t.Fatal(err)
		}
		test(t, a, sink)
	}, opts)
}

// notificationReplyTo sends the notification emails now due, which must
// be one, and returns the address it gives for replies, signed for the
// member, and its text.
func notificationReplyTo(t *testing.T, a *apptest.App, sink *mailSink) (replyTo, text string) {
	t.Helper()
	before := len(sink.received())
	a.Clock.Add(10 * time.Minute)
	if n, err := a.Site.Notify.SendDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("notification emails: %d, %v", n, err)
	}
	header, text := sink.oneSince(t, before, "notification emails")
	replyTo = header.Get("Reply-To")
	if !strings.HasPrefix(replyTo, "reply+") {
		t.Fatalf("Reply-To %q, text:\n%s", replyTo, text)
	}
	return replyTo, text
}

func postsIn(t testing.TB, a *apptest.App, topicID int64) []models.Post {
	t.Helper()
	var posts []models.Post
	if err := a.Store.DB().Where("topic_id = ?", topicID).Order("number").Find(&posts).Error; err != nil {
		t.Fatal(err)
	}
	return posts
}

// A reply to a notification email, from the member's own mail program,
// becomes a post through the listener `rounds serve` runs; one with a
// Social Security number is bounced, and nothing of it posted.
func TestReplyByEmailEndToEnd(t *testing.T) {
	runWithInbound(t, nil, func(t *testing.T, a *apptest.App, sink *mailSink) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		okaforAddr := withAddress(t, a, okafor)
		withAddress(t, a, weber)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		a.Reply(t, topic, weber, "Reduced dose, with anti-Xa levels.")

		// The notification email carries the reply address.
		replyTo, text := notificationReplyTo(t, a, sink)
		if !strings.Contains(text, "Reduced dose") {
			t.Fatalf("notification email:\n%s", text)
		}

		sendReply(t, a, okaforAddr, replyTo, "first@mail.hospital.test", "Thanks, that is what we do too.")
		posts := postsIn(t, a, topic.ID)
		if len(posts) != 3 || posts[2].AuthorID != okafor.ID || strings.TrimSpace(posts[2].Source) != "Thanks, that is what we do too." ||
			!strings.Contains(posts[2].Cooked, "<p>Thanks, that is what we do too.</p>") || posts[2].Anonymous {
			t.Fatalf("posts after the reply by email: %+v", posts)
		}
		// Delivered again by a mail server that did not hear the answer:
		// posted once.
		sendReply(t, a, okaforAddr, replyTo, "first@mail.hospital.test", "Thanks, that is what we do too.")
		if n := len(postsIn(t, a, topic.ID)); n != 3 {
			t.Fatalf("%d posts after a redelivery, want 3", n)
		}

		// An SSN: bounced to the member's own address, nothing posted.
		before := len(sink.received())
		sendReply(t, a, okaforAddr, replyTo, "second@mail.hospital.test", "Our patient, SSN 123-45-6789, did well on it.")
		if n := len(postsIn(t, a, topic.ID)); n != 3 {
			t.Fatalf("%d posts after a reply with an SSN, want 3", n)
		}
		header, text := sink.oneSince(t, before, "bounces")
		if !strings.Contains(header.Get("To"), okaforAddr) || header.Get("Subject") != "Your reply was not posted" ||
			!strings.Contains(text, "Social Security number") || strings.Contains(text, "123-45-6789") ||
			header.Get("In-Reply-To") != "<second@mail.hospital.test>" {
			t.Fatalf("bounce to %q, %q:\n%s", header.Get("To"), header.Get("Subject"), text)
		}

		// From someone else's address: refused, and only the member told.
		before = len(sink.received())
		sendReply(t, a, "intruder@elsewhere.test", replyTo, "third@elsewhere.test", "Forged reply")
		if n := len(postsIn(t, a, topic.ID)); n != 3 {
			t.Fatalf("a reply from another address was posted")
		}
		if got := sink.received(); len(got) != before+1 || !strings.Contains(string(got[before]), okaforAddr) ||
			strings.Contains(string(got[before]), "To: <intruder") {
			t.Fatalf("the refusal went to the wrong place")
		}

		// A topic the member can no longer read takes no reply.
		group := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, board, []*models.Group{group}, nil)
		sendReply(t, a, okaforAddr, replyTo, "fourth@mail.hospital.test", "After the board closed")
		if n := len(postsIn(t, a, topic.ID)); n != 3 {
			t.Fatalf("a reply to an unreadable topic was posted")
		}
	})
}

// Replies by email count against the member's posting limit, and a
// locked topic takes none; each refusal is bounced with the reason.
func TestReplyByEmailLimitsAndLocks(t *testing.T) {
	runWithInbound(t, map[string]string{"ROUNDS_RATE_LIMITS": "post=1/1h"}, func(t *testing.T, a *apptest.App, sink *mailSink) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		park := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		addr := withAddress(t, a, okafor)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, park, "Apixaban in dialysis", "What dose do you use?")
		replyTo := a.Site.Replies.NewReplyAddress(1, okafor.ID, topic.ID)

		sendReply(t, a, addr, replyTo, "one@mail.hospital.test", "First reply by email.")
		before := len(sink.received())
		sendReply(t, a, addr, replyTo, "two@mail.hospital.test", "Second reply by email, too soon.")
		if n := len(postsIn(t, a, topic.ID)); n != 2 {
			t.Fatalf("%d posts, want the opening post and the first reply", n)
		}
		if _, text := sink.oneSince(t, before, "bounces"); !strings.Contains(text, "you have posted a lot in a short time") {
			t.Fatalf("bounce:\n%s", text)
		}

		if err := a.Store.LockTopic(ctx, topic.ID, park.ID, true, "Answered"); err != nil {
			t.Fatal(err)
		}
		a.Clock.Add(2 * time.Hour)
		before = len(sink.received())
		sendReply(t, a, addr, replyTo, "three@mail.hospital.test", "After the lock.")
		if n := len(postsIn(t, a, topic.ID)); n != 2 {
			t.Fatalf("a locked topic took a reply by email")
		}
		if _, text := sink.oneSince(t, before, "bounces for the locked topic"); !strings.Contains(text, "the topic is locked") {
			t.Fatalf("bounce:\n%s", text)
		}
	})
}

func consultMessagesIn(t testing.TB, a *apptest.App, consultID int64) []models.ConsultMessageView {
	t.Helper()
	ms, err := a.Store.ConsultMessages(context.Background(), consultID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// A reply to a consult's notification email becomes a message in the
// consult, through the same listener and the same checks as the consult's
// reply form: an SSN bounces, another sender's or a non-participant's mail
// writes nothing, a redelivery writes once, the posting limit holds.
func TestConsultReplyByEmailEndToEnd(t *testing.T) {
	runWithInbound(t, map[string]string{"ROUNDS_RATE_LIMITS": "post=2/1h"}, func(t *testing.T, a *apptest.App, sink *mailSink) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Wei Chen", "Nephrology")
		okaforAddr := withAddress(t, a, okafor)
		withAddress(t, a, weber)
		chenAddr := withAddress(t, a, chen)
		c := a.Consult(t, weber, "Pericarditis recurrence", "Colchicine for three months?", okafor)

		replyTo, text := notificationReplyTo(t, a, sink)
		if !strings.Contains(text, "Colchicine for three months?") || !strings.Contains(text, "post your answer in the consult") {
			t.Fatalf("notification email:\n%s", text)
		}

		sendReply(t, a, okaforAddr, replyTo, "first@mail.hospital.test", "Yes, with aspirin for two weeks.")
		ms := consultMessagesIn(t, a, c.ID)
		if len(ms) != 2 || ms[1].AuthorID != okafor.ID || strings.TrimSpace(ms[1].Source) != "Yes, with aspirin for two weeks." ||
			!strings.Contains(ms[1].Cooked, "<p>Yes, with aspirin for two weeks.</p>") {
			t.Fatalf("messages after the reply by email: %+v", ms)
		}
		sendReply(t, a, okaforAddr, replyTo, "first@mail.hospital.test", "Yes, with aspirin for two weeks.")
		if n := len(consultMessagesIn(t, a, c.ID)); n != 2 {
			t.Fatalf("%d messages after a redelivery, want 2", n)
		}

		// An SSN: bounced to the member, nothing written.
		before := len(sink.received())
		sendReply(t, a, okaforAddr, replyTo, "second@mail.hospital.test", "Same for our patient, SSN 123-45-6789.")
		if n := len(consultMessagesIn(t, a, c.ID)); n != 2 {
			t.Fatalf("%d messages after a reply with an SSN, want 2", n)
		}
		header, text := sink.oneSince(t, before, "bounces")
		if !strings.Contains(header.Get("To"), okaforAddr) || !strings.Contains(text, "Social Security number") ||
			strings.Contains(text, "123-45-6789") {
			t.Fatalf("bounce to %q:\n%s", header.Get("To"), text)
		}

		// From another address, even a member's: nothing written.
		sendReply(t, a, chenAddr, replyTo, "third@mail.hospital.test", "Forged into the consult")
		// A signed address for a member who is no participant: nothing.
		sendReply(t, a, chenAddr, a.Site.Replies.NewReplyAddress(2, chen.ID, c.ID), "fourth@mail.hospital.test", "Not mine to join")
		if n := len(consultMessagesIn(t, a, c.ID)); n != 2 {
			t.Fatalf("%d messages after mail from outside the consult, want 2", n)
		}

		// The posting limit (two an hour) holds: the second message is
		// written, the third bounced.
		sendReply(t, a, okaforAddr, replyTo, "fifth@mail.hospital.test", "And a follow-up echo in a month.")
		before = len(sink.received())
		sendReply(t, a, okaforAddr, replyTo, "sixth@mail.hospital.test", "One more, too soon.")
		if n := len(consultMessagesIn(t, a, c.ID)); n != 3 {
			t.Fatalf("%d messages under the posting limit, want 3", n)
		}
		if _, text := sink.oneSince(t, before, "bounces for the limit"); !strings.Contains(text, "you have posted a lot in a short time") {
			t.Fatalf("bounce:\n%s", text)
		}

		// Once the member left, their reply address writes nothing.
		a.Clock.Add(2 * time.Hour)
		if err := a.Store.LeaveConsult(ctx, c.ID, okafor.ID); err != nil {
			t.Fatal(err)
		}
		sendReply(t, a, okaforAddr, replyTo, "seventh@mail.hospital.test", "After leaving")
		if n := len(consultMessagesIn(t, a, c.ID)); n != 3 {
			t.Fatalf("a member who left the consult wrote in it by email")
		}
	})
}
