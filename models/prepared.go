package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// hotQueries are the statements read on nearly every request: the session
// and its member, the header's counts, and the topic page's topic, board
// access, posts, the reader's marks, their reading position and their
// draft of a reply. They skip GORM's reflection and are prepared once, so
// the database parses them once per connection rather than per request.
// Each statement's text lives beside the method that runs it, in its
// aggregate's file; this file only prepares and binds them.
type hotQueries struct {
	once    sync.Once
	err     error
	posts   *sql.Stmt // postsInTopicSQL, posts.go
	media   *sql.Stmt // pageMediaSQL, posts.go
	session *sql.Stmt // sessionMemberSQL, sessions.go
	topic   *sql.Stmt // topicByIDSQL, topics.go
	access  *sql.Stmt // boardAccessSQL, access.go
	counts  *sql.Stmt // memberCountsSQL, header_counts.go
	read    *sql.Stmt // lastReadSQL, topic_reads.go
	draft   *sql.Stmt // draftAtSQL, drafts.go
	marks   *sql.Stmt // readerMarksSQL, reader_marks.go
	since   *sql.Stmt // newSinceSQL, topic_reads.go

	// pageTexts are the texts of topic, posts and marks as the
	// database takes them, for ReadTopicPage's batch on PostgreSQL.
	pageTexts struct{ topic, posts, marks string }

	// lists are the statements of the lists of topics (topic_lists.go),
	// prepared when first run: a few texts each, by list and direction.
	listMu sync.Mutex
	lists  map[string]*sql.Stmt
}

// list is the prepared statement of one list's text, prepared on the pool
// the first time it is asked for.
func (h *hotQueries) list(ctx context.Context, s *Store, query string) (*sql.Stmt, error) {
	h.listMu.Lock()
	defer h.listMu.Unlock()
	if stmt, ok := h.lists[query]; ok {
		return stmt, nil
	}
	sqlDB, err := s.pool()
	if err != nil {
		return nil, err
	}
	stmt, err := sqlDB.PrepareContext(context.WithoutCancel(ctx), s.placeholders(query))
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	if h.lists == nil {
		h.lists = map[string]*sql.Stmt{}
	}
	h.lists[query] = stmt
	return stmt, nil
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
	h.session = prepare(sessionMemberSQL)
	h.posts = prepare(postsInTopicSQL(s.engine))
	h.media = prepare(pageMediaSQL)
	h.topic = prepare(topicByIDSQL(s.engine))
	h.access = prepare(boardAccessSQL())
	h.counts = prepare(memberCountsSQL(s.engine))
	h.read = prepare(lastReadSQL)
	h.draft = prepare(draftAtSQL(s.engine))
	h.marks = prepare(readerMarksSQL(s.engine))
	h.since = prepare(newSinceSQL)
	h.pageTexts.topic, h.pageTexts.posts, h.pageTexts.marks =
		s.placeholders(topicByIDSQL(s.engine)), s.placeholders(postsInTopicSQL(s.engine)), s.placeholders(readerMarksSQL(s.engine))
	return h.err
}

func (h *hotQueries) close() {
	stmts := []*sql.Stmt{h.posts, h.media, h.topic, h.session, h.access, h.counts, h.read, h.draft, h.marks, h.since}
	h.listMu.Lock()
	for _, stmt := range h.lists {
		stmts = append(stmts, stmt)
	}
	h.lists = nil
	h.listMu.Unlock()
	for _, stmt := range stmts {
		if stmt != nil {
			_ = stmt.Close() // closing the pool right after releases them anyway
		}
	}
}

// epochSQL reads a time column as Unix seconds: both engines hand those
// over faster than timestamps, and pages show no finer time. The functions
// are the cheapest each engine has for it, since a topic page converts
// some 40 times a page: SQLite's unixepoch gives the integer that
// CAST(strftime('%s', …)) formats as text and parses back; PostgreSQL's
// date_part works in double precision where EXTRACT (since 14) works in
// numeric, and a double holds today's epoch to the microsecond, so FLOOR
// rounds down exactly as before.
func epochSQL(engine Engine, col string) string {
	if engine == Postgres {
		return `CAST(FLOOR(date_part('epoch', ` + col + `)) AS BIGINT)`
	}
	return `unixepoch(` + col + `)`
}
