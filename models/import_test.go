package models_test

import (
	"context"
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
