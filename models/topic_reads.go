package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A ReadPosition is how far a member has read a topic: the highest post
// number that came into view, and when.
type ReadPosition struct {
	UserID  int64
	TopicID int64
	Number  int
	At      time.Time
}

// maxPositionsPerStatement keeps one upsert's parameters (four a row)
// well under SQLite's and PostgreSQL's limits.
const maxPositionsPerStatement = 1000

// RecordReadPositions writes many reading positions at once, each only
// moving forward: a position behind the one stored changes nothing.
// Positions of topics that no longer exist (purged since they were read)
// are dropped. These writes record reading, not anything a member has,
// so they leave the read caches as they are.
func (s *Store) RecordReadPositions(ctx context.Context, positions []ReadPosition) error {
	if len(positions) == 0 {
		return nil
	}
	ctx = keepCaches(ctx)
	db := s.db.WithContext(ctx)
	ids := make([]int64, 0, len(positions))
	for _, p := range positions {
		ids = append(ids, p.TopicID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	exists := make(map[int64]bool, len(ids))
	for chunk := range slices.Chunk(ids, maxBoundIDs) {
		var found []int64
		if err := db.Raw(`SELECT id FROM topics WHERE id IN ?`, chunk).Scan(&found).Error; err != nil {
			return fmt.Errorf("record reading positions: %w", err)
		}
		for _, id := range found {
			exists[id] = true
		}
	}
	// One row per member and topic, the furthest: PostgreSQL refuses an
	// upsert that would change the same row twice.
	type key struct{ user, topic int64 }
	at := map[key]int{}
	kept := positions[:0:0]
	for _, p := range positions {
		if !exists[p.TopicID] || p.Number <= 0 {
			continue
		}
		k := key{p.UserID, p.TopicID}
		if i, ok := at[k]; ok {
			if p.Number > kept[i].Number {
				kept[i] = p
			}
			continue
		}
		at[k] = len(kept)
		kept = append(kept, p)
	}
	for chunk := range slices.Chunk(kept, maxPositionsPerStatement) {
		var sql strings.Builder
		args := make([]any, 0, len(chunk)*4)
		sql.WriteString(`INSERT INTO topic_reads (user_id, topic_id, last_read, read_at) VALUES `)
		for i, p := range chunk {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString("(?, ?, ?, ?)")
			args = append(args, p.UserID, p.TopicID, p.Number, p.At)
		}
		sql.WriteString(` ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read = excluded.last_read, read_at = excluded.read_at
			WHERE excluded.last_read > topic_reads.last_read`)
		if err := db.Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("record %d reading positions: %w", len(chunk), err)
		}
	}
	return nil
}

// lastReadSQL is LastRead's prepared statement (see hotQueries): the
// topic page marks the first post its member has not read.
const lastReadSQL = `SELECT last_read FROM topic_reads WHERE user_id = ? AND topic_id = ?`

// LastRead is the highest post number of a topic the member has read, 0
// when they never opened it.
func (s *Store) LastRead(ctx context.Context, userID, topicID int64) (int, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.inTx(ctx, h.read).QueryRowContext(ctx, userID, topicID).Scan(&n)
	if errors.Is(err, errNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load reading position of member %d in topic %d: %w", userID, topicID, err)
	}
	return n, nil
}

// positionSlots is how many topics one run of positionsAmongSQL asks
// about: a list page's topics (thirty and the pinned ones) in one run, the
// unused slots given topic id 0, which no topic has.
const positionSlots = 32

// positionsAmongSQL is ReadPositionsAmong's statement, prepared once (see
// hotQueries.list): its text is the same whatever the number of topics.
// It is one lookup by primary key per slot rather than topic_id IN (…),
// for which SQLite builds a temporary index on every run.
var positionsAmongSQL = strings.Repeat(`SELECT topic_id, last_read FROM topic_reads WHERE user_id = ? AND topic_id = ?
	UNION ALL `, positionSlots-1) + `SELECT topic_id, last_read FROM topic_reads WHERE user_id = ? AND topic_id = ?`

// positionsAmongArraySQL is ReadPositionsAmong's statement on PostgreSQL:
// one index scan over an array of topic ids, which PostgreSQL plans at a
// small part of the cost of planning positionsAmongSQL's thirty-two scans.
const positionsAmongArraySQL = `SELECT topic_id, last_read FROM topic_reads WHERE user_id = ? AND topic_id = ANY(?)`

// ReadPositionsAmong returns the member's positions in those of the topics
// they have opened, by topic.
func (s *Store) ReadPositionsAmong(ctx context.Context, userID int64, topicIDs []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(topicIDs))
	if s.engine == Postgres {
		if err := s.readPositions(ctx, out, positionsAmongArraySQL, userID, topicIDs); err != nil {
			return nil, fmt.Errorf("load reading positions of member %d: %w", userID, err)
		}
		return out, nil
	}
	args := make([]any, 2*positionSlots)
	for chunk := range slices.Chunk(topicIDs, positionSlots) {
		for i := range positionSlots {
			args[2*i], args[2*i+1] = userID, int64(0)
			if i < len(chunk) {
				args[2*i+1] = chunk[i]
			}
		}
		if err := s.readPositions(ctx, out, positionsAmongSQL, args...); err != nil {
			return nil, fmt.Errorf("load reading positions of member %d: %w", userID, err)
		}
	}
	return out, nil
}

