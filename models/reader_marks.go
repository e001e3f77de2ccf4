package models

import (
	"context"
	"fmt"
)

// ReaderMarks are a member's own marks on a page of a topic: the
// reactions they gave, the posts they bookmarked and their digest level on
// the topic. The topic page reads them on every request, after the part
// of the page that is the same for every reader (which may come from the
// app's cache), so they come in one prepared statement.
type ReaderMarks struct {
	Reacted    map[int64][]ReactionKind
	Bookmarked map[int64]bool
	Level      SubscriptionLevel
}

// readerMarksSQL names the page's posts by topic and number rather than by
// a list of ids, so the statement's text is the same on every page and is
// prepared once. It joins from the page's posts (posts_topic_number) to
// the member's rows by their keys; "post_id IN (SELECT ...)" would have
// SQLite build a temporary table on every run.
const readerMarksSQL = `SELECT 1, r.post_id, r.kind FROM posts p
	JOIN post_reactions r ON r.post_id = p.id AND r.user_id = ?
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
	UNION ALL
	SELECT 2, b.post_id, '' FROM posts p
	JOIN bookmarks b ON b.user_id = ? AND b.post_id = p.id
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
	UNION ALL
	SELECT 3, 0, s.level FROM subscriptions s WHERE s.user_id = ? AND s.topic_id = ?`

// ReaderMarksOn reads a member's marks on posts first to last (by number)
// of a topic.
func (s *Store) ReaderMarksOn(ctx context.Context, userID, topicID int64, first, last int) (ReaderMarks, error) {
	marks := ReaderMarks{Reacted: map[int64][]ReactionKind{}, Bookmarked: map[int64]bool{}, Level: LevelDefault}
	h, err := s.hot(ctx)
	if err != nil {
		return marks, err
	}
	rows, err := s.inTx(ctx, h.marks).QueryContext(ctx, userID, topicID, first, last, userID, topicID, first, last, userID, topicID)
	if err != nil {
		return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var what int
		var postID int64
		var value string
		if err := rows.Scan(&what, &postID, &value); err != nil {
			return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
		}
		switch what {
		case 1:
			marks.Reacted[postID] = append(marks.Reacted[postID], ReactionKind(value))
		case 2:
			marks.Bookmarked[postID] = true
		case 3:
			marks.Level = SubscriptionLevel(value)
		}
	}
	if err := rows.Err(); err != nil {
		return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
	}
	return marks, nil
}
