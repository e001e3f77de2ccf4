package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Why a move is refused. A target board that does not exist is ErrNotFound.
var (
	ErrSameBoard     = errors.New("the topic is already on that board")
	ErrBoardArchived = errors.New("the board is archived")
)

// LockTopic locks a topic against new replies, or unlocks it, and records
// who did it and why. Locking a locked topic (or unlocking an unlocked one)
// changes and records nothing.
func (s *Store) LockTopic(ctx context.Context, topicID, moderatorID int64, locked bool, reason string) error {
	action := "topic.unlock"
	if locked {
		action = "topic.lock"
	}
	return s.switchTopic(ctx, topicID, moderatorID, "locked", locked, action, reason)
}

// PinTopic keeps a topic at the top of its board, or lets it go back to its
// place by activity, and records who did it. Pinning a pinned topic (or
// unpinning an unpinned one) changes and records nothing.
func (s *Store) PinTopic(ctx context.Context, topicID, moderatorID int64, pinned bool) error {
	action := "topic.unpin"
	if pinned {
		action = "topic.pin"
	}
	return s.switchTopic(ctx, topicID, moderatorID, "pinned", pinned, action, "")
}

// switchTopic sets one of a topic's boolean columns ("locked" or "pinned",
// never user input) and audits the change. updated_at stays: feeds read it
// as when the topic's content last changed, and a lock or a pin is not that.
func (s *Store) switchTopic(ctx context.Context, topicID, moderatorID int64, column string, on bool, action, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE topics SET `+column+` = ? WHERE id = ? AND `+column+` <> ?`, on, topicID, on)
		if res.Error != nil {
			return fmt.Errorf("update topic: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return topicExists(tx, topicID) // already so: nothing to record
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: action,
			SubjectType: "topic", SubjectID: topicID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("%s topic %d: %w", action, topicID, err)
	}
	return nil
}

// topicExists is nil for a topic that exists and ErrNotFound otherwise.
func topicExists(tx *gorm.DB, topicID int64) error {
	var n int64
	if err := tx.Raw(`SELECT COUNT(*) FROM topics WHERE id = ?`, topicID).Scan(&n).Error; err != nil {
		return fmt.Errorf("load topic %d: %w", topicID, err)
	}
	if n == 0 {
		return fmt.Errorf("topic %d: %w", topicID, ErrNotFound)
	}
	return nil
}

// MoveTopic moves a topic with all its posts to another board, carrying
// the boards' counters with it, and asks search to index the whole topic
// again under its new board (whose readers may differ). The audit reason
// names both boards. Moving to the board the topic is on (ErrSameBoard), to
// an archived board (ErrBoardArchived) or to no board (ErrNotFound) changes
// and records nothing.
func (s *Store) MoveTopic(ctx context.Context, topicID, toBoardID, moderatorID int64, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var topic struct {
			BoardID  int64
			BumpedAt time.Time
		}
		res := tx.Raw(`SELECT board_id, bumped_at FROM topics WHERE id = ?`, topicID).Scan(&topic)
		if res.Error != nil {
			return fmt.Errorf("load topic: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("topic %d: %w", topicID, ErrNotFound)
		}
		var to Board
		if err := tx.Take(&to, toBoardID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load board %d", toBoardID))
		}
		if to.ID == topic.BoardID {
			return fmt.Errorf("board %q: %w", to.Slug, ErrSameBoard)
		}
		if to.Archived {
			return fmt.Errorf("board %q: %w", to.Slug, ErrBoardArchived)
		}
		var from Board
		if err := tx.Take(&from, topic.BoardID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load board %d", topic.BoardID))
		}
		// The update takes the topic's row lock, which a reply takes first
		// too: a reply either counted itself on the old board before this
		// point, or waits and counts itself on the new one. Matching the
		// board read above refuses a move that raced another move.
		if err := recountTopic(tx, topicID, func() error {
			res = tx.Exec(`UPDATE topics SET board_id = ?, updated_at = ? WHERE id = ? AND board_id = ?`,
				to.ID, now, topicID, from.ID)
			return res.Error
		}); err != nil {
			return fmt.Errorf("update topic: %w", err)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("topic %d: %w", topicID, ErrConflict)
		}
		// The boards count posts rows, tombstones included, as the writes
		// that add them do.
		var posts int64
		if err := tx.Raw(`SELECT COUNT(*) FROM posts WHERE topic_id = ?`, topicID).Scan(&posts).Error; err != nil {
			return fmt.Errorf("count posts: %w", err)
		}
		err := tx.Exec(`UPDATE boards SET topic_count = topic_count - 1, post_count = post_count - ?,
			last_post_at = (SELECT MAX(bumped_at) FROM topics WHERE board_id = ?) WHERE id = ?`,
			posts, from.ID, from.ID).Error
		if err != nil {
			return fmt.Errorf("uncount topic on board %q: %w", from.Slug, err)
		}
		err = tx.Exec(`UPDATE boards SET topic_count = topic_count + 1, post_count = post_count + ?,
			last_post_at = CASE WHEN last_post_at IS NULL OR last_post_at < ? THEN ? ELSE last_post_at END
			WHERE id = ?`, posts, topic.BumpedAt, topic.BumpedAt, to.ID).Error
		if err != nil {
			return fmt.Errorf("count topic on board %q: %w", to.Slug, err)
		}
		if err := queueSearch(tx, topicID, 0); err != nil {
			return err
		}
		why := fmt.Sprintf("from %s to %s", from.Slug, to.Slug)
		if reason != "" {
			why += ": " + reason
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "topic.move",
			SubjectType: "topic", SubjectID: topicID, Reason: why, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("move topic %d to board %d: %w", topicID, toBoardID, err)
	}
	return nil
}
