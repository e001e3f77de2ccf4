package models

import (
	"context"
	"fmt"
	"time"
)

// ReviewItem is one reported post in the review queue.
type ReviewItem struct {
	PostID     int64
	PostNumber int
	TopicID    int64
	TopicTitle string
	BoardSlug  string
	BoardTitle string
	// AuthorName is empty for an anonymous post, which the queue shows
	// by its label.
	AuthorName  string
	Anonymous   bool
	AnonymousAs string
	// Cooked is the post's HTML, for an excerpt.
	Cooked         string
	Hidden         bool
	FirstFlaggedAt time.Time
	Flags          int
	// Identifier says a member reported that the post identifies a
	// patient: the report waits for a moderator to verify it, ahead of
	// every other.
	Identifier bool
	// Reasons are the open reports' reasons, most reported first.
	Reasons []FlagReason `gorm:"-"`
}

// Byline is the author as the queue shows them: anonymous posts stay
// anonymous until a moderator reveals the author.
func (r *ReviewItem) Byline() string {
	if r.Anonymous {
		return AnonymousAuthor(r.AnonymousAs)
	}
	return r.AuthorName
}

// Urgent says members may still be reading what a report says identifies
// a patient: nothing has hidden the post yet.
func (r *ReviewItem) Urgent() bool { return r.Identifier && !r.Hidden }

// ReviewQueue lists up to limit posts with open reports: those reported as
// identifying a patient first (the ones still shown to members before the
// hidden ones), then the rest, each the longest waiting first.
func (s *Store) ReviewQueue(ctx context.Context, limit int) ([]ReviewItem, error) {
	var items []ReviewItem
	err := s.db.WithContext(ctx).Raw(`
		SELECT q.post_id, p.number AS post_number, p.topic_id, t.title AS topic_title, b.slug AS board_slug,
			b.title AS board_title, `+shownAuthor("p", "u.display_name")+` AS author_name, p.anonymous, p.anonymous_as,
			p.cooked, p.hidden_at IS NOT NULL AS hidden, first.created_at AS first_flagged_at, q.flags,
			q.identifier = 1 AS identifier
		FROM (SELECT post_id, MIN(id) AS first_id, COUNT(*) AS flags,
				MAX(CASE WHEN reason = ? THEN 1 ELSE 0 END) AS identifier
			FROM flags WHERE resolved_at IS NULL GROUP BY post_id) q
		JOIN flags first ON first.id = q.first_id
		JOIN posts p ON p.id = q.post_id
		JOIN topics t ON t.id = p.topic_id
		JOIN boards b ON b.id = t.board_id
		JOIN users u ON u.id = p.author_id
		ORDER BY q.identifier DESC, CASE WHEN q.identifier = 1 AND p.hidden_at IS NULL THEN 0 ELSE 1 END, q.first_id
		LIMIT ?`, FlagPHI, limit).Scan(&items).Error
	if err != nil {
		return nil, fmt.Errorf("list the review queue: %w", err)
	}
	if len(items) == 0 {
		return items, nil
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].PostID
	}
	var counts []struct {
		PostID int64
		Reason FlagReason
		N      int
	}
	err = s.db.WithContext(ctx).Raw(`SELECT post_id, reason, COUNT(*) AS n FROM flags
		WHERE resolved_at IS NULL AND post_id IN ? GROUP BY post_id, reason ORDER BY n DESC, reason`, ids).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count reasons in the review queue: %w", err)
	}
	byPost := make(map[int64]int, len(items))
	for i := range items {
		byPost[items[i].PostID] = i
	}
	for _, c := range counts {
		i := byPost[c.PostID]
		items[i].Reasons = append(items[i].Reasons, c.Reason)
	}
	return items, nil
}
