package digest_test

import (
	"errors"
	"io"
	"log"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// sink is an SMTP server inside the test process that keeps what it
// accepts. refuse, when set, is asked about each message before it is
// accepted and may return an SMTP error to refuse it.
type sink struct {
	mu       sync.Mutex
	messages [][]byte
	refuse   func(data []byte) error
	// slow, when set, says how long to take over a message before
	// answering, as a busy server does; other sessions go on meanwhile.
	slow func(data []byte) time.Duration
	// countOnly keeps a count instead of the messages, for benchmarks.
	countOnly bool
	count     int
}

func (s *sink) setRefuse(fn func(data []byte) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = fn
}

func (s *sink) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &sinkSession{s: s, conn: c}, nil
}

func (s *sink) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

func (s *sink) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.messages...)
}

type sinkSession struct {
	s    *sink
	conn *smtp.Conn
}

// errDrop, returned by refuse, makes the server drop the connection in the
// middle of the message instead of answering.
var errDrop = errors.New("drop the connection")

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
	slow := ss.s.slow
	ss.s.mu.Unlock()
	if slow != nil {
		time.Sleep(slow(data))
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse != nil {
		if err := ss.s.refuse(data); err != nil {
			if errors.Is(err, errDrop) {
				ss.conn.Close()
			}
			return err
		}
	}
	ss.s.count++
	if !ss.s.countOnly {
		ss.s.messages = append(ss.s.messages, data)
	}
	return nil
}

var (
	tempFailure = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	permFailure = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
)

// startSink runs the server for the rest of the test and returns its
// smtp:// URL.
func startSink(t testing.TB, s *sink) *url.URL {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxRecipients = 10
	srv.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("close SMTP server: %v", err)
		}
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("close listener: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("SMTP server: %v", err)
		}
	})
	return &url.URL{Scheme: "smtp", Host: l.Addr().String()}
}
