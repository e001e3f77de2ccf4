package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// After the seed's last import, SettleImports leaves PostgreSQL's planner
// knowing every table the imports wrote (a table never analyzed or
// vacuumed has reltuples -1) and the pages marked all-visible, so reads
// need no visibility checks and index-only scans work; on SQLite it does
// nothing.
func TestSettleImportsVacuumsWhatTheImportsWrote(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		must(t, store.ImportTopics(ctx, []models.ImportTopic{{BoardID: f.board.ID, Title: "Imported", Tags: []string{"sepsis"},
			Posts: []models.ImportPost{{AuthorID: f.author.ID, Source: "a", Cooked: "<p>a</p>", At: at},
				{AuthorID: f.peer.ID, Source: "b", Cooked: "<p>b</p>", At: at}}}}))
		must(t, store.SettleImports(ctx))
		if store.Engine() != models.Postgres {
			return
		}
		for _, table := range []string{"topics", "topic_tags", "posts", "post_revisions", "search_outbox", "member_board_counts", "boards", "users"} {
			var reltuples float64
			var allVisible int64
			if err := store.DB().Raw(`SELECT reltuples, relallvisible FROM pg_class WHERE oid = to_regclass(?)`, table).Row().Scan(&reltuples, &allVisible); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			var rows int64
			must(t, store.DB().Raw(`SELECT COUNT(*) FROM `+table).Scan(&rows).Error)
			if reltuples != float64(rows) {
				t.Errorf("%s: the planner counts %v rows, the table has %d", table, reltuples, rows)
			}
			if rows > 0 && allVisible == 0 {
				t.Errorf("%s: no page is marked all-visible after the vacuum", table)
			}
		}
	})
}

// BulkLoad on an empty PostgreSQL database writes without the posts'
// secondary indexes and foreign keys and makes them again as they were;
// a load that fails leaves the schema as it found it and nothing written;
// on a database with posts (and on SQLite) the load runs as it is.
func TestBulkLoadDefersThePostsIndexesOnlyOnAnEmptyDatabase(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		pg := store.Engine() == models.Postgres
		schema := func(t *testing.T, st *models.Store) []string {
			t.Helper()
			if !pg {
				return nil
			}
			var defs []string
			must(t, st.DB().Raw(`SELECT pg_get_indexdef(indexrelid) FROM pg_index
				WHERE indrelid IN ('posts'::regclass, 'post_revisions'::regclass)
				UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
				WHERE conrelid IN ('posts'::regclass, 'post_revisions'::regclass)
				ORDER BY 1`).Scan(&defs).Error)
			return defs
		}
		posts := func(t *testing.T, st *models.Store) int64 {
			t.Helper()
			var n int64
			must(t, st.DB().Raw(`SELECT COUNT(*) FROM posts`).Scan(&n).Error)
			return n
		}
		hasCreatedIndex := func(t *testing.T, st *models.Store) bool {
			t.Helper()
			var n int64
			must(t, st.DB().Raw(`SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'posts_created' AND schemaname = current_schema()`).Scan(&n).Error)
			return n == 1
		}
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		topic := []models.ImportTopic{{BoardID: f.board.ID, Title: "Imported", Tags: []string{"sepsis"},
			Posts: []models.ImportPost{{AuthorID: f.author.ID, Source: "a", Cooked: "<p>a</p>", At: at},
				{AuthorID: f.peer.ID, Source: "b", Cooked: "<p>b</p>", At: at}}}}
		before := schema(t, store)
		if len(before) == 0 && pg {
			t.Fatal("no indexes or keys read")
		}
		if posts(t, store) != 0 {
			t.Fatal("the fixture has posts")
		}

		// A load that fails: nothing written, the schema as it was.
		failed := errors.New("stop")
		err := store.BulkLoad(ctx, func(st *models.Store) error {
			must(t, st.ImportTopics(ctx, topic))
			if pg && hasCreatedIndex(t, st) {
				t.Error("posts_created was kept while loading an empty database")
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("BulkLoad returned %v", err)
		}
		if pg && posts(t, store) != 0 {
			t.Errorf("a failed load on PostgreSQL left %d posts", posts(t, store))
		}
		if got := schema(t, store); !slices.Equal(got, before) {
			t.Errorf("after a failed load the schema is\n%v\nwant\n%v", got, before)
		}

		if pg {
			// The load that succeeds, on the empty database.
			must(t, store.BulkLoad(ctx, func(st *models.Store) error {
				if hasCreatedIndex(t, st) {
					t.Error("posts_created was kept while loading an empty database")
				}
				return st.ImportTopics(ctx, topic)
			}))
			if got := schema(t, store); !slices.Equal(got, before) {
				t.Errorf("after a load the schema is\n%v\nwant\n%v", got, before)
			}
		}
		// With posts in place, nothing is dropped.
		n := posts(t, store)
		must(t, store.BulkLoad(ctx, func(st *models.Store) error {
			if pg && !hasCreatedIndex(t, st) {
				t.Error("posts_created was dropped on a database with posts")
			}
			return st.ImportTopics(ctx, topic)
		}))
		if got := posts(t, store); got != n+2 {
			t.Errorf("%d posts after a load of 2 onto %d", got, n)
		}
		if got := schema(t, store); !slices.Equal(got, before) {
			t.Errorf("after a load onto posts the schema is\n%v\nwant\n%v", got, before)
		}
	})
}
