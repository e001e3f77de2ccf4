package inbound

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAutomaticMessages reads real shapes of machine-sent mail and checks
// each is recognised, so that it is dropped rather than posted or answered.
func TestAutomaticMessages(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"exchange_out_of_office.eml", AutoSubmitted},
		{"postfix_bounce.eml", AutoSubmitted},
		{"vacation_no_headers.eml", AutoReply},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "automatic", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := ReadMessage(f)
			if err != nil {
				t.Fatal(err)
			}
			if m.Automatic != tt.want {
				t.Errorf("Automatic = %q, want %q", m.Automatic, tt.want)
			}
		})
	}
}

// TestAutomaticHeaders checks each header that marks mail as sent by a
// machine, alone, and the values that do not.
func TestAutomaticHeaders(t *testing.T) {
	tests := []struct {
		name    string
		headers string
		want    string
	}{
		{"a person", "Subject: Re: Out of office cover for the ward\r\n", ""},
		{"Auto-Submitted: no", "Auto-Submitted: no\r\n", ""},
		{"Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied\r\n", AutoSubmitted},
		{"Auto-Submitted with a comment", "Auto-Submitted: auto-generated (vacation)\r\n", AutoSubmitted},
		{"X-Autoreply", "X-Autoreply: yes\r\n", AutoReply},
		{"X-Autorespond", "X-Autorespond: vacation\r\n", AutoReply},
		{"Precedence: bulk", "Precedence: bulk\r\n", BulkMail},
		{"Precedence: junk", "Precedence: junk\r\n", BulkMail},
		{"Precedence: list", "Precedence: list\r\n", BulkMail},
		{"X-Precedence: auto_reply", "X-Precedence: auto_reply\r\n", BulkMail},
		{"Precedence: first-class", "Precedence: first-class\r\n", ""},
		{"List-Id", "List-Id: <cardiology.lists.example.org>\r\n", MailingList},
		{"List-Unsubscribe", "List-Unsubscribe: <https://x.example.org/u>\r\n", MailingList},
		{"null Return-Path", "Return-Path: <>\r\n", DeliveryReport},
		{"multipart/report", "Content-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n", DeliveryReport},
		{"X-Failed-Recipients", "X-Failed-Recipients: gone@example.net\r\n", DeliveryReport},
		{"postmaster", "X-From: x\r\nFrom: Postmaster <postmaster@example.net>\r\n", DeliveryReport},
		{"German out-of-office subject", "Subject: =?utf-8?q?Automatische_Antwort=3A_Re=3A_Fall?=\r\n", AutoReply},
		{"French out-of-office subject", "Subject: =?utf-8?q?R=C3=A9ponse_automatique=3A_x?=\r\n", AutoReply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.headers
			if !strings.Contains(raw, "From:") {
				raw = "From: priya@example.org\r\n" + raw
			}
			m, err := ReadMessage(strings.NewReader(raw + "\r\nbody\r\n"))
			if err != nil {
				t.Fatal(err)
			}
			if m.Automatic != tt.want {
				t.Errorf("Automatic = %q, want %q", m.Automatic, tt.want)
			}
		})
	}
}
