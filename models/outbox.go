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
func queueSearch(tx *gorm.DB, topicID, postID int64) error {
	return queueSearchEntry(tx, topicID, postID, true)
}

// queueNewReply records that search must index a reply just written in
// the caller's transaction. A new post cannot be its topic's answer yet,
// so it skips queueSearch's look at the topic's answer.
func queueNewReply(tx *gorm.DB, topicID, postID int64) error {
	return queueSearchEntry(tx, topicID, postID, false)
}

func queueSearchEntry(tx *gorm.DB, topicID, postID int64, mayBeAnswer bool) error {
	e := OutboxEntry{TopicID: topicID, CreatedAt: outboxTime()}
	if postID > 0 && mayBeAnswer {
		// Every post of a topic carries whether the topic is answered: a
		// change to the answer (hidden, deleted) changes them all.
		var answers int64
		if err := tx.Raw(`SELECT COUNT(*) FROM topics WHERE id = ? AND answer_post_id = ?`, topicID, postID).
			Scan(&answers).Error; err != nil {
			return fmt.Errorf("queue search update for topic %d: %w", topicID, err)
		}
		if answers > 0 {
			postID = 0
		}
	}
	if postID > 0 {
		e.PostID = &postID
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("queue search update for topic %d: %w", topicID, err)
	}
	return nil
}

// queuePost asks search to look again at a post that changed: at the
// whole topic when it is the opening post, which carries the topic's
// title and tags, and whose replies are hidden and shown with it.
func queuePost(tx *gorm.DB, post *Post) error {
	if post.Number == 1 {
		return queueSearch(tx, post.TopicID, 0)
	}
	return queueSearch(tx, post.TopicID, post.ID)
}

// outboxTime stamps an outbox entry with the real time, not the site's
// clock: the indexers measure by it how long a transaction may still be
// in flight, and how long entries are kept.
func outboxTime() time.Time { return storeTime(time.Now()) }

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

// OutboxOldest is the id of the oldest entry still kept, 0 when none is.
func (s *Store) OutboxOldest(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.WithContext(ctx).Raw(`SELECT COALESCE(MIN(id), 0) FROM search_outbox`).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("read oldest search outbox entry: %w", err)
	}
	return id, nil
}

// OutboxPositionBefore is the id of the newest entry written before t, 0
// when none was. A rebuild starts its index there: entries written since,
// committed or not yet, are applied again by the indexer.
func (s *Store) OutboxPositionBefore(ctx context.Context, t time.Time) (int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT id FROM search_outbox WHERE created_at < ? ORDER BY id DESC LIMIT 1`,
		storeTime(t)).Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("read search outbox position: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// OutboxContiguousAfter is the last id of the unbroken run of committed
// entries that follows floor: floor itself when the entry after it is not
// there (not committed yet, or rolled back). Every entry up to the id it
// returns was committed before it was called, so whatever those entries
// changed is in the database for anyone who reads it afterwards.
func (s *Store) OutboxContiguousAfter(ctx context.Context, floor int64) (int64, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id FROM search_outbox WHERE id > ? ORDER BY id`, floor).Rows()
	if err != nil {
		return 0, fmt.Errorf("read search outbox after %d: %w", floor, err)
	}
	defer rows.Close()
	position := floor
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("read search outbox after %d: %w", floor, err)
		}
		if id != position+1 {
			break
		}
		position = id
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read search outbox after %d: %w", floor, err)
	}
	return position, nil
}

// PruneOutbox deletes entries written before t, keeping the newest entry
// so that ids keep growing on engines that reuse the largest free id.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM search_outbox WHERE created_at < ?
		AND id < (SELECT MAX(id) FROM search_outbox)`, storeTime(before))
	if res.Error != nil {
		return 0, fmt.Errorf("prune search outbox: %w", res.Error)
	}
	return res.RowsAffected, nil
}
