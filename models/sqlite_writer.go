package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite takes one writer at a time. Left to itself, a writer that finds
// the database taken retries on SQLite's busy handler, which sleeps between
// tries for up to 100 ms at a time and serves no one in order: under many
// concurrent writers most wait a few milliseconds and some wait seconds.
// The store's SQLite connections instead queue their writers in Go, in
// arrival order, on one lock per database: a write transaction holds it
// from BEGIN to COMMIT or ROLLBACK, and a statement that writes outside a
// transaction holds it while it runs. SQLite's own locking still applies
// underneath, with its busy timeout, for writers in other processes (the
// rounds command line beside a running server).
//
// Write transactions that queue behind one another share one commit (group
// commit). With synchronous=FULL every COMMIT syncs the WAL to disk, a few
// milliseconds in which the writer holds the lock and nobody writes; one
// sync for several transactions lifts that cap on writes a second. The
// first write transaction of a group begins the one SQLite transaction
// (BEGIN IMMEDIATE) on its own connection, the group's host; every later
// member runs inside its own SAVEPOINT on the host's connection, so a
// member that rolls back undoes only its own writes. The host needs none:
// it is alone in the group until it ends, so undoing its writes is
// rolling the group's transaction back. When
// a member ends, the lock passes to the next writer in the queue with the
// group still open, as long as someone is waiting and the group has room
// (commitGroupWrites, commitGroupOpen); otherwise the group's one COMMIT
// ends it. A member's Commit returns only once that COMMIT has succeeded
// and the WAL holding it is synced to disk, and every member gets the error
// if either failed: nothing is acknowledged before it is on disk, and
// nothing acknowledged is lost. The sync runs after the lock has passed
// on (sqlite_walsync.go). A member sees the
// writes of the members before it in its group, which are either all
// committed with its own or all fail with it. A writing statement outside
// a transaction joins as a member of its own, in a savepoint of its own;
// one whose rows are read as it runs (INSERT … RETURNING) cannot, and
// commits the open group before it runs on its own connection.

// writeWait is how long a writer waits for the database before giving up,
// as long as SQLite's busy timeout (sqliteDSN).
const writeWait = 10 * time.Second

// A group commit takes at most commitGroupWrites transactions, and no new
// member once it has been open commitGroupOpen, so that its first members
// wait for its commit no longer than that. Members waiting for the commit
// hold their pooled connections, so a group stays smaller than the pool
// (sqliteMaxConns): a member that reads through the pool inside its
// transaction always finds a connection free or freed.
const (
	commitGroupWrites = sqliteMaxConns - 2
	commitGroupOpen   = 10 * time.Millisecond
)

// errWriterBusy is returned when a writer waited writeWait in vain.
var errWriterBusy = ErrBusy

// writeLock is the queue of one database's writers, served first come,
// first served, and the group commit its holders share.
type writeLock struct {
	mu      sync.Mutex
	held    bool
	waiters []*lockWaiter
	// Only the lock's holder touches these.
	group      *commitGroup
	savepoints uint64 // names each member's savepoint
	maxWrites  int
	maxOpen    time.Duration
	now        func() time.Time
	counts     writeCounts
	// committed is told, without waiting, of each commit: the WAL has
	// grown (walCheckpointer).
	committed chan struct{}
	// wal is the database's WAL, which groups sync themselves once they
	// have passed the lock on (sqlite_walsync.go); nil when the database
	// has none, and then SQLite syncs inside each COMMIT. The first group
	// looks for it (walChecked).
	wal        *walFile
	walChecked bool
	// failed is the first failed sync of the WAL, after which no write is
	// taken (acquire): the kernel may have dropped pages it could not
	// write, and a later sync that succeeds does not bring them back.
	// Guarded by mu.
	failed error
}

// writeCounts counts what reached the disk: each commit is one sync of
// the WAL.
type writeCounts struct {
	writes atomic.Uint64 // write transactions and statements committed in groups
	groups atomic.Uint64 // the groups' commits
	alone  atomic.Uint64 // writing queries committed on their own
}

type lockWaiter struct{ granted chan struct{} }

// commitGroup is one SQLite transaction shared by several write
// transactions.
type commitGroup struct {
	host  sqliteDriverConn // the connection the transaction runs on
	owner *sqliteConn      // the pool's connection wrapping host
	stmts *stmtCache       // the host's compiled statements
	// wal, when set, is synced after the group's COMMIT (with
	// synchronous=NORMAL on the host) and before its members are told.
	wal     *walFile
	tx      driver.Tx
	began   time.Time
	joined  int // members so far
	pending int // members that committed their savepoint and wait for the commit
	// done is closed once the group has ended; err is then its outcome.
	done chan struct{}
	err  error
}

