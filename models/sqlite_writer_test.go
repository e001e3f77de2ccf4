package models

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
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
