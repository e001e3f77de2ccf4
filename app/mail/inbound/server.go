package inbound

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Reply is one reply by email, as the Server hands it to a Poster.
type Reply struct {
	Token        Token      // who replies to what, from the reply address
	To           string     // the reply address it was sent to
	EnvelopeFrom string     // MAIL FROM, which anyone can write
	RemoteAddr   netip.Addr // the mail server that delivered it
	// From is the From header's address. A Poster should post only when
	// it is the member's own address, since anyone who sees one of
	// Rounds' emails to the member sees the reply address too.
	From       string
	Subject    string
	MessageID  string // without angle brackets; may be ""
	InReplyTo  []string
	References []string
	// Text is what the member wrote, as markdown: the message's text
	// without the quoted email, signature and footers (see ReplyText).
	Text string
}

// Poster posts replies by email. It is the application's write path: it
// checks that the member may still read and reply to the topic or consult,
// applies the rate limits, runs the identifier guard and posts.
type Poster interface {
	// PostReply posts the reply or says why not in Result. An error means
	// it could not decide just now (the database is down): the Server
	// answers with a temporary failure, and the sending mail server tries
	// again later, so PostReply may see a message it has already posted
	// and should know it by its MessageID.
	PostReply(ctx context.Context, r Reply) (Result, error)
}

// Reason says why a reply was not posted.
type Reason string

const (
	// ReasonIdentifiers: the identifier guard found what would identify
	// a patient; Result.Identifiers lists it.
	ReasonIdentifiers Reason = "identifiers"
	// ReasonNotReadable: the topic or consult is gone, or the member can
	// no longer read it.
	ReasonNotReadable Reason = "not readable"
	// ReasonClosed: the topic is locked, or the consult closed to the
	// member.
	ReasonClosed Reason = "closed"
	// ReasonNotAllowed: the member may not post now (suspended, no longer
	// verified, the board does not take their posts).
	ReasonNotAllowed Reason = "not allowed"
	// ReasonRateLimited: the member has posted too often; see
	// Result.RetryAfter.
	ReasonRateLimited Reason = "rate limited"
	// ReasonSender: the From address is not the member's.
	ReasonSender Reason = "sender"
	// ReasonTooLong: the reply is longer than a post may be; see
	// Result.Limit.
	ReasonTooLong Reason = "too long"
	// ReasonEmpty: nothing is left once the quoted email and signature
	// are taken out. The Server decides this itself.
	ReasonEmpty Reason = "empty"
)

// Result is what became of a reply.
type Result struct {
	// Refused is why the reply was not posted; "" when it was.
	Refused Reason
	PostID  int64 // when posted
	// URL is where the post is on the site, or, when refused, where the
	// member can reply instead; "" when there is nowhere (the topic is
	// gone or closed to them).
	URL string
	// Identifiers are what the identifier guard found, for
	// ReasonIdentifiers, with offsets into Reply.Text.
	Identifiers []Identifier
	RetryAfter  time.Duration // for ReasonRateLimited
	Limit       int           // for ReasonTooLong: the most characters a post may have
}

// Posted says whether the reply was posted.
func (r Result) Posted() bool { return r.Refused == "" }

// Identifier is one finding of the identifier guard in a reply.
type Identifier struct {
	Kind       string // as an author reads it, e.g. "Social Security number"
	Start, End int    // byte offsets into Reply.Text
}

// Bouncer tells a member that their reply was not posted, and why;
// BounceMessage writes the email. It should write to the member's own
// address, never to the envelope sender, which anyone can forge. For
// ReasonEmpty the Server has not asked the Poster, so a Bouncer that
// wants to answer only the member's own mail checks Reply.From itself.
type Bouncer interface {
	Bounce(ctx context.Context, r Reply, res Result) error
}

// Limiter decides whether a mail server may hand over another message
// now, before it sends it. An error lets the message through: a limit
// that cannot be counted should not stop every reply.
type Limiter interface {
	AllowMail(ctx context.Context, remote netip.Addr, envelopeFrom string) (bool, error)
}

// ServerOptions configure a Server. Addresses and Poster are required.
type ServerOptions struct {
	Addresses *Addresses
	Poster    Poster
	Bouncer   Bouncer // optional: without it refusals are only logged
	Limiter   Limiter // optional
	// Hostname is the name the server greets with; the addresses' domain
	// when empty.
	Hostname string
	// MaxMessageBytes bounds a message, attachments included;
	// DefaultMaxMessageBytes when zero.
	MaxMessageBytes int64
	// MaxConnections bounds the connections served at once; more are
	// told to come back later. DefaultMaxConnections when zero.
	MaxConnections int
	// ReadTimeout and WriteTimeout bound each command and reply;
	// DefaultTimeout when zero.
	ReadTimeout, WriteTimeout time.Duration
	// PostTimeout bounds PostReply and Bounce together; DefaultPostTimeout
	// when zero.
	PostTimeout time.Duration
	// TLS, when set, is offered through STARTTLS.
	TLS *tls.Config
	Log *slog.Logger // slog.Default() when nil
}

