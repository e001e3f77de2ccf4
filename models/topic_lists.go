package models

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Lists of topics (a board's, a tag's, the reading lists) are read with
// prepared statements scanned by hand, their tags riding along in one
// column: under load GORM's building, SQLite's parsing of each statement
// again, reflection over every column and a second query for the tags cost
// more than the statements themselves (docs/performance.md, "Board, tag and
// Latest pages"). Each list has a few fixed statement texts (one per
// direction of paging); what differs between readers (a moderator or not,
// the member's groups) is bound as parameters.

// topicColumns are the columns scanTopic reads, for the topic t, its
// author u, its opening post op and its board b (topicListJoins).
var topicColumns = `t.id, t.board_id, t.kind, t.title, t.slug, t.author_id, t.pinned, t.locked,
		t.post_count, t.purged_count, t.answer_post_id, t.has_polls, t.bumped_at, t.created_at, t.updated_at,
		` + shownAuthor("op", "u.display_name") + `, ` + shownAuthor("op", "u.specialty") + `, ` + shownAuthor("op", "u.username") + `,
		COALESCE(op.anonymous, FALSE), COALESCE(op.anonymous_as, ''), op.hidden_at IS NOT NULL,
		b.slug, b.title, ` + answeredColumn + `, ` + hasOutcomeColumn

// topicListColumns are the columns scanTopicRow reads: topicColumns and
// the topic's tags.
func topicListColumns(engine Engine) string {
	tagList := `(SELECT group_concat(tag, ',' ORDER BY tag) FROM topic_tags WHERE topic_id = t.id)`
	if engine == Postgres {
		tagList = `(SELECT string_agg(tag, ',' ORDER BY tag) FROM topic_tags WHERE topic_id = t.id)`
	}
	return topicColumns + `, COALESCE(` + tagList + `, '')`
}

// topicListJoins joins a topic's author, opening post and board.
func topicListJoins(engine Engine) string {
	return `JOIN users u ON u.id = t.author_id
		` + openingPostJoin(engine) + `
		JOIN boards b ON b.id = t.board_id`
}

// shownToParam is openerShown unless the first parameter is true (the
// reader sees topics whose opening post is hidden).
const shownToParam = "(? OR " + openerShown + ")"

// readableParam is readable's condition for a member given as parameters:
// whether they read every board (a moderator, or the system), then their
// id, profession and specialty.
var readableParam = "(? OR " + permittedSQL("can_read") + ")"

// readableArgs are readableParam's parameters for viewer (nil for the
// system, which reads everything).
func readableArgs(viewer *User) []any {
	if viewer == nil {
		return []any{true, int64(0), "", ""}
	}
	return []any{viewer.IsModerator(), viewer.ID, viewer.Profession, viewer.Specialty}
}

// scanTopic reads one row of topicColumns, then extra columns.
func scanTopic(rows *sql.Rows, t *TopicSummary, extra ...any) error {
	dest := append([]any{&t.ID, &t.BoardID, &t.Kind, &t.Title, &t.Slug, &t.AuthorID, &t.Pinned, &t.Locked,
		&t.PostCount, &t.PurgedCount, &t.AnswerPostID, &t.HasPolls, &t.BumpedAt, &t.CreatedAt, &t.UpdatedAt,
		&t.AuthorName, &t.AuthorSpecialty, &t.AuthorUsername, &t.Anonymous, &t.AnonymousAs, &t.OpenerHidden,
		&t.BoardSlug, &t.BoardTitle, &t.Answered, &t.HasOutcome}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	t.BumpedAt, t.CreatedAt, t.UpdatedAt = t.BumpedAt.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return nil
}

// scanTopicRow reads one row of topicListColumns, then extra columns.
func scanTopicRow(rows *sql.Rows, t *TopicSummary, extra ...any) error {
	var tags string
	if err := scanTopic(rows, t, append([]any{&tags}, extra...)...); err != nil {
		return err
	}
	if tags != "" {
		t.Tags = strings.Split(tags, ",")
	}
	return nil
}

// listQuery runs one of the list statements, prepared once per text (see
// hotQueries.list).
func (s *Store) listQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	stmt, err := h.list(ctx, s, query)
	if err != nil {
		return nil, err
	}
	return s.inTx(ctx, stmt).QueryContext(ctx, args...)
}

// pageOrder is the condition and order of a page of topics by activity:
// the newest page, the page older than After, or the page newer than
// Before (read oldest first and reversed by the caller). Its parameters
// are pageArgs.
func pageOrder(page TopicPage) (cond, order string) {
	switch {
	case page.Before != nil:
		return " AND (t.bumped_at, t.id) > (?, ?)", " ORDER BY t.bumped_at ASC, t.id ASC"
	case page.After != nil:
		return " AND (t.bumped_at, t.id) < (?, ?)", " ORDER BY t.bumped_at DESC, t.id DESC"
	default:
		return "", " ORDER BY t.bumped_at DESC, t.id DESC"
	}
}

