package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ImportPost is a post written in bulk by the demo and seed commands, with
// its own time.
type ImportPost struct {
	AuthorID int64
	Source   string
	Cooked   string
	Plain    string // the words of Source, as search indexes them
	At       time.Time
	// Links are the post's links, recorded with previews waiting to be
	// fetched (or already fetched, for a URL that has one); no fetch is
	// queued.
	Links []PostLink
}

// ImportTopic is a whole topic written in bulk; its first post opens it.
type ImportTopic struct {
	BoardID int64
	Kind    string
	Title   string
	Tags    []string
	Pinned  bool
	Posts   []ImportPost
	// EpisodeID is the podcast episode a podcast topic discusses.
	EpisodeID int64
	// Case is a case topic's summary.
	Case *CaseSummary
}

// ImportTopics writes many topics in one transaction with multi-row inserts,
// far faster than one write per post. It numbers the rows itself and holds
// the tables' write lock while it does, so it suits the one-shot demo and
// seed commands rather than a live site under load.
func (s *Store) ImportTopics(ctx context.Context, topics []ImportTopic) error {
	if len(topics) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		conn, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("import: transaction has no *sql.Tx")
		}
		if s.engine == Postgres {
			if _, err := conn.ExecContext(ctx, `LOCK TABLE topics, posts, post_revisions IN EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("lock tables for import: %w", err)
			}
		}
		var topicID, postID, revID int64
		for table, id := range map[string]*int64{"topics": &topicID, "posts": &postID, "post_revisions": &revID} {
			if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(id); err != nil {
				return fmt.Errorf("import: highest %s id: %w", table, err)
			}
		}
		topicRows := newBulkInsert(s.engine, `INSERT INTO topics (id, board_id, kind, title, slug, author_id,
			pinned, locked, post_count, bumped_at, created_at, updated_at) VALUES `, 12)
		tagRows := newBulkInsert(s.engine, `INSERT INTO topic_tags (topic_id, tag) VALUES `, 2)
		postRows := newBulkInsert(s.engine, `INSERT INTO posts (id, topic_id, number, author_id, source, cooked,
			plain, version, created_at, updated_at) VALUES `, 10)
		revRows := newBulkInsert(s.engine, `INSERT INTO post_revisions (id, post_id, version, title, source,
			editor_id, created_at) VALUES `, 7)
		// One search outbox row per topic: the indexers read its posts.
		outboxRows := newBulkInsert(s.engine, `INSERT INTO search_outbox (topic_id, created_at) VALUES `, 2)
		// Parents go before children, so foreign keys hold at every statement.
		inserts := []*bulkInsert{topicRows, tagRows, postRows, revRows, outboxRows}
		flushAll := func() error {
			for _, b := range inserts {
				if err := b.flush(ctx, conn); err != nil {
					return err
				}
			}
			return nil
		}
		type boardDelta struct {
			topics, posts int64
			last          time.Time
		}
		boards := map[int64]*boardDelta{}
		// What a topic or post carries besides its rows (an episode, a
		// case, links) is written once they are all in.
		type extra struct {
			topicID, postID int64
			topic           *ImportTopic
			links           []PostLink
		}
		var extras []extra
		// Every imported post is signed, shown and without reactions, so
		// each member's kept counts grow by their topics and replies, known
		// from the rows written here without reading them back.
		counts := map[memberKey]memberCount{}
		for ti := range topics {
			t := &topics[ti]
			if len(t.Posts) == 0 {
				return fmt.Errorf("import topic %q: no posts", t.Title)
			}
			topicID++
			first, last := t.Posts[0], t.Posts[len(t.Posts)-1]
			kind := t.Kind
			switch {
			case t.Case != nil:
				kind = KindCase
			case kind == "":
				kind = KindDiscussion
			}
			topicRows.add(topicID, t.BoardID, kind, t.Title, Slugify(t.Title), first.AuthorID,
				t.Pinned, false, len(t.Posts), storeTime(last.At), storeTime(first.At), storeTime(last.At))
			for _, tag := range t.Tags {
				tagRows.add(topicID, tag)
				// One row a statement on SQLite, like the rest
				// (newBulkInsert): a topic's several tags in one statement
				// took a statement journal for each topic.
				if tagRows.isFull() {
					if err := flushAll(); err != nil {
						return err
					}
				}
			}
			if t.EpisodeID != 0 || t.Case != nil {
				extras = append(extras, extra{topicID: topicID, topic: t})
			}
			outboxRows.add(topicID, outboxTime())
			for i, p := range t.Posts {
				postID++
				revID++
				at := storeTime(p.At)
				postRows.add(postID, topicID, i+1, p.AuthorID, p.Source, p.Cooked, p.Plain, 1, at, at)
				title := ""
				if i == 0 {
					title = t.Title
				}
				revRows.add(revID, postID, 1, title, p.Source, p.AuthorID, at)
				c := counts[memberKey{p.AuthorID, t.BoardID}]
				c.UserID, c.BoardID = p.AuthorID, t.BoardID
				if i == 0 {
					c.Topics++
				} else {
					c.Replies++
				}
				counts[memberKey{p.AuthorID, t.BoardID}] = c
				if len(p.Links) > 0 {
					extras = append(extras, extra{postID: postID, links: p.Links})
				}
				if postRows.isFull() || revRows.isFull() || topicRows.isFull() || tagRows.isFull() || outboxRows.isFull() {
					if err := flushAll(); err != nil {
						return err
					}
				}
			}
			d := boards[t.BoardID]
			if d == nil {
				d = &boardDelta{}
				boards[t.BoardID] = d
			}
			d.topics++
			d.posts += int64(len(t.Posts))
			if last.At.After(d.last) {
				d.last = storeTime(last.At)
			}
		}
		if err := flushAll(); err != nil {
			return err
		}
		if err := addMemberCounts(tx, nil, counts); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		now := s.Now()
		for _, x := range extras {
			if x.topic != nil && x.topic.EpisodeID != 0 {
				err := tx.Exec(`INSERT INTO topic_episodes (topic_id, episode_id) VALUES (?, ?)`, x.topicID, x.topic.EpisodeID).Error
				if err != nil {
					return fmt.Errorf("import: link episode %d: %w", x.topic.EpisodeID, err)
				}
			}
			if x.topic != nil && x.topic.Case != nil {
				if err := x.topic.Case.check(); err != nil {
					return fmt.Errorf("import topic %q: %w", x.topic.Title, err)
				}
				if err := insertCaseSummary(tx, x.topicID, x.topic.Case, now); err != nil {
					return err
				}
			}
			if len(x.links) > 0 {
				if _, err := linkPost(tx, x.postID, x.links, now, false); err != nil {
					return err
				}
			}
		}
		for id, d := range boards {
			_, err := conn.ExecContext(ctx, s.placeholders(`UPDATE boards SET topic_count = topic_count + ?,
				post_count = post_count + ?,
				last_post_at = CASE WHEN last_post_at IS NULL OR last_post_at < ? THEN ? ELSE last_post_at END
				WHERE id = ?`), d.topics, d.posts, d.last, d.last, id)
			if err != nil {
				return fmt.Errorf("import: count board %d: %w", id, err)
			}
		}
		if s.engine == Postgres {
			for _, table := range []string{"topics", "posts", "post_revisions"} {
				_, err := conn.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
					(SELECT MAX(id) FROM `+table+`))`)
				if err != nil {
					return fmt.Errorf("import: advance %s ids: %w", table, err)
				}
			}
			// Fresh statistics, or the planner keeps the row counts of the
			// empty tables it last saw and reads a keyset page such as a
			// search rebuild's batch by scanning and sorting whole tables.
			if _, err := conn.ExecContext(ctx, `ANALYZE topics, topic_tags, posts`); err != nil {
				return fmt.Errorf("import: analyze: %w", err)
			}
		}
		return nil
	})
}

