package models_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// TestMigrateAddsTheJobQueue checks that River's tables come with ours and
// that migrating again leaves them as they were.
func TestMigrateAddsTheJobQueue(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		var jobs int64
		if err := store.DB().WithContext(ctx).Raw(`SELECT COUNT(*) FROM river_job`).Scan(&jobs).Error; err != nil {
			t.Fatalf("river_job after Migrate: %v", err)
		}
		before := riverVersions(t, store)
		if len(before) == 0 {
			t.Fatal("river_migration lists no versions after Migrate")
		}
		applied, err := store.Migrate(ctx)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v, want nothing", applied)
		}
		if after := riverVersions(t, store); !slices.Equal(before, after) {
			t.Fatalf("River versions went from %v to %v on a second Migrate", before, after)
		}
	})
}

// TestNodesMigrateTheJobQueueAtOnce starts several nodes on one empty
// PostgreSQL database at the same moment, as a rolling deploy can.
func TestNodesMigrateTheJobQueueAtOnce(t *testing.T) {
	for _, e := range modelstest.Engines(t) {
		if e.Name != models.Postgres {
			continue // one SQLite file serves one node
		}
		t.Run(string(e.Name), func(t *testing.T) {
			const nodes = 4
			stores := make([]*models.Store, nodes)
			for i := range stores {
				stores[i] = modelstest.Open(t, e)
			}
			errs := make([]error, nodes)
			var wg sync.WaitGroup
			for i, store := range stores {
				wg.Go(func() { _, errs[i] = store.Migrate(context.Background()) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("node %d: %v", i, err)
				}
			}
			if len(riverVersions(t, stores[0])) == 0 {
				t.Fatal("no River versions recorded")
			}
		})
	}
}

func riverVersions(t *testing.T, store *models.Store) []int {
	t.Helper()
	var versions []int
	if err := store.DB().Raw(`SELECT version FROM river_migration ORDER BY version`).Scan(&versions).Error; err != nil {
		t.Fatalf("read river_migration: %v", err)
	}
	return versions
}
