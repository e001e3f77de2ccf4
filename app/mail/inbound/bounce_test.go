package inbound

import (
	"strings"
	"testing"
	"time"
)

// span returns the identifier for the first occurrence of s in text.
func span(t *testing.T, text, s, kind string) Identifier {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in %q", s, text)
	}
	return Identifier{Kind: kind, Start: i, End: i + len(s)}
}

// TestBounceListsIdentifiersWithoutRepeatingThem checks that each
// identifier is named by kind and line, among the words around it, and
// that none of them is in the bounce.
func TestBounceListsIdentifiersWithoutRepeatingThem(t *testing.T) {
	text := "Thanks all.\n\nPatient Jane Roe, SSN 078-05-1120, DOB 01/02/1950 presented with chest pain and was admitted overnight.\nCall 555-201-3344."
	ids := []Identifier{
		span(t, text, "078-05-1120", "Social Security number"), // out of order on purpose
		span(t, text, "Jane Roe", "Name"),
		span(t, text, "01/02/1950", "Date of birth"),
		span(t, text, "555-201-3344", "Phone number"),
		{Kind: "Medical record number", Start: 900, End: 910}, // offsets that do not fit
	}
	r := Reply{Token: Token{Kind: KindTopic, MemberID: 42, ThreadID: 7}, Text: text, MessageID: "m1@x.org"}
	msg := BounceMessage("member@hospital.example.org", r, Result{Refused: ReasonIdentifiers, Identifiers: ids, URL: "https://rounds.example.org/t/7"})

	for _, leaked := range []string{"Jane", "Roe", "078-05-1120", "1120", "01/02/1950", "1950", "555-201-3344", "3344"} {
		if strings.Contains(msg.Text+msg.Subject, leaked) {
			t.Errorf("the bounce repeats %q:\n%s", leaked, msg.Text)
		}
	}
	for _, want := range []string{
		`- Name, line 3: "Patient [Name], SSN [Social Security number], DOB [Date of birth]…"`,
		`- Social Security number, line 3: "Patient [Name], SSN [Social Security number], DOB [Date of birth] presented with…"`,
		`- Date of birth, line 3: "…[Name], SSN [Social Security number], DOB [Date of birth] presented with chest pain…"`,
		`- Phone number, line 4: "Call [Phone number]."`,
		"- Medical record number\n",
		"You can also reply on the site: https://rounds.example.org/t/7",
	} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the bounce lacks %q:\n%s", want, msg.Text)
		}
	}
	if msg.To[0] != "member@hospital.example.org" || msg.Subject != "Your reply was not posted" {
		t.Errorf("to %v, subject %q", msg.To, msg.Subject)
	}
	if msg.Headers["Auto-Submitted"] != "auto-replied" || msg.Headers["In-Reply-To"] != "<m1@x.org>" || msg.Headers["References"] != "<m1@x.org>" {
		t.Errorf("headers %v", msg.Headers)
	}
}

// TestBounceMasksOverlapsAndLongLists checks identifiers that overlap and
// more than a bounce lists one by one.
func TestBounceMasksOverlapsAndLongLists(t *testing.T) {
	text := "Seen at 12 Oak Street, Springfield on admission."
	ids := []Identifier{
		span(t, text, "12 Oak Street, Springfield", "Street address"),
		span(t, text, "Springfield", "City or town"),
	}
	notes := identifierNotes(text, ids)
	want := `- Street address, line 1: "Seen at [Street address] on admission."` + "\n" +
		`- City or town, line 1: "Seen at [Street address] on admission."`
	if notes != want {
		t.Errorf("overlaps:\n%s\nwant\n%s", notes, want)
	}

	var many []Identifier
	var b strings.Builder
	for i := range 13 {
		if i > 0 {
			b.WriteString(" and ")
		}
		many = append(many, Identifier{Kind: "Date", Start: b.Len(), End: b.Len() + 5})
		b.WriteString("01/02")
	}
	notes = identifierNotes(b.String(), many)
	if n := strings.Count(notes, "- Date, line 1"); n != maxBounceNotes {
		t.Errorf("%d identifiers listed, want %d", n, maxBounceNotes)
	}
	if !strings.HasSuffix(notes, "- and 3 more") {
		t.Errorf("long list ends %q", notes[len(notes)-30:])
	}
}

// TestBounceReasons checks that each reason tells the member what
// happened and what to do.
func TestBounceReasons(t *testing.T) {
	topic := Reply{Token: Token{Kind: KindTopic}, From: "someone@elsewhere.example.net"}
	consult := Reply{Token: Token{Kind: KindConsult}}
	tests := []struct {
		name string
		r    Reply
		res  Result
		want []string
	}{
		{"topic not readable", topic, Result{Refused: ReasonNotReadable}, []string{"the topic is no longer open to you"}},
		{"consult not readable", consult, Result{Refused: ReasonNotReadable}, []string{"to a consult", "the consult is no longer open to you"}},
		{"topic locked", topic, Result{Refused: ReasonClosed, URL: "https://r.example.org/t/1"}, []string{"the topic is locked", "reply on the site: https://r.example.org/t/1"}},
		{"consult closed", consult, Result{Refused: ReasonClosed}, []string{"the consult is closed to you"}},
		{"not allowed", topic, Result{Refused: ReasonNotAllowed}, []string{"cannot post there just now", "Sign in"}},
		{"rate limited", topic, Result{Refused: ReasonRateLimited, RetryAfter: 14*time.Minute + 40*time.Second}, []string{"Send it again in about 15 minutes."}},
		{"rate limited, no time", topic, Result{Refused: ReasonRateLimited}, []string{"Send it again in a little while."}},
		{"sender", topic, Result{Refused: ReasonSender}, []string{"it came from someone@elsewhere.example.net, which is not the address Rounds has for you", "nothing they send this way is posted"}},
		{"too long", topic, Result{Refused: ReasonTooLong, Limit: 32000}, []string{"longer than the 32000 characters a post may have"}},
		{"empty", topic, Result{Refused: ReasonEmpty}, []string{"found nothing to post", "above the quoted email"}},
		{"unknown", topic, Result{Refused: "frozen"}, []string{"could not post it (frozen)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := BounceMessage("m@x.org", tt.r, tt.res)
			for _, want := range tt.want {
				if !strings.Contains(msg.Text, want) {
					t.Errorf("lacks %q:\n%s", want, msg.Text)
				}
			}
			if _, ok := msg.Headers["In-Reply-To"]; ok {
				t.Error("In-Reply-To without a message ID")
			}
		})
	}
}

func TestBounceReferencesStayShort(t *testing.T) {
	var refs []string
	for i := range 30 {
		refs = append(refs, "r"+string(rune('a'+i%26))+"@x.org")
	}
	msg := BounceMessage("m@x.org", Reply{MessageID: "last@x.org", References: refs}, Result{Refused: ReasonEmpty})
	got := strings.Fields(msg.Headers["References"])
	if len(got) != 10 || got[9] != "<last@x.org>" || got[8] != "<"+refs[29]+">" {
		t.Errorf("References %v", got)
	}
}

func TestRoughDuration(t *testing.T) {
	tests := map[time.Duration]string{
		10 * time.Second: "a minute", 5 * time.Minute: "5 minutes", 89 * time.Minute: "89 minutes",
		3 * time.Hour: "3 hours", 50 * time.Hour: "2 days",
	}
	for d, want := range tests {
		if got := roughDuration(d); got != want {
			t.Errorf("roughDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
