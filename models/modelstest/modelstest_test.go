package modelstest

import (
	"context"
	"os"
	"reflect"
	"testing"

	"rounds/models"
)

// A test's store that starts from the SQLite template or a pooled schema
// is as up to date as one migrated from empty: Migrate, which would apply
// every step to an empty database, has nothing left to apply.
func TestMigratedEnginesAreUpToDate(t *testing.T) {
	for _, e := range MigratedEngines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			store := Open(t, e)
			applied, err := store.Migrate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != 0 {
				t.Fatalf("migrate applied %v on a migrated engine", applied)
			}
		})
	}
}

// A pooled schema goes back to the pool as its migrations left it: every
// table as it was, the migrations' own rows kept and every sequence where
// they left it, however the test before wrote to it.
func TestPooledSchemaIsPutBackAsMigrated(t *testing.T) {
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		t.Skip(EnvDatabaseURL + " is not set")
	}
	pool := poolFor(t, base)
	if pool == nil {
		t.Skip("the tests' PostgreSQL role may not reset a schema; each test makes its own")
	}
	var schema string
	t.Run("write", func(t *testing.T) {
		schema = pool.acquire(t)
		url, err := schemaURL(base, schema)
		if err != nil {
			t.Fatal(err)
		}
		store := Migrated(t, Engine{Name: models.Postgres, DatabaseURL: url, DataDir: t.TempDir()})
		author := Verified("park", "Dr. Lena Park").Make(t, store)
		board := &models.Board{Slug: "cardiology", Title: "Cardiology", CreatedAt: store.Now()}
		if err := store.CreateBoard(context.Background(), board); err != nil {
			t.Fatal(err)
		}
		nt := models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: "Troponin after a marathon"}
		nt.Source, nt.Cooked, nt.Plain = "Is it ever benign?", "<p>Is it ever benign?</p>", "Is it ever benign?"
		if _, _, err := store.CreateTopic(context.Background(), nt); err != nil {
			t.Fatal(err)
		}
		if err := store.DB().Exec(`DELETE FROM one_time_jobs`).Error; err != nil {
			t.Fatal(err)
		}
	})
	after, err := takeSnapshot(context.Background(), pool.admin, schema)
	if err != nil {
		t.Fatal(err)
	}
	pool.mu.Lock()
	want := pool.snapshot
	pool.mu.Unlock()
	if !reflect.DeepEqual(after, want) {
		t.Fatalf("schema %s after its test:\n%+v\nwant as migrated:\n%+v", schema, after, want)
	}
}
