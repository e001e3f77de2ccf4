package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// OutboxEntry asks the search indexers to look again at a post, or at a
// whole topic when PostID is nil.
type OutboxEntry struct {
	ID        int64
	TopicID   int64
	PostID    *int64
	CreatedAt time.Time
}

// TableName keeps GORM on the migration's table.
func (OutboxEntry) TableName() string { return "search_outbox" }

// queueSearch records, inside the caller's transaction, that search must
// look again at a post (postID > 0) or at the whole topic.
func queueSearch(tx *gorm.DB, topicID, postID int64, at time.Time) error {
	e := OutboxEntry{TopicID: topicID, CreatedAt: at}
	if postID > 0 {
		e.PostID = &postID
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("queue search update for topic %d: %w", topicID, err)
	}
	return nil
}

// OutboxAfter lists up to limit entries after position, oldest first, for
// an indexer catching up.
func (s *Store) OutboxAfter(ctx context.Context, position int64, limit int) ([]OutboxEntry, error) {
	var entries []OutboxEntry
	err := s.db.WithContext(ctx).Where("id > ?", position).Order("id").Limit(limit).Find(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("read search outbox after %d: %w", position, err)
	}
	return entries, nil
}
