// Package models holds Rounds' data: the GORM models, the one concrete Store
// that reads and writes them, and the ordered migrations that shape the
// schema. It runs on an embedded SQLite file or on PostgreSQL.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Engine names the database engine behind a Store.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the only way the rest of Rounds reaches the database.
type Store struct {
	db     *gorm.DB
	engine Engine
	hotq   *hotQueries
	root   *sql.DB // the pool, kept for stores bound to a transaction
	clock  *clock
	// changes counts this process's writes (see changes.go).
	changes *changes
	jobs    Jobs // where writes queue background work; nil queues none
	// writer queues and groups the writes on SQLite; nil on PostgreSQL.
	writer *writeLock
	// checkpointer keeps SQLite's WAL short; nil on PostgreSQL and in a
	// store bound to a transaction.
	checkpointer *walCheckpointer
}

// Errors the store returns for outcomes callers act on.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("changed by someone else")
	ErrLocked   = errors.New("topic is locked")
	// ErrBusy says a write waited its whole allowance for other writes
	// to finish (on SQLite, one writer at a time): nothing was written,
	// and the same write a moment later will most likely go through.
	ErrBusy = errors.New("the database is busy with other writes")
)

// SQLitePath is where the embedded database lives inside a data directory.
func SQLitePath(dataDir string) string { return filepath.Join(dataDir, "rounds.db") }

// Open connects to PostgreSQL when databaseURL is a postgres URL, and
// otherwise to the SQLite file in dataDir (created if missing). It does not
// migrate; call Migrate.
func Open(ctx context.Context, databaseURL, dataDir string, log *slog.Logger) (*Store, error) {
	clock := &clock{}
	cfg := &gorm.Config{
		Logger:                 newGormLogger(log),
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                clock.nowUTC,
	}
	var (
		db           *gorm.DB
		engine       Engine
		writer       *writeLock
		checkpointer *walCheckpointer
		err          error
	)
	switch {
	case databaseURL == "":
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", dataDir, err)
		}
		engine = SQLite
		if sqlitePageCacheErr != nil {
			// Slower, not wrong: SQLite allocates its pages one by one.
			log.Warn("SQLite page cache buffer not set up", "err", sqlitePageCacheErr)
		}
		var pool *sql.DB
		if pool, writer, checkpointer, err = openSQLite(sqliteDSN(SQLitePath(dataDir)), log); err != nil {
			break
		}
		if db, err = gorm.Open(&sqlite.Dialector{Conn: pool}, cfg); err != nil {
			_ = checkpointer.close() // the open error is the one worth reporting
			_ = pool.Close()
		}
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		db, err = gorm.Open(postgres.Open(databaseURL), cfg)
		engine = Postgres
	default:
		return nil, fmt.Errorf("unsupported database URL scheme in %q: want postgres:// or empty for SQLite", redactURL(databaseURL))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	switch engine {
	case SQLite:
		// One file, many readers thanks to WAL; writers queue in Go for the
		// one write lock (sqlite_writer.go), and every transaction takes it
		// up front so two writers never deadlock upgrading from a read lock.
		sqlDB.SetMaxOpenConns(sqliteMaxConns)
		sqlDB.SetMaxIdleConns(sqliteMaxConns)
	case Postgres:
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{db: db, engine: engine, hotq: &hotQueries{}, clock: clock, changes: &changes{}, writer: writer,
		checkpointer: checkpointer}
	if err := countChanges(db, s.changes); err != nil {
		_ = s.Close() // the registration error is the one worth reporting
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close() // the ping error is the one worth reporting
		return nil, err
	}
	return s, nil
}

// sqliteMaxConns is the size of the SQLite connection pool: each
// connection may hold up to cache_size pages (sqliteDSN) of SQLite's page
// cache (sqlite_pagecache.go).
const sqliteMaxConns = 8

// sqliteCacheKiB is the page cache of each SQLite connection, in KiB.
const sqliteCacheKiB = 4096

// sqliteDSN turns on WAL, a busy timeout, foreign keys, immediate write
// transactions and a bounded page cache for every connection in the pool.
//
// It leaves mmap_size at 0: SQLite reads the file with pread. A mapping
// saved those system calls only until the next commit: in WAL mode a
// connection that finds the database changed since its last read unmaps
// the whole file, so every write (once a second at least, for the reading
// positions) made every connection take a page fault again for each page
// it touched, ten or more a topic page at 1M posts. Measured alternated at
// 1M (docs/performance.md): reads through the page cache buffer
// (sqlite_pagecache.go) cost a topic page about half the CPU.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	// FULL: a post acknowledged to its author survives a power cut too.
	// NORMAL would sync the WAL only at checkpoints at the price of losing
	// the last acknowledged posts to a power cut, and Rounds never loses
	// what someone wrote to go faster. A group commit's host alone runs
	// its group's COMMIT with NORMAL and syncs the WAL itself before any
	// member is told, once it has passed the write lock on
	// (sqlite_walsync.go).
	q.Add("_pragma", "synchronous(FULL)")
	// No checkpoint inside a COMMIT, while the writer holds the write
	// lock: the store's checkpointer runs them beside the writers
	// (sqlite_checkpoint.go).
	q.Add("_pragma", "wal_autocheckpoint(0)")
	// A bound on each of the pool's connections' pages in SQLite's page
	// cache, outside Go's heap: 32 MB each held 256 MB of a server's memory once a large
	// database had filled them, to save reads that the kernel's page cache
	// (shared, and not the server's memory) answers from memory anyway
	// (docs/performance.md).
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", sqliteCacheKiB))
	q.Add("_txlock", "immediate")
	// Times are written as "2006-01-02 15:04:05.999999999-07:00", which
	// SQLite's date functions read (the driver's default is Go's String).
	q.Add("_time_format", "sqlite")
	return "file:" + uriPath(path) + "?" + q.Encode()
}