// groupMember is one write transaction of a group.
type groupMember struct {
	group     *commitGroup
	savepoint string
	hosts     bool // its connection is the group's host
}

func newWriteLock() *writeLock {
	return &writeLock{maxWrites: commitGroupWrites, maxOpen: commitGroupOpen, now: time.Now,
		committed: make(chan struct{}, 1)}
}

// acquire waits for the lock, in arrival order.
func (w *writeLock) acquire(ctx context.Context) error {
	w.mu.Lock()
	if w.failed != nil {
		err := w.failed
		w.mu.Unlock()
		return fmt.Errorf("sqlite: no writes since an earlier sync of the WAL failed, until restarted: %w", err)
	}
	if !w.held {
		w.held = true
		w.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		w.mu.Unlock()
		return err
	}
	me := &lockWaiter{granted: make(chan struct{})}
	w.waiters = append(w.waiters, me)
	w.mu.Unlock()
	timer := time.NewTimer(writeWait)
	defer timer.Stop()
	var err error
	select {
	case <-me.granted:
		return nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = fmt.Errorf("sqlite: waited %s: %w", writeWait, errWriterBusy)
	}
	w.mu.Lock()
	if i := slices.Index(w.waiters, me); i >= 0 {
		w.waiters = slices.Delete(w.waiters, i, i+1)
		w.mu.Unlock()
		return err
	}
	w.mu.Unlock()
	// The lock was handed over as this writer gave up: pass it on.
	w.release()
	return err
}

// release passes the lock to the next writer in the queue. An open group
// stays open for that writer while it has room; otherwise it is committed
// here, before the lock passes on, and when no one waits.
func (w *writeLock) release() {
	w.mu.Lock()
	if g := w.group; g != nil && len(w.waiters) > 0 && g.joined < w.maxWrites && w.now().Sub(g.began) < w.maxOpen {
		w.grantNext()
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	ended := w.endGroup()
	w.mu.Lock()
	if len(w.waiters) > 0 {
		w.grantNext()
	} else {
		w.held = false
	}
	w.mu.Unlock()
	// The next writer runs while the WAL syncs.
	w.tell(ended)
}

// grantNext hands the lock to the first waiter; w.mu is held.
func (w *writeLock) grantNext() {
	next := w.waiters[0]
	w.waiters = slices.Delete(w.waiters, 0, 1)
	close(next.granted)
}

// join makes the holder's write transaction a member of the open group, or
// begins a group on conn, the inner connection of owner (the holder's
// pool connection, whose compiled statements the group uses), when none is
// open.
func (w *writeLock) join(owner *sqliteConn, conn sqliteDriverConn, opts driver.TxOptions) (*groupMember, error) {
	hosts := false
	if w.group == nil {
		if !w.walChecked {
			wal, err := findWAL(conn)
			if err != nil {
				return nil, fmt.Errorf("sqlite: find the WAL: %w", err)
			}
			w.mu.Lock() // for closeWAL
			w.wal, w.walChecked = wal, true
			w.mu.Unlock()
		}
		// A member's savepoint journals the first change to each page it
		// writes. SQLite keeps that journal in memory up to 64 KiB and then
		// in a temporary file, created, written page by page and deleted
		// for each member, since a reply changes more pages than that
		// (the post, its revision, the notification, the outbox entry, the
		// topic and board and their indexes): a tenth of the server's CPU
		// under the reply phase went to it. temp_store = MEMORY while the
		// group's transaction begins keeps it in memory (SQLite decides at
		// BEGIN); set back once the group ends (restoreTempStore), so that
		// large sorts outside groups still spill to files.
		if _, err := conn.ExecContext(context.Background(), "PRAGMA temp_store = MEMORY", nil); err != nil {
			return nil, err
		}
		g := &commitGroup{host: conn, owner: owner, stmts: owner.stmts, done: make(chan struct{})}
		if w.wal != nil {
			// The group syncs the WAL itself once it has passed the lock
			// on (tell); if the host cannot leave that to it, SQLite syncs
			// inside the COMMIT as before.
			if _, err := conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL", nil); err == nil {
				g.wal = w.wal
			}
		}
		// The outer transaction outlives the request that began it, which
		// may end before the group commits.
		tx, err := conn.BeginTx(context.Background(), opts)
		if err != nil {
			restoreHost(g)
			return nil, err
		}
		g.tx, g.began = tx, w.now()
		w.group = g
		hosts = true
	}
	g := w.group
	g.joined++
	if hosts {
		// No savepoint: a savepoint journals the first change it makes to
		// each page, which for a large write (rounds seed's imports of
		// 10,000 posts, a quarter of its CPU at a million posts) is a copy
		// of most pages it writes, held in memory until it ends.
		return &groupMember{group: g, hosts: true}, nil
	}
	w.savepoints++
	savepoint := "rounds_write_" + strconv.FormatUint(w.savepoints, 10)
	if _, err := g.host.ExecContext(context.Background(), "SAVEPOINT "+savepoint, nil); err != nil {
		err = fmt.Errorf("sqlite: begin a grouped write: %w", err)
		w.abandonGroup(err)
		return nil, err
	}
	return &groupMember{group: g, savepoint: savepoint}, nil
}

