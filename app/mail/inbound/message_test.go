package inbound

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readTestMessage reads a message in testdata, with its line endings as
// written (LF) or as they come over SMTP (CRLF).
func readTestMessage(t *testing.T, name string, crlf bool) *Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "replies", name))
	if err != nil {
		t.Fatal(err)
	}
	if crlf {
		raw = bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
	}
	m, err := ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage(%s): %v", name, err)
	}
	return m
}

// TestReadMessageReplies reads a reply from each common mail client, as
// each writes it, and checks that exactly what the member typed is left.
func TestReadMessageReplies(t *testing.T) {
	tests := []struct {
		file     string
		fromHTML bool
		want     string
	}{
		{file: "gmail.eml", want: "I would hold the hypertonic saline until you have a repeat sodium — a rise of\n" +
			"more than 8 mmol/L in 24 hours is what worries me.\n\n" +
			"- check urine osmolality\n- stop the thiazide"},
		{file: "gmail_html_only.eml", fromHTML: true, want: "Agree with the plan. We use the [NICE guidance](https://www.nice.org.uk/guidance/ng31) for midazolam dosing:\n\n" +
			"1. 2.5 mg SC PRN\n2. review after 4 hours\n\nThanks! 👩\u200d⚕️"},
		{file: "apple_iphone.eml", want: "Amiodarone for us too, but we check TFTs and LFTs at baseline.\n\nRate control first if she’s stable."},
		{file: "outlook_desktop.eml", want: "We switched to the BSPED 2021 protocol – 0.9% saline with 5% glucose once glucose is below 14. It’s made a real difference.\n\n" +
			"Happy to share our local version.\n\nSiobhán"},
		{file: "outlook_original_message.eml", want: "Thanks - the ECG was the clue. We'd repeat the troponin at 3 h.\n\nRegards,\nJürgen"},
		{file: "outlook_html.eml", fromHTML: true, want: "We audit every NEWS2 ≥ 5 with lactate > 2 & found 38% missed the hour.\n\n" +
			"See https://www.rcem.ac.uk/sepsis. Our tool is a simple table:\n\nLactate | Action\n<2 | repeat in 2 h"},
		{file: "outlook_mobile.eml", want: "Keep the allopurinol going through the flare. Colchicine 500 mcg BD."},
		{file: "thunderbird_flowed.eml", want: "We stop ibuprofen outright and recheck the level in five days; the rise is usually 20–40 %.\n\n" +
			"From experience, naproxen is no safer.\n\nCode we use in the order set:\n\n    Li level 12 h post dose\n    U&E, TSH"},
		{file: "interleaved.eml", want: "> We stop ibuprofen outright and recheck the level in five days; the rise\n> is usually 20-40 %.\n\n" +
			"Five days seems long; we recheck at 72 hours.\n\n> From experience, naproxen is no safer.\n\nAgreed. Celecoxib too."},
		{file: "french_gmail.eml", want: "Pas d’anaérobies en première intention chez nous : amoxicilline-acide clavulanique 7 jours."},
		{file: "german_outlook.eml", want: "Einverstanden. Wir nehmen den HEART-Score dazu."},
		{file: "yahoo_bottom.eml", want: "Mefloquine is what we give in the second and third trimester."},
		{file: "markdown_reply.eml", want: "> Trough-guided dosing is outdated.\n\nThis is what the 2020 consensus says, yes.\n\nOur protocol:\n\n" +
			"1. Loading dose 25 mg/kg\n2. AUC **400-600**, Bayesian software\n\n```\nAUC = dose / clearance\n```\n\nThanks,\nPriya"},
	}
	for _, tt := range tests {
		for _, crlf := range []bool{false, true} {
			name := tt.file
			if crlf {
				name += " CRLF"
			}
			t.Run(name, func(t *testing.T) {
				m := readTestMessage(t, tt.file, crlf)
				if m.Reply != tt.want {
					t.Errorf("reply:\n%s\n--- want:\n%s\n--- body was:\n%s", m.Reply, tt.want, m.Body)
				}
				if m.FromHTML != tt.fromHTML {
					t.Errorf("FromHTML = %v, want %v", m.FromHTML, tt.fromHTML)
				}
				if m.Automatic != "" {
					t.Errorf("a person's reply was taken for automatic mail: %s", m.Automatic)
				}
			})
		}
	}
}

// TestReadMessageHeaders checks the headers a Poster needs: who sent it,
// decoded, and the IDs that thread it.
func TestReadMessageHeaders(t *testing.T) {
	m := readTestMessage(t, "apple_iphone.eml", true)
	want := Message{
		From:       "dr.okafor@icloud.com",
		FromName:   "Chidi Okafor",
		Subject:    "Re: [Rounds] Post-op AF after CABG",
		Date:       time.Date(2026, 3, 4, 18, 21, 44, 0, time.UTC),
		MessageID:  "6A2F9C1B-0D8E-4F47-8C1A-2B3D4E5F6A7B@icloud.com",
		InReplyTo:  []string{"topic-12-post-88@rounds.example.org"},
		References: []string{"topic-12@rounds.example.org", "topic-12-post-88@rounds.example.org"},
	}
	got := *m
	got.Body, got.Reply = "", ""
	if !got.Date.Equal(want.Date) {
		t.Errorf("Date = %v, want %v", got.Date, want.Date)
	}
	got.Date = want.Date
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	fr := readTestMessage(t, "french_gmail.eml", false)
	if fr.FromName != "Hélène Martin" || fr.Subject != "Re: [Rounds] Pneumopathie d'inhalation" {
		t.Errorf("encoded words: name %q, subject %q", fr.FromName, fr.Subject)
	}
	de := readTestMessage(t, "outlook_original_message.eml", false)
	if de.FromName != "Jürgen Weiß" || de.MessageID != "000001dab1c2$3e4f5a60$bae80f20$@klinikum.example.de" {
		t.Errorf("Latin-1 name %q, message ID %q", de.FromName, de.MessageID)
	}
}

