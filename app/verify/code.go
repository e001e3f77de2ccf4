package verify

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Limits on work-email codes: short-lived, few per hour, few guesses each,
// so that six digits are enough.
const (
	CodeTTL         = 15 * time.Minute
	CodeMaxAttempts = 5
)

// NewCode returns six random digits.
func NewCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("generate code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// HashCode is what the store keeps of a code: bound to the member, so a
// copy of the table is no list of six-digit hashes to look up once.
func HashCode(userID int64, code string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(userID, 10) + ":" + code))
	return hex.EncodeToString(sum[:])
}

// CodeMatcher compares an entered code, spaces ignored, with a stored hash
// in constant time.
func CodeMatcher(userID int64, entered string) func(hash string) bool {
	entered = strings.Join(strings.Fields(entered), "")
	return func(hash string) bool {
		return subtle.ConstantTimeCompare([]byte(HashCode(userID, entered)), []byte(hash)) == 1
	}
}