// uriPath writes a file's path as the path of a SQLite URI filename: the
// characters that would end it or start an escape ('?', '#', '%') are
// percent-encoded, so a data directory named "rounds#2" opens its own
// database rather than the file "rounds".
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// clock is the site's clock, which stamps everything the store writes.
// It is time.Now unless SetClock gives another, as tests do to run on a
// day of their choosing.
type clock struct {
	now atomic.Pointer[func() time.Time]
}

// nowUTC reads the clock as the store keeps times: UTC, to the
// microsecond, which is what PostgreSQL keeps and what page cursors carry,
// so a time read back compares equal to the one written on both engines.
func (c *clock) nowUTC() time.Time {
	if now := c.now.Load(); now != nil {
		return storeTime((*now)())
	}
	return storeTime(time.Now())
}

// Now is the site's clock, as the store stamps what it writes with it.
// Everything that compares with those stamps (digest periods, sessions,
// the age of a post) reads this clock too.
func (s *Store) Now() time.Time { return s.clock.nowUTC() }

// SetClock replaces the store's clock: tests run the site on a fixed day.
func (s *Store) SetClock(now func() time.Time) { s.clock.now.Store(&now) }

// storeTime is t as the store keeps it.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Engine says which database the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// DB exposes the GORM handle for migrations tooling and tests.
func (s *Store) DB() *gorm.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("database handle: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", s.engine, err)
	}
	return nil
}

// Close stops the WAL's checkpointer and releases the connection pool.
func (s *Store) Close() error {
	s.hotq.close()
	var stopped error
	if s.checkpointer != nil {
		stopped = s.checkpointer.close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("database handle: %w", err)
	}
	closed := sqlDB.Close()
	if s.writer != nil {
		closed = errors.Join(closed, s.writer.closeWAL())
	}
	return errors.Join(closed, stopped)
}

// redactURL hides a password in a database URL before it reaches a log or
// an error message.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// notFound maps GORM's not-found onto ours, wrapping everything else.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.Default()
	}
	return &gormLogger{log: log, slow: 200 * time.Millisecond}
}

func (l *gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (l *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (l *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// Trace reports slow queries only; errors are returned to and logged by the
// caller with more context than GORM has.
func (l *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if elapsed := time.Since(begin); elapsed >= l.slow {
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "elapsed", elapsed, "rows", rows, "sql", sql)
	}
}

// InTransaction runs fn with a store whose every write joins one
// transaction: all of fn's writes land together or not at all.
func (s *Store) InTransaction(ctx context.Context, fn func(tx *Store) error) error {
	// Counted again once committed: a read between a write's statement
	// and its commit could otherwise be cached as if it were current.
	defer s.NoteChange()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		bound, err := s.bound(tx)
		if err != nil {
			return err
		}
		return fn(bound)
	})
}

// bound is the store with its every write joining the transaction tx.
func (s *Store) bound(tx *gorm.DB) (*Store, error) {
	root, err := s.pool()
	if err != nil {
		return nil, err
	}
	return &Store{db: tx, engine: s.engine, hotq: s.hotq, root: root, clock: s.clock, changes: s.changes, jobs: s.jobs, writer: s.writer}, nil
}

// pool is the connection pool behind the store, also when the store is
// bound to a transaction.
func (s *Store) pool() (*sql.DB, error) {
	if s.root != nil {
		return s.root, nil
	}
	return s.db.DB()
}
