package inbound_test

import (
	"context"
	"log/slog"
	"time"

	"rounds/app/mail"
	"rounds/app/mail/inbound"
)

// site stands in for the application: its store, write path and mailer.
type site struct {
	mailer *mail.Mailer
}

// PostReply is where the application's write path goes: look up the
// member (r.Token.MemberID) and the topic or consult (r.Token.Kind,
// r.Token.ThreadID); refuse with ReasonSender unless r.From is the
// member's address, ReasonNotReadable unless they may still read it,
// ReasonClosed, ReasonNotAllowed or ReasonRateLimited as the composer
// would; run the identifier guard on r.Text and refuse blocking findings
// with ReasonIdentifiers; otherwise post r.Text as the composer posts, and
// keep r.MessageID so that a retried delivery is not posted twice.
func (s *site) PostReply(ctx context.Context, r inbound.Reply) (inbound.Result, error) {
	return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
}

// Bounce writes to the member's own address from the store.
func (s *site) Bounce(ctx context.Context, r inbound.Reply, res inbound.Result) error {
	memberEmail := "member@hospital.example.org" // looked up by r.Token.MemberID
	return s.mailer.Send(ctx, inbound.BounceMessage(memberEmail, r, res))
}

// Example shows how `rounds serve` wires the inbound mail: the same
// Addresses sign the Reply-To of every email about a topic and read the
// replies that come back.
func Example() {
	secret := []byte("the site's ROUNDS_SECRET, 32 characters or more")
	addresses, err := inbound.NewAddresses(secret, "rounds.example.org", inbound.AddressOptions{})
	if err != nil {
		panic(err)
	}

	// Sending: an email to member 42 about topic 7 carries
	//   mail.Message{Headers: map[string]string{"Reply-To": replyTo}, …}
	replyTo := addresses.NewReplyAddress(inbound.KindTopic, 42, 7)
	_ = replyTo

	// Receiving, when ROUNDS_SMTP_INBOUND_ADDR is set.
	app := &site{}
	srv, err := inbound.NewServer(inbound.ServerOptions{
		Addresses: addresses,
		Poster:    app,
		Bouncer:   app,
		Log:       slog.Default(),
	})
	if err != nil {
		panic(err)
	}
	go func() {
		if err := srv.ListenAndServe(":2525"); err != nil {
			slog.Error("inbound mail", "err", err)
		}
	}()

	// On shutdown:
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		slog.Error("inbound mail shutdown", "err", err)
	}
}
