package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"

	"rounds/models"
)

// Unsubscribes make and read the one-click unsubscribe tokens of the
// notification emails. A token names a member and the kinds of email the
// message it came in carried, and is signed with a key derived from the
// site's secret: it is the whole authority of an unsubscribe, which needs
// neither a session nor a CSRF token (RFC 8058), and it can do nothing
// but turn those kinds off. It never expires, as the link in an old email
// should still work; changing the site's secret ends every token.
type Unsubscribes struct {
	key []byte
}

// ErrBadToken is a token this site did not sign, or cannot read.
var ErrBadToken = errors.New("not an unsubscribe token of this site")

// NewUnsubscribes derives the tokens' own key from the site's secret.
func NewUnsubscribes(secret []byte) (*Unsubscribes, error) {
	if len(secret) < 16 {
		return nil, errors.New("notify: the site's secret is too short to sign unsubscribe tokens")
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("rounds email unsubscribe"))
	return &Unsubscribes{key: mac.Sum(nil)}, nil
}

const (
	tokenFormat = 1
	tokenMACLen = 16
)

// kindBit is each email kind's bit in a token.
func kindBit(kind string) byte {
	i := slices.Index(models.EmailKinds, kind)
	if i < 0 || i > 7 {
		return 0
	}
	return 1 << i
}

// Token is the unsubscribe token for member's emails of these kinds.
func (u *Unsubscribes) Token(memberID int64, kinds []string) string {
	var bits byte
	for _, k := range kinds {
		bits |= kindBit(k)
	}
	payload := []byte{tokenFormat, bits}
	payload = binary.AppendUvarint(payload, uint64(memberID))
	return base64.RawURLEncoding.EncodeToString(append(payload, u.sign(payload)...))
}

// Parse reads a token back: the member and the kinds it stops, in
// models.EmailKinds order.
func (u *Unsubscribes) Parse(token string) (memberID int64, kinds []string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 3+tokenMACLen {
		return 0, nil, ErrBadToken
	}
	payload, mac := raw[:len(raw)-tokenMACLen], raw[len(raw)-tokenMACLen:]
	if !hmac.Equal(mac, u.sign(payload)) || payload[0] != tokenFormat {
		return 0, nil, ErrBadToken
	}
	id, n := binary.Uvarint(payload[2:])
	if n <= 0 || 2+n != len(payload) || id == 0 || id > 1<<62 {
		return 0, nil, ErrBadToken
	}
	for _, k := range models.EmailKinds {
		if payload[1]&kindBit(k) != 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return 0, nil, ErrBadToken
	}
	return int64(id), kinds, nil
}

func (u *Unsubscribes) sign(payload []byte) []byte {
	mac := hmac.New(sha256.New, u.key)
	mac.Write(payload)
	return mac.Sum(nil)[:tokenMACLen]
}
