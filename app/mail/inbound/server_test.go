package inbound

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"rounds/app/mail"
	"rounds/app/phi"
)

// guardPoster stands in for the application's write path: it runs the
// real identifier guard and posts (records) what passes it.
type guardPoster struct {
	mu      sync.Mutex
	replies []Reply // every reply it was handed
	posted  []Reply
	err     error // returned when set, as a database failure would be
}

var kindLabels = map[string]string{phi.TypeSSN: "Social Security number", phi.TypeName: "Name", phi.TypeDate: "Date", phi.TypePhone: "Phone number"}

func (p *guardPoster) PostReply(_ context.Context, r Reply) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.replies = append(p.replies, r)
	if p.err != nil {
		return Result{}, p.err
	}
	var ids []Identifier
	for _, f := range phi.Scan(r.Text) {
		if f.Blocking() {
			ids = append(ids, Identifier{Kind: kindLabels[f.Type], Start: f.Start, End: f.End})
		}
	}
	if len(ids) > 0 {
		return Result{Refused: ReasonIdentifiers, Identifiers: ids, URL: "https://rounds.example.org/t/7"}, nil
	}
	p.posted = append(p.posted, r)
	return Result{PostID: int64(100 + len(p.posted)), URL: "https://rounds.example.org/p/101"}, nil
}

func (p *guardPoster) calls() ([]Reply, []Reply) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Reply(nil), p.replies...), append([]Reply(nil), p.posted...)
}

// outboxBouncer sends bounces through the real mailer into its outbox
// folder, to the member's address as the application would look it up.
type outboxBouncer struct {
	mailer *mail.Mailer
	mu     sync.Mutex
	sent   []Result
}

func (b *outboxBouncer) Bounce(ctx context.Context, r Reply, res Result) error {
	b.mu.Lock()
	b.sent = append(b.sent, res)
	b.mu.Unlock()
	return b.mailer.Send(ctx, BounceMessage("member42@hospital.example.org", r, res))
}

func (b *outboxBouncer) results() []Result {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Result(nil), b.sent...)
}

// denyLimiter refuses mail from one sender.
type denyLimiter struct{ sender string }

func (l denyLimiter) AllowMail(_ context.Context, _ netip.Addr, from string) (bool, error) {
	return from != l.sender, nil
}

type testServer struct {
	addr      string
	addresses *Addresses
	poster    *guardPoster
	bouncer   *outboxBouncer
	outbox    string
	clock     *clock
}

