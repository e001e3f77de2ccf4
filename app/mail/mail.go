// Package mail is the one mailer every part of Rounds sends through:
// work-email verification codes, moderators' decisions and, later, digests.
//
// With an SMTP URL it delivers through that server. Without one it writes
// each message as an .eml file in a folder (the data directory's "mail"
// folder), so a demo or a laptop sees exactly what would have been sent, and
// Outbox lists those files for a page that shows them to admins.
//
// Send reports failures so that callers can decide what to retry: Permanent
// tells a rejection that will never succeed (a 5xx reply, an invalid
// message) from a temporary one (a 4xx reply, a refused or dropped
// connection, a timeout). The package knows nothing about HTTP.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email. Text is required; HTML is optional, and when set the
// email is multipart/alternative with both.
type Message struct {
	To      []string // addresses; every recipient sees the others, so send one Message per member for anything personal
	Subject string
	Text    string
	HTML    string
	// Headers are extra headers, e.g. List-Unsubscribe and
	// List-Unsubscribe-Post. ASCII values are set verbatim (long ones folded
	// at spaces), others are RFC 2047 encoded; a value may not contain a line
	// break. Names may use only A-Z, a-z, 0-9 and '-', and may not replace a
	// header the mailer sets itself (From, To, Subject, ...).
	Headers map[string]string
	// MessageID, when set, is used as the Message-ID (without angle
	// brackets), so that a retried send is recognisable as the same message.
	// It must look like left@right.
	MessageID string
}

// ErrInvalidMessage wraps every error about a Message that could never be
// sent as it stands (a bad address, a header injection attempt, no text).
// Such errors are Permanent, and Send reports them without contacting the
// SMTP server or writing a file.
var ErrInvalidMessage = errors.New("invalid message")

// sendTimeout bounds one whole SMTP send, from dial to QUIT, whatever the
// caller's context allows.
const sendTimeout = 30 * time.Second

// Mailer sends Messages through SMTP, or writes them to the outbox folder
// when there is no SMTP server. It is safe for concurrent use.
type Mailer struct {
	from   *mail.Address
	domain string // of from, for generated Message-IDs
	smtp   *smtpTransport
	dir    string // outbox folder; used only without SMTP
	log    *slog.Logger
}

// New returns a mailer that sends through SMTP when smtpURL is non-nil (see
// config.Config.SMTPURL for the accepted forms), and otherwise writes each
// message as an .eml file under dir, which is created with mode 0750 if
// needed; callers pass the data directory's "mail" folder. from is the From
// address, such as "Rounds <rounds@example.org>".
func New(smtpURL *url.URL, from string, dir string, log *slog.Logger) (*Mailer, error) {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: sender %q is not an email address: %w", from, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Mailer{
		from:   addr,
		domain: addr.Address[strings.LastIndexByte(addr.Address, '@')+1:],
		log:    log,
	}
	if smtpURL != nil {
		if m.smtp, err = newSMTPTransport(smtpURL); err != nil {
			return nil, fmt.Errorf("mail: %w", err)
		}
		return m, nil
	}
	if dir == "" {
		return nil, errors.New("mail: no SMTP URL and no outbox folder given")
	}
	if err := ensureOutbox(dir); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	m.dir = dir
	return m, nil
}

// Send delivers msg, or writes it to the outbox when there is no SMTP
// server. An error may name recipients; see Permanent for whether to retry.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	built, id, err := m.build(msg)
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	mode := "smtp"
	if m.smtp != nil {
		err = m.smtp.send(ctx, built)
	} else {
		mode = "file"
		err = m.writeOutbox(built)
	}
	if err != nil {
		return fmt.Errorf("send mail %s via %s: %w", id, mode, err)
	}
	// Never the subject or the bodies: they may hold verification codes and
	// members' words.
	m.log.Info("mail sent", "to", len(msg.To), "message_id", id, "mode", mode)
	return nil
}

// reservedHeaders are set by the mailer (or mean something to delivery), so
// Message.Headers may not replace them.
var reservedHeaders = map[string]bool{
	"From": true, "Sender": true, "To": true, "Cc": true, "Bcc": true,
	"Subject": true, "Date": true, "Message-Id": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true, "Return-Path": true,
}

