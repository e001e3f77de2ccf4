package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ClaimOutcome says what claiming a member's digest for a period found.
type ClaimOutcome int

const (
	// ClaimFirst: no attempt had claimed the period; this one holds it.
	ClaimFirst ClaimOutcome = iota
	// ClaimRetry: an earlier attempt failed before the mail server took
	// the digest, and released it; this one holds it.
	ClaimRetry
	// ClaimTakenOver: an earlier attempt claimed the period and stopped
	// (its process died) without releasing or finishing it. It may have
	// handed the digest to the mail server before it died, so sending now
	// can deliver it twice; this one holds it.
	ClaimTakenOver
	// ClaimHeld: another attempt holds a fresh claim; leave it to that one.
	ClaimHeld
	// ClaimFinished: the period's digest was sent, found empty, or failed
	// for good.
	ClaimFinished
)

// DigestClaim is one attempt's hold on a member's digest for a period.
type DigestClaim struct {
	DeliveryID int64
	UserID     int64
	Period     string
	Token      string
	Outcome    ClaimOutcome
	// Status is the row's state when it was finished (ClaimFinished).
	Status string
	// PreviousClaimAt is when the attempt taken over claimed the period.
	PreviousClaimAt time.Time
	// UnsubscribeToken is a fresh token for the digest's unsubscribe link,
	// made in the transaction of a claim that holds.
	UnsubscribeToken string
}

// Holds says whether this attempt may build and send the digest.
func (c DigestClaim) Holds() bool {
	return c.Outcome == ClaimFirst || c.Outcome == ClaimRetry || c.Outcome == ClaimTakenOver
}

// ClaimDigest claims a member's digest for a period in one transaction,
// before anything is sent. A claim older than lease whose attempt never
// finished or released it is taken over: lease must be longer than an
// attempt can take to build and send.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, period Period, now time.Time, lease time.Duration) (DigestClaim, error) {
	now = storeTime(now)
	c := DigestClaim{UserID: userID, Period: period.Key, Token: randomClaimToken()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := claimDelivery(tx, &c, period, now, lease); err != nil {
			return err
		}
		if !c.Holds() {
			return nil
		}
		var err error
		c.UnsubscribeToken, err = insertUnsubscribeToken(tx, userID)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("claim digest %s of member %d: %w", period.Key, userID, err)
	}
	return c, nil
}

// claimDelivery inserts or takes over the delivery row and sets c's
// outcome.
func claimDelivery(tx *gorm.DB, c *DigestClaim, period Period, now time.Time, lease time.Duration) error {
	userID := c.UserID
	res := tx.Exec(`INSERT INTO digest_deliveries (user_id, period, status, claim_token, attempts, window_start, claimed_at)
			VALUES (?, ?, 'claimed', ?, 1, ?, ?) ON CONFLICT (user_id, period) DO NOTHING`,
		userID, period.Key, c.Token, period.WindowStart, now)
	if res.Error != nil {
		return res.Error
	}
	var row struct {
		ID         int64
		Status     string
		ClaimToken string
		ClaimedAt  time.Time
	}
	if err := tx.Raw(`SELECT id, status, claim_token, claimed_at FROM digest_deliveries WHERE user_id = ? AND period = ?`,
		userID, period.Key).Scan(&row).Error; err != nil {
		return err
	}
	c.DeliveryID = row.ID
	if res.RowsAffected == 1 {
		c.Outcome = ClaimFirst
		return nil
	}
	switch {
	case row.Status != DeliveryClaimed:
		c.Outcome, c.Status = ClaimFinished, row.Status
		return nil
	case row.ClaimToken != "" && row.ClaimedAt.After(now.Add(-lease)):
		c.Outcome = ClaimHeld
		return nil
	}
	res = tx.Exec(`UPDATE digest_deliveries SET claim_token = ?, claimed_at = ?, attempts = attempts + 1
			WHERE id = ? AND status = 'claimed' AND claim_token = ?`, c.Token, now, row.ID, row.ClaimToken)
	if res.Error != nil {
		return res.Error
	}
	switch {
	case res.RowsAffected == 0:
		c.Outcome = ClaimHeld // another attempt got there between the read and the write
	case row.ClaimToken == "":
		c.Outcome = ClaimRetry
	default:
		c.Outcome, c.PreviousClaimAt = ClaimTakenOver, row.ClaimedAt
	}
	return nil
}

func randomClaimToken() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(raw[:])
}

// ErrClaimLost is a claim that another attempt took over meanwhile.
var ErrClaimLost = errors.New("digest claim taken over by another attempt")

// MarkDigestSent records that the mail server took the digest.
func (s *Store) MarkDigestSent(ctx context.Context, c DigestClaim, messageID string, items int, windowEnd, now time.Time) error {
	return s.finishClaim(ctx, c, `status = 'sent', message_id = ?, items = ?, window_end = ?, sent_at = ?, error = ''`,
		messageID, items, storeTime(windowEnd), storeTime(now))
}

// MarkDigestEmpty records that there was nothing to send this period.
func (s *Store) MarkDigestEmpty(ctx context.Context, c DigestClaim, windowEnd time.Time) error {
	return s.finishClaim(ctx, c, `status = 'empty', window_end = ?, error = ''`, storeTime(windowEnd))
}

// MarkDigestFailed records a failure that retrying cannot mend, such as a
// mail server refusing the address.
func (s *Store) MarkDigestFailed(ctx context.Context, c DigestClaim, reason string) error {
	return s.finishClaim(ctx, c, `status = 'failed', error = ?`, truncateError(reason))
}

// ReleaseDigestClaim gives the claim up after a temporary failure, before
// the mail server took the digest, so the next attempt sends it.
func (s *Store) ReleaseDigestClaim(ctx context.Context, c DigestClaim, reason string) error {
	return s.finishClaim(ctx, c, `claim_token = '', error = ?`, truncateError(reason))
}

func (s *Store) finishClaim(ctx context.Context, c DigestClaim, set string, args ...any) error {
	args = append(args, c.DeliveryID, c.Token)
	res := s.db.WithContext(ctx).Exec(`UPDATE digest_deliveries SET `+set+`
		WHERE id = ? AND status = 'claimed' AND claim_token = ?`, args...)
	if res.Error != nil {
		return fmt.Errorf("record digest %s of member %d: %w", c.Period, c.UserID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("record digest %s of member %d: %w", c.Period, c.UserID, ErrClaimLost)
	}
	return nil
}

func truncateError(reason string) string {
	if len(reason) > 1000 {
		return reason[:1000]
	}
	return reason
}
