package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// checkpointedDB is groupedDB's table of notes with a checkpointer beside
// it whose goroutine does not run: the test checkpoints when it chooses.
func checkpointedDB(t *testing.T) (*sql.DB, *walCheckpointer) {
	t.Helper()
	db, lock := groupedDB(t)
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	drv := probe.Driver()
	if err := probe.Close(); err != nil {
		t.Fatal(err)
	}
	var path string
	if err := db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	c, err := newCheckpointer(drv, sqliteDSN(filepath.Clean(path)), lock, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.close(); err != nil {
			t.Error(err)
		}
	})
	return db, c
}

// writeNotes commits n notes of a page's size each, one transaction each.
func writeNotes(t *testing.T, db *sql.DB, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if _, err := db.Exec(`INSERT INTO notes (id, body) VALUES (?, ?)`, i, strings.Repeat("x", 4000)+string(rune('a'+i%26))+strings.Repeat("y", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// walSize is the WAL's size in pages, as a checkpoint that copies nothing
// reports it.
func walSize(t *testing.T, c *walCheckpointer) int64 {
	t.Helper()
	frames, err := c.passive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return frames.log
}

// sqliteAutocheckpoint is the WAL's size in pages at which SQLite
// checkpoints inside a COMMIT unless told not to.
const sqliteAutocheckpoint = 1000

// A COMMIT never checkpoints: the WAL grows past SQLite's own threshold
// for that (1,000 pages) until the checkpointer copies it, and the next
// write after the checkpointer's starts the WAL again.
func TestCheckpointsLeaveCommitsAlone(t *testing.T) {
	db, c := checkpointedDB(t)
	c.restartFrames = sqliteAutocheckpoint // to start the WAL again without writing 32 MiB
	writeNotes(t, db, 1, 600)              // two pages or more each: the note and its index
	size := walSize(t, c)
	if size < sqliteAutocheckpoint {
		t.Fatalf("WAL after 600 commits of a page or more: %d pages; a commit checkpointed it", size)
	}
	if err := c.checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := c.locked.Load(); n != 1 {
		t.Errorf("%d checkpoints holding the write lock, want 1", n)
	}
	writeNotes(t, db, 1000, 1)
	if after := walSize(t, c); after >= size || after > 10 {
		t.Errorf("WAL after the checkpoint and one commit: %d pages, want it started again (it held %d)", after, size)
	}
	var notes int
	if err := db.QueryRow(`SELECT count(*) FROM notes`).Scan(&notes); err != nil {
		t.Fatal(err)
	}
	if notes != 601 {
		t.Errorf("%d notes, want 601", notes)
	}
}

// The checkpointer leaves the writers alone while the WAL is small: it
// takes the write lock only once the WAL is worth starting again.
func TestCheckpointOfASmallWAL(t *testing.T) {
	db, c := checkpointedDB(t)
	writeNotes(t, db, 1, 5)
	if err := c.checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := c.locked.Load(); n != 0 {
		t.Errorf("%d checkpoints of a WAL of a few pages took the write lock, want none", n)
	}
	if size := walSize(t, c); size == 0 {
		t.Error("the notes are not in the WAL")
	}
}

// A WAL past SQLite's own checkpoint size but short of walRestartFrames
// is copied into the database file without holding up the writers.
func TestCheckpointOfAWALShortOfItsRestart(t *testing.T) {
	db, c := checkpointedDB(t)
	writeNotes(t, db, 1, 600)
	size := walSize(t, c)
	if size < sqliteAutocheckpoint || size >= walRestartFrames {
		t.Fatalf("WAL after 600 commits: %d pages, want %d to %d", size, sqliteAutocheckpoint, walRestartFrames)
	}
	if err := c.checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := c.locked.Load(); n != 0 {
		t.Errorf("%d checkpoints of a WAL of %d pages took the write lock, want none", n, size)
	}
	frames, err := c.passive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if frames.written != frames.log {
		t.Errorf("%d of the WAL's %d pages copied into the database file", frames.written, frames.log)
	}
}