// leave ends the holder's membership, keeping its writes (commit) or
// undoing them, then passes the lock on. A member that kept its writes
// waits for the group's commit and returns its outcome; the host waits for
// the group to end in any case, as the group runs on its connection.
func (w *writeLock) leave(m *groupMember, commit bool) error {
	g := m.group
	var err error
	switch {
	case m.hosts && !commit:
		// The host is its group's only member until it leaves (join):
		// the group ends with it, rolled back (endGroup), before the
		// lock passes on.
		w.tell(w.endGroup())
	case m.hosts:
	case commit:
		_, err = g.host.ExecContext(context.Background(), "RELEASE "+m.savepoint, nil)
	default:
		_, err = g.host.ExecContext(context.Background(), "ROLLBACK TO "+m.savepoint, nil)
		if err == nil {
			_, err = g.host.ExecContext(context.Background(), "RELEASE "+m.savepoint, nil)
		}
	}
	if err != nil {
		// SQLite rolls a whole transaction back on some errors (a full
		// disk, an I/O error), leaving no savepoint to end: the group is
		// lost, and every member of it is told.
		err = fmt.Errorf("sqlite: end a grouped write: %w", err)
		w.abandonGroup(err)
		w.release()
		return err
	}
	if commit {
		g.pending++
	}
	w.release()
	if !commit && !m.hosts {
		return nil
	}
	<-g.done
	if commit || g.pending == 0 {
		return g.err
	}
	return nil
}

// endGroup commits the open group, if any, and returns it: its members
// are told by tell, which syncs the WAL first. Only the holder calls it.
func (w *writeLock) endGroup() *commitGroup {
	g := w.group
	if g == nil {
		return nil
	}
	w.group = nil
	if g.pending > 0 {
		if err := g.tx.Commit(); err != nil {
			g.err = fmt.Errorf("sqlite: commit %d grouped writes: %w", g.pending, err)
		} else {
			w.counts.groups.Add(1)
			w.counts.writes.Add(uint64(g.pending))
			w.noteCommit()
		}
	} else if err := g.tx.Rollback(); err != nil {
		g.err = fmt.Errorf("sqlite: end a group of writes: %w", err)
	}
	restoreHost(g)
	return g
}

// tell syncs the WAL holding an ended group's commit, when SQLite did not
// sync it in the COMMIT, and then tells the group's members how it ended.
// It need not hold the lock: it touches only the WAL file and the ended
// group, whose host connection (set back by endGroup) its member holds
// until told.
func (w *writeLock) tell(g *commitGroup) {
	if g == nil {
		return
	}
	if g.wal != nil && g.pending > 0 && g.err == nil {
		if err := g.wal.sync(); err != nil {
			g.err = fmt.Errorf("sqlite: sync %d grouped writes to disk: %w", g.pending, err)
			w.mu.Lock()
			if w.failed == nil {
				w.failed = err
			}
			w.mu.Unlock()
		}
	}
	close(g.done)
}

// closeWAL closes the WAL file the groups sync, once the store's
// connections are closed.
func (w *writeLock) closeWAL() error {
	w.mu.Lock()
	wal := w.wal
	w.mu.Unlock()
	if wal == nil {
		return nil
	}
	return wal.close()
}

// noteCommit tells the checkpointer, if it is not told already, that the
// WAL has grown.
func (w *writeLock) noteCommit() {
	select {
	case w.committed <- struct{}{}:
	default:
	}
}