// readPositions runs one of ReadPositionsAmong's statements into out.
func (s *Store) readPositions(ctx context.Context, out map[int64]int, query string, args ...any) error {
	rows, err := s.listQuery(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
	}
	return rows.Err()
}

// newSinceSQL is NewSince's prepared statement (see hotQueries).
const newSinceSQL = `SELECT new_since, created_at FROM users WHERE id = ?`

// NewSince is when topics start to count as new to the member: when they
// joined, or the date they chose since.
func (s *Store) NewSince(ctx context.Context, userID int64) (time.Time, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var since sql.NullTime
	var created time.Time
	err = s.inTx(ctx, h.since).QueryRowContext(ctx, userID).Scan(&since, &created)
	if errors.Is(err, errNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("load new topics' start of member %d: %w", userID, err)
	}
	if since.Valid {
		return since.Time, nil
	}
	return created, nil
}

// SetNewSince has topics count as new to the member from since on.
func (s *Store) SetNewSince(ctx context.Context, userID int64, since time.Time) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE users SET new_since = ? WHERE id = ?`, since, userID)
	if res.Error != nil {
		return fmt.Errorf("set new topics' start of member %d: %w", userID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("member %d: %w", userID, ErrNotFound)
	}
	return nil
}

// MarkBoardRead marks every topic of a board that is new or unread to the
// member as read to its last post.
func (s *Store) MarkBoardRead(ctx context.Context, userID, boardID int64) error {
	since, err := s.NewSince(ctx, userID)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO topic_reads (user_id, topic_id, last_read, read_at)
		SELECT ?, t.id, t.post_count, ? FROM topics t
		WHERE t.board_id = ? AND (t.bumped_at > ? OR EXISTS (SELECT 1 FROM topic_reads r
			WHERE r.user_id = ? AND r.topic_id = t.id AND r.last_read < t.post_count))
		ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read = excluded.last_read, read_at = excluded.read_at
		WHERE excluded.last_read > topic_reads.last_read`,
		userID, s.Now(), boardID, since, userID).Error
	if err != nil {
		return fmt.Errorf("mark board %d read for member %d: %w", boardID, userID, err)
	}
	return nil
}

// MarkAllRead marks every topic the member has opened as read to its last
// post, and has no topic created until now count as new.
func (s *Store) MarkAllRead(ctx context.Context, userID int64) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE topic_reads SET read_at = ?,
			last_read = (SELECT t.post_count FROM topics t WHERE t.id = topic_reads.topic_id)
			WHERE user_id = ? AND last_read < (SELECT t.post_count FROM topics t WHERE t.id = topic_reads.topic_id)`,
			now, userID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE users SET new_since = ? WHERE id = ?`, now, userID).Error
	})
	if err != nil {
		return fmt.Errorf("mark all read for member %d: %w", userID, err)
	}
	return nil
}

// ReadingTopic is a topic in a member's reading lists, with how far they
// read it.
type ReadingTopic struct {
	TopicSummary
	// LastRead is the highest post number the member read, 0 if they
	// never opened the topic.
	LastRead int
	// New says the member never opened the topic and it was created
	// after their NewSince.
	New bool `gorm:"column:is_new"`
}

// Unread counts the posts after the member's last read one (posts deleted
// or hidden since keep their numbers, and count); 0 for a topic they
// never opened.
func (t ReadingTopic) Unread() int {
	if t.LastRead == 0 {
		return 0
	}
	return max(t.PostCount-t.LastRead, 0)
}

// Reading lists.
const (
	// ListLatest is every topic the member may read, by last activity.
	ListLatest = "latest"
	// ListNew is the topics the member never opened, created after their
	// NewSince.
	ListNew = "new"
	// ListUnread is the topics with posts after the member's last read one.
	ListUnread = "unread"
)

// ReadingList returns one page of a reading list (ListLatest, ListNew or
// ListUnread) for a member, by last activity, and whether more lie
// beyond it in the direction paged. Only topics on boards the member may
// read are listed, and topics whose opening post is hidden only to
// moderators. page.Viewer must be the member.
func (s *Store) ReadingList(ctx context.Context, list string, page TopicPage) ([]ReadingTopic, bool, error) {
	u := page.Viewer
	if u == nil {
		return nil, false, errors.New("reading list: no member")
	}
	since, err := s.NewSince(ctx, u.ID)
	if err != nil {
		return nil, false, err
	}
	query, err := readingListSQL(s.engine, list, page)
	if err != nil {
		return nil, false, err
	}
	args := append([]any{since, u.ID}, readingListArgs(list, u, since)...)
	args = append(append(args, readableArgs(u)...), seesHidden(u))
	args = append(append(args, pageArgs(page)...), page.Limit+1)
	rows, err := s.listQuery(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list %s topics for member %d: %w", list, u.ID, err)
	}
	defer rows.Close()
	topics := make([]ReadingTopic, 0, page.Limit+1)
	for rows.Next() {
		var t ReadingTopic
		if err := scanTopicRow(rows, &t.TopicSummary, &t.LastRead, &t.New); err != nil {
			return nil, false, fmt.Errorf("list %s topics for member %d: %w", list, u.ID, err)
		}
		topics = append(topics, t)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list %s topics for member %d: %w", list, u.ID, err)
	}
	more := len(topics) > page.Limit
	if more {
		topics = topics[:page.Limit]
	}
	if page.Before != nil {
		slices.Reverse(topics)
	}
	return topics, more, nil
}
