package models

import (
	"context"
	"fmt"
	"time"
)

// ReaderMarks are a member's own state on a page of a topic: the
// reactions they gave, the posts they bookmarked, their digest level on the
// topic, how far they have read it and their draft of a reply to it. The
// topic page reads them on every request, after the part of the page that
// is the same for every reader (which may come from the app's cache), so
// they come in one prepared statement: one round trip on PostgreSQL.
type ReaderMarks struct {
	// Reacted and Bookmarked are by post id; nil when the member has none
	// on the page (most pages), which reads as empty.
	Reacted    map[int64][]ReactionKind
	Bookmarked map[int64]bool
	Level      SubscriptionLevel
	// LastRead is the highest post number they read, as stored (0 for
	// none); the app adds what it has not written yet.
	LastRead int
	// ReplyDraft is their draft of a reply to the topic, nil for none;
	// only its place, fields and UpdatedAt are read.
	ReplyDraft *Draft
}

// readerMarksSQL names the page's posts by topic and number rather than by
// a list of ids, so the statement's text is the same on every page and is
// prepared once. It joins from the page's posts (posts_topic_number) to
// the member's rows by their keys; "post_id IN (SELECT ...)" would have
// SQLite build a temporary table on every run. The position and the draft
// are read by their primary and unique keys.
func readerMarksSQL(engine Engine) string {
	return `SELECT 1, r.post_id, r.kind FROM posts p
	JOIN post_reactions r ON r.post_id = p.id AND r.user_id = ?
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
	UNION ALL
	SELECT 2, b.post_id, '' FROM posts p
	JOIN bookmarks b ON b.user_id = ? AND b.post_id = p.id
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
	UNION ALL
	SELECT 3, 0, s.level FROM subscriptions s WHERE s.user_id = ? AND s.topic_id = ?
	UNION ALL
	SELECT 4, t.last_read, '' FROM topic_reads t WHERE t.user_id = ? AND t.topic_id = ?
	UNION ALL
	SELECT 5, ` + epochSQL(engine, "d.updated_at") + `, d.fields FROM drafts d
	WHERE d.user_id = ? AND d.place_kind = '` + string(DraftReply) + `' AND d.place_id = ?`
}

// ReaderMarksOn reads a member's marks on posts first to last (by number)
// of a topic, their position in it and their draft of a reply to it.
func (s *Store) ReaderMarksOn(ctx context.Context, userID, topicID int64, first, last int) (ReaderMarks, error) {
	marks := ReaderMarks{Level: LevelDefault}
	h, err := s.hot(ctx)
	if err != nil {
		return marks, err
	}
	rows, err := s.inTx(ctx, h.marks).QueryContext(ctx, readerMarksArgs(userID, topicID, first, last)...)
	if err != nil {
		return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
	}
	defer rows.Close()
	return scanReaderMarks(rows, userID, topicID)
}

// readerMarksArgs are readerMarksSQL's arguments.
func readerMarksArgs(userID, topicID int64, first, last int) []any {
	return []any{userID, topicID, first, last, userID, topicID, first, last, userID, topicID, userID, topicID, userID, topicID}
}

// scanReaderMarks reads readerMarksSQL's rows.
func scanReaderMarks(rows resultRows, userID, topicID int64) (ReaderMarks, error) {
	marks := ReaderMarks{Level: LevelDefault}
	// Kept across rows, with one list of destinations, as in
	// scanPostsInTopic.
	var what int
	var n int64
	var value string
	dest := []any{&what, &n, &value}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
		}
		switch what {
		case 1:
			if marks.Reacted == nil {
				marks.Reacted = map[int64][]ReactionKind{}
			}
			marks.Reacted[n] = append(marks.Reacted[n], ReactionKind(value))
		case 2:
			if marks.Bookmarked == nil {
				marks.Bookmarked = map[int64]bool{}
			}
			marks.Bookmarked[n] = true
		case 3:
			marks.Level = SubscriptionLevel(value)
		case 4:
			marks.LastRead = int(n)
		case 5:
			marks.ReplyDraft = &Draft{UserID: userID, PlaceKind: DraftReply, PlaceID: topicID, Fields: value,
				UpdatedAt: time.Unix(n, 0).UTC()}
		}
	}
	if err := rows.Err(); err != nil {
		return marks, fmt.Errorf("read member %d's marks on topic %d: %w", userID, topicID, err)
	}
	return marks, nil
}
