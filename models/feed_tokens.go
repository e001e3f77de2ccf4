package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FeedToken is the secret in a member's private feed addresses. Only its
// SHA-256 is kept, so a copy of the table opens no feed; the member sees
// the token once, when it is made.
type FeedToken struct {
	ID         int64
	UserID     int64
	TokenHash  string
	CreatedAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// feedTokenTouchEvery is how stale last_used_at may get: feed readers poll
// often, and a write per poll would buy nothing.
const feedTokenTouchEvery = time.Minute

func feedTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateFeedToken gives a member a new feed token, turning off any they had
// so old addresses stop at once.
func (s *Store) CreateFeedToken(ctx context.Context, userID int64) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("random feed token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := revokeFeedTokens(tx, userID, now); err != nil {
			return err
		}
		return tx.Create(&FeedToken{UserID: userID, TokenHash: feedTokenHash(token), CreatedAt: now}).Error
	})
	if err != nil {
		return "", fmt.Errorf("create feed token for member %d: %w", userID, err)
	}
	return token, nil
}

// RevokeFeedTokens turns off every feed address of a member.
func (s *Store) RevokeFeedTokens(ctx context.Context, userID int64) error {
	if err := revokeFeedTokens(s.db.WithContext(ctx), userID, s.Now()); err != nil {
		return fmt.Errorf("revoke feed tokens of member %d: %w", userID, err)
	}
	return nil
}

func revokeFeedTokens(tx *gorm.DB, userID int64, now time.Time) error {
	return tx.Exec(`UPDATE feed_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID).Error
}

// FeedTokenUser finds the member a live feed token belongs to and notes
// that it was used. An unknown or revoked token is ErrNotFound. Whether the
// member may still read anything is the caller's to decide.
func (s *Store) FeedTokenUser(ctx context.Context, token string) (*User, error) {
	if token == "" {
		return nil, fmt.Errorf("feed token: %w", ErrNotFound)
	}
	var ft FeedToken
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", feedTokenHash(token)).Take(&ft).Error
	if err != nil {
		return nil, notFound(err, "feed token")
	}
	u, err := s.UserByID(ctx, ft.UserID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if ft.LastUsedAt == nil || now.Sub(*ft.LastUsedAt) >= feedTokenTouchEvery {
		err := s.db.WithContext(ctx).Exec(`UPDATE feed_tokens SET last_used_at = ? WHERE id = ?`, now, ft.ID).Error
		if err != nil {
			return nil, fmt.Errorf("touch feed token %d: %w", ft.ID, err)
		}
	}
	return u, nil
}

// FeedTokenStatus says whether a member has a live feed token, when it was
// made and when a feed reader last used it (nil if never).
func (s *Store) FeedTokenStatus(ctx context.Context, userID int64) (created, lastUsed *time.Time, active bool, err error) {
	var tokens []FeedToken
	err = s.db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", userID).
		Order("created_at DESC, id DESC").Limit(1).Find(&tokens).Error
	if err != nil {
		return nil, nil, false, fmt.Errorf("feed token of member %d: %w", userID, err)
	}
	if len(tokens) == 0 {
		return nil, nil, false, nil
	}
	return &tokens[0].CreatedAt, tokens[0].LastUsedAt, true, nil
}

// FeedTopic is a topic as a private feed shows it: the summary and its
// opening post's HTML, which is empty when that post is deleted. A topic
// whose opening post is hidden is not in the feed at all.
type FeedTopic struct {
	TopicSummary
	OpeningCooked    string
	OpeningUpdatedAt *time.Time
	// OpeningImages counts the opening post's images, which a feed never
	// carries: it links to the post instead.
	OpeningImages int
}

// Updated is the last change a feed reader would see in the entry.
func (t *FeedTopic) Updated() time.Time {
	if t.OpeningUpdatedAt != nil && t.OpeningUpdatedAt.After(t.UpdatedAt) {
		return *t.OpeningUpdatedAt
	}
	return t.UpdatedAt
}

// NewestTopics lists a board's most recently opened topics, pinned or not,
// newest first, for its feed.
func (s *Store) NewestTopics(ctx context.Context, boardID int64, limit int) ([]FeedTopic, error) {
	var topics []FeedTopic
	err := s.db.WithContext(ctx).Table("topics t").
		Select(topicSummaryColumns+`,
			CASE WHEN op.deleted_at IS NULL THEN op.cooked ELSE '' END AS opening_cooked,
			op.updated_at AS opening_updated_at,
			CASE WHEN op.deleted_at IS NULL THEN (SELECT COUNT(*) FROM post_images pi WHERE pi.post_id = op.id) ELSE 0 END AS opening_images`).
		Joins("JOIN users u ON u.id = t.author_id").
		Joins(openingPostJoin(s.engine)).
		Joins("JOIN boards b ON b.id = t.board_id").
		Where("t.board_id = ?", boardID).Where(openerShown).
		Order("t.created_at DESC, t.id DESC").Limit(limit).Scan(&topics).Error
	if err != nil {
		return nil, fmt.Errorf("list newest topics in board %d: %w", boardID, err)
	}
	return topics, nil
}
