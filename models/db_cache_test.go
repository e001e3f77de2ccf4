package models

import (
	"context"
	"log/slog"
	"testing"
)

// Every pooled SQLite connection gets the bounded page cache, not just the
// first: eight connections of SQLite's own cache live outside Go's heap and
// the memory limit, so an unbounded one would hold a large database's pages
// eight times over. Each also reads through a mapping of the file (mmap_size),
// which holds no copy of the pages at all, unless the store was opened for
// one pass over the data (rounds reindex), which maps nothing.
func TestEverySQLiteConnectionHasTheBoundedPageCacheAndMappedReads(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []OpenOption
		mapped int64
	}{
		{"server", nil, sqliteMmapBytes},
		{"without mapped reads", []OpenOption{WithoutMappedReads()}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store, err := Open(ctx, "", t.TempDir(), slog.New(slog.DiscardHandler), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := store.Close(); err != nil {
					t.Error(err)
				}
			}()
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
				// PRAGMA mmap_size answers what SQLite will map, capped by
				// its build: this also says the build maps as much as asked.
				var mapped int64
				if err := conn.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mapped); err != nil {
					t.Fatal(err)
				}
				if mapped != tc.mapped {
					t.Errorf("connection %d: mmap_size %d, want %d", i, mapped, tc.mapped)
				}
			}
		})
	}
}
