package models

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"slices"
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
		firstPostID := postID
		topicRows := newBulkInsert(s.engine, "topics", "id bigint", "board_id bigint", "kind text", "title text",
			"slug text", "author_id bigint", "pinned boolean", "locked boolean", "post_count integer",
			"bumped_at timestamptz", "created_at timestamptz", "updated_at timestamptz")
		tagRows := newBulkInsert(s.engine, "topic_tags", "topic_id bigint", "tag text")
		postRows := newBulkInsert(s.engine, "posts", "id bigint", "topic_id bigint", "number integer",
			"author_id bigint", "source text", "cooked text", "plain text", "version integer",
			"created_at timestamptz", "updated_at timestamptz")
		revRows := newBulkInsert(s.engine, "post_revisions", "id bigint", "post_id bigint", "version integer",
			"title text", "source text", "editor_id bigint", "created_at timestamptz")
		// One search outbox row per topic: the indexers read its posts.
		outboxRows := newBulkInsert(s.engine, "search_outbox", "topic_id bigint", "created_at timestamptz")
		// Parents go before children, so foreign keys hold at every statement.
		inserts := []*bulkInsert{topicRows, tagRows, postRows, revRows, outboxRows}
		// Closed with the import, not left to the transaction's end: inside
		// BulkLoad's one transaction they would pile up import after import.
		defer func() {
			for _, b := range inserts {
				if b.stmt != nil {
					_ = b.stmt.Close()
				}
			}
		}()
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
		var err error
		if s.engine == Postgres {
			err = importMemberCounts(ctx, conn, counts)
		} else {
			err = addMemberCounts(tx, nil, counts)
		}
		if err != nil {
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
			// Statistics within a factor of two serve the planner as well,
			// so ANALYZE runs when the posts cross a power of two: a seed
			// of a million in imports of 10,000 analyses 8 times, not 100
			// (at 1M each ANALYZE took about as long as the import).
			if analyzeAfterImport(firstPostID, postID) {
				if _, err := conn.ExecContext(ctx, `ANALYZE topics, topic_tags, posts`); err != nil {
					return fmt.Errorf("import: analyze: %w", err)
				}
			}
		}
		return nil
	})
}