// restoreHost sets a group's host back as the pool's other connections
// are once the group's transaction has ended (join): SQLite's own place for
// temporary storage (should that fail, the connection keeps its savepoint
// journals and sorts in memory, which is still correct), and commits
// synced inside COMMIT. A connection that cannot be set back to that is
// dropped from the pool when its member is done (sqliteConn.IsValid):
// it would commit writes outside a group without a sync.
func restoreHost(g *commitGroup) {
	_, _ = g.host.ExecContext(context.Background(), "PRAGMA temp_store = DEFAULT", nil)
	if g.wal == nil {
		return
	}
	if _, err := g.host.ExecContext(context.Background(), "PRAGMA synchronous = FULL", nil); err != nil {
		g.owner.unsafe = true
	}
}

// abandonGroup rolls the open group back after cause made it unusable.
func (w *writeLock) abandonGroup(cause error) {
	g := w.group
	if g == nil {
		return
	}
	w.group = nil
	// SQLite may have rolled the transaction back already.
	_ = g.tx.Rollback()
	restoreHost(g)
	g.err = fmt.Errorf("sqlite: the writes committed together were rolled back: %w", cause)
	close(g.done)
}

// openSQLite opens the pool of connections to the SQLite database at dsn,
// each queueing its writes on one writeLock, and starts the checkpointer
// that keeps its WAL short.
func openSQLite(dsn string, log *slog.Logger) (*sql.DB, *writeLock, *walCheckpointer, error) {
	// The driver registered under "sqlite" by the SQLite dialector.
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, nil, err
	}
	drv := probe.Driver()
	if err := probe.Close(); err != nil {
		return nil, nil, nil, err
	}
	lock := newWriteLock()
	checkpointer, err := startCheckpointer(drv, dsn, lock, log)
	if err != nil {
		return nil, nil, nil, err
	}
	return sql.OpenDB(&sqliteConnector{dsn: dsn, drv: drv, lock: lock}), lock, checkpointer, nil
}

// SQLiteCommits counts the writes this store has committed to SQLite
// since it opened, and the commits they took: write transactions and
// writing statements outside one commit in groups (group commit), each
// group with one sync of the WAL; a writing query outside a transaction
// (INSERT … RETURNING) commits on its own. It is zero on PostgreSQL.
type SQLiteCommits struct {
	Writes uint64 // transactions and statements committed in groups
	Groups uint64 // the commits they took
	Alone  uint64 // writing queries committed on their own, a commit each
}

// SQLiteCommits says how many commits the store's writes have taken.
func (s *Store) SQLiteCommits() SQLiteCommits {
	if s.writer == nil {
		return SQLiteCommits{}
	}
	c := &s.writer.counts
	return SQLiteCommits{Writes: c.writes.Load(), Groups: c.groups.Load(), Alone: c.alone.Load()}
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
	if err := withoutConnectionMutex(conn); err != nil {
		_ = conn.Close() // the mutex's error is the one worth reporting
		return nil, err
	}
	return &sqliteConn{conn: conn, lock: c.lock, stmts: &stmtCache{}}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is one connection; database/sql uses a connection from one
// goroutine at a time, so inTx and member need no guard.
type sqliteConn struct {
	conn driver.Conn
	lock *writeLock
	inTx bool
	// member is the write transaction under way on this connection: its
	// statements run on the group's host connection.
	member *groupMember
	// stmts keeps the statements of the write transactions this
	// connection hosts, compiled (stmtCache).
	stmts *stmtCache
	// unsafe says the connection could not be set back to sync its own
	// commits after hosting a group (restoreHost): database/sql closes it
	// instead of pooling it again (IsValid). Set before the group's
	// members are told, so before this connection's user goes on.
	unsafe bool
}

// IsValid tells database/sql whether to keep the connection in the pool.
func (c *sqliteConn) IsValid() bool { return !c.unsafe }

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

// target is the connection a statement runs on, and the context it runs
// with: inside a write transaction, the group's host, with a context that
// cannot interrupt it. SQLite rolls back a whole transaction when a write
// in it is interrupted, and the transaction is the whole group's; a
// member whose request ends is rolled back to its savepoint instead.
func (c *sqliteConn) target(ctx context.Context) (sqliteDriverConn, context.Context, error) {
	if c.member != nil {
		return c.member.group.host, context.WithoutCancel(ctx), nil
	}
	conn, err := c.inner()
	return conn, ctx, err
}

func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares on this connection even inside a write
// transaction; the statement runs on the group's host when it must
// (sqliteStmt.grouped).
func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	stmt, err := conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &sqliteStmt{Stmt: stmt, conn: c, query: query, writes: writesData(query)}, nil
}

