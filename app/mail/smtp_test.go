package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// A long line with non-ASCII text, to see quoted-printable wrap it and the
// receiving side put it back together.
var longLine = strings.Repeat("Übergabe der Station 4B – Patientin stabil, Befund folgt. ", 6)

// TestSendSMTP proves that what arrives at a real SMTP server is a
// well-formed message carrying exactly what was sent: envelope, headers
// (non-ASCII subject and names, Message-ID, List-Unsubscribe), and bodies
// that decode to the original text, with and without an HTML part.
func TestSendSMTP(t *testing.T) {
	text := "Guten Tag Dr. Müller,\n\nIhr Code: 123456\n" + longLine + "\n.a line that starts with a dot\ntrailing spaces   \n"
	html := "<p>Guten Tag Dr. Müller,</p>\n<p>Ihr Code: <b>123456</b></p>\n<p>" + longLine + "</p>\n"
	unsubscribe := "<https://rounds.example.org/digest/unsubscribe/0123456789abcdef0123456789abcdef>, <mailto:unsubscribe@rounds.example.org?subject=digest>"

	tests := []struct {
		name      string
		msg       Message
		wantIDEnd string // the Message-ID must end with this
	}{
		{
			name: "text and HTML with list headers",
			msg: Message{
				To:      []string{"Dr. Anna Müller <anna.mueller@klinikum.example>", "ben@clinic.example"},
				Subject: "Bestätigung – code 123456",
				Text:    text,
				HTML:    html,
				Headers: map[string]string{
					"List-Unsubscribe":      unsubscribe,
					"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
				},
				MessageID: "verify-42.7@rounds.example.org",
			},
			wantIDEnd: "verify-42.7@rounds.example.org>",
		},
		{
			name: "text only with a generated Message-ID",
			msg: Message{
				To:      []string{"ben@clinic.example"},
				Subject: "Your report was reviewed",
				Text:    text,
			},
			wantIDEnd: "@example.org>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{}
			addr, _ := startServer(t, be, serverOptions{})
			m, logs := smtpMailer(t, "smtp://"+addr)

			if err := m.Send(context.Background(), tt.msg); err != nil {
				t.Fatalf("Send: %v", err)
			}

			got := be.received()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			r := got[0]
			if r.from != "rounds@example.org" {
				t.Errorf("MAIL FROM = %q, want rounds@example.org", r.from)
			}
			var wantRcpt []string
			for _, to := range tt.msg.To {
				a, err := mail.ParseAddress(to)
				if err != nil {
					t.Fatal(err)
				}
				wantRcpt = append(wantRcpt, a.Address)
			}
			if !slices.Equal(r.to, wantRcpt) {
				t.Errorf("RCPT TO = %q, want %q", r.to, wantRcpt)
			}
			// RFC 5322: at most 998 characters a line, and 78 where it can
			// be helped; only a header value with an unbreakable word (a
			// long URL) cannot be.
			head, body, _ := strings.Cut(string(r.data), "\r\n\r\n")
			for i, line := range strings.Split(head, "\r\n") {
				if len(line) > 998 {
					t.Errorf("header line %d is %d characters long: %q", i+1, len(line), line)
				}
			}
			for i, line := range strings.Split(body, "\r\n") {
				if len(line) > 78 {
					t.Errorf("body line %d is %d characters long: %q", i+1, len(line), line)
				}
			}

			parsed, err := mail.ReadMessage(bytes.NewReader(r.data))
			if err != nil {
				t.Fatalf("parse received message: %v\n%s", err, r.data)
			}
			h := parsed.Header
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Rounds" || from[0].Address != "rounds@example.org" {
				t.Errorf("From = %q (%v), want Rounds <rounds@example.org>", h.Get("From"), err)
			}
			to, err := h.AddressList("To")
			if err != nil {
				t.Fatalf("To %q: %v", h.Get("To"), err)
			}
			for i, want := range tt.msg.To {
				wantAddr, err := mail.ParseAddress(want)
				if err != nil {
					t.Fatal(err)
				}
				if i >= len(to) || *to[i] != *wantAddr {
					t.Errorf("To = %v, want %q", to, tt.msg.To)
					break
				}
			}
			var dec mime.WordDecoder
			if subject, err := dec.DecodeHeader(h.Get("Subject")); err != nil || subject != tt.msg.Subject {
				t.Errorf("Subject = %q (raw %q, %v), want %q", subject, h.Get("Subject"), err, tt.msg.Subject)
			}
			id := h.Get("Message-Id")
			if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, tt.wantIDEnd) {
				t.Errorf("Message-ID = %q, want <…%s", id, tt.wantIDEnd)
			}
			if _, err := h.Date(); err != nil {
				t.Errorf("Date %q: %v", h.Get("Date"), err)
			}
			if v := h.Get("Mime-Version"); v != "1.0" {
				t.Errorf("MIME-Version = %q, want 1.0", v)
			}
			for name, want := range tt.msg.Headers {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			for _, name := range []string{"User-Agent", "X-Mailer", "Bcc"} {
				if v := h.Get(name); v != "" {
					t.Errorf("unexpected %s: %q", name, v)
				}
			}

			want := map[string]string{"text/plain": tt.msg.Text}
			if tt.msg.HTML != "" {
				want["text/html"] = tt.msg.HTML
			}
			bodies := readBodies(t, h, parsed.Body)
			if len(bodies) != len(want) {
				t.Errorf("got parts %v, want %d", mapKeys(bodies), len(want))
			}
			for typ, body := range want {
				if got := crlfToLF(bodies[typ]); got != body {
					t.Errorf("%s body =\n%q\nwant\n%q", typ, got, body)
				}
			}

			logged := logs.String()
			for _, wantLog := range []string{`msg="mail sent"`, "to=" + strconv.Itoa(len(tt.msg.To)), "mode=smtp", "message_id=" + strings.Trim(id, "<>")} {
				if !strings.Contains(logged, wantLog) {
					t.Errorf("log %q lacks %q", logged, wantLog)
				}
			}
			if strings.Contains(logged, "Guten Tag") {
				t.Errorf("log holds the body: %q", logged)
			}
		})
	}
}

