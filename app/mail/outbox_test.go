package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outboxMailer returns a mailer without SMTP whose outbox is a folder that
// does not exist yet, so New has to create it.
func outboxMailer(t *testing.T) (*Mailer, string, *logBuffer) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data", "mail")
	logs := &logBuffer{}
	m, err := New(nil, testFrom, dir, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m, dir, logs
}

// TestOutbox proves that without SMTP each message becomes one private .eml
// file holding the full message, that Outbox lists them newest first with
// decoded To and Subject, and that ReadOutbox returns a listed file.
func TestOutbox(t *testing.T) {
	m, dir, logs := outboxMailer(t)
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o750 {
		t.Fatalf("outbox folder: %v, %v; want mode 0750", info.Mode(), err)
	}

	sent := []Message{
		{To: []string{"anna@klinikum.example"}, Subject: "first", Text: "one"},
		{To: []string{"Dr. Ben Öz <ben@clinic.example>"}, Subject: "Bestätigung – code 123456", Text: "Ihr Code: 123456", HTML: "<p>Ihr Code: <b>123456</b></p>", MessageID: "verify-1@rounds.example.org"},
		{To: []string{"cara@clinic.example", "dev@clinic.example"}, Subject: "third", Text: "three"},
	}
	for _, msg := range sent {
		if err := m.Send(context.Background(), msg); err != nil {
			t.Fatalf("Send(%q): %v", msg.Subject, err)
		}
	}

	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(sent) {
		t.Fatalf("outbox holds %d files, want %d (no temporary files left behind)", len(files), len(sent))
	}
	for _, f := range files {
		info, err := f.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o640 || !outboxName.MatchString(f.Name()) {
			t.Errorf("file %s has mode %v, want a name like 20261125T181500.123456Z-x.eml and mode 0640", f.Name(), info.Mode())
		}
	}

	entries, err := m.Outbox(0)
	if err != nil {
		t.Fatalf("Outbox: %v", err)
	}
	if len(entries) != len(sent) {
		t.Fatalf("Outbox listed %d, want %d", len(entries), len(sent))
	}
	wantTo := []string{"cara@clinic.example, dev@clinic.example", `"Dr. Ben Öz" <ben@clinic.example>`, `<anna@klinikum.example>`}
	for i, e := range entries {
		msg := sent[len(sent)-1-i] // newest first
		if e.Subject != msg.Subject {
			t.Errorf("entry %d Subject = %q, want %q", i, e.Subject, msg.Subject)
		}
		if !sameAddresses(e.To, wantTo[i]) {
			t.Errorf("entry %d To = %q, want %q", i, e.To, wantTo[i])
		}
		if e.Path != filepath.Join(dir, e.Name) || e.Time.IsZero() {
			t.Errorf("entry %d = %+v, want Path in %s and a Time", i, e, dir)
		}
		if i > 0 && !e.Time.Before(entries[i-1].Time) {
			t.Errorf("entry %d (%s) is not older than entry %d (%s)", i, e.Time, i-1, entries[i-1].Time)
		}
	}

	if two, err := m.Outbox(2); err != nil || len(two) != 2 || two[0].Name != entries[0].Name {
		t.Errorf("Outbox(2) = %v, %v; want the newest two", two, err)
	}

	raw, err := m.ReadOutbox(entries[1].Name)
	if err != nil {
		t.Fatalf("ReadOutbox: %v", err)
	}
	onDisk, err := os.ReadFile(entries[1].Path)
	if err != nil || !bytes.Equal(raw, onDisk) {
		t.Fatalf("ReadOutbox returned something else than the file (%v)", err)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the .eml does not parse: %v", err)
	}
	if id := parsed.Header.Get("Message-Id"); id != "<verify-1@rounds.example.org>" {
		t.Errorf("Message-ID = %q", id)
	}
	if ct, _, err := mime.ParseMediaType(parsed.Header.Get("Content-Type")); err != nil || ct != "multipart/alternative" {
		t.Errorf("Content-Type = %q, want multipart/alternative", parsed.Header.Get("Content-Type"))
	}
	if !strings.Contains(string(raw), "\r\n\r\n") {
		t.Error("the .eml does not use CRLF line ends as on the wire")
	}
	if n := strings.Count(logs.String(), "mode=file"); n != len(sent) {
		t.Errorf("logged %d sends in file mode, want %d:\n%s", n, len(sent), logs)
	}
}

func sameAddresses(got, want string) bool {
	g, err1 := mail.ParseAddressList(got)
	w, err2 := mail.ParseAddressList(want)
	if err1 != nil || err2 != nil || len(g) != len(w) {
		return false
	}
	for i := range g {
		if *g[i] != *w[i] {
			return false
		}
	}
	return true
}