func pageArgs(page TopicPage) []any {
	switch {
	case page.Before != nil:
		return []any{page.Before.BumpedAt, page.Before.ID}
	case page.After != nil:
		return []any{page.After.BumpedAt, page.After.ID}
	}
	return nil
}

// topicsInBoardSQL is TopicsInBoard's statement for a direction of paging.
func topicsInBoardSQL(engine Engine, page TopicPage) string {
	cond, order := pageOrder(page)
	return `SELECT ` + topicListColumns(engine) + `
		FROM topics t ` + topicListJoins(engine) + `
		WHERE t.board_id = ? AND t.pinned = ? AND ` + shownToParam + cond + order + ` LIMIT ?`
}

// topicsWithTagSQL is TopicsWithTag's statement: the tag's index, newest
// topic first, below a topic id.
func topicsWithTagSQL(engine Engine) string {
	return `SELECT ` + topicListColumns(engine) + `
		FROM topic_tags tt JOIN topics t ON t.id = tt.topic_id ` + topicListJoins(engine) + `
		WHERE tt.tag = ? AND tt.topic_id < ? AND ` + readableParam + ` AND ` + shownToParam + `
		ORDER BY tt.topic_id DESC LIMIT ?`
}

// tagPageStart is TopicsWithTag's beforeID for the first page.
const tagPageStart = math.MaxInt64

// scanTopicList reads the rows of a list statement.
func scanTopicList(rows *sql.Rows, limit int) ([]TopicSummary, error) {
	defer rows.Close()
	topics := make([]TopicSummary, 0, limit+1)
	for rows.Next() {
		var t TopicSummary
		if err := scanTopicRow(rows, &t); err != nil {
			return nil, err
		}
		topics = append(topics, t)
	}
	return topics, rows.Err()
}

// readingListSQL is ReadingList's statement for a list and a direction of
// paging. Its parameters: the member's NewSince and id (for is_new), the
// list's own (readingListArgs), readableParam's, shownToParam's, the
// page's and the limit.
func readingListSQL(engine Engine, list string, page TopicPage) (string, error) {
	var from string
	switch list {
	case ListUnread:
		// The member's positions, by their primary key, then each topic by
		// its own.
		from = `FROM topic_reads r JOIN topics t ON t.id = r.topic_id ` + topicListJoins(engine) + `
		WHERE r.user_id = ? AND r.last_read < t.post_count`
	case ListLatest:
		from = `FROM topics t LEFT JOIN topic_reads r ON r.user_id = ? AND r.topic_id = t.id ` + topicListJoins(engine) + `
		WHERE 1 = 1`
	case ListNew:
		// A topic's activity is never before its creation, so the activity
		// index bounds the scan.
		from = `FROM topics t LEFT JOIN topic_reads r ON r.user_id = ? AND r.topic_id = t.id ` + topicListJoins(engine) + `
		WHERE r.topic_id IS NULL AND t.bumped_at > ? AND t.created_at > ? AND t.author_id <> ?`
	default:
		return "", fmt.Errorf("reading list %q: no such list", list)
	}
	cond, order := pageOrder(page)
	return `SELECT ` + topicListColumns(engine) + `, COALESCE(r.last_read, 0),
		CASE WHEN r.topic_id IS NULL AND t.created_at > ? AND t.author_id <> ? THEN TRUE ELSE FALSE END
		` + from + ` AND ` + readableParam + ` AND ` + shownToParam + cond + order + ` LIMIT ?`, nil
}

// readingListArgs are the parameters of a list's own condition.
func readingListArgs(list string, u *User, since any) []any {
	if list == ListNew {
		return []any{u.ID, since, since, u.ID}
	}
	return []any{u.ID}
}

// latestTopicsSQL is LatestTopics' statement for a direction of paging.
func latestTopicsSQL(engine Engine, page TopicPage) string {
	cond, order := pageOrder(page)
	return `SELECT ` + topicListColumns(engine) + `
		FROM topics t ` + topicListJoins(engine) + `
		WHERE ` + readableParam + ` AND ` + shownToParam + cond + order + ` LIMIT ?`
}

// LatestTopics returns one page of the topics on every board page.Viewer
// may read, by last activity, as the Latest list shows them before the
// member's own reading is added (ReadingList's ListLatest, without the
// member's positions), and whether more lie beyond it in the direction
// paged. The page depends on the viewer only through the boards they may
// read and whether they see topics whose opening post is hidden, so
// readers alike in both may share it.
func (s *Store) LatestTopics(ctx context.Context, page TopicPage) ([]TopicSummary, bool, error) {
	args := append(readableArgs(page.Viewer), seesHidden(page.Viewer))
	args = append(append(args, pageArgs(page)...), page.Limit+1)
	rows, err := s.listQuery(ctx, latestTopicsSQL(s.engine, page), args...)
	if err != nil {
		return nil, false, fmt.Errorf("list latest topics: %w", err)
	}
	topics, err := scanTopicList(rows, page.Limit)
	if err != nil {
		return nil, false, fmt.Errorf("list latest topics: %w", err)
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
