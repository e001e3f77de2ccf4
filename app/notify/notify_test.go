package notify_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"rounds/app/mail"
	"rounds/app/mail/inbound"
	"rounds/app/notify"
	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

const secret = "test-secret-test-secret-test-secret-0123"

// sink is an SMTP server inside the test process that keeps what it
// accepts, or only counts it.
type sink struct {
	mu        sync.Mutex
	messages  [][]byte
	countOnly bool
	count     int
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

func (s *sink) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.messages...)
}

type sinkSession struct{ s *sink }

func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *sinkSession) Reset()                               {}
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.count++
	if !ss.s.countOnly {
		ss.s.messages = append(ss.s.messages, data)
	}
	return nil
}

// startSink serves s on a loopback port and returns its smtp:// URL.
func startSink(t testing.TB, s *sink) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = true
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return &url.URL{Scheme: "smtp", Host: ln.Addr().String()}
}

// email is one received message, its text and HTML bodies decoded.
type email struct {
	Header     netmail.Header
	Text, HTML string
}

func parse(t testing.TB, raw []byte) email {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	e := email{Header: msg.Header}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			e.HTML = string(body)
		} else {
			e.Text = string(body)
		}
	}
	return e
}

// site is a store with two members and boards of each email policy, and
// a sender mailing an SMTP sink, on one clock.
type site struct {
	store   *models.Store
	clock   *testenv.Clock
	sink    *sink
	sender  *notify.Sender
	replies *inbound.Addresses
	unsubs  *notify.Unsubscribes
	author  *models.User
	peer    *models.User
	boards  map[models.EmailPolicy]*models.Board
}