// TestReadOutboxRefuses proves that ReadOutbox reads nothing but the
// outbox's own messages: no path traversal, no other files in the folder,
// no symlinks out of it.
func TestReadOutboxRefuses(t *testing.T) {
	m, dir, _ := outboxMailer(t)
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("not for the outbox"), 0o600); err != nil {
		t.Fatal(err)
	}
	const link = "20260101T000000.000000Z-link.eml"
	if err := os.Symlink(secret, filepath.Join(dir, link)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.eml"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		file        string
		notInOutbox bool // the error must be ErrNotInOutbox
	}{
		{"parent directory", "../etc/passwd", true},
		{"absolute path", "/etc/passwd", true},
		{"dot-dot in a valid-looking name", "20260101T000000.000000Z-..eml", true},
		{"slash in a valid-looking name", "20260101T000000.000000Z-a/b.eml", true},
		{"empty", "", true},
		{"another file in the folder", "notes.eml", true},
		{"a name that was never written", "20260101T000000.000000Z-nothere.eml", true},
		{"a symlink leading out", link, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := m.ReadOutbox(tt.file)
			if err == nil {
				t.Fatalf("ReadOutbox(%q) returned %q", tt.file, raw)
			}
			if tt.notInOutbox && !errors.Is(err, ErrNotInOutbox) {
				t.Errorf("ReadOutbox(%q) error = %v, want ErrNotInOutbox", tt.file, err)
			}
		})
	}

	entries, err := m.Outbox(0)
	if err != nil || len(entries) != 0 {
		t.Errorf("Outbox = %v, %v; want nothing listed from a symlink or a stray file", entries, err)
	}
}

// TestSendRefusesInvalid proves that a message that could smuggle headers
// (a line break in the subject or in an extra header, a header name that is
// not a name) or that is otherwise unsendable is refused, permanently, and
// that nothing is written.
func TestSendRefusesInvalid(t *testing.T) {
	valid := func(change func(*Message)) Message {
		msg := Message{To: []string{"ben@clinic.example"}, Subject: "Hi", Text: "Hello"}
		change(&msg)
		return msg
	}
	tests := []struct {
		name string
		msg  Message
	}{
		{"CRLF in subject", valid(func(m *Message) { m.Subject = "Hi\r\nBcc: x@y" })},
		{"LF in subject", valid(func(m *Message) { m.Subject = "Hi\nBcc: x@y" })},
		{"CRLF in header value", valid(func(m *Message) {
			m.Headers = map[string]string{"List-Unsubscribe": "<https://rounds.example.org/u>\r\nBcc: x@y"}
		})},
		{"CRLF in header name", valid(func(m *Message) { m.Headers = map[string]string{"X-Note\r\nBcc": "x@y"} })},
		{"space in header name", valid(func(m *Message) { m.Headers = map[string]string{"List Unsubscribe": "x"} })},
		{"colon in header name", valid(func(m *Message) { m.Headers = map[string]string{"Bcc:": "x@y"} })},
		{"header the mailer sets", valid(func(m *Message) { m.Headers = map[string]string{"bcc": "x@y"} })},
		{"same header twice", valid(func(m *Message) {
			m.Headers = map[string]string{"List-Unsubscribe": "<a>", "list-unsubscribe": "<b>"}
		})},
		{"recipient with CRLF", valid(func(m *Message) { m.To = []string{"ben@clinic.example\r\nBcc: x@y"} })},
		{"recipient not an address", valid(func(m *Message) { m.To = []string{"ben at clinic"} })},
		{"no recipients", valid(func(m *Message) { m.To = nil })},
		{"no text", valid(func(m *Message) { m.Text = "" })},
		{"message ID with brackets", valid(func(m *Message) { m.MessageID = "<a@b>" })},
		{"message ID without @", valid(func(m *Message) { m.MessageID = "abc" })},
		{"message ID with CRLF", valid(func(m *Message) { m.MessageID = "a@b\r\nBcc: x@y" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, dir, _ := outboxMailer(t)
			err := m.Send(context.Background(), tt.msg)
			if !errors.Is(err, ErrInvalidMessage) || !Permanent(err) {
				t.Errorf("Send error = %v, want a permanent ErrInvalidMessage", err)
			}
			if files, err := os.ReadDir(dir); err != nil || len(files) != 0 {
				t.Errorf("outbox holds %d files (%v), want none", len(files), err)
			}
		})
	}
}
