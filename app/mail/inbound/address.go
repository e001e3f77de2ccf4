package inbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Kind says what a reply address answers.
type Kind uint8

const (
	// KindTopic is a reply to a topic in a board.
	KindTopic Kind = 1
	// KindConsult is a message in a private consult.
	KindConsult Kind = 2
)

func (k Kind) String() string {
	switch k {
	case KindTopic:
		return "topic"
	case KindConsult:
		return "consult"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Token is what a reply address says, once its signature is checked.
type Token struct {
	Kind     Kind
	MemberID int64
	// ThreadID is the topic's id for KindTopic, the consult's for
	// KindConsult.
	ThreadID int64
	// IssuedAt is when the address was made, to the minute. A Poster can
	// refuse addresses issued before something it knows of, such as a
	// member's request to end every reply address they were sent.
	IssuedAt time.Time
}

// Errors from ParseReplyAddress. All but ErrNotReplyAddress mean the
// address looks like one of ours and cannot be trusted.
var (
	// ErrNotReplyAddress is an address of another domain, or of this
	// domain without the reply prefix.
	ErrNotReplyAddress = errors.New("not a reply address of this site")
	// ErrMalformed is a reply address whose token cannot be read.
	ErrMalformed = errors.New("reply address is malformed")
	// ErrBadSignature is a token this site did not sign (forged, or
	// signed with a secret since changed).
	ErrBadSignature = errors.New("reply address is not signed by this site")
	// ErrExpired is a genuine token older than the addresses' lifetime, or
	// issued before they were all revoked. ParseReplyAddress returns the
	// token with it.
	ErrExpired = errors.New("reply address has expired")
)

// DefaultMaxAge is how long a reply address works when AddressOptions
// says nothing: long enough to answer an old thread, short enough that an
// address in a forgotten mailbox stops working.
const DefaultMaxAge = 180 * 24 * time.Hour

// DefaultPrefix starts the local part of every reply address.
const DefaultPrefix = "reply+"

// AddressOptions tune Addresses; the zero value is fine for all but Now in
// tests.
type AddressOptions struct {
	// Prefix starts the local part; DefaultPrefix when empty. Use "reply-"
	// for a mail server that treats '+' specially.
	Prefix string
	// MaxAge is how long an address works; DefaultMaxAge when zero.
	MaxAge time.Duration
	// NotBefore revokes every address issued before it, for an operator
	// who wants all addresses in circulation to stop working without
	// changing the site's secret.
	NotBefore time.Time
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Addresses makes and reads the reply addresses of one site. It is safe
// for concurrent use.
type Addresses struct {
	key    []byte
	domain string
	opts   AddressOptions
}

// NewAddresses derives the reply addresses' own key from the site's secret,
// so that their signatures mean nothing to anything else the secret signs.
// domain is the part after the '@', such as "rounds.example.org"; mail for
// it must reach the Server.
func NewAddresses(secret []byte, domain string, opts AddressOptions) (*Addresses, error) {
	if len(secret) < 16 {
		return nil, errors.New("inbound: the site's secret is too short to sign reply addresses")
	}
	domain = normaliseDomain(domain)
	if domain == "" || strings.ContainsAny(domain, "@ <>\t\r\n") {
		return nil, fmt.Errorf("inbound: %q is not a mail domain", domain)
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	opts.Prefix = strings.ToLower(opts.Prefix)
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("rounds reply address"))
	return &Addresses{key: mac.Sum(nil), domain: domain, opts: opts}, nil
}

// Domain is the domain the addresses are at.
func (a *Addresses) Domain() string { return a.domain }

// Token layout: a format byte, the kind, then the member id, thread id and
// issue time (minutes since tokenEpoch) as unsigned varints, then the first
// macLen bytes of the HMAC-SHA256 of all that. Lower-case base32 without
// padding survives mail servers that fold the local part to one case; a
// reply address comes to about 40 characters, well under the 64 a local
// part may have.
const (
	tokenFormat = 1
	macLen      = 10 // 80 bits: guessing one by sending mail is hopeless
)

// tokenEpoch keeps the issue time short.
var tokenEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewReplyAddress is the reply address for member about thread, issued
// now.
func (a *Addresses) NewReplyAddress(kind Kind, memberID, threadID int64) string {
	issued := a.opts.Now().Sub(tokenEpoch) / time.Minute
	if issued < 0 {
		issued = 0
	}
	payload := []byte{tokenFormat, byte(kind)}
	payload = binary.AppendUvarint(payload, uint64(memberID))
	payload = binary.AppendUvarint(payload, uint64(threadID))
	payload = binary.AppendUvarint(payload, uint64(issued))
	token := tokenEncoding.EncodeToString(append(payload, a.sign(payload)...))
	return a.opts.Prefix + token + "@" + a.domain
}

// ParseReplyAddress reads a reply address, bare or as "Name <address>",
// in any mix of upper and lower case. An address of ours with a bad token
// is ErrMalformed, ErrBadSignature or ErrExpired (then with its token);
// any other address is ErrNotReplyAddress.
func (a *Addresses) ParseReplyAddress(addr string) (Token, error) {
	addr = strings.TrimSpace(addr)
	if strings.ContainsAny(addr, "<>\"") {
		parsed, err := mail.ParseAddress(addr)
		if err != nil {
			return Token{}, ErrNotReplyAddress
		}
		addr = parsed.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || normaliseDomain(addr[at+1:]) != a.domain {
		return Token{}, ErrNotReplyAddress
	}
	local := strings.ToLower(addr[:at])
	encoded, ok := strings.CutPrefix(local, a.opts.Prefix)
	if !ok {
		return Token{}, ErrNotReplyAddress
	}
	raw, err := tokenEncoding.DecodeString(encoded)
	if err != nil || len(raw) < 2+3+macLen {
		return Token{}, ErrMalformed
	}
	payload, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(mac, a.sign(payload)) {
		return Token{}, ErrBadSignature
	}
	t, err := decodePayload(payload)
	if err != nil {
		return Token{}, err
	}
	now := a.opts.Now()
	// A minute's grace either way: the issue time is rounded down, and
	// nodes' clocks differ a little.
	if t.IssuedAt.Before(a.opts.NotBefore.Add(-time.Minute)) || now.Sub(t.IssuedAt) > a.opts.MaxAge+time.Minute || t.IssuedAt.After(now.Add(time.Minute)) {
		return t, ErrExpired
	}
	return t, nil
}

func decodePayload(p []byte) (Token, error) {
	if p[0] != tokenFormat {
		return Token{}, ErrMalformed
	}
	t := Token{Kind: Kind(p[1])}
	if t.Kind != KindTopic && t.Kind != KindConsult {
		return Token{}, ErrMalformed
	}
	rest := p[2:]
	var fields [3]uint64
	for i := range fields {
		v, n := binary.Uvarint(rest)
		if n <= 0 {
			return Token{}, ErrMalformed
		}
		fields[i], rest = v, rest[n:]
	}
	const maxID = 1<<63 - 1
	if len(rest) != 0 || fields[0] == 0 || fields[0] > maxID || fields[1] == 0 || fields[1] > maxID || fields[2] > 1<<27 {
		return Token{}, ErrMalformed
	}
	t.MemberID, t.ThreadID = int64(fields[0]), int64(fields[1])
	t.IssuedAt = tokenEpoch.Add(time.Duration(fields[2]) * time.Minute)
	return t, nil
}

func (a *Addresses) sign(payload []byte) []byte {
	mac := hmac.New(sha256.New, a.key)
	mac.Write(payload)
	return mac.Sum(nil)[:macLen]
}

// ours says whether addr is at the addresses' domain, whatever its local
// part.
func (a *Addresses) ours(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	return at >= 0 && normaliseDomain(strings.Trim(addr[at+1:], "<> ")) == a.domain
}

func normaliseDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}