func (c *sqliteConn) Close() error {
	c.stmts.close()
	return c.conn.Close()
}

func (c *sqliteConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx queues for the write lock and joins the group commit, unless
// the transaction only reads.
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
		return &sqliteReadTx{Tx: tx, conn: c}, nil
	}
	if err := c.lock.acquire(ctx); err != nil {
		return nil, err
	}
	m, err := c.lock.join(c, conn, opts)
	if err != nil {
		c.lock.release()
		return nil, err
	}
	c.inTx, c.member = true, m
	return &sqliteWriteTx{conn: c, member: m}, nil
}

func (c *sqliteConn) Ping(ctx context.Context) error {
	conn, err := c.inner()
	if err != nil {
		return err
	}
	return conn.Ping(ctx)
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !c.inTx && writesData(query) {
		return c.execInGroup(ctx, query, args)
	}
	if m := c.member; m != nil {
		return m.group.stmts.exec(context.WithoutCancel(ctx), m.group.host, query, args) // see target
	}
	conn, ctx, err := c.target(ctx)
	if err != nil {
		return nil, err
	}
	return conn.ExecContext(ctx, query, args)
}

// execInGroup runs a writing statement from outside a transaction as a
// member of the group commit, and returns once it is committed.
func (c *sqliteConn) execInGroup(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	conn, err := c.inner()
	if err != nil {
		return nil, err
	}
	if err := c.lock.acquire(ctx); err != nil {
		return nil, err
	}
	m, err := c.lock.join(c, conn, driver.TxOptions{})
	if err != nil {
		c.lock.release()
		return nil, err
	}
	res, err := m.group.stmts.exec(context.WithoutCancel(ctx), m.group.host, query, args)
	if end := c.lock.leave(m, err == nil); err == nil {
		err = end
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if m := c.member; m != nil {
		// Inside a write transaction, which holds the lock already.
		return m.group.stmts.query(context.WithoutCancel(ctx), m.group.host, query, args) // see target
	}
	conn, ctx, err := c.target(ctx)
	if err != nil {
		return nil, err
	}
	if !writesData(query) {
		// A read runs from this connection's compiled statements too: the
		// pages that read lists by their ids (search results, a page's
		// tags) spent a sixth of their CPU having SQLite parse the same
		// few statements again. The connection is this reader's alone
		// while it reads; it hosts a write group only from within a write
		// transaction of its own.
		return c.stmts.query(ctx, conn, query, args)
	}
	unlock, err := c.lockWrite(ctx, true)
	if err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, query, args)
	if err != nil {
		unlock()
		return nil, err
	}
	return wrapRows(rows, unlock, !c.inTx), nil
}

// lockWrite takes the write lock for a query that writes outside a
// transaction (inside one, the transaction holds it already), and gives
// back what releases it once its rows are closed. Such a query commits on
// its own connection, so the open group, whose transaction holds SQLite's
// write lock, is committed first.
func (c *sqliteConn) lockWrite(ctx context.Context, writes bool) (func(), error) {
	if !writes || c.inTx {
		return func() {}, nil
	}
	if err := c.lock.acquire(ctx); err != nil {
		return nil, err
	}
	c.lock.tell(c.lock.endGroup())
	c.lock.counts.alone.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			c.lock.noteCommit()
			c.lock.release()
		})
	}, nil
}

// sqliteReadTx is a read-only transaction, on its own connection.
type sqliteReadTx struct {
	driver.Tx
	conn *sqliteConn
}

func (t *sqliteReadTx) Commit() error {
	defer func() { t.conn.inTx = false }()
	return t.Tx.Commit()
}

func (t *sqliteReadTx) Rollback() error {
	defer func() { t.conn.inTx = false }()
	return t.Tx.Rollback()
}

// sqliteWriteTx is a write transaction, a member of a group commit.
type sqliteWriteTx struct {
	conn   *sqliteConn
	member *groupMember
}

// Commit keeps the transaction's writes and returns once they are
// committed, with the rest of its group.
func (t *sqliteWriteTx) Commit() error { return t.end(true) }

// Rollback undoes the transaction's writes, and only those.
func (t *sqliteWriteTx) Rollback() error { return t.end(false) }

func (t *sqliteWriteTx) end(commit bool) error {
	m := t.member
	if m == nil {
		return driver.ErrBadConn // ended already; database/sql never does this
	}
	t.member = nil
	t.conn.inTx, t.conn.member = false, nil
	return t.conn.lock.leave(m, commit)
}