// Defaults for ServerOptions.
const (
	DefaultMaxMessageBytes = 10 << 20
	DefaultMaxConnections  = 100
	DefaultTimeout         = 2 * time.Minute
	DefaultPostTimeout     = 30 * time.Second
)

// maxLineLength is four times what RFC 5321 allows, for the clients that
// exceed it.
const maxLineLength = 4000

// Server is an SMTP server that takes replies by email. It accepts mail
// only for the valid reply addresses of its domain, one per message, and
// refuses everything else at RCPT TO; it drops automatic mail; it hands
// every other reply to the Poster and a refused one to the Bouncer.
type Server struct {
	opts ServerOptions
	smtp *smtp.Server
	log  *slog.Logger

	mu        sync.Mutex
	listeners []net.Listener
}

// NewServer checks opts and fills in the defaults.
func NewServer(opts ServerOptions) (*Server, error) {
	if opts.Addresses == nil || opts.Poster == nil {
		return nil, errors.New("inbound: a server needs reply addresses and a poster")
	}
	if opts.Hostname == "" {
		opts.Hostname = opts.Addresses.Domain()
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = DefaultTimeout
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultTimeout
	}
	if opts.PostTimeout <= 0 {
		opts.PostTimeout = DefaultPostTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Server{opts: opts, log: opts.Log.With("component", "inbound mail")}
	srv := smtp.NewServer(backend{s})
	srv.Domain = opts.Hostname
	srv.MaxMessageBytes = opts.MaxMessageBytes
	srv.MaxLineLength = maxLineLength
	srv.ReadTimeout = opts.ReadTimeout
	srv.WriteTimeout = opts.WriteTimeout
	srv.TLSConfig = opts.TLS
	srv.EnableSMTPUTF8 = true // a member's address may be internationalised
	srv.ErrorLog = slogLogger{s.log}
	s.smtp = srv
	return s, nil
}

// ListenAndServe listens on addr, such as ":2525", and serves until
// Shutdown.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("inbound mail: listen on %s: %w", addr, err)
	}
	return s.Serve(l)
}

// Serve serves connections from l until Shutdown, and returns nil then.
func (s *Server) Serve(l net.Listener) error {
	l = newLimitListener(l, s.opts.MaxConnections, s.opts.Hostname, s.log)
	s.mu.Lock()
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	err := s.smtp.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Shutdown stops listening and waits for the connections being served to
// finish, or for ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	for _, l := range s.listeners {
		// Serve may not have handed l to go-smtp yet.
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Warn("close listener", "err", err)
		}
	}
	s.mu.Unlock()
	if err := s.smtp.Shutdown(ctx); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// SMTP replies. The messages are what a member reads in their mail
// server's bounce, so they say what to do.
var (
	errRelay = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relaying denied: this server takes only replies to Rounds"}
	errNoSuchAddress = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such reply address: reply to a Rounds email as it came, or post on the site"}
	errExpiredAddress = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 6},
		Message: "This reply address has expired: reply on the site instead"}
	errOneRecipient = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3},
		Message: "One reply address per message: send to the others separately"}
	errNeedMail = &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1},
		Message: "MAIL FROM first"}
	errSlowDown = &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
		Message: "Too much mail from you just now: try again later"}
	errUnreadable = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "The message could not be read as email"}
	errLongLine = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "A line of the message is too long; SMTP allows 1,000 characters"}
	errTryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Rounds cannot take the reply just now: try again later"}
)

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	remote := netip.Addr{}
	if ap, err := netip.ParseAddrPort(c.Conn().RemoteAddr().String()); err == nil {
		remote = ap.Addr().Unmap()
	}
	return &session{s: b.s, remote: remote}, nil
}

