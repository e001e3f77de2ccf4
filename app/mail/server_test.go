package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// This file holds an SMTP server that runs inside the test process, built on
// go-smtp, and the helpers around it.

// received is one message as the test server saw it.
type received struct {
	from string
	to   []string
	data []byte
	user string // who authenticated, if anyone
	tls  bool   // whether the session was encrypted
}

// backend records what clients send. Set its fields before the server starts.
type backend struct {
	rcptErr  error             // returned for every RCPT TO when set
	accounts map[string]string // user → password; when set, AUTH PLAIN is offered and required

	mu           sync.Mutex
	messages     []received
	authAttempts int
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	s := &session{be: b, tls: isTLS}
	if b.accounts != nil {
		return &authSession{s}, nil
	}
	return s, nil
}

func (b *backend) received() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.messages...)
}

type session struct {
	be   *backend
	tls  bool
	user string
	cur  received
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.be.accounts != nil && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{from: from, user: s.user, tls: s.tls}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.be.rcptErr != nil {
		return s.be.rcptErr
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = data
	s.be.mu.Lock()
	s.be.messages = append(s.be.messages, s.cur)
	s.be.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// authSession offers AUTH PLAIN and checks the backend's credentials.
type authSession struct{ *session }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.be.mu.Lock()
		s.be.authAttempts++
		s.be.mu.Unlock()
		if want, ok := s.be.accounts[user]; !ok || pass != want {
			return smtp.ErrAuthFailed // 535
		}
		s.user = user
		return nil
	}), nil
}

// serverOptions say how startServer runs the server.
type serverOptions struct {
	host        string      // to listen on; 127.0.0.1 when empty
	starttls    *tls.Config // offered through STARTTLS when set
	implicitTLS *tls.Config // TLS from the first byte when set
}

// countingListener counts the connections a server accepts.
type countingListener struct {
	net.Listener
	accepted atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

// startServer runs a go-smtp server on a loopback address for the rest of the test
// and returns its address and listener.
func startServer(t *testing.T, be *backend, opts serverOptions) (string, *countingListener) {
	t.Helper()
	host := opts.host
	if host == "" {
		host = "127.0.0.1"
	}
	raw, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	l := &countingListener{Listener: raw}
	var serveOn net.Listener = l
	if opts.implicitTLS != nil {
		serveOn = tls.NewListener(l, opts.implicitTLS)
	}
	s := smtp.NewServer(be)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.TLSConfig = opts.starttls
	s.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan error, 1)
	go func() { done <- s.Serve(serveOn) }()
	t.Cleanup(func() {
		if err := s.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("close SMTP server: %v", err)
		}
		// Serve may not have registered the listener with s yet when a test
		// is quick, and then s.Close leaves it open.
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("close listener: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("SMTP server: %v", err)
		}
	})
	return raw.Addr().String(), l
}

// silentServer accepts connections and never says a word, like a firewall
// that swallows packets or a wedged relay.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return // closed by cleanup
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// selfSigned returns a server TLS config with a fresh certificate for
// 127.0.0.1, and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "rounds test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}, pool
}

// logBuffer collects a mailer's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

const testFrom = "Rounds <rounds@example.org>"

// smtpMailer returns a mailer for rawURL and the buffer its log goes to.
func smtpMailer(t *testing.T, rawURL string) (*Mailer, *logBuffer) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	m, err := New(u, testFrom, "", slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("New(%s): %v", rawURL, err)
	}
	return m, logs
}
