package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
)

// SQLite takes one writer at a time. Left to itself, a writer that finds
// the database taken retries on SQLite's busy handler, which sleeps between
// tries for up to 100 ms at a time and serves no one in order: under many
// concurrent writers most wait a few milliseconds and some wait seconds.
// The store's SQLite connections instead queue their writers in Go, in
// arrival order, on one lock per database: a write transaction (every
// transaction begins IMMEDIATE, taking SQLite's write lock at BEGIN) holds
// it from BEGIN to COMMIT or ROLLBACK, and a statement that writes outside
// a transaction holds it while it runs. SQLite's own locking still applies
// underneath, with its busy timeout, for writers in other processes (the
// rounds command line beside a running server).

// writeWait is how long a writer waits for the database before giving up,
// as long as SQLite's busy timeout (sqliteDSN).
const writeWait = 10 * time.Second

// errWriterBusy is returned when a writer waited writeWait in vain.
var errWriterBusy = errors.New("the database is busy with other writes")

// writeLock is the queue of one database's writers: a channel of one slot,
// whose waiting senders Go serves first come, first served.
type writeLock struct{ slot chan struct{} }

func newWriteLock() *writeLock { return &writeLock{slot: make(chan struct{}, 1)} }

func (w *writeLock) acquire(ctx context.Context) error {
	select {
	case w.slot <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(writeWait)
	defer timer.Stop()
	select {
	case w.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return fmt.Errorf("sqlite: waited %s: %w", writeWait, errWriterBusy)
	}
}

func (w *writeLock) release() { <-w.slot }

// openSQLite opens the pool of connections to the SQLite database at dsn,
// each queueing its writes on one writeLock.
func openSQLite(dsn string) (*sql.DB, error) {
	// The driver registered under "sqlite" by the SQLite dialector.
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	if err := probe.Close(); err != nil {
		return nil, err
	}
	return sql.OpenDB(&sqliteConnector{dsn: dsn, drv: drv, lock: newWriteLock()}), nil
}

type sqliteConnector struct {
	dsn  string
	drv  driver.Driver
	lock *writeLock
}

func (c *sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{conn: conn, lock: c.lock}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is one connection; database/sql uses a connection from one
// goroutine at a time, so inTx needs no guard.
type sqliteConn struct {
	conn driver.Conn
	lock *writeLock
	inTx bool
}

// The SQLite driver implements these; the wrapper hands them on.
type sqliteDriverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

func (c *sqliteConn) inner() (sqliteDriverConn, error) {
	conn, ok := c.conn.(sqliteDriverConn)
	if !ok {
		return nil, fmt.Errorf("sqlite: the driver's connection %T lacks the context methods", c.conn)
	}
	return conn, nil
}

func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	stmt, err := conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &sqliteStmt{Stmt: stmt, conn: c, writes: writesData(query)}, nil
}

func (c *sqliteConn) Close() error { return c.conn.Close() }

func (c *sqliteConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx queues for the write lock unless the transaction only reads.
func (c *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	if opts.ReadOnly {
		tx, err := conn.BeginTx(ctx, opts)
		if err != nil {
			return nil, err
		}
		c.inTx = true
		return &sqliteTx{Tx: tx, conn: c}, nil
	}
	if err := c.lock.acquire(ctx); err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		c.lock.release()
		return nil, err
	}
	c.inTx = true
	return &sqliteTx{Tx: tx, conn: c, locked: true}, nil
}

func (c *sqliteConn) Ping(ctx context.Context) error {
	conn, err := c.inner()
	if err != nil {
		return err
	}
	return conn.Ping(ctx)
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	unlock, err := c.lockWrite(ctx, writesData(query))
	if err != nil {
		return nil, err
	}
	defer unlock()
	return conn.ExecContext(ctx, query, args)
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	unlock, err := c.lockWrite(ctx, writesData(query))
	if err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, query, args)
	if err != nil {
		unlock()
		return nil, err
	}
	return wrapRows(rows, unlock, writesData(query) && !c.inTx), nil
}

// lockWrite takes the write lock for a statement that writes outside a
// transaction (inside one, the transaction holds it already), and gives
// back what releases it.
func (c *sqliteConn) lockWrite(ctx context.Context, writes bool) (func(), error) {
	if !writes || c.inTx {
		return func() {}, nil
	}
	if err := c.lock.acquire(ctx); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(c.lock.release) }, nil
}