func newSite(t testing.TB, store *models.Store, s *sink) *site {
	t.Helper()
	clock := testenv.NewClock()
	store.SetClock(clock.Now)
	mailer, err := mail.New(startSink(t, s), "Rounds <rounds@rounds.test>", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	unsubs, err := notify.NewUnsubscribes([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	replies, err := inbound.NewAddresses([]byte(secret), "rounds.test", inbound.AddressOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://rounds.test")
	composer, err := notify.NewComposer(base, unsubs, replies)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := notify.NewSender(notify.Options{Store: store, Mailer: mailer, Composer: composer, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	st := &site{store: store, clock: clock, sink: s, sender: sender, replies: replies, unsubs: unsubs,
		author: modelstest.Verified("okafor", "Dr. Amara Okafor").WithEmail().Make(t, store),
		peer:   modelstest.Verified("weber", "Jonas Weber, RN").WithEmail().Make(t, store),
		boards: map[models.EmailPolicy]*models.Board{}}
	for _, p := range []models.EmailPolicy{models.EmailFull, models.EmailTitles, models.EmailCounts} {
		st.boards[p] = modelstest.OpenBoard("board-"+string(p), "Board "+string(p)).Anonymous().EmailPolicy(p).Make(t, store)
	}
	return st
}

func (s *site) topic(t testing.TB, p models.EmailPolicy, title string) *models.Topic {
	t.Helper()
	topic, _, err := s.store.CreateTopic(context.Background(), models.NewTopic{BoardID: s.boards[p].ID, AuthorID: s.author.ID,
		Title: title, PostContent: models.PostContent{Source: "Opening", Cooked: "<p>Opening</p>"}})
	if err != nil {
		t.Fatal(err)
	}
	return topic
}

func (s *site) reply(t testing.TB, topic *models.Topic, anonymous bool, body string) *models.Post {
	t.Helper()
	p, err := s.store.CreateReply(context.Background(), models.NewReply{TopicID: topic.ID, AuthorID: s.peer.ID, Anonymous: anonymous,
		PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: body}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *site) send(t testing.TB) int {
	t.Helper()
	n, err := s.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRightAwayEmailsBatchByTopicUnderTheBoardsPolicy(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		s := newSite(t, store, &sink{})
		full := s.topic(t, models.EmailFull, "Apixaban in dialysis")
		titles := s.topic(t, models.EmailTitles, "A case from the ward")
		counts := s.topic(t, models.EmailCounts, "Sealed board topic")
		s.reply(t, full, false, "Reduced dose, and check anti-Xa levels.")
		s.reply(t, titles, false, "Secret titles-only text")
		s.reply(t, counts, true, "Secret counts-only text")
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails before the window ran out", n)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 1 {
			t.Fatalf("%d emails, want one for the batch", n)
		}
		got := s.sink.received()
		e := parse(t, got[0])
		if to := e.Header.Get("To"); !strings.Contains(to, "okafor@hospital.test") {
			t.Fatalf("to %s", to)
		}
		for _, want := range []string{"Apixaban in dialysis", "Jonas Weber, RN replied to your topic", "Reduced dose, and check anti-Xa levels.",
			"A case from the ward", "A topic in Board counts", "Anonymous clinician replied to your topic"} {
			if !strings.Contains(e.Text, want) || !strings.Contains(html.UnescapeString(e.HTML), want) {
				t.Errorf("the email lacks %q:\n%s", want, e.Text)
			}
		}
		for _, never := range []string{"Secret titles-only text", "Secret counts-only text", "Sealed board topic"} {
			if strings.Contains(string(got[0]), never) || strings.Contains(e.Text, never) || strings.Contains(e.HTML, never) {
				t.Errorf("the email carries %q, which its board keeps out of email", never)
			}
		}
		// Two replies by name, the anonymous one by its label only.
		if strings.Count(e.Text, "Jonas Weber") != 2 {
			t.Errorf("the anonymous reply names its author:\n%s", e.Text)
		}
		// Several topics: a reply address under each, none for the email,
		// and no thread of one.
		if n := strings.Count(e.Text, "Reply by email: write to reply+"); n != 3 {
			t.Errorf("%d reply addresses in the text, want one per topic:\n%s", n, e.Text)
		}
		if n := strings.Count(html.UnescapeString(e.HTML), `href="mailto:reply+`); n != 3 {
			t.Errorf("%d reply links in the HTML, want one per topic:\n%s", n, e.HTML)
		}
		if e.Header.Get("In-Reply-To") != "" || e.Header.Get("Reply-To") != "" {
			t.Errorf("a batch of three topics threads as one: %v", e.Header)
		}
		if e.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", e.Header.Get("List-Unsubscribe-Post"))
		}
		link := strings.Trim(e.Header.Get("List-Unsubscribe"), "<>")
		token, ok := strings.CutPrefix(link, "https://rounds.test"+notify.UnsubscribePath)
		if !ok {
			t.Fatalf("List-Unsubscribe %q", link)
		}
		member, kinds, err := s.unsubs.Parse(token)
		if err != nil || member != s.author.ID || strings.Join(kinds, ",") != "reply" {
			t.Fatalf("the unsubscribe token stops %v of %d (%v), want replies of the author", kinds, member, err)
		}
		// Nothing new: nothing more.
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails sent again", n)
		}
	})
}

func TestOneTopicEmailThreadsAndTakesAReply(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		s := newSite(t, store, &sink{})
		topic := s.topic(t, models.EmailFull, "Apixaban in dialysis")
		s.reply(t, topic, false, "First answer")
		s.reply(t, topic, false, "Second answer from @okafor's colleague")
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 1 {
			t.Fatalf("%d emails", n)
		}
		e := parse(t, s.sink.received()[0])
		if got, want := e.Header.Get("In-Reply-To"), "<topic-"+itoa(topic.ID)+"@rounds.test>"; got != want || e.Header.Get("References") != want {
			t.Fatalf("In-Reply-To %q, References %q; want %q", got, e.Header.Get("References"), want)
		}
		if e.Header.Get("Message-Id") == "" || e.Header.Get("Message-Id") == e.Header.Get("In-Reply-To") {
			t.Fatalf("Message-ID %q", e.Header.Get("Message-Id"))
		}
		tok, err := s.replies.ParseReplyAddress(e.Header.Get("Reply-To"))
		if err != nil || tok.MemberID != s.author.ID || tok.ThreadID != topic.ID || tok.Kind != inbound.KindTopic {
			t.Fatalf("Reply-To %q: %+v, %v", e.Header.Get("Reply-To"), tok, err)
		}
		if !strings.Contains(e.Text, "First answer") || !strings.Contains(e.Text, "Second answer") {
			t.Fatalf("text:\n%s", e.Text)
		}
	})
}

func TestSettingsDecideWhatComesRightAway(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, &sink{})
		topic := s.topic(t, models.EmailFull, "Apixaban in dialysis")
		if err := store.StopEmails(ctx, s.author.ID, []string{models.NotifyReply}); err != nil {
			t.Fatal(err)
		}
		s.reply(t, topic, false, "Not emailed")
		// Reactions default to the digest.
		if _, err := store.ToggleReaction(ctx, s.peer.ID, firstPost(t, store, topic.ID), models.ReactThanks); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails for kinds the member does not want right away", n)
		}
		// Turned on later, the old ones stay dealt with.
		if err := store.SaveEmailSettings(ctx, s.author.ID, models.EmailSettings{models.NotifyReply: models.EmailNow}); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails for what was passed over", n)
		}
		// A member who can no longer read the board: nothing.
		s.reply(t, topic, false, "After the board closed")
		group := &models.Group{Name: "Pharmacists"}
		if err := store.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		if err := store.SetBoardGroups(ctx, s.boards[models.EmailFull].ID, []int64{group.ID}, nil); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails about a board the member cannot read", n)
		}
	})
}

