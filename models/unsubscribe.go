package models

import (
	"context"
	"fmt"
	"strings"
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
