package models

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SubscriptionLevel is how closely a member follows a board or a topic.
// The default (no row) lets its busiest topics into the digest; watching
// sends every new topic and reply; muting keeps it out of the digest.
type SubscriptionLevel string

const (
	LevelDefault SubscriptionLevel = ""
	LevelWatch   SubscriptionLevel = "watch"
	LevelMute    SubscriptionLevel = "mute"
)

// ErrInvalidLevel is a subscription level that is none of the three.
var ErrInvalidLevel = errors.New("subscription level must be watch, mute or default")

// Subscription is a member's watch or mute on one board or one topic.
type Subscription struct {
	ID        int64
	UserID    int64
	BoardID   *int64
	TopicID   *int64
	Level     SubscriptionLevel
	CreatedAt time.Time
}

// SetBoardLevel watches, mutes or returns a board to the default for a
// member. Setting the level a board already has changes nothing.
func (s *Store) SetBoardLevel(ctx context.Context, userID, boardID int64, level SubscriptionLevel) error {
	if err := s.setLevel(ctx, userID, "board_id", boardID, level); err != nil {
		return fmt.Errorf("set member %d's level on board %d: %w", userID, boardID, err)
	}
	return nil
}

// SetTopicLevel watches, mutes or returns a topic to the default for a
// member. A topic's own level outranks its board's.
func (s *Store) SetTopicLevel(ctx context.Context, userID, topicID int64, level SubscriptionLevel) error {
	if err := s.setLevel(ctx, userID, "topic_id", topicID, level); err != nil {
		return fmt.Errorf("set member %d's level on topic %d: %w", userID, topicID, err)
	}
	return nil
}

// setLevel upserts or deletes one row; column is board_id or topic_id,
// never a caller's string.
func (s *Store) setLevel(ctx context.Context, userID int64, column string, id int64, level SubscriptionLevel) error {
	db := s.db.WithContext(ctx)
	switch level {
	case LevelDefault:
		return db.Exec(`DELETE FROM subscriptions WHERE user_id = ? AND `+column+` = ?`, userID, id).Error
	case LevelWatch, LevelMute:
		return db.Exec(`INSERT INTO subscriptions (user_id, `+column+`, level, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, `+column+`) DO UPDATE SET level = excluded.level`,
			userID, id, string(level), s.Now()).Error
	default:
		return ErrInvalidLevel
	}
}

// BoardLevel is a member's level on a board, LevelDefault without a row.
func (s *Store) BoardLevel(ctx context.Context, userID, boardID int64) (SubscriptionLevel, error) {
	return s.level(ctx, userID, "board_id", boardID)
}

// TopicLevel is a member's own level on a topic, LevelDefault without a
// row; the board's level is not folded in.
func (s *Store) TopicLevel(ctx context.Context, userID, topicID int64) (SubscriptionLevel, error) {
	return s.level(ctx, userID, "topic_id", topicID)
}

func (s *Store) level(ctx context.Context, userID int64, column string, id int64) (SubscriptionLevel, error) {
	// Prepared once per column (listQuery): the board page asks it on
	// every view.
	rows, err := s.listQuery(ctx, `SELECT level FROM subscriptions WHERE user_id = ? AND `+column+` = ?`, userID, id)
	if err != nil {
		return LevelDefault, fmt.Errorf("read member %d's level on %s %d: %w", userID, column, id, err)
	}
	defer rows.Close()
	level := LevelDefault
	if rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return LevelDefault, fmt.Errorf("read member %d's level on %s %d: %w", userID, column, id, err)
		}
		level = SubscriptionLevel(l)
	}
	if err := rows.Err(); err != nil {
		return LevelDefault, fmt.Errorf("read member %d's level on %s %d: %w", userID, column, id, err)
	}
	return level, nil
}

// Subscriptions lists a member's watches and mutes, boards first.
func (s *Store) Subscriptions(ctx context.Context, userID int64) ([]Subscription, error) {
	var subs []Subscription
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).
		Order("board_id IS NULL, board_id, topic_id").Find(&subs).Error
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of member %d: %w", userID, err)
	}
	return subs, nil
}

// EmailPolicy is what a board lets digests carry about its topics.
type EmailPolicy string

const (
	// EmailFull sends titles and excerpts of new posts.
	EmailFull EmailPolicy = "full"
	// EmailTitles sends topic titles and counts, never post text.
	EmailTitles EmailPolicy = "titles"
	// EmailCounts sends only how many new posts the board has, for boards
	// whose cases should never sit in a mailbox.
	EmailCounts EmailPolicy = "counts"
)

// Valid says whether p is one of the three policies.
func (p EmailPolicy) Valid() bool { return p == EmailFull || p == EmailTitles || p == EmailCounts }

// BoardEmailPolicy reads what a board lets digests carry.
func (s *Store) BoardEmailPolicy(ctx context.Context, boardID int64) (EmailPolicy, error) {
	var policies []string
	if err := s.db.WithContext(ctx).Raw(`SELECT email_policy FROM boards WHERE id = ?`, boardID).Scan(&policies).Error; err != nil {
		return "", fmt.Errorf("read email policy of board %d: %w", boardID, err)
	}
	if len(policies) == 0 {
		return "", fmt.Errorf("board %d: %w", boardID, ErrNotFound)
	}
	return EmailPolicy(policies[0]), nil
}

// SetBoardEmailPolicy changes what digests may carry about a board's
// topics; it applies to the next digest built.
func (s *Store) SetBoardEmailPolicy(ctx context.Context, boardID int64, policy EmailPolicy) error {
	if !policy.Valid() {
		return fmt.Errorf("set email policy of board %d: %q is not full, titles or counts", boardID, policy)
	}
	res := s.db.WithContext(ctx).Exec(`UPDATE boards SET email_policy = ? WHERE id = ?`, string(policy), boardID)
	if res.Error != nil {
		return fmt.Errorf("set email policy of board %d: %w", boardID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("board %d: %w", boardID, ErrNotFound)
	}
	return nil
}
