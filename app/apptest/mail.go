package apptest

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
)

// Email is one message the server wrote to its .eml outbox.
type Email struct {
	To      string
	Subject string
	Text    string // the body, decoded
}

// Outbox returns the mail the server has sent, newest first. The server
// under test has no SMTP server, so its mailer writes every message as an
// .eml file in the data directory's "mail" folder.
func (a *App) Outbox(t testing.TB) []Email {
	t.Helper()
	m := a.Site.Mailer
	entries, err := m.Outbox(0)
	if err != nil {
		t.Fatalf("list outbox: %v", err)
	}
	var out []Email
	for _, e := range entries {
		raw, err := m.ReadOutbox(e.Name)
		if err != nil {
			t.Fatalf("read %s: %v", e.Name, err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("parse %s: %v", e.Name, err)
		}
		var body io.Reader = msg.Body
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(msg.Body)
		}
		text, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("read body of %s: %v", e.Name, err)
		}
		out = append(out, Email{To: e.To, Subject: e.Subject, Text: string(text)})
	}
	return out
}
