package models

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// Every pooled SQLite connection gets the bounded page cache, not just the
// first: SQLite's pages live outside Go's heap and the memory limit, so an
// unbounded cache would hold a large database's pages eight times over.
// None reads through a mapping of the file (mmap_size): a commit unmaps it
// in every other connection (sqliteDSN).
func TestEverySQLiteConnectionHasTheBoundedPageCacheAndNoMapping(t *testing.T) {
	ctx := context.Background()
	store := openBareSQLite(t)
	pool, err := store.pool()
	if err != nil {
		t.Fatal(err)
	}
	// Holding each connection open makes the pool open the next one.
	for i := range pool.Stats().MaxOpenConnections {
		conn, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var kib int64
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
			t.Fatal(err)
		}
		if kib != -sqliteCacheKiB {
			t.Errorf("connection %d: cache_size %d, want %d (KiB)", i, kib, -sqliteCacheKiB)
		}
		var mapped int64
		if err := conn.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mapped); err != nil {
			t.Fatal(err)
		}
		if mapped != 0 {
			t.Errorf("connection %d: mmap_size %d, want 0", i, mapped)
		}
	}
}

// SQLite's pages come from the buffer given when the process started
// (sqlite_pagecache.go), not from a malloc each: reading a table fills
// slots of it, and no page is allocated outside it.
func TestSQLitePagesComeFromTheBuffer(t *testing.T) {
	if sqlitePageCacheErr != nil {
		t.Fatalf("the page cache buffer was not set up: %v", sqlitePageCacheErr)
	}
	ctx := context.Background()
	store := openBareSQLite(t)
	pool, err := store.pool()
	if err != nil {
		t.Fatal(err)
	}
	// The counters are the process's: what this test adds to them is its
	// own, since it does not run beside the package's parallel tests.
	used0, overflow0 := sqliteStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_USED), sqliteStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW)
	// A table of a few hundred pages, read back.
	if _, err := pool.ExecContext(ctx, `CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
		INSERT INTO filler (body) SELECT printf('%.1000c', 'x') FROM n`); err != nil {
		t.Fatal(err)
	}
	var total int64
	if err := pool.QueryRowContext(ctx, `SELECT sum(length(body)) FROM filler`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total != 1000*1000 {
		t.Fatalf("read %d bytes back, want %d", total, 1000*1000)
	}
	used := sqliteStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_USED) - used0
	overflow := sqliteStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW) - overflow0
	if used < 250 {
		t.Errorf("%d more pages of the buffer in use after reading a table of ~250 pages; want them there", used)
	}
	if overflow != 0 {
		t.Errorf("%d more bytes of pages allocated outside the buffer, want 0", overflow)
	}
}

// openBareSQLite opens a SQLite store on a fresh file, not migrated.
func openBareSQLite(t *testing.T) *Store {
	t.Helper()
	store, err := Open(context.Background(), "", t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	return store
}

// sqliteStatus reads one of SQLite's process-wide counters as it is now.
func sqliteStatus(t *testing.T, op int32) int64 {
	t.Helper()
	tls := libc.NewTLS()
	defer tls.Close()
	out := libc.Xmalloc(tls, 16)
	if out == 0 {
		t.Fatal("no memory to read SQLite's status")
	}
	defer libc.Xfree(tls, out)
	if rc := sqlite3.Xsqlite3_status64(tls, op, out, out+8, 0); rc != sqlite3.SQLITE_OK {
		t.Fatalf("sqlite3_status64(%d): code %d", op, rc)
	}
	return *(*int64)(cMemory(out))
}

// A data directory whose name holds the characters that end or escape a
// SQLite URI's path opens the database inside it, not a file named by
// the part before them.
func TestSQLiteDataDirectoryWithURICharacters(t *testing.T) {
	for _, name := range []string{"site#2", "what?", "100%", "a%23b"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			store, err := Open(context.Background(), "", dir, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			pool, err := store.pool()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(`CREATE TABLE marker (id INTEGER PRIMARY KEY)`); err != nil {
				t.Fatal(err)
			}
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(SQLitePath(dir)); err != nil {
				t.Errorf("no database in %s: %v", dir, err)
			}
			entries, err := os.ReadDir(filepath.Dir(dir))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("beside the data directory: %q, want only %q", names, name)
			}
		})
	}
}
