package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"net/url"
	"testing"
)

// TestNewSMTPURL proves how each accepted URL form is read (default ports,
// credentials) and that anything else, including a request to skip
// certificate checks, stops New.
func TestNewSMTPURL(t *testing.T) {
	tests := []struct {
		url     string
		want    smtpTransport // tls is not compared
		wantErr bool
	}{
		{url: "smtp://mailpit", want: smtpTransport{host: "mailpit", port: 25, security: opportunistic}},
		{url: "smtp://mailpit:1025", want: smtpTransport{host: "mailpit", port: 1025, security: opportunistic}},
		{url: "smtp+starttls://alerts:s3cret@mail.example.org", want: smtpTransport{host: "mail.example.org", port: 587, security: startTLS, user: "alerts", password: "s3cret"}},
		{url: "smtps://alerts:p%40ss@mail.example.org", want: smtpTransport{host: "mail.example.org", port: 465, security: implicitTLS, user: "alerts", password: "p@ss"}},
		{url: "smtps://[::1]:2465", want: smtpTransport{host: "::1", port: 2465, security: implicitTLS}},
		{url: "smtp://mailpit?insecure_skip_verify=true", wantErr: true},
		{url: "smtp://mailpit/relay", wantErr: true},
		{url: "smtp://mailpit:0", wantErr: true},
		{url: "smtp://mailpit:70000", wantErr: true},
		{url: "imap://mail.example.org", wantErr: true},
		{url: "smtp:///", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			m, err := New(u, testFrom, "", nil)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("New accepted %s", tt.url)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			got := *m.smtp
			if got.tls == nil || got.tls.InsecureSkipVerify || got.tls.ServerName != tt.want.host {
				t.Errorf("TLS config %+v, want verification for %s", got.tls, tt.want.host)
			}
			got.tls = nil
			if got != tt.want {
				t.Errorf("transport = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	if _, err := New(nil, "Rounds", t.TempDir(), nil); err == nil {
		t.Error("New accepted a From without an address")
	}
	if _, err := New(nil, testFrom, "", nil); err == nil {
		t.Error("New accepted no SMTP URL and no outbox folder")
	}
}

// TestOutboxWithSMTP proves that the outbox is empty, not an error, when
// mail really goes out, and that nothing can be read from it.
func TestOutboxWithSMTP(t *testing.T) {
	m, _ := smtpMailer(t, "smtp://mailpit")
	if entries, err := m.Outbox(10); entries != nil || err != nil {
		t.Errorf("Outbox = %v, %v; want nil, nil", entries, err)
	}
	if _, err := m.ReadOutbox("20260101T000000.000000Z-x.eml"); !errors.Is(err, ErrNotInOutbox) {
		t.Errorf("ReadOutbox error = %v, want ErrNotInOutbox", err)
	}
}

func TestSendCancelled(t *testing.T) {
	m, _, _ := outboxMailer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := m.Send(ctx, Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"})
	if !errors.Is(err, context.Canceled) || Permanent(err) {
		t.Errorf("Send error = %v, want a temporary context.Canceled", err)
	}
	if entries, err := m.Outbox(0); err != nil || len(entries) != 0 {
		t.Errorf("Outbox = %v, %v; want nothing written", entries, err)
	}
}

// TestPermanent proves the sorting on errors shaped like those go-mail and
// the network return, wrapped the way callers may wrap them.
func TestPermanent(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"EOF", fmt.Errorf("send: %w", io.ErrUnexpectedEOF), false},
		{"5xx reply", fmt.Errorf("dial failed: %w", &textproto.Error{Code: 554, Msg: "no service"}), true},
		{"4xx reply", fmt.Errorf("dial failed: %w", &textproto.Error{Code: 421, Msg: "closing"}), false},
		{"5xx among joined errors", errors.Join(errors.New("x"), &textproto.Error{Code: 550, Msg: "no"}), true},
		{"invalid message", fmt.Errorf("notify: %w", fmt.Errorf("%w: bad", ErrInvalidMessage)), true},
		{"deadline", context.DeadlineExceeded, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Permanent(tt.err); got != tt.want {
				t.Errorf("Permanent(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
