package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWritesData(t *testing.T) {
	for query, want := range map[string]bool{
		"INSERT INTO posts (id) VALUES (1)":                   true,
		"\n\t\tupdate topics SET post_count = post_count + 1": true,
		"DELETE FROM post_links WHERE post_id = ?":            true,
		"REPLACE INTO kv VALUES (1)":                          true,
		"CREATE INDEX posts_author ON posts (author_id)":      true,
		"(SELECT 1)":                           false,
		"SELECT id FROM posts":                 false,
		"WITH t AS (SELECT 1) SELECT * FROM t": false,
		"PRAGMA journal_mode":                  false,
		"":                                     false,
		"INSERT":                               true,
		"selectinsert":                         false,
		"  Insert INTO link_previews (url) VALUES (?) ON CONFLICT":                                     true,
		"-- name: JobInsertFastMany :many\nINSERT INTO /* TEMPLATE: schema */river_job(id) VALUES (?)": true,
		"/* a note */ UPDATE river_job SET state = ?":                                                  true,
		"-- name: JobGetByID :one\nSELECT * FROM river_job WHERE id = ?":                               false,
		"-- only a comment": false,
		"/* unterminated":   false,
	} {
		if got := writesData(query); got != want {
			t.Errorf("writesData(%q) = %v, want %v", query, got, want)
		}
	}
}

// TestWriteLockHeld checks who holds the queue of writers: a write
// transaction from BEGIN to its end, a writing statement outside a
// transaction until its rows are closed, and nothing that only reads.
func TestWriteLockHeld(t *testing.T) {
	ctx := context.Background()
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	drv := probe.Driver()
	_ = probe.Close()
	lock := newWriteLock()
	db := sql.OpenDB(&sqliteConnector{dsn: sqliteDSN(filepath.Join(t.TempDir(), "w.db")), drv: drv, lock: lock})
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	held := func(when string, want bool) {
		t.Helper()
		err := lock.acquire(cancelled)
		if err == nil {
			lock.release()
		}
		if got := errors.Is(err, context.Canceled); got != want {
			t.Errorf("%s: write lock held = %v, want %v", when, got, want)
		}
	}
	held("idle", false)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	held("in a write transaction", true)
	if _, err := tx.ExecContext(ctx, `INSERT INTO notes (body) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	held("after a write in the transaction", true)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	held("after commit", false)

	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	held("after rollback", false)

	ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	held("in a read-only transaction", false)
	if err := ro.Rollback(); err != nil {
		t.Fatal(err)
	}

	rows, err := db.QueryContext(ctx, `INSERT INTO notes (body) VALUES ('b') RETURNING id`)
	if err != nil {
		t.Fatal(err)
	}
	held("reading an INSERT … RETURNING", true)
	if cols, err := rows.ColumnTypes(); err != nil || len(cols) != 1 {
		t.Errorf("column types of the returned rows: %v, %v", cols, err)
	}
	for rows.Next() {
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	held("after its rows are closed", false)

	rows, err = db.QueryContext(ctx, `SELECT id FROM notes`)
	if err != nil {
		t.Fatal(err)
	}
	held("reading a SELECT", false)
	_ = rows.Close()

	stmt, err := db.PrepareContext(ctx, `UPDATE notes SET body = ? WHERE id = ?`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stmt.ExecContext(ctx, "c", 1); err != nil {
		t.Fatal(err)
	}
	_ = stmt.Close()
	held("after a prepared UPDATE", false)
}

// wantCommits checks that the lock's writes reached the disk in groups
// commits holding writes transactions.
func wantCommits(t *testing.T, lock *writeLock, groups, writes int) {
	t.Helper()
	if g, n := lock.counts.groups.Load(), lock.counts.writes.Load(); g != uint64(groups) || n != uint64(writes) {
		t.Errorf("%d commits for %d transactions, want %d for %d", g, n, groups, writes)
	}
}

// groupedDB opens a database whose write transactions share commits, on a
// pool as large as the store's, with groups left open however long their
// members take: the tests decide who joins a group by who is queued.
func groupedDB(t *testing.T) (*sql.DB, *writeLock) {
	t.Helper()
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	drv := probe.Driver()
	_ = probe.Close()
	lock := newWriteLock()
	lock.maxOpen = time.Hour
	db := sql.OpenDB(&sqliteConnector{dsn: sqliteDSN(filepath.Join(t.TempDir(), "g.db")), drv: drv, lock: lock})
	db.SetMaxOpenConns(sqliteMaxConns)
	t.Cleanup(func() { _ = db.Close() })
	for _, ddl := range []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)`,
		`CREATE TABLE parents (id INTEGER PRIMARY KEY)`,
		// Checked at COMMIT: a way to make a group's commit fail.
		`CREATE TABLE children (id INTEGER PRIMARY KEY,
			parent_id INTEGER NOT NULL REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`,
	} {
		if _, err := db.Exec(ddl); err != nil {
			t.Fatal(err)
		}
	}
	// Count from here: the tables' writes are none of a test's.
	lock.counts.writes.Store(0)
	lock.counts.groups.Store(0)
	lock.counts.alone.Store(0)
	return db, lock
}

