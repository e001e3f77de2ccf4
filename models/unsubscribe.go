package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// UnsubscribeTokenKnown says whether a digest's unsubscribe token is one
// Rounds made and still keeps, without using it.
func (s *Store) UnsubscribeTokenKnown(ctx context.Context, token string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM unsubscribe_tokens WHERE token_hash = ? AND scope = ?`,
		unsubscribeHash(strings.TrimSpace(token)), UnsubscribeScopeDigest).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("look up unsubscribe token: %w", err)
	}
	return n > 0, nil
}

// UnsubscribeScopeDigest is the only thing an unsubscribe token stops.
const UnsubscribeScopeDigest = "digest"

func unsubscribeHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateUnsubscribeToken makes the secret for one digest's unsubscribe
// link: 256 random bits, of which only the SHA-256 is kept.
func (s *Store) CreateUnsubscribeToken(ctx context.Context, userID int64) (string, error) {
	return insertUnsubscribeToken(s.db.WithContext(ctx), userID)
}

func insertUnsubscribeToken(db *gorm.DB, userID int64) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("random unsubscribe token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	err := db.Exec(`INSERT INTO unsubscribe_tokens (token_hash, user_id, scope, created_at) VALUES (?, ?, ?, ?)`,
		unsubscribeHash(token), userID, UnsubscribeScopeDigest, db.NowFunc()).Error
	if err != nil {
		return "", fmt.Errorf("create unsubscribe token for member %d: %w", userID, err)
	}
	return token, nil
}

// UnsubscribeByToken turns digests off for the member a token was made
// for, without signing in, and returns that member's id. Using a token
// again changes nothing more; an unknown token is ErrNotFound.
func (s *Store) UnsubscribeByToken(ctx context.Context, token string) (int64, error) {
	var userID int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Raw(`SELECT user_id FROM unsubscribe_tokens WHERE token_hash = ? AND scope = ?`,
			unsubscribeHash(strings.TrimSpace(token)), UnsubscribeScopeDigest).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return ErrNotFound
		}
		userID = ids[0]
		now := s.Now()
		if err := tx.Exec(`UPDATE unsubscribe_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
			now, unsubscribeHash(strings.TrimSpace(token))).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO digest_settings (user_id, frequency, updated_at) VALUES (?, 'never', ?)
			ON CONFLICT (user_id) DO UPDATE SET frequency = 'never', updated_at = excluded.updated_at`,
			userID, now).Error
	})
	if err != nil {
		return 0, fmt.Errorf("unsubscribe by token: %w", err)
	}
	return userID, nil
}

// PruneUnsubscribeTokens deletes tokens made before a moment, so the
// table does not grow by one row per digest for ever; links in digests
// older than that stop working.
func (s *Store) PruneUnsubscribeTokens(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM unsubscribe_tokens WHERE created_at < ?`, storeTime(before))
	if res.Error != nil {
		return 0, fmt.Errorf("prune unsubscribe tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}
