package models

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// heldSync stands in for the WAL's sync: the first call waits until
// release is closed, reporting started when it begins.
type heldSync struct {
	started, release chan struct{}
	calls            int // guarded by the walFile's mutex, which syncs hold
}

func holdSyncs(t *testing.T, lock *writeLock) *heldSync {
	t.Helper()
	if lock.wal == nil {
		t.Fatal("the groups found no WAL to sync")
	}
	h := &heldSync{started: make(chan struct{}), release: make(chan struct{})}
	lock.wal.syncFile = func(f *os.File) error {
		h.calls++
		if h.calls == 1 {
			close(h.started)
			<-h.release
		}
		return fdatasync(f)
	}
	return h
}

// TestGroupSyncsTheWALAfterPassingTheLockOn has a group commit while
// its WAL sync is held: the lock is free for the next writer meanwhile,
// and the member's Commit returns only once the sync has finished. Other
// connections read the group's writes from its COMMIT, before the sync.
func TestGroupSyncsTheWALAfterPassingTheLockOn(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	held := holdSyncs(t, lock)

	first, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `INSERT INTO notes (body) VALUES ('first')`)
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Commit() }()
	<-held.started

	lock.mu.Lock()
	stillHeld := lock.held
	lock.mu.Unlock()
	if stillHeld {
		t.Fatal("the write lock is held while the group's WAL syncs")
	}
	select {
	case err := <-firstDone:
		t.Fatalf("the member's Commit returned (%v) before the WAL was synced", err)
	default:
	}
	if got, want := noteBodies(t, db), []string{"first"}; !slices.Equal(got, want) {
		t.Errorf("another connection reads %q during the sync, want %q", got, want)
	}

	// The next writer writes and commits meanwhile; its sync waits for
	// the one under way.
	second, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, second, `INSERT INTO notes (body) VALUES ('second')`)
	secondDone := make(chan error, 1)
	go func() { secondDone <- second.Commit() }()

	close(held.release)
	if err := <-firstDone; err != nil {
		t.Fatalf("commit the first writer: %v", err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("commit the second writer: %v", err)
	}
	wantCommits(t, lock, 2, 2)
	if got, want := noteBodies(t, db), []string{"first", "second"}; !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
}

// TestFailedWALSyncFailsTheWrites has the WAL's sync fail: the group's
// member gets the error, and no write is taken after it.
func TestFailedWALSyncFailsTheWrites(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	if lock.wal == nil {
		t.Fatal("the groups found no WAL to sync")
	}
	broken := errors.New("I/O error")
	lock.wal.syncFile = func(*os.File) error { return broken }

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('lost')`)
	if err := tx.Commit(); !errors.Is(err, broken) {
		t.Fatalf("Commit with a failing sync = %v, want the sync's error", err)
	}
	if _, err := db.BeginTx(ctx, nil); !errors.Is(err, broken) {
		t.Errorf("a write transaction after the failed sync began (%v)", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO notes (body) VALUES ('after')`); !errors.Is(err, broken) {
		t.Errorf("a write after the failed sync = %v, want the sync's error", err)
	}
}

// TestGroupHostSyncsItsOwnCommitsAgain checks that the connection that
// hosted a group, which commits the group without SQLite's sync, is back
// to synchronous=FULL afterwards for what it commits on its own.
func TestGroupHostSyncsItsOwnCommitsAgain(t *testing.T) {
	ctx := context.Background()
	db, lock := groupedDB(t)
	if lock.wal == nil {
		t.Fatal("the groups found no WAL to sync")
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, `INSERT INTO notes (body) VALUES ('hosted')`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var level int
	if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		t.Fatal(err)
	}
	if level != 2 {
		t.Errorf("the group's host is at synchronous=%d after the group, want 2 (FULL)", level)
	}
}

// TestWALFileFollowsANewFile syncs a WAL that SQLite deleted and made
// again: the file open is the new one.
func TestWALFileFollowsANewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db-wal")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	wf := &walFile{path: path, syncFile: fdatasync}
	t.Cleanup(func() { _ = wf.close() })
	if err := wf.sync(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := wf.sync(); err != nil {
		t.Fatal(err)
	}
	open, err := wf.f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	now, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(open, now) {
		t.Error("the sync went to the deleted WAL, not the new one")
	}
}