// sqliteTx releases the write lock once the transaction has ended.
type sqliteTx struct {
	driver.Tx
	conn   *sqliteConn
	locked bool
}

func (t *sqliteTx) Commit() error {
	defer t.end()
	return t.Tx.Commit()
}

func (t *sqliteTx) Rollback() error {
	defer t.end()
	return t.Tx.Rollback()
}

func (t *sqliteTx) end() {
	t.conn.inTx = false
	if t.locked {
		t.locked = false
		t.conn.lock.release()
	}
}

// sqliteStmt is a prepared statement; one that writes takes the write lock
// as the connection's statements do.
type sqliteStmt struct {
	driver.Stmt
	conn   *sqliteConn
	writes bool
}

type sqliteDriverStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

func (s *sqliteStmt) inner() (sqliteDriverStmt, error) {
	stmt, ok := s.Stmt.(sqliteDriverStmt)
	if !ok {
		return nil, fmt.Errorf("sqlite: the driver's statement %T lacks the context methods", s.Stmt)
	}
	return stmt, nil
}

func (s *sqliteStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

func (s *sqliteStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

func (s *sqliteStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	stmt, err := s.inner()
	if err != nil {
		return nil, err
	}
	unlock, err := s.conn.lockWrite(ctx, s.writes)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return stmt.ExecContext(ctx, args)
}

func (s *sqliteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	stmt, err := s.inner()
	if err != nil {
		return nil, err
	}
	unlock, err := s.conn.lockWrite(ctx, s.writes)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args)
	if err != nil {
		unlock()
		return nil, err
	}
	return wrapRows(rows, unlock, s.writes && !s.conn.inTx), nil
}

func namedValues(args []driver.Value) []driver.NamedValue {
	named := make([]driver.NamedValue, len(args))
	for i, v := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return named
}

// sqliteRows holds a writing statement's lock until its rows are closed:
// an INSERT … RETURNING writes as its rows are read. It describes its
// columns as the driver's rows do.
type sqliteRows struct {
	rows   sqliteDriverRows
	unlock func()
}

type sqliteDriverRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// wrapRows gives back rows that release unlock when closed, or the
// driver's rows as they are when no lock was taken.
func wrapRows(rows driver.Rows, unlock func(), locked bool) driver.Rows {
	described, ok := rows.(sqliteDriverRows)
	if !locked || !ok {
		if locked {
			unlock() // the statement has run; nothing to hold it for
		}
		return rows
	}
	return &sqliteRows{rows: described, unlock: unlock}
}

func (r *sqliteRows) Columns() []string              { return r.rows.Columns() }
func (r *sqliteRows) Next(dest []driver.Value) error { return r.rows.Next(dest) }
func (r *sqliteRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.rows.ColumnTypeDatabaseTypeName(i)
}
func (r *sqliteRows) ColumnTypeLength(i int) (int64, bool)  { return r.rows.ColumnTypeLength(i) }
func (r *sqliteRows) ColumnTypeNullable(i int) (bool, bool) { return r.rows.ColumnTypeNullable(i) }
func (r *sqliteRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.rows.ColumnTypePrecisionScale(i)
}
func (r *sqliteRows) ColumnTypeScanType(i int) reflect.Type { return r.rows.ColumnTypeScanType(i) }

func (r *sqliteRows) Close() error {
	defer r.unlock()
	return r.rows.Close()
}

// writesData says whether a statement changes the database: its first word,
// past comments (River's statements begin with one), is one of SQLite's
// writing statements. A statement taken for a read when it writes (one
// starting with WITH) is still safe: it waits on SQLite's busy timeout
// instead.
func writesData(query string) bool {
	q := query
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		switch {
		case strings.HasPrefix(q, "--"):
			end := strings.IndexByte(q, '\n')
			if end < 0 {
				return false
			}
			q = q[end+1:]
			continue
		case strings.HasPrefix(q, "/*"):
			end := strings.Index(q, "*/")
			if end < 0 {
				return false
			}
			q = q[end+2:]
			continue
		}
		break
	}
	end := strings.IndexAny(q, " \t\r\n(/")
	if end < 0 {
		end = len(q)
	}
	switch strings.ToUpper(q[:end]) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER":
		return true
	}
	return false
}