// session is one SMTP connection; go-smtp calls it from one goroutine.
type session struct {
	s      *Server
	remote netip.Addr

	mailSeen bool
	from     string
	to       string
	token    Token
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if l := ss.s.opts.Limiter; l != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ss.s.opts.PostTimeout)
		defer cancel()
		ok, err := l.AllowMail(ctx, ss.remote, from)
		switch {
		case err != nil:
			ss.s.log.Error("inbound rate limit unavailable", "remote", ss.remote, "err", err)
		case !ok:
			ss.s.log.Info("inbound mail rate limited", "remote", ss.remote, "from", from)
			return errSlowDown
		}
	}
	ss.reset()
	ss.mailSeen, ss.from = true, from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.mailSeen {
		return errNeedMail
	}
	if ss.to != "" {
		return errOneRecipient
	}
	tok, err := ss.s.opts.Addresses.ParseReplyAddress(to)
	switch {
	case err == nil:
		ss.to, ss.token = to, tok
		return nil
	case errors.Is(err, ErrExpired):
		ss.s.log.Info("inbound mail to an expired reply address", "member", tok.MemberID, "kind", tok.Kind, "thread", tok.ThreadID, "remote", ss.remote)
		return errExpiredAddress
	case errors.Is(err, ErrNotReplyAddress) && !ss.s.opts.Addresses.ours(to):
		return errRelay
	default:
		ss.s.log.Info("inbound mail to no reply address", "to", to, "reason", err, "remote", ss.remote)
		return errNoSuchAddress
	}
}

func (ss *session) Data(r io.Reader) error {
	if ss.to == "" {
		return &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "RCPT TO first"}
	}
	raw, err := io.ReadAll(r)
	if errors.Is(err, smtp.ErrTooLongLine) {
		return errLongLine
	}
	if err != nil {
		return err // go-smtp's own error for a message too large
	}
	log := ss.s.log.With("member", ss.token.MemberID, "kind", ss.token.Kind, "thread", ss.token.ThreadID, "remote", ss.remote)
	msg, err := ReadMessage(bytes.NewReader(raw))
	if err != nil {
		log.Info("inbound mail unreadable", "err", err)
		return errUnreadable
	}
	log = log.With("message_id", msg.MessageID)
	if msg.Automatic != "" || ss.from == "" {
		// Never answered: a bounce to an auto-reply is how loops start.
		reason := msg.Automatic
		if reason == "" {
			reason = DeliveryReport // the null sender that bounces use
		}
		log.Info("inbound automatic mail dropped", "reason", reason)
		return nil
	}
	reply := Reply{
		Token: ss.token, To: ss.to, EnvelopeFrom: ss.from, RemoteAddr: ss.remote,
		From: msg.From, Subject: msg.Subject, MessageID: msg.MessageID,
		InReplyTo: msg.InReplyTo, References: msg.References, Text: msg.Reply,
	}
	// The post and its bounce finish even when the connection drops.
	ctx, cancel := context.WithTimeout(context.Background(), ss.s.opts.PostTimeout)
	defer cancel()
	res := Result{Refused: ReasonEmpty}
	if strings.TrimSpace(reply.Text) != "" {
		res, err = ss.s.opts.Poster.PostReply(ctx, reply)
		if err != nil {
			log.Error("inbound reply not posted, to be retried", "err", err)
			return errTryLater
		}
	}
	if res.Posted() {
		log.Info("inbound reply posted", "post", res.PostID)
		return nil
	}
	log.Info("inbound reply refused", "reason", res.Refused)
	if b := ss.s.opts.Bouncer; b != nil {
		if err := b.Bounce(ctx, reply, res); err != nil {
			// The reply was dealt with; a retry would only post nothing
			// again, so the bounce's failure is logged, not returned.
			log.Error("bounce not sent", "reason", res.Refused, "err", err)
		}
	}
	return nil
}

func (ss *session) Reset() { ss.reset() }

func (ss *session) reset() {
	ss.mailSeen, ss.from, ss.to, ss.token = false, "", "", Token{}
}

func (ss *session) Logout() error { return nil }

// slogLogger is go-smtp's logger, through slog.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Printf(format string, v ...any) { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l slogLogger) Println(v ...any)               { l.log.Warn(strings.TrimSuffix(fmt.Sprintln(v...), "\n")) }

// limitListener serves at most n connections at once and tells the rest
// to come back later, so that slow clients cannot take every goroutine
// and file descriptor.
type limitListener struct {
	net.Listener
	slots    chan struct{}
	hostname string
	log      *slog.Logger
}

func newLimitListener(l net.Listener, n int, hostname string, log *slog.Logger) *limitListener {
	return &limitListener{Listener: l, slots: make(chan struct{}, n), hostname: hostname, log: log}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
		default:
			go l.turnAway(c)
		}
	}
}

func (l *limitListener) turnAway(c net.Conn) {
	l.log.Warn("inbound mail: too many connections", "remote", c.RemoteAddr())
	if err := c.SetWriteDeadline(time.Now().Add(10 * time.Second)); err == nil {
		if _, err := fmt.Fprintf(c, "421 4.7.0 %s Too many connections, try again later\r\n", l.hostname); err != nil {
			l.log.Debug("inbound mail: turn away", "err", err)
		}
	}
	if err := c.Close(); err != nil {
		l.log.Debug("inbound mail: close turned-away connection", "err", err)
	}
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