// sqliteStmt is a prepared statement; one that writes takes the write lock
// as the connection's statements do.
type sqliteStmt struct {
	driver.Stmt
	conn   *sqliteConn
	query  string
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

// grouped says whether the statement must run on another connection, the
// host of its transaction's group, where it is not prepared: it then runs
// from its text.
func (s *sqliteStmt) grouped() bool {
	return s.conn.member != nil && !s.conn.member.hosts
}

func (s *sqliteStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

func (s *sqliteStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

func (s *sqliteStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.grouped() || (s.writes && !s.conn.inTx) {
		// On the host's connection, or as a member of its own.
		return s.conn.ExecContext(ctx, s.query, args)
	}
	stmt, err := s.inner()
	if err != nil {
		return nil, err
	}
	if s.conn.member != nil {
		ctx = context.WithoutCancel(ctx) // see sqliteConn.target
	}
	return stmt.ExecContext(ctx, args)
}

func (s *sqliteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.grouped() {
		return s.conn.QueryContext(ctx, s.query, args)
	}
	stmt, err := s.inner()
	if err != nil {
		return nil, err
	}
	if s.conn.member != nil {
		ctx = context.WithoutCancel(ctx) // see sqliteConn.target
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

// stmtCache keeps, for one connection, the statements of the write
// transactions it hosts and of the reads it runs, compiled. The driver
// compiles a statement given as text again at every execution, and GORM's
// statements come as text: about a quarter of a reply's CPU was SQLite
// parsing them. A reply's transaction runs the same dozen statements each
// time, so the host runs each from its compiled form after the first time.
// Only the write lock's holder uses a group's host connection, and only
// the reader holding a connection reads on it, so the cache needs no guard
// of its own; a statement whose rows are still open is run from its text.
// SQLite compiles a kept statement again by itself when the schema
// changes (sqlite3_prepare_v2). Past max statements the least recently
// used one is dropped.
type stmtCache struct {
	stmts map[string]*cachedStmt
	max   int    // maxCachedStmts when 0
	clock uint64 // counts uses, to find the least recently used
}

type cachedStmt struct {
	stmt sqliteDriverStmt
	busy bool   // its rows are open
	used uint64 // the cache's clock at its last use
}

// maxCachedStmts bounds a connection's kept statements (SQLite's memory,
// outside Go's heap, a few KiB each): statements with lists (IN (?, ?,
// …)) differ by their length, and a reply's transaction runs about a
// dozen.
const maxCachedStmts = 100

// statement is query's kept statement on conn, compiled now if new; nil
// when it must run from its text (busy, or the cache is full).
func (sc *stmtCache) statement(ctx context.Context, conn sqliteDriverConn, query string) (*cachedStmt, error) {
	sc.clock++
	if s, ok := sc.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		s.used = sc.clock
		return s, nil
	}
	limit := sc.max
	if limit == 0 {
		limit = maxCachedStmts
	}
	if len(sc.stmts) >= limit && !sc.evict() {
		return nil, nil
	}
	prepared, err := conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	stmt, ok := prepared.(sqliteDriverStmt)
	if !ok {
		_ = prepared.Close() // not kept: the statement runs from its text
		return nil, nil
	}
	if sc.stmts == nil {
		sc.stmts = make(map[string]*cachedStmt)
	}
	s := &cachedStmt{stmt: stmt, used: sc.clock}
	sc.stmts[query] = s
	return s, nil
}

// evict drops the least recently used statement whose rows are not open;
// false when every kept statement's are.
func (sc *stmtCache) evict() bool {
	var (
		oldest string
		found  *cachedStmt
	)
	for q, s := range sc.stmts {
		if !s.busy && (found == nil || s.used < found.used) {
			oldest, found = q, s
		}
	}
	if found == nil {
		return false
	}
	_ = found.stmt.Close() // finalizing a reset statement does not fail
	delete(sc.stmts, oldest)
	return true
}

func (sc *stmtCache) exec(ctx context.Context, conn sqliteDriverConn, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := sc.statement(ctx, conn, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return conn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (sc *stmtCache) query(ctx context.Context, conn sqliteDriverConn, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := sc.statement(ctx, conn, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return conn.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return wrapRows(rows, func() { s.busy = false }, true), nil
}

// close finalizes the kept statements, before their connection closes.
func (sc *stmtCache) close() {
	for q, s := range sc.stmts {
		_ = s.stmt.Close() // the connection is closing
		delete(sc.stmts, q)
	}
}
