package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// A group's COMMIT with synchronous=FULL writes the group's pages to the
// WAL and syncs the WAL before it returns, all of it holding SQLite's
// write lock and the store's (sqlite_writer.go): no one writes during the
// sync. On the development machine a sync takes 2–4 ms when the disk is
// quiet and 30–180 ms at the 90th–99th percentile when checkpoints and the
// search index write beside it, and in the reply phase the groups' COMMITs
// were most of the writers' tail. So a group commits with
// synchronous=NORMAL, which writes its pages to the WAL without the sync,
// passes the lock on to the next group, and only then syncs the WAL
// itself (walFile) before any member's Commit returns: the next group
// runs while the disk syncs the last.
//
// What is acknowledged is on disk exactly as before: a member's Commit
// returns only after a sync of the WAL that began after its group's
// COMMIT had written the group's pages. What changes is that other
// connections can read a group's writes from its COMMIT, a sync (a few
// milliseconds) before the writers are told; a power cut in between loses
// writes that no one was told were saved, but that someone may have seen.
// A later group cannot be kept while an earlier one is lost: the WAL is
// read back in order and a sync covers everything written before it.

// walFile is a database's WAL, for syncing it to disk.
type walFile struct {
	path string
	// requested counts the calls to sync; covered, the calls a finished
	// sync covers (it began after they were made).
	requested atomic.Uint64
	mu        sync.Mutex // one sync at a time; guards covered and f
	covered   uint64
	f         *os.File
	// syncFile syncs the open file: fdatasync, or a test's stand-in.
	syncFile func(*os.File) error
}

// findWAL gives the WAL of the database conn is open on, or nil when it
// has none (another journal mode, or a database in memory): SQLite then
// syncs at each COMMIT as it does by itself.
func findWAL(conn sqliteDriverConn) (*walFile, error) {
	mode, err := queryText(conn, "PRAGMA journal_mode")
	if err != nil || mode != "wal" {
		return nil, err
	}
	file, err := queryText(conn, "SELECT file FROM pragma_database_list WHERE name = 'main'")
	if err != nil || file == "" {
		return nil, err
	}
	return &walFile{path: file + "-wal", syncFile: fdatasync}, nil
}

// queryText is the first column of the first row of query, as text.
func queryText(conn sqliteDriverConn, query string) (string, error) {
	rows, err := conn.QueryContext(context.Background(), query, nil)
	if err != nil {
		return "", err
	}
	row := make([]driver.Value, len(rows.Columns()))
	err = rows.Next(row)
	if closeErr := rows.Close(); err == nil {
		err = closeErr
	}
	if errors.Is(err, io.EOF) || len(row) == 0 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	switch v := row[0].(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", nil
}

// sync syncs what has been written to the WAL so far to disk. Syncs run
// one at a time; one waiting for another is done when a sync that began
// after it was called has finished.
func (wf *walFile) sync() error {
	me := wf.requested.Add(1)
	wf.mu.Lock()
	defer wf.mu.Unlock()
	if wf.covered >= me {
		return nil
	}
	covers := wf.requested.Load()
	f, err := wf.file()
	if err != nil {
		return err
	}
	if err := wf.syncFile(f); err != nil {
		return fmt.Errorf("sync %s: %w", wf.path, err)
	}
	wf.covered = covers
	return nil
}

// file is the WAL file now at the path, opened again when it is another
// than the one open: SQLite deletes the WAL when the database's last
// connection closes and makes a new one at the next write. wf.mu is held.
func (wf *walFile) file() (*os.File, error) {
	now, err := os.Stat(wf.path)
	if err != nil {
		return nil, fmt.Errorf("find the WAL: %w", err)
	}
	if wf.f != nil {
		open, err := wf.f.Stat()
		if err == nil && os.SameFile(open, now) {
			return wf.f, nil
		}
		_ = wf.f.Close() // a WAL SQLite no longer writes: nothing to lose
		wf.f = nil
	}
	f, err := os.Open(wf.path)
	if err != nil {
		return nil, fmt.Errorf("open the WAL: %w", err)
	}
	wf.f = f
	return f, nil
}

// close closes the WAL file, if open.
func (wf *walFile) close() error {
	wf.mu.Lock()
	defer wf.mu.Unlock()
	if wf.f == nil {
		return nil
	}
	err := wf.f.Close()
	wf.f = nil
	return err
}