// waitQueued waits until n writers wait for the lock.
func waitQueued(t *testing.T, lock *writeLock, n int) {
	t.Helper()
	for i := 0; ; i++ {
		lock.mu.Lock()
		queued := len(lock.waiters)
		lock.mu.Unlock()
		if queued >= n {
			return
		}
		if i == 30_000 {
			t.Fatalf("%d writers queued, want %d", queued, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// beginQueued begins a write transaction in the background, behind the
// writers queued now, and gives it back once it holds the lock.
func beginQueued(t *testing.T, ctx context.Context, db *sql.DB, lock *writeLock) <-chan *sql.Tx {
	t.Helper()
	lock.mu.Lock()
	ahead := len(lock.waiters)
	lock.mu.Unlock()
	began := make(chan *sql.Tx, 1)
	go func() {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Errorf("begin a queued write: %v", err)
			close(began)
			return
		}
		began <- tx
	}()
	waitQueued(t, lock, ahead+1)
	return began
}

// handOver queues the next writer behind the lock's holder, ends the
// holder with end (Commit or Rollback) in the background, which passes the
// lock on, and returns the next writer's transaction and how end went.
func handOver(t *testing.T, ctx context.Context, db *sql.DB, lock *writeLock, end func() error) (*sql.Tx, <-chan error) {
	t.Helper()
	next := beginQueued(t, ctx, db, lock)
	ended := make(chan error, 1)
	go func() { ended <- end() }()
	return <-next, ended
}

func noteBodies(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}) []string {
	t.Helper()
	rows, err := q.Query(`SELECT body FROM notes ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var bodies []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return bodies
}

func mustExec(t *testing.T, tx *sql.Tx, query string, args ...any) {
	t.Helper()
	if _, err := tx.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestGroupCommitRollsBackOnlyTheFailingMember runs three write
// transactions as one group: the second fails and rolls back, the first
// and third commit together, with one commit, and neither is acknowledged
// or seen by other connections before that commit.
func TestGroupCommitRollsBackOnlyTheFailingMember(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `INSERT INTO notes (body) VALUES ('first')`)
	second := beginQueued(t, ctx, db, lock)
	third := beginQueued(t, ctx, db, lock)

	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Commit() }()

	tx := <-second
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('second')`)
	if _, err := tx.Exec(`INSERT INTO notes (body) VALUES ('first')`); err == nil {
		t.Fatal("a second note 'first' was taken: the group does not see its first member's write")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("roll back the failing member: %v", err)
	}

	tx = <-third
	select {
	case err := <-firstDone:
		t.Fatalf("the first member's commit returned (%v) before its group committed", err)
	default:
	}
	if got := noteBodies(t, db); len(got) != 0 {
		t.Errorf("another connection sees %q before the group committed", got)
	}
	if got, want := noteBodies(t, tx), []string{"first"}; !slices.Equal(got, want) {
		t.Errorf("the third member sees %q, want %q (the first's write, not the rolled-back second's)", got, want)
	}
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('third')`)
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit the third member: %v", err)
	}
	if err := <-firstDone; err != nil {
		t.Fatalf("commit the first member: %v", err)
	}
	if got, want := noteBodies(t, db), []string{"first", "third"}; !slices.Equal(got, want) {
		t.Errorf("notes after the group = %q, want %q", got, want)
	}
	wantCommits(t, lock, 1, 2)
}

// TestGroupHostRollsBackAlone has a group's first member, its host, which
// writes without a savepoint of its own, roll back while another writer
// waits: its writes are undone before the next writer begins, and that one
// commits on its own.
func TestGroupHostRollsBackAlone(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `INSERT INTO notes (body) VALUES ('first')`)
	tx, rolledBack := handOver(t, ctx, db, lock, first.Rollback)
	if got := noteBodies(t, tx); len(got) != 0 {
		t.Errorf("the next writer sees %q, the rolled-back host's writes", got)
	}
	// The same note again: taken only if the host's is really gone.
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('first')`)
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('second')`)
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit the next writer: %v", err)
	}
	if err := <-rolledBack; err != nil {
		t.Fatalf("roll back the host: %v", err)
	}
	if got, want := noteBodies(t, db), []string{"first", "second"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
	wantCommits(t, lock, 1, 1)
}

// TestGroupCommitFailureFailsEveryMember has a group's COMMIT fail (a
// deferred foreign key, checked only then): every member that committed
// its part gets the error, nothing of the group is kept, and the next
// write begins afresh.
func TestGroupCommitFailureFailsEveryMember(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `INSERT INTO notes (body) VALUES ('first')`)
	tx, firstDone := handOver(t, ctx, db, lock, first.Commit)
	mustExec(t, tx, `INSERT INTO children (parent_id) VALUES (99)`)
	secondErr := tx.Commit()
	firstErr := <-firstDone
	for name, err := range map[string]error{"first": firstErr, "second": secondErr} {
		if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Errorf("the %s member's commit: %v, want the group's failed commit", name, err)
		}
	}
	if got := noteBodies(t, db); len(got) != 0 {
		t.Errorf("notes kept from a failed group: %q", got)
	}

	after, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, after, `INSERT INTO notes (body) VALUES ('after')`)
	if err := after.Commit(); err != nil {
		t.Fatalf("a write after the failed group: %v", err)
	}
	if got, want := noteBodies(t, db), []string{"after"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
}

// TestGroupCommitMembersReadWithoutDeadlock fills a group to its limit
// with members that each read through their transaction and through the
// pool (another connection) before committing: none waits on another,
// and what the pool reads is only what was committed before the group.
func TestGroupCommitMembersReadWithoutDeadlock(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	members := []<-chan *sql.Tx{}
	for range lock.maxWrites - 1 {
		members = append(members, beginQueued(t, ctx, db, lock))
	}
	write := func(tx *sql.Tx, i int) error {
		if _, err := tx.Exec(`INSERT INTO notes (body) VALUES (?)`, fmt.Sprint("note ", i)); err != nil {
			return err
		}
		var inTx, inPool int
		if err := tx.QueryRow(`SELECT count(*) FROM notes`).Scan(&inTx); err != nil {
			return err
		}
		if err := db.QueryRow(`SELECT count(*) FROM notes`).Scan(&inPool); err != nil {
			return err
		}
		if inTx != i+1 || inPool != 0 {
			return fmt.Errorf("member %d reads %d notes in its transaction and %d through the pool, want %d and 0", i, inTx, inPool, i+1)
		}
		return tx.Commit()
	}
	errs := make(chan error, lock.maxWrites)
	go func() { errs <- write(first, 0) }()
	for i, began := range members {
		go func() {
			tx, ok := <-began
			if !ok {
				errs <- errors.New("a member did not begin")
				return
			}
			errs <- write(tx, i+1)
		}()
	}
	for range lock.maxWrites {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	wantCommits(t, lock, 1, lock.maxWrites)
}

// TestGroupCommitBounds: a group takes no more than maxWrites members, and
// no new member once it has been open maxOpen.
func TestGroupCommitBounds(t *testing.T) {
	ctx := context.Background()
	t.Run("members", func(t *testing.T) {
		db, lock := groupedDB(t)
		lock.maxWrites = 2
		first, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		queued := []<-chan *sql.Tx{beginQueued(t, ctx, db, lock), beginQueued(t, ctx, db, lock)}
		done := make(chan error, 3)
		go func() { done <- first.Commit() }()
		for _, began := range queued {
			go func() {
				if tx, ok := <-began; ok {
					done <- tx.Commit()
				}
			}()
		}
		for range 3 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		wantCommits(t, lock, 2, 3)
	})
	t.Run("time open", func(t *testing.T) {
		db, lock := groupedDB(t)
		lock.maxOpen = time.Second
		var mu sync.Mutex
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		lock.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		first, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		second := beginQueued(t, ctx, db, lock)
		mu.Lock()
		now = now.Add(time.Second)
		mu.Unlock()
		if err := first.Commit(); err != nil {
			t.Fatal(err) // returns at once: the group is too old to wait for the second
		}
		tx := <-second
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if g := lock.counts.groups.Load(); g != 2 {
			t.Errorf("%d commits, want 2", g)
		}
	})
}

// TestStatementsOutsideTransactions: a writing statement outside a
// transaction joins the group as a member of its own, returning once the
// group has committed, and fails alone; a writing query, whose rows are
// read as it runs, commits the group before it runs on its own connection.
func TestStatementsOutsideTransactions(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	c := &lock.counts
	counted := func(groups, writes, alone uint64) {
		t.Helper()
		got := [3]uint64{c.groups.Load(), c.writes.Load(), c.alone.Load()}
		if want := [3]uint64{groups, writes, alone}; got != want {
			t.Errorf("group commits, writes in them, writes alone = %v, want %v", got, want)
		}
	}

	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `INSERT INTO notes (body) VALUES ('in a transaction')`)
	statements := make(chan error, 2)
	for i, body := range []string{"alone", "in a transaction"} { // the second is taken
		go func() {
			_, err := db.ExecContext(ctx, `INSERT INTO notes (body) VALUES (?)`, body)
			statements <- err
		}()
		waitQueued(t, lock, i+1)
	}
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Commit() }()
	var failed int
	for range 2 {
		if err := <-statements; err != nil {
			failed++
		}
	}
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if failed != 1 {
		t.Errorf("%d of the two statements failed, want the duplicate's", failed)
	}
	if got, want := noteBodies(t, db), []string{"in a transaction", "alone"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
	counted(1, 2, 0)

	second, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, second, `INSERT INTO notes (body) VALUES ('second')`)
	returned := make(chan []string, 1)
	go func() {
		rows, err := db.QueryContext(ctx, `INSERT INTO notes (body) VALUES ('returning') RETURNING body`)
		if err != nil {
			t.Errorf("a writing query: %v", err)
			close(returned)
			return
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var b string
			if err := rows.Scan(&b); err != nil {
				t.Error(err)
			}
			got = append(got, b)
		}
		returned <- got
	}()
	waitQueued(t, lock, 1)
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := <-returned; !slices.Equal(got, []string{"returning"}) {
		t.Errorf("the query returned %q", got)
	}
	if got, want := noteBodies(t, db), []string{"in a transaction", "alone", "second", "returning"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
	counted(2, 3, 1)
}

// TestGroupMemberWhoseRequestEnds: a member whose context ends mid-way is
// rolled back alone (its end does not interrupt the group's transaction),
// and a writer that stops waiting does not strand the group it was handed.
func TestGroupMemberWhoseRequestEnds(t *testing.T) {
	ctx := context.Background()
	t.Run("mid-transaction", func(t *testing.T) {
		db, lock := groupedDB(t)
		first, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, first, `INSERT INTO notes (body) VALUES ('kept')`)
		request, cancel := context.WithCancel(ctx)
		defer cancel()
		tx, firstDone := handOver(t, request, db, lock, first.Commit)
		mustExec(t, tx, `INSERT INTO notes (body) VALUES ('abandoned')`)
		cancel()
		if err := <-firstDone; err != nil {
			t.Fatalf("the first member's commit: %v", err)
		}
		if err := tx.Commit(); err == nil {
			t.Error("the ended request's transaction committed")
		}
		if got, want := noteBodies(t, db), []string{"kept"}; !slices.Equal(got, want) {
			t.Errorf("notes = %q, want %q", got, want)
		}
	})
	t.Run("while queued", func(t *testing.T) {
		db, lock := groupedDB(t)
		for i := range 20 {
			first, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			mustExec(t, first, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprint("note ", i))
			request, cancel := context.WithCancel(ctx)
			gaveUp := make(chan error, 1)
			go func() {
				tx, err := db.BeginTx(request, nil)
				if err == nil {
					err = tx.Rollback()
				}
				gaveUp <- err
			}()
			waitQueued(t, lock, 1)
			// The lock may be handed to the waiter as it gives up, with the
			// first's group open; either way the group commits.
			go cancel()
			if err := first.Commit(); err != nil {
				t.Fatalf("round %d: the first member's commit: %v", i, err)
			}
			<-gaveUp
		}
		if got := noteBodies(t, db); len(got) != 20 {
			t.Errorf("%d notes, want 20", len(got))
		}
	})
}

// TestGroupHostKeepsCompiledStatements runs write transactions whose
// statements the group's host keeps compiled (stmtCache): a statement run
// again is taken from the cache and still binds its new arguments, one
// that fails (a UNIQUE conflict) leaves its kept statement usable, a query
// run again while its first rows are still open runs from its text, the
// kept statements follow a change of the table, and a member rolled back
// leaves nothing of its writes though its statements stay kept.
func TestGroupHostKeepsCompiledStatements(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	insert := `INSERT INTO notes (body) VALUES (?)`
	kept := func(tx *sql.Tx, query string) bool {
		t.Helper()
		// Only the lock's holder touches the group, and the test holds it.
		g := lock.group
		if g == nil {
			t.Fatal("no group open in a write transaction")
		}
		_, ok := g.stmts.stmts[query]
		return ok
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, insert, "a")
	if !kept(tx, insert) {
		t.Errorf("the host does not keep %q compiled", insert)
	}
	mustExec(t, tx, insert, "b")
	if _, err := tx.Exec(insert, "a"); err == nil {
		t.Fatal("a second note 'a' was taken through the kept statement")
	}
	mustExec(t, tx, insert, "c")

	// The same query twice, the first's rows still open.
	outer, err := tx.Query(`SELECT body FROM notes ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for outer.Next() {
		var b string
		if err := outer.Scan(&b); err != nil {
			t.Fatal(err)
		}
		first = append(first, b)
		if len(first) == 1 {
			if got, want := noteBodies(t, tx), []string{"a", "b", "c"}; !slices.Equal(got, want) {
				t.Errorf("the query run again with its kept rows open = %q, want %q", got, want)
			}
		}
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(first, want) {
		t.Errorf("the kept query's rows = %q, want %q", first, want)
	}
	if got, want := noteBodies(t, tx), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("the kept query run after its rows closed = %q, want %q", got, want)
	}
	mustExec(t, tx, `ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none'`)
	mustExec(t, tx, insert, "d")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	// A member rolled back, then one that commits, both through the
	// kept insert.
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, insert, "rolled back")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, insert, "e")
	var tag string
	if err := tx.QueryRow(`SELECT tag FROM notes WHERE body = ?`, "e").Scan(&tag); err != nil || tag != "none" {
		t.Errorf("the row the kept insert wrote after the table changed has tag %q (%v), want 'none'", tag, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := noteBodies(t, db), []string{"a", "b", "c", "d", "e"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
}

// TestGroupMemberLargeWritesRollBack has a group's members write far more
// than SQLite keeps of a savepoint's journal in memory by default (64 KiB,
// now all of it, join): the member that rolls back leaves none of its
// hundreds of rows, the others' writes commit, and the next group works
// with the host's temporary storage set back.
func TestGroupMemberLargeWritesRollBack(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	big := strings.Repeat("x", 2000)
	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		mustExec(t, first, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprintf("first %03d %s", i, big))
	}
	tx, firstDone := handOver(t, ctx, db, lock, first.Commit)
	for i := range 300 {
		mustExec(t, tx, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprintf("second %03d %s", i, big))
	}
	// Change the first member's rows too, so undoing touches pages
	// written before the savepoint.
	mustExec(t, tx, `UPDATE notes SET body = 'changed ' || id WHERE body LIKE 'first%'`)
	if err := tx.Rollback(); err != nil {
		t.Fatalf("roll back the large member: %v", err)
	}
	if err := <-firstDone; err != nil {
		t.Fatalf("commit the first member: %v", err)
	}
	bodies := noteBodies(t, db)
	if len(bodies) != 100 {
		t.Fatalf("%d notes after the group, want the first member's 100", len(bodies))
	}
	for i, b := range bodies {
		if want := fmt.Sprintf("first %03d %s", i, big); b != want {
			t.Fatalf("note %d = %.20q…, want %.20q…", i, b, want)
		}
	}
	// The next group, on whichever connection, still commits.
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('after')`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := len(noteBodies(t, db)); got != 101 {
		t.Errorf("%d notes after the next group, want 101", got)
	}
}

// TestGroupHostDropsLeastRecentlyUsedStatement fills a host's kept
// statements past their bound: the least recently used one is dropped,
// and runs again, compiled anew, with the right outcome.
func TestGroupHostDropsLeastRecentlyUsedStatement(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cache := lock.group.stmts // the test holds the lock
	cache.close()             // the tables' statements, kept when the host made them
	cache.max = 2
	a, b, c := `INSERT INTO notes (body) VALUES ('a' || ?)`, `INSERT INTO notes (body) VALUES ('b' || ?)`,
		`INSERT INTO notes (body) VALUES ('c' || ?)`
	mustExec(t, tx, a, 1)
	mustExec(t, tx, b, 1)
	mustExec(t, tx, a, 2) // a is now the more recently used
	mustExec(t, tx, c, 1)
	kept := func(q string) bool { _, ok := cache.stmts[q]; return ok }
	if !kept(a) || kept(b) || !kept(c) || len(cache.stmts) != 2 {
		t.Errorf("kept a=%v b=%v c=%v (%d), want a and c only", kept(a), kept(b), kept(c), len(cache.stmts))
	}
	mustExec(t, tx, b, 2)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := noteBodies(t, db), []string{"a1", "b1", "a2", "c1", "b2"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
}

// TestReadsKeepCompiledStatements runs reads outside any transaction from
// the connection's kept statements (stmtCache): the read is kept after its
// first run, sees what was written since on another connection (a kept
// statement holds no snapshot between runs), binds its new arguments,
// follows a change of the table, and a read run again while its first
// rows are still open runs from its text.
func TestReadsKeepCompiledStatements(t *testing.T) {
	ctx := context.Background()
	db, _ := groupedDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	kept := func(query string) bool {
		t.Helper()
		var ok bool
		if err := conn.Raw(func(dc any) error {
			_, ok = dc.(*sqliteConn).stmts.stmts[query]
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	count := `SELECT count(*) FROM notes WHERE body <> ?`
	countNotes := func(not string) int {
		t.Helper()
		var n int
		if err := conn.QueryRowContext(ctx, count, not).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := countNotes(""); n != 0 {
		t.Fatalf("%d notes at the start, want 0", n)
	}
	if !kept(count) {
		t.Fatalf("the connection does not keep %q compiled", count)
	}
	// Written on another connection of the pool (conn is held).
	for _, body := range []string{"a", "b"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO notes (body) VALUES (?)`, body); err != nil {
			t.Fatal(err)
		}
	}
	if n := countNotes(""); n != 2 {
		t.Errorf("the kept read counts %d notes after two were written, want 2", n)
	}
	if n := countNotes("a"); n != 1 {
		t.Errorf("the kept read with a new argument counts %d notes, want 1", n)
	}

	all := `SELECT * FROM notes ORDER BY id`
	outer, err := conn.QueryContext(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if !outer.Next() {
		t.Fatal("no first row")
	}
	inner, err := conn.QueryContext(ctx, all)
	if err != nil {
		t.Fatalf("the read run again with its kept rows open: %v", err)
	}
	rows := 0
	for inner.Next() {
		rows++
	}
	if err := inner.Close(); err != nil {
		t.Fatal(err)
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("the read run from its text gave %d rows, want 2", rows)
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none'`); err != nil {
		t.Fatal(err)
	}
	cols, err := conn.QueryContext(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	names, err := cols.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if err := cols.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"id", "body", "tag"}; !slices.Equal(names, want) {
		t.Errorf("the kept read's columns after the table changed = %q, want %q", names, want)
	}
}