// readBodies returns each text part's decoded body by media type, checking
// the structure: one text/plain part alone, or multipart/alternative with
// text/plain first; every part UTF-8 and quoted-printable.
func readBodies(t *testing.T, h mail.Header, body io.Reader) map[string]string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	bodies := map[string]string{}
	if mediaType != "multipart/alternative" {
		checkTextPart(t, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"))
		raw, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatalf("decode body: %v", err)
		}
		bodies[mediaType] = string(decoded)
		return bodies
	}
	mr := multipart.NewReader(body, params["boundary"])
	var order []string
	for {
		// NextRawPart: NextPart would decode quoted-printable and drop the
		// header that says it was used.
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		checkTextPart(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"))
		typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		decoded, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatalf("decode %s part: %v", typ, err)
		}
		bodies[typ] = string(decoded)
		order = append(order, typ)
	}
	if len(order) == 0 || order[0] != "text/plain" {
		t.Errorf("parts in order %v; text/plain must come first so clients prefer HTML", order)
	}
	return bodies
}

func checkTextPart(t *testing.T, contentType, encoding string) {
	t.Helper()
	typ, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(typ, "text/") || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("part Content-Type %q, want text/* with charset UTF-8", contentType)
	}
	if encoding != "quoted-printable" {
		t.Errorf("part Content-Transfer-Encoding %q, want quoted-printable", encoding)
	}
}