// build checks msg and turns it into a go-mail message, returning the
// Message-ID it carries.
func (m *Mailer) build(msg Message) (*gomail.Msg, string, error) {
	if len(msg.To) == 0 {
		return nil, "", fmt.Errorf("%w: no recipients", ErrInvalidMessage)
	}
	to := make([]*mail.Address, 0, len(msg.To))
	for _, raw := range msg.To {
		addr, err := mail.ParseAddress(raw)
		if err != nil {
			return nil, "", fmt.Errorf("%w: recipient %q is not an email address", ErrInvalidMessage, raw)
		}
		to = append(to, addr)
	}
	if hasLineBreak(msg.Subject) {
		return nil, "", fmt.Errorf("%w: subject contains a line break", ErrInvalidMessage)
	}
	if msg.Text == "" {
		return nil, "", fmt.Errorf("%w: no text body", ErrInvalidMessage)
	}
	seen := make(map[string]bool, len(msg.Headers))
	for name, value := range msg.Headers {
		canonical := textproto.CanonicalMIMEHeaderKey(name)
		if !validHeaderName(name) {
			return nil, "", fmt.Errorf("%w: header name %q may use only A-Z, a-z, 0-9 and '-'", ErrInvalidMessage, name)
		}
		if reservedHeaders[canonical] {
			return nil, "", fmt.Errorf("%w: header %s is set by the mailer", ErrInvalidMessage, name)
		}
		if seen[canonical] {
			return nil, "", fmt.Errorf("%w: header %s is given twice", ErrInvalidMessage, canonical)
		}
		seen[canonical] = true
		if hasLineBreak(value) {
			return nil, "", fmt.Errorf("%w: header %s contains a line break", ErrInvalidMessage, name)
		}
	}
	id := msg.MessageID
	if id == "" {
		id = randomToken() + "@" + m.domain
	} else if !validMessageID(id) {
		return nil, "", fmt.Errorf("%w: message ID %q is not of the form left@right", ErrInvalidMessage, id)
	}

	// go-mail's defaults are what we want: UTF-8, quoted-printable bodies,
	// RFC 2047 words for non-ASCII header values. Its User-Agent would only
	// advertise the library.
	out := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	out.FromMailAddress(m.from)
	out.ToMailAddress(to...)
	out.Subject(msg.Subject)
	out.SetDate()
	out.SetMessageIDWithValue(id)
	for name, value := range msg.Headers {
		// SetGenHeader folds long values at spaces and leaves ASCII as it is.
		out.SetGenHeader(gomail.Header(name), value)
	}
	out.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		out.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	return out, id, nil
}

// render returns the message exactly as it goes over the wire.
func render(msg *gomail.Msg) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("render message: %w", err)
	}
	return buf.Bytes(), nil
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validMessageID accepts printable ASCII without spaces or angle brackets,
// with one '@' that has something on both sides.
func validMessageID(id string) bool {
	at := strings.IndexByte(id, '@')
	if at < 1 || at == len(id)-1 || strings.Count(id, "@") != 1 || len(id) > 250 {
		return false
	}
	for _, c := range id {
		if c <= ' ' || c > '~' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// randomToken returns 128 random bits as 26 lower-case base32 characters.
func randomToken() string { return strings.ToLower(rand.Text()) }

// Permanent reports whether a Send error is permanent, so that retrying the
// same message cannot succeed: a 5xx SMTP reply (bad recipient, rejected
// message, failed authentication) or an invalid message. Temporary errors —
// a 4xx reply, a refused or dropped connection, a timeout, and also a TLS
// certificate that does not verify, which an operator can fix — are false.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidMessage) {
		return true
	}
	return hasPermanentReply(err)
}

// hasPermanentReply walks the whole error tree: go-mail's SendError does not
// unwrap to the server's reply, so errors.As alone cannot find the code.
func hasPermanentReply(err error) bool {
	switch e := err.(type) {
	case *gomail.SendError:
		if code := e.ErrorCode(); code >= 500 && code < 600 {
			return true
		}
	case *textproto.Error:
		if e.Code >= 500 && e.Code < 600 {
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			return hasPermanentReply(inner)
		}
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			if hasPermanentReply(inner) {
				return true
			}
		}
	}
	return false
}
