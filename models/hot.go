package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"
)

// hotQueries are the statements behind the topic page, the most visited
// page of the site. They skip GORM's reflection and are prepared once, so
// the database parses them once per connection rather than per request.
type hotQueries struct {
	once    sync.Once
	err     error
	posts   *sql.Stmt
	session *sql.Stmt
	topic   *sql.Stmt
	access  *sql.Stmt
	counts  *sql.Stmt
}

// inTx binds a pool statement to the store's transaction, if it has one,
// so reads inside InTransaction see that transaction's writes.
func (s *Store) inTx(ctx context.Context, stmt *sql.Stmt) *sql.Stmt {
	if tx, ok := s.db.Statement.ConnPool.(*sql.Tx); ok {
		return tx.StmtContext(ctx, stmt)
	}
	return stmt
}

func (s *Store) hot(ctx context.Context) (*hotQueries, error) {
	h := s.hotq
	h.once.Do(func() {
		h.err = h.prepare(ctx, s)
	})
	return h, h.err
}

func (h *hotQueries) prepare(ctx context.Context, s *Store) error {
	sqlDB, err := s.pool()
	if err != nil {
		return err
	}
	{
		prepare := func(query string) *sql.Stmt {
			if h.err != nil {
				return nil
			}
			// Prepared on the pool without the request's deadline: the
			// statement outlives the request that happened to come first.
			stmt, err := sqlDB.PrepareContext(context.WithoutCancel(ctx), s.placeholders(query))
			if err != nil {
				h.err = fmt.Errorf("prepare %q: %w", query, err)
			}
			return stmt
		}
		// Times come as Unix seconds: both engines hand those over faster
		// than timestamps, and pages show no finer time.
		epoch := func(col string) string { return `CAST(strftime('%s', ` + col + `) AS INTEGER)` }
		if s.engine == Postgres {
			epoch = func(col string) string { return `CAST(FLOOR(EXTRACT(EPOCH FROM ` + col + `)) AS BIGINT)` }
		}
		// Every signed-in request reads its session and member.
		h.session = prepare(`
			SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent,
				u.id, u.username, u.display_name, u.profession, u.specialty, u.role, u.status,
				u.created_at, u.updated_at
			FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id = ? AND s.expires_at > ?`)
		h.posts = prepare(`
			SELECT p.id, p.topic_id, p.number, p.author_id, p.version, ` + epoch("p.created_at") + `, ` + epoch("p.updated_at") + `,
				` + epoch("p.deleted_at") + `, p.deleted_by_id,
				CASE WHEN p.deleted_at IS NULL THEN p.cooked ELSE '' END,
				` + epoch("p.hidden_at") + `, p.hidden_by_id, p.hidden_reason, p.anonymous, p.anonymous_as, p.phi_confirmed,
				u.username, u.display_name, u.specialty, u.profession,
				EXISTS (SELECT 1 FROM post_links pl WHERE pl.post_id = p.id)
			FROM posts p JOIN users u ON u.id = p.author_id
			WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
			ORDER BY p.number`)
		// Tags ride along as one comma-joined column (tags never contain a
		// comma), saving the page a query.
		tagList := `(SELECT group_concat(tag, ',' ORDER BY tag) FROM topic_tags WHERE topic_id = t.id)`
		if s.engine == Postgres {
			tagList = `(SELECT string_agg(tag, ',' ORDER BY tag) FROM topic_tags WHERE topic_id = t.id)`
		}
		h.topic = prepare(`
			SELECT t.id, t.board_id, t.kind, t.title, t.slug, t.author_id, t.pinned, t.locked, t.post_count,
				t.purged_count, t.bumped_at, t.created_at, t.updated_at,
				` + shownAuthor("op", "u.display_name") + `, ` + shownAuthor("op", "u.specialty") + `,
				COALESCE(op.anonymous, FALSE), COALESCE(op.anonymous_as, ''), op.hidden_at IS NOT NULL,
				b.slug, b.title, COALESCE(` + tagList + `, '')
			FROM topics t JOIN users u ON u.id = t.author_id JOIN boards b ON b.id = t.board_id
				` + openingPostJoin + `
			WHERE t.id = ?`)
		// Every topic page checks its board's access; the first parameter
		// lets a moderator read everything.
		read, post := permittedSQL("can_read"), permittedSQL("can_post")
		h.access = prepare(`SELECT b.archived, b.allow_anonymous, CASE WHEN ? OR ` + read + ` THEN 1 ELSE 0 END,
			CASE WHEN ` + post + ` THEN 1 ELSE 0 END FROM boards b WHERE b.id = ?`)
		// The header's counts on every page: unread notifications of posts
		// still there in boards the member may still read, unread
		// warnings, and for moderators the posts waiting for review and,
		// among them, the reports of a patient identifier waiting to be
		// verified, and the applications waiting for a decision. The second
		// and the last three parameters say whether the member is a
		// moderator.
		h.counts = prepare(`SELECT
			(SELECT COUNT(*) FROM notifications n JOIN topics t ON t.id = n.topic_id JOIN boards b ON b.id = t.board_id
				JOIN posts p ON p.id = n.post_id ` + openingPostJoin + `
				WHERE n.user_id = ? AND n.read_at IS NULL AND p.deleted_at IS NULL AND p.hidden_at IS NULL
				AND (? OR (` + openerShown + ` AND ` + read + `))),
			(SELECT COUNT(*) FROM member_warnings w WHERE w.user_id = ? AND w.seen_at IS NULL),
			CASE WHEN ? THEN (SELECT COUNT(DISTINCT f.post_id) FROM flags f WHERE f.resolved_at IS NULL) ELSE 0 END,
			CASE WHEN ? THEN (SELECT COUNT(DISTINCT f.post_id) FROM flags f
				WHERE f.resolved_at IS NULL AND f.reason = 'phi') ELSE 0 END,
			CASE WHEN ? THEN (SELECT COUNT(*) FROM verifications v WHERE v.status = '` + string(VerificationSubmitted) + `') ELSE 0 END`)
	}
	return h.err
}