// TestReadMessageStructure covers the MIME shapes and encodings a reply
// can come in, built small so each says what it tests.
func TestReadMessageStructure(t *testing.T) {
	const head = "From: a@example.org\r\nTo: reply+x@rounds.example.org\r\nSubject: Re: x\r\nMIME-Version: 1.0\r\n"
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"no Content-Type is plain ASCII text", "From: a@example.org\r\n\r\nJust text.\r\n", "Just text."},
		{"undeclared 8-bit is Windows-1252", head + "Content-Type: text/plain\r\n\r\nIt\x92s 5\xb0C.\r\n", "It’s 5°C."},
		{"ISO-8859-15", head + "Content-Type: text/plain; charset=iso-8859-15\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCo=FBt: 20 =A4\r\n", "Coût: 20 €"},
		{"Shift JIS", head + "Content-Type: text/plain; charset=Shift_JIS\r\n\r\n\x93\xfa\x96\x7b\r\n", "日本"},
		{"UTF-16 in base64", head + "Content-Type: text/plain; charset=utf-16le\r\nContent-Transfer-Encoding: base64\r\n\r\nSABpAA==\r\n", "Hi"},
		{"base64 without padding, with spaces", head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nU3RhcnQg \r\nYXNwaXJp bg\r\n", "Start aspirin"},
		{"unknown charset, valid UTF-8", head + "Content-Type: text/plain; charset=x-unknown\r\n\r\nnaïve\r\n", "naïve"},
		{"invalid UTF-8 declared as UTF-8", head + "Content-Type: text/plain; charset=utf-8\r\n\r\nok \xff here\r\n", "ok \uFFFD here"},
		{"control characters go", head + "Content-Type: text/plain\r\n\r\nline\x00one\x07\r\nline two\x0c\r\n", "lineone\nline two"},
		{"first plain part of mixed, attachment skipped", head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
			"Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nATTACHED\r\n--b\r\n" +
			"Content-Type: text/plain\r\n\r\nThe reply.\r\n--b--\r\n", "The reply."},
		{"attached message skipped", head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
			"Content-Type: message/rfc822\r\n\r\nSubject: old\r\n\r\nOLD TEXT\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>New <b>text</b></p>\r\n--b--\r\n", "New text"},
		{"plain inside related inside alternative", head + "Content-Type: multipart/alternative; boundary=o\r\n\r\n--o\r\n" +
			"Content-Type: multipart/related; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nInner plain.\r\n--i--\r\n--o\r\n" +
			"Content-Type: text/html\r\n\r\n<p>HTML</p>\r\n--o--\r\n", "Inner plain."},
		{"empty plain part falls back to HTML", head + "Content-Type: multipart/alternative; boundary=o\r\n\r\n--o\r\n" +
			"Content-Type: text/plain\r\n\r\n \r\n--o\r\nContent-Type: text/html\r\n\r\n<p>From HTML</p>\r\n--o--\r\n", "From HTML"},
		{"format=flowed with DelSp", head + "Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\nRe-check pota \r\nssium at 6 h.\r\n", "Re-check potassium at 6 h."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ReadMessage(strings.NewReader(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.Reply != tt.want {
				t.Errorf("reply %q, want %q", m.Reply, tt.want)
			}
		})
	}
}

// TestReadMessageRefusesTheUnreadable checks that a message Rounds cannot
// take apart is an error, not an empty reply.
func TestReadMessageRefusesTheUnreadable(t *testing.T) {
	tests := map[string]string{
		"no header end":                  "From a@example.org",
		"multipart without a boundary":   "From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n",
		"base64 that is not":             "From: a@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n",
		"multipart with no parts at all": "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\nno boundary here\r\n",
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			m, err := ReadMessage(strings.NewReader(raw))
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("got %+v, %v; want ErrUnreadable", m, err)
			}
		})
	}
}

// TestReadMessageLimitsNesting checks that a deeply nested message is
// refused rather than followed down.
func TestReadMessageLimitsNesting(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 1; i <= 20; i++ {
		b.WriteString("--b" + strconv.Itoa(i-1) + "\r\nContent-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\r\n\r\n")
	}
	b.WriteString("--b20\r\nContent-Type: text/plain\r\n\r\ndeep\r\n")
	if _, err := ReadMessage(strings.NewReader(b.String())); !errors.Is(err, ErrUnreadable) {
		t.Errorf("err = %v, want ErrUnreadable", err)
	}
}