// TestSendSMTPAuth proves that credentials in the URL are used for AUTH
// PLAIN (percent-escapes decoded), and that refused or missing credentials
// are permanent errors: retrying cannot fix them.
func TestSendSMTPAuth(t *testing.T) {
	tests := []struct {
		name      string
		userinfo  string // in the URL
		wantErr   bool
		wantPerm  bool
		wantAuthd string // the user the server saw authenticate
	}{
		{name: "right credentials", userinfo: "alerts:s3cret", wantAuthd: "alerts"},
		{name: "escaped password", userinfo: "night-desk:p%40ss%3Aw%2Frd", wantAuthd: "night-desk"},
		{name: "wrong password gets 535", userinfo: "alerts:wrong", wantErr: true, wantPerm: true},
		{name: "no credentials gets 502", userinfo: "", wantErr: true, wantPerm: true},
	}
	accounts := map[string]string{"alerts": "s3cret", "night-desk": "p@ss:w/rd"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{accounts: accounts}
			addr, _ := startServer(t, be, serverOptions{})
			u := "smtp://" + addr
			if tt.userinfo != "" {
				u = "smtp://" + tt.userinfo + "@" + addr
			}
			m, logs := smtpMailer(t, u)

			err := m.Send(context.Background(), Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send error = %v, want error: %v", err, tt.wantErr)
			}
			if err != nil {
				t.Logf("Send error (as expected): %v", err)
			}
			if Permanent(err) != tt.wantPerm {
				t.Errorf("Permanent(%v) = %v, want %v", err, Permanent(err), tt.wantPerm)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
			if strings.Contains(logs.String(), "s3cret") {
				t.Errorf("log shows the password: %s", logs)
			}
			got := be.received()
			if tt.wantErr {
				if len(got) != 0 {
					t.Errorf("server accepted %d messages", len(got))
				}
				return
			}
			if len(got) != 1 || got[0].user != tt.wantAuthd {
				t.Errorf("received %+v, want one message from %q", got, tt.wantAuthd)
			}
		})
	}
}

// TestSendSMTPAuthNeedsTLS proves that the password is not sent in plain
// text to a server that is not on this machine: 127.0.0.2 is loopback too,
// but not one of the names (localhost, 127.0.0.1, ::1) that count as local.
func TestSendSMTPAuthNeedsTLS(t *testing.T) {
	if l, err := net.Listen("tcp", "127.0.0.2:0"); err != nil {
		t.Skipf("cannot listen on 127.0.0.2 here: %v", err)
	} else if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	be := &backend{accounts: map[string]string{"alerts": "s3cret"}}
	addr, _ := startServer(t, be, serverOptions{host: "127.0.0.2"})
	m, _ := smtpMailer(t, "smtp://alerts:s3cret@"+addr)

	err := m.Send(context.Background(), Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"})
	if err == nil || !strings.Contains(err.Error(), "unencrypted") {
		t.Fatalf("Send error = %v, want a refusal to authenticate without TLS", err)
	}
	t.Logf("Send error (as expected): %v", err)
	be.mu.Lock()
	defer be.mu.Unlock()
	if be.authAttempts != 0 {
		t.Errorf("the server received %d AUTH attempts", be.authAttempts)
	}
}

// TestSendSMTPFaults proves that replies and network failures are sorted
// into permanent and temporary the way callers' retries need.
func TestSendSMTPFaults(t *testing.T) {
	rejecting := func(code int, enhanced smtp.EnhancedCode, text string) func(t *testing.T) string {
		return func(t *testing.T) string {
			addr, _ := startServer(t, &backend{rcptErr: &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: text}}, serverOptions{})
			return addr
		}
	}
	tests := []struct {
		name     string
		server   func(t *testing.T) string
		wantPerm bool
	}{
		{name: "RCPT rejected with 550", server: rejecting(550, smtp.EnhancedCode{5, 1, 1}, "No such user"), wantPerm: true},
		{name: "RCPT deferred with 451", server: rejecting(451, smtp.EnhancedCode{4, 3, 0}, "Try again later"), wantPerm: false},
		{name: "nothing listening", server: closedPort, wantPerm: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := smtpMailer(t, "smtp://"+tt.server(t))
			err := m.Send(context.Background(), Message{To: []string{"nobody@clinic.example"}, Subject: "Hi", Text: "Hello"})
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			t.Logf("Send error (as expected): %v", err)
			if Permanent(err) != tt.wantPerm {
				t.Errorf("Permanent(%v) = %v, want %v", err, Permanent(err), tt.wantPerm)
			}
		})
	}
}

