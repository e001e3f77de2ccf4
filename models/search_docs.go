package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// SearchDoc is one post as the search index holds it, with what it needs
// from its topic.
type SearchDoc struct {
	PostID, TopicID, BoardID int64
	Number                   int      // the post's number in its topic; 1 opens the topic
	Kind                     string   // topic kind: discussion, podcast or case
	Title                    string   // the topic's title
	Tags                     []string // the topic's tags, sorted
	Author                   string   // the author's username; "" when the post is anonymous
	Plain                    string   // the words of the post, as Post.Plain
	Version                  int
	CreatedAt, UpdatedAt     time.Time
	Visible                  bool // false when the post is deleted or hidden: the index must drop it
	// Answered and HasOutcome are the topic's: a shown reply is marked as
	// its answer, a case's outcome is posted. Outcome is the outcome's
	// text, indexed with the opening post.
	Answered, HasOutcome bool
	Outcome              string
}

// maxBoundIDs caps the ids bound in one IN list: the SQLite driver slows
// down badly with many parameters, and PostgreSQL gains nothing past this.
const maxBoundIDs = 500

// searchDocColumns read posts (as p) with their topic, author and the
// topic's opening post (op). The content of a post members may not see
// never leaves the database through them (a post is hidden with its
// topic's opening post), and an anonymous author's username never does.
const searchDocColumns = `
	SELECT p.id, p.topic_id, t.board_id, p.number, t.kind, t.title,
		CASE WHEN p.anonymous THEN '' ELSE u.username END,
		CASE WHEN p.deleted_at IS NULL AND p.hidden_at IS NULL AND op.hidden_at IS NULL THEN p.plain ELSE '' END,
		p.version, p.created_at, p.updated_at,
		CASE WHEN p.deleted_at IS NULL AND p.hidden_at IS NULL AND op.hidden_at IS NULL THEN 1 ELSE 0 END`

const searchDocJoins = ` JOIN topics t ON t.id = p.topic_id JOIN users u ON u.id = p.author_id
	LEFT JOIN posts op ON op.topic_id = p.topic_id AND op.number = 1`

