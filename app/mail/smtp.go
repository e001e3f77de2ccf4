package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// smtpTransport is what New made of the SMTP URL. Each send dials a fresh
// connection: Rounds sends little mail, and a long-lived connection would
// need keep-alive and reconnect logic for nothing.
type smtpTransport struct {
	host     string
	port     int
	security security
	user     string // empty means no SMTP AUTH
	password string
	tls      *tls.Config // verifies the server's certificate; never skipped
}

type security int

const (
	// opportunistic: STARTTLS when the server offers it, else plain text
	// (as with Mailpit). Once offered, a certificate that does not verify
	// fails the send rather than falling back to plain text.
	opportunistic security = iota
	startTLS               // STARTTLS required
	implicitTLS            // TLS from the first byte (smtps)
)

func (s security) String() string {
	return [...]string{"smtp", "smtp+starttls", "smtps"}[s]
}

// newSMTPTransport reads smtp://, smtp+starttls:// or smtps:// URLs with
// optional user:password and port.
func newSMTPTransport(u *url.URL) (*smtpTransport, error) {
	t := &smtpTransport{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		t.security, t.port = opportunistic, 25
	case "smtp+starttls":
		t.security, t.port = startTLS, 587
	case "smtps":
		t.security, t.port = implicitTLS, 465
	default:
		return nil, fmt.Errorf("SMTP URL scheme %q is not smtp, smtp+starttls or smtps", u.Scheme)
	}
	if t.host == "" {
		return nil, errors.New("SMTP URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("SMTP URL port %q is not a port number", p)
		}
		t.port = n
	}
	// Certificate checks stay on: a query such as insecure_skip_verify is
	// refused rather than silently ignored.
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("SMTP URL takes no query options or fragment")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("SMTP URL takes no path")
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, _ = u.User.Password() // no password is an empty one
	}
	t.tls = &tls.Config{ServerName: t.host, MinVersion: tls.VersionTLS12}
	return t, nil
}

// send delivers msg within sendTimeout, or sooner if ctx ends.
func (t *smtpTransport) send(ctx context.Context, msg *gomail.Msg) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()

	opts := []gomail.Option{
		gomail.WithPort(t.port),
		gomail.WithTimeout(sendTimeout),
		gomail.WithTLSConfig(t.tls),
		gomail.WithDialContextFunc(t.dialer(ctx)),
	}
	switch t.security {
	case opportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case startTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case implicitTLS:
		// The dialer does the TLS; this only stops go-mail trying STARTTLS
		// inside it.
		opts = append(opts, gomail.WithSSL())
	}
	if t.user != "" {
		opts = append(opts, gomail.WithSMTPAuthCustom(&plainOrLogin{user: t.user, password: t.password, host: t.host}))
	}
	client, err := gomail.NewClient(t.host, opts...)
	if err != nil {
		return fmt.Errorf("set up SMTP client: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err != nil && ctx.Err() != nil {
		// The connection was closed under go-mail; say why.
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// dialer connects, and ties the connection to ctx. go-mail bounds only the
// dial with its timeout and ctx: a server that accepts the connection but
// never sends its greeting would otherwise hold Send for ever.
func (t *smtpTransport) dialer(ctx context.Context) gomail.DialContextFunc {
	return func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(dialCtx, network, addr)
		if err != nil {
			return nil, err
		}
		// This ends any read still blocked when ctx is cancelled or its
		// deadline passes; ctx.Err() is set by then, so send can say why.
		// (A conn deadline could fire a moment before ctx's and hide that.)
		// After a normal QUIT the connection is already closed, so the
		// error here means nothing.
		context.AfterFunc(ctx, func() { _ = conn.Close() })
		if t.security != implicitTLS {
			return conn, nil
		}
		tlsConn := tls.Client(conn, t.tls)
		if err := tlsConn.HandshakeContext(dialCtx); err != nil {
			return nil, errors.Join(err, conn.Close())
		}
		return tlsConn, nil
	}
}

// plainOrLogin is SMTP AUTH PLAIN, or LOGIN for servers that offer only
// that. go-mail's own auto-discovery refuses both without TLS, even to
// localhost; these keep the net/smtp rule instead: the password goes only
// over TLS or to a server on this machine.
type plainOrLogin struct {
	user, password, host string
	chosen               smtp.Auth
}

func (a *plainOrLogin) Start(server *smtp.ServerInfo) (string, []byte, error) {
	switch {
	case offers(server.Auth, "PLAIN"):
		a.chosen = smtp.PlainAuth("", a.user, a.password, a.host, false)
	case offers(server.Auth, "LOGIN"):
		a.chosen = smtp.LoginAuth(a.user, a.password, a.host, false)
	case len(server.Auth) == 0:
		return "", nil, errors.New("SMTP URL has credentials but the server offers no AUTH")
	default:
		return "", nil, fmt.Errorf("the server offers AUTH %s; Rounds supports PLAIN and LOGIN", strings.Join(server.Auth, " "))
	}
	return a.chosen.Start(server)
}

func (a *plainOrLogin) Next(fromServer []byte, more bool) ([]byte, error) {
	return a.chosen.Next(fromServer, more)
}

func offers(mechanisms []string, want string) bool {
	for _, m := range mechanisms {
		if strings.EqualFold(m, want) {
			return true
		}
	}
	return false
}