// PostsInTopic returns the posts numbered first through last, in order,
// with their authors. A deleted post comes back as a tombstone: its content
// never leaves the database through this path. A hidden post keeps its
// content, which moderators still read: whoever shows it to anyone else
// must leave it out.
func (s *Store) PostsInTopic(ctx context.Context, topicID int64, first, last int) ([]PostView, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.inTx(ctx, h.posts).QueryContext(ctx, topicID, first, last)
	if err != nil {
		return nil, fmt.Errorf("list posts %d-%d of topic %d: %w", first, last, topicID, err)
	}
	defer rows.Close()
	posts := make([]PostView, 0, min(max(last-first+1, 0), 100))
	for rows.Next() {
		var p PostView
		var created, updated, deletedAt, deletedBy, hiddenAt, hiddenBy sql.NullInt64
		if err := rows.Scan(&p.ID, &p.TopicID, &p.Number, &p.AuthorID, &p.Version, &created, &updated,
			&deletedAt, &deletedBy, &p.Cooked, &hiddenAt, &hiddenBy, &p.HiddenReason, &p.Anonymous, &p.AnonymousAs, &p.PHIConfirmed,
			&p.AuthorUsername, &p.AuthorName, &p.AuthorSpecialty, &p.AuthorProfession, &p.HasLinks); err != nil {
			return nil, fmt.Errorf("read post of topic %d: %w", topicID, err)
		}
		if p.Anonymous {
			// Nothing of the author but the post's label leaves the store
			// (blanked here rather than in SQL: this is the hottest query).
			p.AuthorUsername, p.AuthorName, p.AuthorSpecialty, p.AuthorProfession = "", "", "", ""
		}
		p.CreatedAt, p.UpdatedAt = time.Unix(created.Int64, 0).UTC(), time.Unix(updated.Int64, 0).UTC()
		if deletedAt.Valid {
			at := time.Unix(deletedAt.Int64, 0).UTC()
			p.DeletedAt = &at
		}
		if deletedBy.Valid {
			by := deletedBy.Int64
			p.DeletedByID = &by
		}
		if hiddenAt.Valid {
			at := time.Unix(hiddenAt.Int64, 0).UTC()
			p.HiddenAt = &at
		}
		if hiddenBy.Valid {
			by := hiddenBy.Int64
			p.HiddenByID = &by
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list posts of topic %d: %w", topicID, err)
	}
	return posts, nil
}

// TopicByID loads a topic with its board and tags.
func (s *Store) TopicByID(ctx context.Context, id int64) (*TopicSummary, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	var t TopicSummary
	var tags string
	err = s.inTx(ctx, h.topic).QueryRowContext(ctx, id).Scan(&t.ID, &t.BoardID, &t.Kind, &t.Title, &t.Slug, &t.AuthorID,
		&t.Pinned, &t.Locked, &t.PostCount, &t.PurgedCount, &t.BumpedAt, &t.CreatedAt, &t.UpdatedAt,
		&t.AuthorName, &t.AuthorSpecialty, &t.Anonymous, &t.AnonymousAs, &t.OpenerHidden, &t.BoardSlug, &t.BoardTitle, &tags)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("load topic %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load topic %d: %w", id, err)
	}
	if tags != "" {
		t.Tags = strings.Split(tags, ",")
	}
	return &t, nil
}

func (h *hotQueries) close() {
	for _, stmt := range []*sql.Stmt{h.posts, h.topic, h.session, h.access, h.counts} {
		if stmt != nil {
			_ = stmt.Close() // closing the pool right after releases them anyway
		}
	}
}