// placeholders rewrites ? into $n for PostgreSQL in SQL sent past GORM.
func (s *Store) placeholders(query string) string {
	if s.engine != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bulkInsert gathers rows for one multi-row INSERT and sends it when the
// statement reaches its size limit. A statement of n rows always has the
// same text, so it is prepared once per transaction and only bound and run
// after that, rather than parsed again for every batch. (The inserts are
// flushed together, parents first, so on PostgreSQL they flush at
// different row counts: a few shapes each.)
type bulkInsert struct {
	engine  Engine
	prefix  string
	columns int
	maxRows int
	args    []any
	rows    int
	// stmts are the prepared statements by their number of rows; the
	// transaction's end closes them.
	stmts map[int]*sql.Stmt
}

func newBulkInsert(engine Engine, prefix string, columns int) *bulkInsert {
	// PostgreSQL takes up to 65,535 parameters in a statement and binds
	// them in linear time; stay well below, as each statement is a round
	// trip. On the embedded SQLite a prepared INSERT of one row is
	// cheapest: SQLite keeps a statement journal (a temporary file,
	// written page by page) for a statement that writes several rows and
	// may fail halfway, and the driver finds each parameter's value by
	// scanning the arguments from the first, so binding a statement grows
	// with the square of its parameters (docs/performance.md, "rounds seed
	// at a million posts").
	maxRows := 1
	if engine == Postgres {
		maxRows = max(16000/columns, 1)
	}
	return &bulkInsert{engine: engine, prefix: prefix, columns: columns, maxRows: maxRows}
}

func (b *bulkInsert) add(values ...any) {
	b.args = append(b.args, values...)
	b.rows++
}

func (b *bulkInsert) isFull() bool { return b.rows >= b.maxRows }

// statement is the INSERT of rows rows.
func (b *bulkInsert) statement(rows int) string {
	var sb strings.Builder
	sb.Grow(len(b.prefix) + rows*(b.columns*4+3))
	sb.WriteString(b.prefix)
	n := 0
	for r := range rows {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := range b.columns {
			if c > 0 {
				sb.WriteByte(',')
			}
			n++
			if b.engine == Postgres {
				sb.WriteString("$" + strconv.Itoa(n))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

func (b *bulkInsert) flush(ctx context.Context, conn *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	stmt := b.stmts[b.rows]
	if stmt == nil {
		var err error
		if stmt, err = conn.PrepareContext(ctx, b.statement(b.rows)); err != nil {
			return fmt.Errorf("bulk insert: prepare %d rows: %w", b.rows, err)
		}
		if b.stmts == nil {
			b.stmts = map[int]*sql.Stmt{}
		}
		b.stmts[b.rows] = stmt
	}
	if _, err := stmt.ExecContext(ctx, b.args...); err != nil {
		return fmt.Errorf("bulk insert (%d rows): %w", b.rows, err)
	}
	clear(b.args) // let the rows' text go
	b.args = b.args[:0]
	b.rows = 0
	return nil
}

// UserIDsByUsername finds the members with the given usernames in one
// query; a username no member has is left out of the map.
func (s *Store) UserIDsByUsername(ctx context.Context, usernames []string) (map[string]int64, error) {
	ids := make(map[string]int64, len(usernames))
	// Batches keep the statement under the engines' parameter limits.
	for start := 0; start < len(usernames); start += 500 {
		var rows []struct {
			ID       int64
			Username string
		}
		batch := usernames[start:min(start+500, len(usernames))]
		if err := s.db.WithContext(ctx).Model(&User{}).Select("id, username").Where("username IN ?", batch).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("find users by username: %w", err)
		}
		for _, r := range rows {
			ids[r.Username] = r.ID
		}
	}
	return ids, nil
}

// ImportUsers creates many members with multi-row inserts, setting their
// IDs, for the demo and seed commands.
func (s *Store) ImportUsers(ctx context.Context, users []*User) error {
	for _, u := range users {
		if u.Role == "" {
			u.Role = RoleMember
		}
		if u.Status == "" {
			u.Status = StatusPending
		}
	}
	if len(users) == 0 {
		return nil
	}
	if err := s.db.WithContext(ctx).CreateInBatches(users, 50).Error; err != nil {
		return fmt.Errorf("import %d users: %w", len(users), err)
	}
	return nil
}