func TestUnsubscribeTokens(t *testing.T) {
	u, err := notify.NewUnsubscribes([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	token := u.Token(42, []string{models.NotifyReaction, models.NotifyMention})
	id, kinds, err := u.Parse(token)
	if err != nil || id != 42 || strings.Join(kinds, ",") != "mention,reaction" {
		t.Fatalf("parse: %d %v %v", id, kinds, err)
	}
	other, _ := notify.NewUnsubscribes([]byte("another-secret-another-secret-0000"))
	for name, bad := range map[string]string{
		"another site's": other.Token(42, []string{models.NotifyMention}),
		"tampered":       token[:len(token)-2] + "AA",
		"garbage":        "not-a-token",
		"empty":          "",
		"no kinds":       u.Token(42, nil),
	} {
		if _, _, err := u.Parse(bad); err == nil {
			t.Errorf("%s token accepted", name)
		}
	}
}

func firstPost(t testing.TB, store *models.Store, topicID int64) int64 {
	t.Helper()
	var id int64
	if err := store.DB().Raw(`SELECT id FROM posts WHERE topic_id = ? AND number = 1`, topicID).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func itoa(n int64) string { return fmtInt(n) }

func fmtInt(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// BenchmarkNotificationEmails measures emails per second from the
// sender through the mailer to an SMTP server in the process: one
// member's batch each, composed, sent and recorded.
func BenchmarkNotificationEmails(b *testing.B) {
	store := modelstest.Migrated(b, modelstest.Engines(b)[0])
	s := newSite(b, store, &sink{countOnly: true})
	ctx := context.Background()
	topic := s.topic(b, models.EmailFull, "Apixaban in dialysis")
	members := make([]*models.User, 200)
	for i := range members {
		members[i] = modelstest.Verified("m"+fmtInt(int64(i)), "Dr. Member").WithEmail().Make(b, store)
	}
	b.ResetTimer()
	sent := 0
	for b.Loop() {
		b.StopTimer()
		for _, m := range members {
			if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: s.peer.ID,
				PostContent: models.PostContent{Source: "@" + m.Username + " what do you think?", Cooked: "<p>What do you think?</p>",
					Mentions: []string{m.Username}}}); err != nil {
				b.Fatal(err)
			}
		}
		s.clock.Add(notify.DefaultWindow + time.Second)
		b.StartTimer()
		n, err := s.sender.SendDue(ctx)
		if err != nil {
			b.Fatal(err)
		}
		sent += n
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "emails/s")
}

// consult starts a consult from the peer with the members, its first
// message body.
func (s *site) consult(t testing.TB, subject, body string, members ...*models.User) *models.Consult {
	t.Helper()
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	c, err := s.store.StartConsult(context.Background(), models.NewConsult{StarterID: s.peer.ID, Subject: subject, MemberIDs: ids,
		PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>", Plain: body}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConsultMessagesAreEmailedToTheirParticipantsOnly(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, &sink{})
		outsider := modelstest.Verified("chen", "Dr. Wei Chen").WithEmail().Make(t, store)
		mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().WithEmail().Make(t, store)
		admin := modelstest.Verified("root", "Site Admin").WithEmail().Make(t, store)
		if err := store.SetRole(ctx, admin.ID, models.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		c := s.consult(t, "Pericarditis recurrence", "Colchicine for three months?", s.author)
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 1 {
			t.Fatalf("%d emails, want one to the other participant", n)
		}
		got := s.sink.received()
		e := parse(t, got[0])
		if to := e.Header.Get("To"); !strings.Contains(to, "okafor@hospital.test") {
			t.Fatalf("the consult was emailed to %s", to)
		}
		for _, want := range []string{"Pericarditis recurrence", "Jonas Weber, RN wrote in a consult", "Colchicine for three months?",
			"https://rounds.test/consults/" + itoa(c.ID)} {
			if !strings.Contains(e.Text, want) || !strings.Contains(html.UnescapeString(e.HTML), want) {
				t.Errorf("the email lacks %q:\n%s", want, e.Text)
			}
		}
		if want := "<consult-" + itoa(c.ID) + "@rounds.test>"; e.Header.Get("In-Reply-To") != want || e.Header.Get("References") != want {
			t.Errorf("In-Reply-To %q, References %q; want %q", e.Header.Get("In-Reply-To"), e.Header.Get("References"), want)
		}
		if tok, err := s.replies.ParseReplyAddress(e.Header.Get("Reply-To")); err != nil || tok.Kind != inbound.KindConsult ||
			tok.MemberID != s.author.ID || tok.ThreadID != c.ID {
			t.Errorf("Reply-To %q: %+v, %v", e.Header.Get("Reply-To"), tok, err)
		}
		if subject, err := new(mime.WordDecoder).DecodeHeader(e.Header.Get("Subject")); err != nil || !strings.Contains(subject, "Pericarditis recurrence") {
			t.Errorf("subject %q (%v)", subject, err)
		}
		token, ok := strings.CutPrefix(strings.Trim(e.Header.Get("List-Unsubscribe"), "<>"), "https://rounds.test"+notify.UnsubscribePath)
		if !ok {
			t.Fatalf("List-Unsubscribe %q", e.Header.Get("List-Unsubscribe"))
		}
		if member, kinds, err := s.unsubs.Parse(token); err != nil || member != s.author.ID || strings.Join(kinds, ",") != models.EmailConsult {
			t.Fatalf("the unsubscribe token stops %v of %d (%v), want consult messages of the participant", kinds, member, err)
		}
		for _, raw := range got {
			for _, who := range []*models.User{outsider, mod, admin} {
				if strings.Contains(string(raw), who.Username+"@hospital.test") {
					t.Errorf("%s, no participant, got the consult by email", who.Username)
				}
			}
		}

		// Muted: nothing; unmuted, the next message comes again.
		if err := store.MuteConsult(ctx, c.ID, s.author.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := store.AddConsultMessage(ctx, c.ID, s.peer.ID, models.PostContent{Source: "While muted", Cooked: "<p>While muted</p>"}); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails to a member who muted the consult", n)
		}
		// Muted after the message was written, before it was sent: the
		// send re-checks.
		if err := store.MuteConsult(ctx, c.ID, s.author.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := store.AddConsultMessage(ctx, c.ID, s.peer.ID, models.PostContent{Source: "Muted later", Cooked: "<p>Muted later</p>"}); err != nil {
			t.Fatal(err)
		}
		if err := store.MuteConsult(ctx, c.ID, s.author.ID, true); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails to a member who muted the consult before the send", n)
		}
		if err := store.MuteConsult(ctx, c.ID, s.author.ID, false); err != nil {
			t.Fatal(err)
		}
		// Left after the message was written: nothing.
		if _, err := store.AddConsultMessage(ctx, c.ID, s.peer.ID, models.PostContent{Source: "Before leaving", Cooked: "<p>Before leaving</p>"}); err != nil {
			t.Fatal(err)
		}
		if err := store.LeaveConsult(ctx, c.ID, s.author.ID); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails to a member who left the consult", n)
		}
		if len(s.sink.received()) != 1 {
			t.Fatalf("%d emails in all, want the first only", len(s.sink.received()))
		}
	})
}

func TestConsultEmailsFollowTheMembersChoice(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, &sink{})
		if err := store.SaveEmailSettings(ctx, s.author.ID, models.EmailSettings{models.EmailConsult: models.EmailNever}); err != nil {
			t.Fatal(err)
		}
		s.consult(t, "Pericarditis recurrence", "Never by email", s.author)
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails to a member who chose never for consults", n)
		}
		// Turned on later, the old message stays dealt with; a new one comes.
		if err := store.SaveEmailSettings(ctx, s.author.ID, models.EmailSettings{models.EmailConsult: models.EmailNow}); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails for what was passed over", n)
		}
		// In the digest: the right-away email passes it over, the digest's
		// notes carry it with its subject and text.
		if err := store.SaveEmailSettings(ctx, s.author.ID, models.EmailSettings{models.EmailConsult: models.EmailInDigest}); err != nil {
			t.Fatal(err)
		}
		since := s.clock.Now()
		s.consult(t, "Heparin bridging", "For the digest", s.author)
		s.clock.Add(notify.DefaultWindow)
		if n := s.send(t); n != 0 {
			t.Fatalf("%d emails for a kind the member wants in the digest", n)
		}
		notes, err := store.DigestNotifications(ctx, s.author, []string{models.EmailConsult}, since, s.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 || notes[0].ConsultSubject != "Heparin bridging" || !strings.Contains(notes[0].Cooked, "For the digest") {
			t.Fatalf("digest notes %+v", notes)
		}
		// The starter's own message is no note of theirs.
		if notes, err := store.DigestNotifications(ctx, s.peer, models.EmailKinds, since, s.clock.Now()); err != nil || len(notes) != 0 {
			t.Fatalf("the author's digest notes %+v, %v", notes, err)
		}
	})
}