// TestSendSMTPSilentServer proves that a server which accepts the
// connection and then never answers cannot hold Send past the caller's
// deadline, and that the deadline is what the error reports.
func TestSendSMTPSilentServer(t *testing.T) {
	m, _ := smtpMailer(t, "smtp://"+silentServer(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	err := m.Send(ctx, Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"})
	if err == nil {
		t.Fatal("Send succeeded against a silent server")
	}
	t.Logf("Send error (as expected): %v", err)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("Send error = %v (ctx: %v), want the context deadline to have stopped it", err, ctx.Err())
	}
	if Permanent(err) {
		t.Errorf("a timeout must be temporary: %v", err)
	}
}

// TestSendSMTPTLS proves that certificates are always verified: STARTTLS or
// implicit TLS with a certificate nobody vouches for fails (no silent
// fallback to plain text, also not for plain smtp:// once the server offers
// STARTTLS), a required STARTTLS that the server lacks fails, and the same
// servers work once the certificate is trusted.
func TestSendSMTPTLS(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	tests := []struct {
		name    string
		scheme  string
		opts    serverOptions
		trust   bool
		wantErr bool
	}{
		{name: "STARTTLS required, untrusted certificate", scheme: "smtp+starttls", opts: serverOptions{starttls: serverTLS}, wantErr: true},
		{name: "STARTTLS opportunistic, untrusted certificate", scheme: "smtp", opts: serverOptions{starttls: serverTLS}, wantErr: true},
		{name: "STARTTLS required, server offers none", scheme: "smtp+starttls", trust: true, wantErr: true},
		{name: "implicit TLS, untrusted certificate", scheme: "smtps", opts: serverOptions{implicitTLS: serverTLS}, wantErr: true},
		{name: "STARTTLS required, trusted certificate", scheme: "smtp+starttls", opts: serverOptions{starttls: serverTLS}, trust: true},
		{name: "STARTTLS opportunistic, trusted certificate", scheme: "smtp", opts: serverOptions{starttls: serverTLS}, trust: true},
		{name: "implicit TLS, trusted certificate", scheme: "smtps", opts: serverOptions{implicitTLS: serverTLS}, trust: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{}
			addr, _ := startServer(t, be, tt.opts)
			m, _ := smtpMailer(t, tt.scheme+"://"+addr)
			if tt.trust {
				m.smtp.tls.RootCAs = pool
			}
			err := m.Send(context.Background(), Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"})
			got := be.received()
			if tt.wantErr {
				if err == nil {
					t.Fatal("Send succeeded, want an error")
				}
				t.Logf("Send error (as expected): %v", err)
				if len(got) != 0 {
					t.Errorf("server received %d messages in the clear", len(got))
				}
				var verify *tls.CertificateVerificationError
				if tt.opts.starttls != nil || tt.opts.implicitTLS != nil {
					if !errors.As(err, &verify) {
						t.Errorf("error %v is not a certificate verification error", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if len(got) != 1 || !got[0].tls {
				t.Errorf("received %+v, want one message over TLS", got)
			}
		})
	}
}

// TestSendSMTPInvalidMessage proves that a message that can never be sent
// is refused before any connection is made.
func TestSendSMTPInvalidMessage(t *testing.T) {
	addr, l := startServer(t, &backend{}, serverOptions{})
	m, _ := smtpMailer(t, "smtp://"+addr)
	err := m.Send(context.Background(), Message{To: []string{"ben at clinic"}, Subject: "Hi", Text: "Hello"})
	if !errors.Is(err, ErrInvalidMessage) || !Permanent(err) {
		t.Errorf("Send error = %v, want a permanent ErrInvalidMessage", err)
	}
	if n := l.accepted.Load(); n != 0 {
		t.Errorf("the server was contacted %d times", n)
	}
}

func crlfToLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func mapKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
