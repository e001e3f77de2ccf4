// Package modelstest gives tests a migrated database of their own on every
// engine they should run on: always SQLite in a temporary directory, and
// PostgreSQL too when ROUNDS_TEST_DATABASE_URL is set, each test in a
// schema of its own (reused between tests, see schemaPool).
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"rounds/models"
	"rounds/models/testenv"
)

// EnvDatabaseURL names the variable that adds PostgreSQL to the test run.
const EnvDatabaseURL = "ROUNDS_TEST_DATABASE_URL"

// Engine is one place a test can run.
type Engine struct {
	Name models.Engine
	// DatabaseURL is empty for SQLite (the store lives in DataDir) and a
	// postgres URL pinned to the test's own schema otherwise.
	DatabaseURL string
	DataDir     string
}

// Engines lists SQLite and, when configured, PostgreSQL, each freshly made
// for this test and removed when it ends.
func Engines(t testing.TB) []Engine {
	t.Helper()
	engines := []Engine{{Name: models.SQLite, DataDir: t.TempDir()}}
	if base := os.Getenv(EnvDatabaseURL); base != "" {
		engines = append(engines, Engine{Name: models.Postgres, DatabaseURL: FreshSchema(t, base), DataDir: t.TempDir()})
	}
	return engines
}

// MigratedEngines lists the engines Engines does, each database already
// brought up to date: SQLite's a copy of a database migrated once per test
// process (sqliteTemplateFile), PostgreSQL's a schema taken from the process's
// pool (schemaPool) and put back as migrated when the test ends. Migrated
// finds nothing left to do on them. The migrations themselves are tested
// from empty databases, which Engines gives.
func MigratedEngines(t testing.TB) []Engine {
	t.Helper()
	sqlite := Engine{Name: models.SQLite, DataDir: t.TempDir()}
	copySQLiteTemplate(t, sqlite)
	engines := []Engine{sqlite}
	if base := os.Getenv(EnvDatabaseURL); base != "" {
		url := ""
		if pool := poolFor(t, base); pool != nil {
			var err error
			if url, err = schemaURL(base, pool.acquire(t)); err != nil {
				t.Fatal(err)
			}
		} else {
			url = FreshSchema(t, base)
		}
		engines = append(engines, Engine{Name: models.Postgres, DatabaseURL: url, DataDir: t.TempDir()})
	}
	return engines
}

// FreshSchema creates an empty schema in the database at base, drops it when
// the test ends, and returns a URL whose connections use only that schema.
func FreshSchema(t testing.TB, base string) string {
	t.Helper()
	var raw [6]byte
	if _, err := rand.Read(raw[:]); err != nil {
		t.Fatalf("random schema name: %v", err)
	}
	schema := "t_" + hex.EncodeToString(raw[:])
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{})
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvDatabaseURL, err)
	}
	sqlDB, err := admin.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec(`CREATE SCHEMA ` + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`).Error; err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		if err := sqlDB.Close(); err != nil {
			t.Errorf("close admin connection: %v", err)
		}
	})
	u, err := schemaURL(base, schema)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Open connects to the engine's database without migrating it. The store
// runs on a clock of its own at testenv.Start; a test that moves time
// gives it one it holds with SetClock.
func Open(t testing.TB, e Engine) *models.Store {
	t.Helper()
	store, err := models.Open(context.Background(), e.DatabaseURL, e.DataDir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open %s store: %v", e.Name, err)
	}
	store.SetClock(testenv.NewClock().Now)
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("close %s store: %v", e.Name, err)
		}
	})
	return store
}

// Migrated opens the engine's database and brings it up to date. An
// SQLite database not made yet starts as a copy of the migrated template.
func Migrated(t testing.TB, e Engine) *models.Store {
	t.Helper()
	if e.Name == models.SQLite {
		copySQLiteTemplate(t, e)
	}
	store := Open(t, e)
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	return store
}

// Run calls fn once per engine as a subtest with a fresh, migrated store.
func Run(t *testing.T, fn func(t *testing.T, store *models.Store)) {
	t.Helper()
	for _, e := range MigratedEngines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			fn(t, Migrated(t, e))
		})
	}
}