func startTestServer(t *testing.T, tweak func(*ServerOptions)) *testServer {
	t.Helper()
	c := &clock{testNow}
	addresses := testAddresses(t, c, AddressOptions{MaxAge: 30 * 24 * 60 * 60 * 1e9})
	outbox := filepath.Join(t.TempDir(), "mail")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	mailer, err := mail.New(nil, "Rounds <rounds@rounds.example.org>", outbox, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{addresses: addresses, poster: &guardPoster{}, bouncer: &outboxBouncer{mailer: mailer}, outbox: outbox, clock: c}
	opts := ServerOptions{
		Addresses:       addresses,
		Poster:          ts.poster,
		Bouncer:         ts.bouncer,
		Limiter:         denyLimiter{sender: "flood@example.net"},
		MaxMessageBytes: 64 << 10,
		Log:             quiet,
	}
	if tweak != nil {
		tweak(&opts)
	}
	srv, err := NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	ts.addr = l.Addr().String()
	return ts
}

// send delivers one message with go-smtp's client, as a mail server
// would, and returns the first refusal.
func (ts *testServer) send(t *testing.T, from string, to []string, msg string) error {
	t.Helper()
	c, err := smtp.Dial(ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mx.sender.example.net"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// reply is a reply from a mail client to addr, with text above the quote.
func reply(addr, text string) string {
	return "From: Priya Nair <priya.nair@hospital.example.org>\r\n" +
		"To: Rounds <" + addr + ">\r\n" +
		"Subject: Re: [Rounds] Hyponatraemia in a marathon runner\r\n" +
		"Message-ID: <reply-1@hospital.example.org>\r\n" +
		"In-Reply-To: <topic-7-post-42@rounds.example.org>\r\n" +
		"References: <topic-7@rounds.example.org> <topic-7-post-42@rounds.example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		text + "\r\n\r\nOn Wed, Mar 4, 2026 at 10:15 AM Rounds <" + addr + "> wrote:\r\n> The post.\r\n"
}

func smtpCode(err error) (int, smtp.EnhancedCode) {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, se.EnhancedCode
	}
	return 0, smtp.EnhancedCode{}
}

// TestServerPostsAReplyAndBouncesOneWithAnSSN delivers two replies over
// SMTP: one is posted as the member wrote it, the other carries a Social
// Security number, is not posted, and is answered by a bounce that names
// what to remove without repeating it.
func TestServerPostsAReplyAndBouncesOneWithAnSSN(t *testing.T) {
	ts := startTestServer(t, nil)
	addr := ts.addresses.NewReplyAddress(KindTopic, 42, 7)

	if err := ts.send(t, "priya.nair@hospital.example.org", []string{addr}, reply(addr, "Hold the saline until the repeat sodium.")); err != nil {
		t.Fatalf("reply refused: %v", err)
	}
	_, posted := ts.poster.calls()
	if len(posted) != 1 {
		t.Fatalf("posted %d replies, want 1", len(posted))
	}
	got := posted[0]
	if got.Token != (Token{Kind: KindTopic, MemberID: 42, ThreadID: 7, IssuedAt: testNow.Truncate(60e9)}) {
		t.Errorf("token %+v", got.Token)
	}
	if got.Text != "Hold the saline until the repeat sodium." {
		t.Errorf("text %q", got.Text)
	}
	if got.From != "priya.nair@hospital.example.org" || got.EnvelopeFrom != "priya.nair@hospital.example.org" || got.To != addr {
		t.Errorf("from %q, envelope %q, to %q", got.From, got.EnvelopeFrom, got.To)
	}
	if got.MessageID != "reply-1@hospital.example.org" || len(got.InReplyTo) != 1 || got.InReplyTo[0] != "topic-7-post-42@rounds.example.org" || len(got.References) != 2 {
		t.Errorf("threading: %q %q %q", got.MessageID, got.InReplyTo, got.References)
	}
	if !got.RemoteAddr.IsLoopback() {
		t.Errorf("remote address %v", got.RemoteAddr)
	}
	if n := len(ts.bouncer.results()); n != 0 {
		t.Errorf("%d bounces for a posted reply", n)
	}

	const ssn = "078-05-1120"
	if err := ts.send(t, "priya.nair@hospital.example.org", []string{addr}, reply(addr, "Sodium 121.\r\nHer SSN is "+ssn+", in case you need it.")); err != nil {
		t.Fatalf("reply with an SSN refused at SMTP, want it taken and bounced: %v", err)
	}
	if _, posted := ts.poster.calls(); len(posted) != 1 {
		t.Errorf("posted %d replies, want still 1", len(posted))
	}
	bounces := ts.bouncer.results()
	if len(bounces) != 1 || bounces[0].Refused != ReasonIdentifiers {
		t.Fatalf("bounces %+v, want one for identifiers", bounces)
	}
	entries, err := os.ReadDir(ts.outbox)
	if err != nil || len(entries) != 1 {
		t.Fatalf("outbox: %v, %d entries", err, len(entries))
	}
	raw, err := os.ReadFile(filepath.Join(ts.outbox, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	bounce, err := ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	text, err := mail.ParseOutbox(raw)
	if err != nil {
		t.Fatal(err)
	}
	bounce.Body = text.Text
	if !strings.Contains(text.To, "member42@hospital.example.org") {
		t.Errorf("bounce sent to %q, want the member's address", text.To)
	}
	if strings.Contains(bounce.Body, ssn) || strings.Contains(string(raw), "05-1120") {
		t.Errorf("the bounce repeats the SSN:\n%s", raw)
	}
	for _, want := range []string{`Social Security number, line 2: "Her SSN is [Social Security number], in case you need…"`, "https://rounds.example.org/t/7"} {
		if !strings.Contains(bounce.Body, want) {
			t.Errorf("bounce lacks %q:\n%s", want, bounce.Body)
		}
	}
	if bounce.Automatic != AutoSubmitted || bounce.InReplyTo[0] != "reply-1@hospital.example.org" {
		t.Errorf("bounce headers: automatic %q, in reply to %q", bounce.Automatic, bounce.InReplyTo)
	}
}

// TestServerRefusesRecipients checks each recipient the server refuses,
// with the SMTP code a sending server acts on.
func TestServerRefusesRecipients(t *testing.T) {
	ts := startTestServer(t, nil)
	good := ts.addresses.NewReplyAddress(KindTopic, 42, 7)
	local, _, _ := strings.Cut(good, "@")
	ts.clock.t = testNow.Add(-40 * 24 * 60 * 60 * 1e9)
	old := ts.addresses.NewReplyAddress(KindTopic, 42, 7)
	ts.clock.t = testNow

	tests := []struct {
		name     string
		to       []string
		code     int
		enhanced smtp.EnhancedCode
	}{
		{"another domain", []string{local + "@elsewhere.example.org"}, 550, smtp.EnhancedCode{5, 7, 1}},
		{"no reply address", []string{"postmaster@rounds.example.org"}, 550, smtp.EnhancedCode{5, 1, 1}},
		{"forged token", []string{local[:len(local)-3] + "aaa@rounds.example.org"}, 550, smtp.EnhancedCode{5, 1, 1}},
		{"expired token", []string{old}, 550, smtp.EnhancedCode{5, 1, 6}},
		{"two reply addresses", []string{good, ts.addresses.NewReplyAddress(KindTopic, 42, 8)}, 452, smtp.EnhancedCode{4, 5, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ts.send(t, "priya.nair@hospital.example.org", tt.to, reply(tt.to[0], "text"))
			if code, enh := smtpCode(err); code != tt.code || enh != tt.enhanced {
				t.Errorf("got %v, want %d %v", err, tt.code, tt.enhanced)
			}
		})
	}
	if replies, _ := ts.poster.calls(); len(replies) != 0 {
		t.Errorf("the poster was handed %d refused messages", len(replies))
	}
}

// TestServerDropsAndRefusesMessages checks the messages that are taken
// but never posted, and those the sender is told to retry or give up.
func TestServerDropsAndRefusesMessages(t *testing.T) {
	ts := startTestServer(t, nil)
	addr := ts.addresses.NewReplyAddress(KindConsult, 42, 9)

	auto := strings.Replace(reply(addr, "I am away until Monday."), "Subject:", "Auto-Submitted: auto-replied\r\nSubject:", 1)
	if err := ts.send(t, "priya.nair@hospital.example.org", []string{addr}, auto); err != nil {
		t.Errorf("auto-reply: %v, want it taken and dropped", err)
	}
	if err := ts.send(t, "", []string{addr}, reply(addr, "A bounce from a null sender.")); err != nil {
		t.Errorf("null sender: %v, want it taken and dropped", err)
	}
	if err := ts.send(t, "priya.nair@hospital.example.org", []string{addr}, reply(addr, "")); err != nil {
		t.Errorf("empty reply: %v, want it taken and bounced", err)
	}
	if replies, _ := ts.poster.calls(); len(replies) != 0 {
		t.Errorf("the poster was handed %d messages that are not replies", len(replies))
	}
	if b := ts.bouncer.results(); len(b) != 1 || b[0].Refused != ReasonEmpty {
		t.Errorf("bounces %+v, want one for the empty reply only", b)
	}

	big := reply(addr, strings.Repeat("A line of text.\r\n", 5000))
	if code, enh := smtpCode(ts.send(t, "priya.nair@hospital.example.org", []string{addr}, big)); code != 552 || enh != (smtp.EnhancedCode{5, 3, 4}) {
		t.Errorf("too large: %d %v, want 552 5.3.4", code, enh)
	}
	long := reply(addr, strings.Repeat("x", 5000))
	if code, enh := smtpCode(ts.send(t, "priya.nair@hospital.example.org", []string{addr}, long)); code != 550 || enh != (smtp.EnhancedCode{5, 6, 0}) {
		t.Errorf("line too long: %d %v, want 550 5.6.0", code, enh)
	}
	if code, enh := smtpCode(ts.send(t, "flood@example.net", []string{addr}, reply(addr, "again"))); code != 450 || enh != (smtp.EnhancedCode{4, 7, 1}) {
		t.Errorf("rate limited: %d %v, want 450 4.7.1", code, enh)
	}
	if code, _ := smtpCode(ts.send(t, "priya.nair@hospital.example.org", []string{addr}, "not a message")); code != 550 {
		t.Errorf("unreadable message: %d, want 550", code)
	}

	ts.poster.err = errors.New("database is down")
	if code, enh := smtpCode(ts.send(t, "priya.nair@hospital.example.org", []string{addr}, reply(addr, "Retry me."))); code != 451 || enh != (smtp.EnhancedCode{4, 3, 0}) {
		t.Errorf("poster failure: %d %v, want 451 4.3.0", code, enh)
	}
	if b := ts.bouncer.results(); len(b) != 1 {
		t.Errorf("a temporary failure was bounced: %+v", b)
	}
}

// TestServerTurnsAwayConnectionsOverTheLimit holds the only connection
// slot and checks that the next connection is told to come back later.
func TestServerTurnsAwayConnectionsOverTheLimit(t *testing.T) {
	ts := startTestServer(t, func(o *ServerOptions) { o.MaxConnections = 1 })
	first, err := smtp.Dial(ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Hello("mx.sender.example.net"); err != nil {
		t.Fatal(err)
	}
	second, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	greeting, err := bufio.NewReader(second).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	second.Close()
	if !strings.HasPrefix(greeting, "421 4.7.0 ") {
		t.Errorf("second connection greeted with %q, want 421", greeting)
	}
	if err := first.Quit(); err != nil {
		t.Fatal(err)
	}
	// The slot is free again once the first connection has gone.
	for range 50 {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "220 ") {
			return
		}
	}
	t.Error("the connection slot was never given back")
}

func TestNewServerNeedsAddressesAndPoster(t *testing.T) {
	if _, err := NewServer(ServerOptions{Poster: &guardPoster{}}); err == nil {
		t.Error("a server without addresses was made")
	}
	c := &clock{testNow}
	if _, err := NewServer(ServerOptions{Addresses: testAddresses(t, c, AddressOptions{})}); err == nil {
		t.Error("a server without a poster was made")
	}
}
