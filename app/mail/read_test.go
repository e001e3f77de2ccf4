package mail

import (
	"context"
	"strings"
	"testing"
)

// TestParseOutboxDecodesWhatWasSent proves the outbox page shows a message
// as it was written: the long lines quoted-printable breaks with soft
// breaks are whole again, accented letters are letters, and the HTML part
// comes apart from the text part.
func TestParseOutboxDecodesWhatWasSent(t *testing.T) {
	long := strings.Repeat("Your work email is confirmed and a moderator will look at your application soon. ", 3)
	tests := []struct {
		name string
		msg  Message
	}{
		{"text only", Message{To: []string{"anna@klinikum.example"}, Subject: "Ihr Bestätigungscode",
			Text: "Grüße aus Rounds.\n\n" + long + "\n\nCode: 482913 = gültig 15 Minuten."}},
		{"text and html", Message{To: []string{"Dr. Ben Öz <ben@clinic.example>"}, Subject: "Your weekly digest",
			Text: long + "\n\nÉchocardiographie, 50–59.", HTML: `<p style="margin:0">` + long + ` <b>Échocardiographie</b></p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := outboxMailer(t)
			if err := m.Send(context.Background(), tt.msg); err != nil {
				t.Fatal(err)
			}
			entries, err := m.Outbox(1)
			if err != nil || len(entries) != 1 {
				t.Fatalf("outbox: %v, %v", entries, err)
			}
			raw, err := m.ReadOutbox(entries[0].Name)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), tt.msg.Text) {
				t.Fatalf("the file holds the text as written, so nothing here tests decoding:\n%s", raw)
			}
			got, err := ParseOutbox(raw)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimRight(got.Text, "\n") != tt.msg.Text {
				t.Errorf("text part:\n%q\nwant\n%q", got.Text, tt.msg.Text)
			}
			if strings.TrimRight(got.HTML, "\n") != tt.msg.HTML {
				t.Errorf("HTML part:\n%q\nwant\n%q", got.HTML, tt.msg.HTML)
			}
			if got.Subject != tt.msg.Subject || !strings.Contains(got.To, strings.TrimSuffix(strings.Split(tt.msg.To[0], "<")[0], " ")) {
				t.Errorf("headers: subject %q, to %q", got.Subject, got.To)
			}
			if got.From == "" || got.Date == "" {
				t.Errorf("headers: from %q, date %q", got.From, got.Date)
			}
		})
	}
}

func TestParseOutboxReadsBase64(t *testing.T) {
	raw := "From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?B?w4lsw6htZQ==?=\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nw4lsw6htZSBi\r\naWVuIGFycml2w6ku\r\n--XX\r\n" +
		"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=x.txt\r\n\r\nnot the body\r\n--XX--\r\n"
	got, err := ParseOutbox([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "Élème bien arrivé." || got.Subject != "Élème" {
		t.Errorf("got text %q, subject %q", got.Text, got.Subject)
	}
}
