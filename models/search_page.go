package models

import (
	"context"
	"fmt"
)

// The search page shows what the index found, but reads it back from the
// database through these, so a post deleted or hidden since it was
// indexed, or a board the member has lost access to, never shows even when
// the index is behind.

// ReadableTopicsByID loads the topics among ids that lie on boards the
// viewer may read, with their board and author, by id. Ids missing or out
// of reach are simply absent. Their tags are not read: search results do
// not show them (reading them was a ninth of a search's CPU at 1M posts).
//
// The columns and joins are the topic lists' (topicColumns), scanned by
// hand rather than through GORM's reflection, like the posts below.
func (s *Store) ReadableTopicsByID(ctx context.Context, viewer *User, ids []int64) (map[int64]TopicSummary, error) {
	out := make(map[int64]TopicSummary, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	cond, args := readable(viewer)
	shown := ""
	if !seesHidden(viewer) {
		shown = " AND " + openerShown
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT `+topicColumns+`
		FROM topics t `+topicListJoins(s.engine)+`
		WHERE t.id IN ? AND `+cond+shown, append([]any{ids}, args...)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("load %d topics for member %d: %w", len(ids), viewer.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t TopicSummary
		if err := scanTopic(rows, &t); err != nil {
			return nil, fmt.Errorf("read topics for member %d: %w", viewer.ID, err)
		}
		out[t.ID] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load %d topics for member %d: %w", len(ids), viewer.ID, err)
	}
	return out, nil
}

// SearchQuoteChars is how much of a post's plain text a search result
// reads: its snippet is looked for in the opening of a post (see
// search.Results.Snippet), so the rest of a long post is left in the
// database.
const SearchQuoteChars = 64 << 10

// VisiblePostsByID loads the posts among ids that members may see —
// neither deleted nor hidden — on boards the viewer may read, with their
// authors, by id. An anonymous post comes without anything of its author:
// only its own label (AnonymousAs) leaves the database. A result quotes
// the post's plain text, so that is all of its text that is read, and only
// its first SearchQuoteChars characters: not its source nor its HTML.
// Read with plain SQL and scanned by hand, column by column: through
// GORM's reflection this was the largest part of a search's time.
func (s *Store) VisiblePostsByID(ctx context.Context, viewer *User, ids []int64) (map[int64]PostView, error) {
	out := make(map[int64]PostView, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	cond, args := readable(viewer)
	rows, err := s.db.WithContext(ctx).Raw(`SELECT p.id, p.topic_id, p.number, p.author_id, p.anonymous, p.anonymous_as,
			substr(p.plain, 1, ?), p.created_at, p.updated_at,
			`+shownAuthor("p", "u.username")+`, `+shownAuthor("p", "u.display_name")+`,
			`+shownAuthor("p", "u.specialty")+`, `+shownAuthor("p", "u.profession")+`
		FROM posts p
		JOIN users u ON u.id = p.author_id
		JOIN topics t ON t.id = p.topic_id
		JOIN boards b ON b.id = t.board_id
		WHERE p.id IN ? AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND `+cond,
		append([]any{SearchQuoteChars, ids}, args...)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("load %d posts for member %d: %w", len(ids), viewer.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p PostView
		if err := rows.Scan(&p.ID, &p.TopicID, &p.Number, &p.AuthorID, &p.Anonymous, &p.AnonymousAs,
			&p.Plain, &p.CreatedAt, &p.UpdatedAt,
			&p.AuthorUsername, &p.AuthorName, &p.AuthorSpecialty, &p.AuthorProfession); err != nil {
			return nil, fmt.Errorf("read posts for member %d: %w", viewer.ID, err)
		}
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		out[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load %d posts for member %d: %w", len(ids), viewer.ID, err)
	}
	return out, nil
}
