package inbound

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	testNow    = time.Date(2026, 3, 4, 10, 15, 30, 0, time.UTC)
)

// clock is a settable clock for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func testAddresses(t *testing.T, c *clock, opts AddressOptions) *Addresses {
	t.Helper()
	opts.Now = c.now
	a, err := NewAddresses(testSecret, "Rounds.Example.org.", opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReplyAddressRoundTrip proves that an address reads back as the token
// it was made from, whatever case and form a mail server hands it over in.
func TestReplyAddressRoundTrip(t *testing.T) {
	c := &clock{testNow}
	a := testAddresses(t, c, AddressOptions{})
	tests := []struct {
		name     string
		kind     Kind
		member   int64
		thread   int64
		transfor func(string) string
	}{
		{"topic", KindTopic, 42, 7, func(s string) string { return s }},
		{"consult", KindConsult, 3, 900001, func(s string) string { return s }},
		{"largest ids", KindTopic, 1<<63 - 1, 1<<63 - 1, func(s string) string { return s }},
		{"upper case", KindTopic, 42, 7, strings.ToUpper},
		{"with a name", KindTopic, 42, 7, func(s string) string { return `"Priya Nair" <` + s + ">" }},
		{"angle brackets", KindConsult, 5, 6, func(s string) string { return "<" + s + ">" }},
		{"domain with a dot", KindTopic, 42, 7, func(s string) string { return s + "." }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := a.NewReplyAddress(tt.kind, tt.member, tt.thread)
			local, domain, _ := strings.Cut(addr, "@")
			if domain != "rounds.example.org" || !strings.HasPrefix(local, "reply+") {
				t.Fatalf("address %q: want reply+…@rounds.example.org", addr)
			}
			if len(local) > 64 {
				t.Errorf("local part is %d characters; RFC 5321 allows 64", len(local))
			}
			if local != strings.ToLower(local) {
				t.Errorf("address %q is not all lower case", addr)
			}
			got, err := a.ParseReplyAddress(tt.transfor(addr))
			if err != nil {
				t.Fatalf("ParseReplyAddress(%q): %v", tt.transfor(addr), err)
			}
			want := Token{Kind: tt.kind, MemberID: tt.member, ThreadID: tt.thread, IssuedAt: time.Date(2026, 3, 4, 10, 15, 0, 0, time.UTC)}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestReplyAddressRefusals proves each way an address is refused, and
// which error says so.
func TestReplyAddressRefusals(t *testing.T) {
	c := &clock{testNow}
	a := testAddresses(t, c, AddressOptions{MaxAge: 30 * 24 * time.Hour})
	good := a.NewReplyAddress(KindTopic, 42, 7)
	local, _, _ := strings.Cut(good, "@")
	token := strings.TrimPrefix(local, "reply+")

	other, err := NewAddresses([]byte("another secret of enough length!!"), "rounds.example.org", AddressOptions{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	// flip changes one character of the token to another base32 letter.
	flip := func(i int) string {
		b := []byte(token)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return "reply+" + string(b) + "@rounds.example.org"
	}

	tests := []struct {
		name string
		addr string
		want error
	}{
		{"another domain", "reply+" + token + "@elsewhere.example.org", ErrNotReplyAddress},
		{"a subdomain", "reply+" + token + "@mail.rounds.example.org", ErrNotReplyAddress},
		{"no prefix", "priya@rounds.example.org", ErrNotReplyAddress},
		{"no at sign", "reply+" + token, ErrNotReplyAddress},
		{"unparseable with brackets", "<reply+" + token + "@rounds.example.org", ErrNotReplyAddress},
		{"empty token", "reply+@rounds.example.org", ErrMalformed},
		{"not base32", "reply+" + token[:10] + "!" + token[11:] + "@rounds.example.org", ErrMalformed},
		{"a digit base32 lacks", "reply+" + token[:10] + "1" + token[11:] + "@rounds.example.org", ErrMalformed},
		{"too short", "reply+" + token[:12] + "@rounds.example.org", ErrMalformed},
		{"one character changed in the payload", flip(3), ErrBadSignature},
		{"one character changed in the signature", flip(len(token) - 2), ErrBadSignature},
		{"cut short", "reply+" + token[:len(token)-4] + "@rounds.example.org", ErrBadSignature},
		{"signed with another secret", other.NewReplyAddress(KindTopic, 42, 7), ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.ParseReplyAddress(tt.addr)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseReplyAddress(%q) = %+v, %v; want %v", tt.addr, got, err, tt.want)
			}
			if got != (Token{}) {
				t.Errorf("a refused address gave a token: %+v", got)
			}
		})
	}
}

// TestReplyAddressExpiry proves that an address stops working after its
// lifetime and when every address issued before a date is revoked, and
// that the token still comes back so the member can be told.
func TestReplyAddressExpiry(t *testing.T) {
	c := &clock{testNow}
	a := testAddresses(t, c, AddressOptions{MaxAge: 30 * 24 * time.Hour})
	addr := a.NewReplyAddress(KindConsult, 9, 11)

	c.t = testNow.Add(30 * 24 * time.Hour)
	if _, err := a.ParseReplyAddress(addr); err != nil {
		t.Fatalf("on its last day: %v", err)
	}
	c.t = testNow.Add(30*24*time.Hour + 2*time.Minute)
	tok, err := a.ParseReplyAddress(addr)
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("after its lifetime: err = %v, want ErrExpired", err)
	}
	if tok.MemberID != 9 || tok.ThreadID != 11 || tok.Kind != KindConsult {
		t.Errorf("expired token = %+v, want member 9, consult 11", tok)
	}

	c.t = testNow.Add(-time.Hour)
	if _, err := a.ParseReplyAddress(addr); !errors.Is(err, ErrExpired) {
		t.Errorf("issued an hour in the future: err = %v, want ErrExpired", err)
	}

	c.t = testNow.Add(time.Hour)
	revoked := testAddresses(t, c, AddressOptions{NotBefore: testNow.Add(10 * time.Minute)})
	if _, err := revoked.ParseReplyAddress(addr); !errors.Is(err, ErrExpired) {
		t.Errorf("issued before NotBefore: err = %v, want ErrExpired", err)
	}
	if _, err := revoked.ParseReplyAddress(revoked.NewReplyAddress(KindTopic, 9, 11)); err != nil {
		t.Errorf("issued after NotBefore: %v", err)
	}
}

// TestReplyAddressPayloadChecks proves that a payload carrying a valid
// signature is still read strictly, should the format ever change.
func TestReplyAddressPayloadChecks(t *testing.T) {
	c := &clock{testNow}
	a := testAddresses(t, c, AddressOptions{})
	tests := []struct {
		name    string
		payload []byte
	}{
		{"unknown format", []byte{2, 1, 42, 7, 1, 0, 0}},
		{"unknown kind", []byte{1, 3, 42, 7, 1}},
		{"member zero", []byte{1, 1, 0, 7, 1}},
		{"thread zero", []byte{1, 1, 42, 0, 1}},
		{"trailing bytes", []byte{1, 1, 42, 7, 1, 9}},
		{"truncated varint", []byte{1, 1, 42, 7, 0x80}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := "reply+" + tokenEncoding.EncodeToString(append(tt.payload, a.sign(tt.payload)...)) + "@rounds.example.org"
			if _, err := a.ParseReplyAddress(addr); !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestNewAddressesRefusesBadSettings(t *testing.T) {
	if _, err := NewAddresses([]byte("short"), "rounds.example.org", AddressOptions{}); err == nil {
		t.Error("a short secret was accepted")
	}
	for _, domain := range []string{"", "a b.org", "x@rounds.example.org", "."} {
		if _, err := NewAddresses(testSecret, domain, AddressOptions{}); err == nil {
			t.Errorf("domain %q was accepted", domain)
		}
	}
}