// BulkLoad runs load, a run of ImportTopics on the store it is given,
// and then SettleImports. On PostgreSQL, when there are no posts yet (a
// fresh database being seeded), it does all of it in one transaction that
// first drops the secondary indexes and the foreign keys of posts and
// post_revisions and makes them again, as they were, once load is done:
// a sort a index and a join a key instead of a million random inserts
// into posts_created and four trigger queries a post (half of a 200,000
// post seed's PostgreSQL CPU). Whatever fails rolls back all of it, the
// dropped indexes and keys too. The tables are locked for the whole load,
// which is why it is only done on a database with no posts. Elsewhere,
// and on SQLite, load runs on the store as it is.
func (s *Store) BulkLoad(ctx context.Context, load func(st *Store) error) error {
	empty := false
	if s.engine == Postgres {
		if err := s.db.WithContext(ctx).Raw(`SELECT NOT EXISTS (SELECT 1 FROM posts)`).Row().Scan(&empty); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
	}
	if !empty {
		if err := load(s); err != nil {
			return err
		}
		return s.SettleImports(ctx)
	}
	err := s.InTransaction(ctx, func(bound *Store) error {
		// Without a savepoint an import: a row that imports in different
		// savepoints update or lock (a member's counts, a board's, the
		// members and boards the topics' keys lock) gets a MultiXact for
		// each, and every later upsert read them all back (at 800,000
		// posts, 40 % of PostgreSQL's CPU in GetMultiXactIdMembers). A
		// failed import fails the whole load anyway.
		tx := *bound
		tx.db = bound.db.Session(&gorm.Session{DisableNestedTransaction: true})
		remake, err := tx.dropImportIndexes(ctx)
		if err != nil {
			return err
		}
		if err := load(&tx); err != nil {
			return err
		}
		for _, stmt := range remake {
			if err := tx.db.WithContext(ctx).Exec(stmt).Error; err != nil {
				return fmt.Errorf("bulk load: %s: %w", stmt, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.SettleImports(ctx)
}

// dropImportIndexes drops, in the store's transaction on PostgreSQL, the
// foreign keys of posts and post_revisions and their indexes that back no
// constraint (not the primary keys), and returns the statements that make
// them again as the catalog defines them: indexes first, then the keys.
func (s *Store) dropImportIndexes(ctx context.Context) ([]string, error) {
	db := s.db.WithContext(ctx)
	var indexes []struct{ Name, Def string }
	err := db.Raw(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
		FROM pg_index i
		WHERE i.indrelid IN ('posts'::regclass, 'post_revisions'::regclass)
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY 1`).Scan(&indexes).Error
	if err != nil {
		return nil, fmt.Errorf("bulk load: list indexes: %w", err)
	}
	var keys []struct{ Rel, Name, Def string }
	err = db.Raw(`SELECT conrelid::regclass::text AS rel, conname AS name, pg_get_constraintdef(oid) AS def
		FROM pg_constraint
		WHERE contype = 'f' AND conrelid IN ('posts'::regclass, 'post_revisions'::regclass)
		ORDER BY 1, 2`).Scan(&keys).Error
	if err != nil {
		return nil, fmt.Errorf("bulk load: list foreign keys: %w", err)
	}
	// Sorting a million rows' keys in memory rather than in runs on disk.
	remake := []string{`SET LOCAL maintenance_work_mem = '256MB'`}
	for _, k := range keys {
		if err := db.Exec(`ALTER TABLE ` + k.Rel + ` DROP CONSTRAINT ` + k.Name).Error; err != nil {
			return nil, fmt.Errorf("bulk load: drop %s: %w", k.Name, err)
		}
	}
	for _, ix := range indexes {
		if err := db.Exec(`DROP INDEX ` + ix.Name).Error; err != nil {
			return nil, fmt.Errorf("bulk load: drop %s: %w", ix.Name, err)
		}
		remake = append(remake, ix.Def)
	}
	for _, k := range keys {
		remake = append(remake, `ALTER TABLE `+k.Rel+` ADD CONSTRAINT `+k.Name+` `+k.Def)
	}
	return remake, nil
}

// SettleImports readies the tables a run of imports wrote for reading, for
// the seed command to call after its last import. On PostgreSQL that is
// VACUUM (ANALYZE): rows bulk-loaded and never vacuumed cost every later
// read its visibility checks (the hint bits each first read sets, and no
// index-only scans without the visibility map), and tables the imports do
// not analyze (the members, the revisions, the counts) keep the planner's
// guesses for empty tables; a server with autovacuum off would keep them
// so for good. SQLite has nothing to settle.
func (s *Store) SettleImports(ctx context.Context) error {
	if s.engine != Postgres {
		return nil
	}
	// The tables ImportTopics writes, and the members who wrote.
	err := s.db.WithContext(ctx).Exec(`VACUUM (ANALYZE) topics, topic_tags, posts, post_revisions, search_outbox,
		member_board_counts, boards, users`).Error
	if err != nil {
		return fmt.Errorf("vacuum imported tables: %w", err)
	}
	return nil
}

// importMemberCounts adds an import's topics and replies to their
// authors' kept counts on PostgreSQL in one statement, where
// addMemberCounts sends one a member and board: a seed's import of 10,000
// posts by 500 members over a dozen boards was thousands of round trips.
// The rows go in key order, as concurrent upserts should.
func importMemberCounts(ctx context.Context, conn *sql.Tx, counts map[memberKey]memberCount) error {
	keys := make([]memberKey, 0, len(counts))
	for k, c := range counts {
		if c.Topics != 0 || c.Replies != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b memberKey) int {
		return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.board, b.board))
	})
	users, boards, topics, replies := make([]int64, len(keys)), make([]int64, len(keys)), make([]int64, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		c := counts[k]
		users[i], boards[i], topics[i], replies[i] = k.user, k.board, c.Topics, c.Replies
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO member_board_counts (`+memberCountColumns+`)
		SELECT u, b, t, r, 0, 0, 0, 0, 0, 0, 0, 0
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS x(u, b, t, r)
		ON CONFLICT (user_id, board_id) DO UPDATE SET
			topics = member_board_counts.topics + excluded.topics,
			replies = member_board_counts.replies + excluded.replies`, users, boards, topics, replies)
	if err != nil {
		return fmt.Errorf("keep %d members' counts: %w", len(keys), err)
	}
	return nil
}

// analyzeAfterImport says whether an import that took the posts' highest
// id from before to after should refresh the planner's statistics: when
// the count crossed a power of two, so they are never more than a factor
// of two behind the table.
func analyzeAfterImport(before, after int64) bool {
	return bits.Len64(uint64(before)) != bits.Len64(uint64(after))
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

// bulkInsert gathers rows for one table and sends them in as few
// statements as the engine does best. A statement always has the same
// text, so it is prepared once per transaction and only bound and run
// after that, rather than parsed again for every batch.
//
// On SQLite it is an INSERT of one row: SQLite keeps a statement journal
// (a temporary file, written page by page) for a statement that writes
// several rows and may fail halfway, and the driver finds each parameter's
// value by scanning the arguments from the first, so binding a statement
// grows with the square of its parameters (docs/performance.md, "rounds
// seed at a million posts").
//
// On PostgreSQL it is an INSERT … SELECT FROM unnest of one array a
// column: a statement of a fixed dozen parameters whatever its rows,
// which pgx sends in binary, where a multi-row VALUES of thousands of
// parameters cost PostgreSQL its parsing and planning on every batch
// (docs/performance.md, "PostgreSQL at a million posts").
type bulkInsert struct {
	engine Engine
	// query is the whole statement.
	query string
	// types are the columns' PostgreSQL types (bigint, integer, text,
	// boolean, timestamptz), which say what each column's array holds.
	types   []string
	maxRows int
	args    []any
	rows    int
	// stmt is the prepared statement; ImportTopics closes it when its import ends.
	stmt *sql.Stmt
}

// newBulkInsert is the insert into table of columns, each "name type"
// with the column's PostgreSQL type.
func newBulkInsert(engine Engine, table string, columns ...string) *bulkInsert {
	names := make([]string, len(columns))
	types := make([]string, len(columns))
	for i, c := range columns {
		names[i], types[i], _ = strings.Cut(c, " ")
	}
	b := &bulkInsert{engine: engine, types: types, maxRows: 1}
	prefix := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") "
	if engine != Postgres {
		b.query = prefix + "VALUES (" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
		return b
	}
	arrays := make([]string, len(columns))
	for i, t := range types {
		arrays[i] = "$" + strconv.Itoa(i+1) + "::" + t + "[]"
	}
	b.query = prefix + "SELECT * FROM unnest(" + strings.Join(arrays, ", ") + ")"
	// Large enough that a seed's chunk of 10,000 posts is a statement or
	// two a table, small enough to keep a batch's arrays a few MB.
	b.maxRows = 5000
	return b
}

func (b *bulkInsert) add(values ...any) {
	b.args = append(b.args, values...)
	b.rows++
}

func (b *bulkInsert) isFull() bool { return b.rows >= b.maxRows }

// columnArrays turns the rows gathered, row after row, into one typed
// slice a column, for unnest.
func (b *bulkInsert) columnArrays() ([]any, error) {
	n := len(b.types)
	out := make([]any, n)
	for c, t := range b.types {
		var err error
		switch t {
		case "bigint", "integer":
			out[c], err = column(b, c, func(v any) (int64, bool) {
				switch x := v.(type) {
				case int64:
					return x, true
				case int:
					return int64(x), true
				}
				return 0, false
			})
		case "text":
			out[c], err = column(b, c, func(v any) (string, bool) { x, ok := v.(string); return x, ok })
		case "boolean":
			out[c], err = column(b, c, func(v any) (bool, bool) { x, ok := v.(bool); return x, ok })
		case "timestamptz":
			out[c], err = column(b, c, func(v any) (time.Time, bool) { x, ok := v.(time.Time); return x, ok })
		default:
			err = fmt.Errorf("bulk insert: no arrays of type %s", t)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// column gathers column c of every row, each value converted by as.
func column[T any](b *bulkInsert, c int, as func(any) (T, bool)) ([]T, error) {
	n := len(b.types)
	vals := make([]T, b.rows)
	for r := range b.rows {
		v, ok := as(b.args[r*n+c])
		if !ok {
			return nil, fmt.Errorf("bulk insert: column %d of row %d is a %T, not %s", c+1, r+1, b.args[r*n+c], b.types[c])
		}
		vals[r] = v
	}
	return vals, nil
}

func (b *bulkInsert) flush(ctx context.Context, conn *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	if b.stmt == nil {
		var err error
		if b.stmt, err = conn.PrepareContext(ctx, b.query); err != nil {
			return fmt.Errorf("bulk insert: prepare: %w", err)
		}
	}
	args := b.args
	if b.engine == Postgres {
		var err error
		if args, err = b.columnArrays(); err != nil {
			return err
		}
	}
	if _, err := b.stmt.ExecContext(ctx, args...); err != nil {
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
