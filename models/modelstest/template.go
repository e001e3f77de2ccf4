package modelstest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"rounds/models"
	"rounds/models/testenv"
)

// sqliteTemplateFile is a SQLite database migrated once per test process:
// a test's store begins as a copy of it rather than running every
// migration again, each in a transaction of its own with a sync at its
// commit (about a second a test on a busy machine). The migrations
// themselves are tested from an empty database
// (TestMigrateFromEmptyAndAgain).
var sqliteTemplateFile = sync.OnceValues(migrateSQLiteTemplate)

// migrateSQLiteTemplate migrates a database in a directory of its own,
// writes it out whole with VACUUM INTO and returns the file's bytes.
func migrateSQLiteTemplate() (file []byte, err error) {
	dir, err := os.MkdirTemp("", "rounds-sqlite-template-")
	if err != nil {
		return nil, fmt.Errorf("directory for the SQLite template: %w", err)
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	ctx := context.Background()
	out := filepath.Join(dir, "template.db")
	if err := migrateOnce(ctx, "", filepath.Join(dir, "data"), func(store *models.Store) error {
		return store.DB().WithContext(ctx).Exec(`VACUUM INTO ?`, out).Error
	}); err != nil {
		return nil, fmt.Errorf("migrate the SQLite template: %w", err)
	}
	return os.ReadFile(out)
}

// migrateOnce opens the database at databaseURL (SQLite under dataDir when
// it is empty), migrates it on the clock a test's store has when Migrated
// migrates it, so the steps are stamped as they would have been, calls
// then on it and closes it: the one migration that a test process's
// databases are copied or reset from.
func migrateOnce(ctx context.Context, databaseURL, dataDir string, then func(*models.Store) error) error {
	store, err := models.Open(ctx, databaseURL, dataDir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	store.SetClock(testenv.NewClock().Now)
	_, err = store.Migrate(ctx)
	if err == nil && then != nil {
		err = then(store)
	}
	return errors.Join(err, store.Close())
}

// copySQLiteTemplate starts the engine's database as the migrated template,
// unless the test has made one already.
func copySQLiteTemplate(t testing.TB, e Engine) {
	t.Helper()
	path := models.SQLitePath(e.DataDir)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return
	}
	file, err := sqliteTemplateFile()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(e.DataDir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatalf("copy the SQLite template: %v", err)
	}
}