// SearchDocsForPosts returns every existing post among postIDs, visible or
// not, by post id; ids that no longer exist are simply absent.
func (s *Store) SearchDocsForPosts(ctx context.Context, postIDs []int64) ([]SearchDoc, error) {
	docs := make([]SearchDoc, 0, len(postIDs))
	for chunk := range slices.Chunk(postIDs, maxBoundIDs) {
		got, err := s.searchDocs(ctx, searchDocColumns+` FROM posts p`+searchDocJoins+`
			WHERE p.id IN ? ORDER BY p.id`, chunk)
		if err != nil {
			return nil, fmt.Errorf("load search documents of %d posts: %w", len(postIDs), err)
		}
		docs = append(docs, got...)
	}
	if err := s.tagSearchDocs(ctx, docs); err != nil {
		return nil, err
	}
	if err := s.altSearchDocs(ctx, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// SearchDocsForTopics returns every post of the topics, visible or not, by
// topic and number.
func (s *Store) SearchDocsForTopics(ctx context.Context, topicIDs []int64) ([]SearchDoc, error) {
	var docs []SearchDoc
	for chunk := range slices.Chunk(topicIDs, maxBoundIDs) {
		got, err := s.searchDocs(ctx, searchDocColumns+` FROM posts p`+searchDocJoins+`
			WHERE p.topic_id IN ? ORDER BY p.topic_id, p.number`, chunk)
		if err != nil {
			return nil, fmt.Errorf("load search documents of %d topics: %w", len(topicIDs), err)
		}
		docs = append(docs, got...)
	}
	if err := s.tagSearchDocs(ctx, docs); err != nil {
		return nil, err
	}
	if err := s.altSearchDocs(ctx, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// SearchDocsAfter returns up to limit posts with ids above afterPostID
// that are not deleted or hidden themselves, by id, for rebuilding the
// whole index; those whose topic's opening post is hidden come marked not
// Visible, for the rebuild to skip. Each batch is a range
// scan of the posts' primary key, so the last batch costs what the first
// does.
func (s *Store) SearchDocsAfter(ctx context.Context, afterPostID int64, limit int) ([]SearchDoc, error) {
	if limit <= 0 {
		return nil, nil
	}
	// The batch of posts is cut before the joins, so the planner knows it
	// joins at most limit rows and looks each topic up by its key rather
	// than hashing every topic, even for the last, short batch.
	docs, err := s.searchDocs(ctx, searchDocColumns+` FROM (
			SELECT id, topic_id, author_id, number, anonymous, plain, version, created_at, updated_at,
				deleted_at, hidden_at
			FROM posts WHERE id > ? AND deleted_at IS NULL AND hidden_at IS NULL
			ORDER BY id LIMIT ?) p`+searchDocJoins+`
		ORDER BY p.id`, afterPostID, limit)
	if err != nil {
		return nil, fmt.Errorf("load search documents after post %d: %w", afterPostID, err)
	}
	if err := s.tagSearchDocs(ctx, docs); err != nil {
		return nil, err
	}
	if err := s.altSearchDocsInOrder(ctx, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

func (s *Store) searchDocs(ctx context.Context, query string, args ...any) ([]SearchDoc, error) {
	rows, err := s.db.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []SearchDoc
	for rows.Next() {
		var d SearchDoc
		if err := rows.Scan(&d.PostID, &d.TopicID, &d.BoardID, &d.Number, &d.Kind, &d.Title, &d.Author,
			&d.Plain, &d.Version, &d.CreatedAt, &d.UpdatedAt, &d.Visible); err != nil {
			return nil, err
		}
		d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// tagSearchDocs gives each document its topic's tags, read for the whole
// batch at once.
func (s *Store) tagSearchDocs(ctx context.Context, docs []SearchDoc) error {
	if len(docs) == 0 {
		return nil
	}
	var topicIDs []int64
	seen := make(map[int64]bool)
	for i := range docs {
		if id := docs[i].TopicID; !seen[id] {
			seen[id] = true
			topicIDs = append(topicIDs, id)
		}
	}
	tags, err := s.TagsForTopics(ctx, topicIDs)
	if err != nil {
		return err
	}
	for _, t := range tags {
		// Sorted here as Go sorts, whatever the database's collation.
		slices.Sort(t)
	}
	for i := range docs {
		// A copy each, so an indexer changing one document's tags
		// cannot change its neighbours'.
		docs[i].Tags = slices.Clone(tags[docs[i].TopicID])
	}
	return s.topicStateSearchDocs(ctx, topicIDs, docs)
}

// topicStateSearchDocs gives each document its topic's answer and outcome
// state, and the opening post the outcome's text.
func (s *Store) topicStateSearchDocs(ctx context.Context, topicIDs []int64, docs []SearchDoc) error {
	type state struct {
		answered, hasOutcome bool
		outcome              string
	}
	states := make(map[int64]state, len(topicIDs))
	for chunk := range slices.Chunk(topicIDs, maxBoundIDs) {
		rows, err := s.db.WithContext(ctx).Raw(`SELECT t.id, `+answeredColumn+`, co.topic_id IS NOT NULL, COALESCE(co.plain, '')
			FROM topics t LEFT JOIN case_outcomes co ON co.topic_id = t.id
			WHERE t.id IN ? AND (t.answer_post_id IS NOT NULL OR co.topic_id IS NOT NULL)`, chunk).Rows()
		if err != nil {
			return fmt.Errorf("load topics' answers and outcomes: %w", err)
		}
		for rows.Next() {
			var id int64
			var st state
			if err := rows.Scan(&id, &st.answered, &st.hasOutcome, &st.outcome); err != nil {
				rows.Close()
				return fmt.Errorf("load topics' answers and outcomes: %w", err)
			}
			states[id] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("load topics' answers and outcomes: %w", err)
		}
	}
	for i := range docs {
		st := states[docs[i].TopicID]
		docs[i].Answered, docs[i].HasOutcome = st.answered, st.hasOutcome
		if docs[i].Number == 1 {
			docs[i].Outcome = st.outcome
		}
	}
	return nil
}

// OutboxHead is the id of the newest search outbox entry, 0 when there is
// none: a rebuild that starts here has seen every write queued before it.
func (s *Store) OutboxHead(ctx context.Context) (int64, error) {
	var head int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(id), 0) FROM search_outbox`).Row().Scan(&head); err != nil {
		return 0, fmt.Errorf("read search outbox head: %w", err)
	}
	return head, nil
}

// CountSearchDocs counts the posts search should find, for a rebuild's
// progress.
func (s *Store) CountSearchDocs(ctx context.Context) (int64, error) {
	var n int64
	// Posts in a topic whose opening post is hidden are left out by the
	// few topics that are, not by a join on every post: the join looked up
	// each post's opening post row, tens of seconds at a million posts,
	// where this reads only the covering index posts_created, twice.
	err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM posts
		WHERE deleted_at IS NULL AND hidden_at IS NULL
			AND topic_id NOT IN (SELECT topic_id FROM posts WHERE number = 1 AND hidden_at IS NOT NULL)`).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count search documents: %w", err)
	}
	return n, nil
}

// SearchVersions maps up to limit visible posts with ids above afterPostID
// to their versions, by id, so a test can check an index against the
// database without loading every post.
func (s *Store) SearchVersions(ctx context.Context, afterPostID int64, limit int) (map[int64]int, error) {
	versions := make(map[int64]int, max(limit, 0))
	if limit <= 0 {
		return versions, nil
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT p.id, p.version FROM posts p
		LEFT JOIN posts op ON op.topic_id = p.topic_id AND op.number = 1
		WHERE p.id > ? AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND op.hidden_at IS NULL
		ORDER BY p.id LIMIT ?`, afterPostID, limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("read post versions after %d: %w", afterPostID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v int
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read post versions after %d: %w", afterPostID, err)
		}
		versions[id] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read post versions after %d: %w", afterPostID, err)
	}
	return versions, nil
}
