package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// StagingTTL is how long an upload may wait in staging: long enough to
// draw boxes over a film and write the post, short enough that an
// unredacted image does not linger.
const StagingTTL = time.Hour

// stagingPrefix holds every staged upload; nothing under it is ever
// served, whatever its key.
const stagingPrefix = "staging/"

// ErrExpired is a staged upload older than its time to live.
var ErrExpired = errors.New("the staged upload has expired")

// Staging keeps a member's uploads, as sent, while they are inspected and
// edited in the composer: the only place an unredacted upload lives. An
// upload is read back only by the member who staged it, with the ticket
// Put gave, and for at most the TTL; Sweep deletes what is older.
//
// Keys are staging/<member>/<ticket>, where the ticket is the staging time
// in Unix seconds and 128 random bits in hex: the time is read from the
// key, not from the store, so expiry follows the site's clock on every
// store and every node.
type Staging struct {
	store Store
	now   func() time.Time
	ttl   time.Duration
}

// NewStaging stages uploads in store. now is the site's clock (time.Now
// in production, a fixed clock in tests).
func NewStaging(store Store, now func() time.Time) *Staging {
	return &Staging{store: store, now: now, ttl: StagingTTL}
}

// Put stages an upload for a member and returns its ticket.
func (s *Staging) Put(ctx context.Context, member string, r io.Reader, size int64) (string, error) {
	if err := checkMember(member); err != nil {
		return "", err
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("staging ticket: %w", err)
	}
	ticket := strconv.FormatInt(s.now().Unix(), 10) + "-" + hex.EncodeToString(b[:])
	if err := s.store.Put(ctx, s.key(member, ticket), r, size); err != nil {
		return "", err
	}
	return ticket, nil
}

// Get opens a member's staged upload. Another member's ticket is
// ErrNotFound; an expired one is ErrExpired, and is deleted.
func (s *Staging) Get(ctx context.Context, member, ticket string) (io.ReadCloser, error) {
	staged, err := s.stagedAt(member, ticket)
	if err != nil {
		return nil, err
	}
	if s.expired(staged) {
		if err := s.store.Delete(ctx, s.key(member, ticket)); err != nil {
			return nil, err
		}
		return nil, ErrExpired
	}
	r, _, err := s.store.Get(ctx, s.key(member, ticket))
	return r, err
}

// Delete removes a staged upload, once it is posted or abandoned.
func (s *Staging) Delete(ctx context.Context, member, ticket string) error {
	if _, err := s.stagedAt(member, ticket); err != nil {
		return err
	}
	return s.store.Delete(ctx, s.key(member, ticket))
}

// Sweep deletes every staged upload older than the TTL, and anything
// under staging/ whose key it cannot read, and says how many went. Run it
// every few minutes on one node (or on each: deleting twice is harmless).
func (s *Staging) Sweep(ctx context.Context) (int, error) {
	list, err := s.store.List(ctx, stagingPrefix)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range list {
		rest := strings.TrimPrefix(b.Key, stagingPrefix)
		member, ticket, _ := strings.Cut(rest, "/")
		staged, err := s.stagedAt(member, ticket)
		if err == nil && !s.expired(staged) {
			continue
		}
		if err := s.store.Delete(ctx, b.Key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Staging) key(member, ticket string) string {
	return stagingPrefix + member + "/" + ticket
}

func (s *Staging) expired(staged time.Time) bool {
	return !s.now().Before(staged.Add(s.ttl))
}

// stagedAt reads the time from a ticket, refusing one that is not of the
// form Put makes.
func (s *Staging) stagedAt(member, ticket string) (time.Time, error) {
	if checkMember(member) != nil {
		return time.Time{}, ErrNotFound
	}
	secs, random, ok := strings.Cut(ticket, "-")
	n, err := strconv.ParseInt(secs, 10, 64)
	if !ok || err != nil || len(random) != 32 || strings.Trim(random, "0123456789abcdef") != "" {
		return time.Time{}, ErrNotFound
	}
	return time.Unix(n, 0), nil
}

// checkMember allows a member's ID as one key segment.
func checkMember(member string) error {
	if member == "" || strings.Contains(member, "/") || CheckKey(member) != nil {
		return fmt.Errorf("staging: %q is not a member ID", member)
	}
	return nil
}
