package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rounds/models"
)

func TestHelpNamesEveryCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"help"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), "  "+c.name+" ") {
			t.Errorf("help does not list %s:\n%s", c.name, out.String())
		}
		var one bytes.Buffer
		if err := run([]string{c.name, "-h"}, &one, &one); err != nil {
			t.Errorf("%s -h: %v", c.name, err)
		}
		if !strings.HasPrefix(one.String(), "rounds "+c.name) {
			t.Errorf("%s -h says %q", c.name, one.String())
		}
	}
	var usage usageError
	if err := run([]string{"frobnicate"}, &out, &out); !errors.As(err, &usage) {
		t.Fatalf("an unknown command gave %v, want a usage error", err)
	}
}

// The package comment, which go doc shows, lists every command with its
// summary as help does.
func TestPackageCommentNamesEveryCommand(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	for _, c := range commands() {
		if line := fmt.Sprintf("\t%-8s %s\n", c.name, c.summary); !strings.Contains(doc, line) {
			t.Errorf("the package comment does not list %q", line)
		}
	}
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	t.Setenv("ROUNDS_DATA_DIR", t.TempDir())
	t.Setenv("ROUNDS_DATABASE_URL", "mysql://root@localhost/rounds")
	var out bytes.Buffer
	err := run([]string{"migrate"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "ROUNDS_DATABASE_URL") {
		t.Fatalf("migrate with a bad database URL: %v", err)
	}
}

func TestMigrateAndImportTheNPIRegistry(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ROUNDS_DATA_DIR", dir)
	t.Setenv("ROUNDS_DATABASE_URL", "")
	t.Setenv("ROUNDS_LOG_LEVEL", "warn")
	var out bytes.Buffer
	for range 2 { // the second run finds nothing to do
		out.Reset()
		if err := run([]string{"migrate"}, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "schema version") {
			t.Fatalf("migrate said %q", out.String())
		}
	}
	out.Reset()
	if err := run([]string{"npi", "import", "../../app/npi/testdata/npidata_pfile_sample.csv"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 9 providers") {
		t.Fatalf("npi import said %q", out.String())
	}
	store, err := models.Open(context.Background(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n, err := store.CountNPIProviders(context.Background()); err != nil || n != 9 {
		t.Fatalf("%d providers in the registry (%v), want 9", n, err)
	}
	if err := run([]string{"npi", "import"}, &out, &out); err == nil {
		t.Fatal("npi import without a file succeeded")
	}
}

// migratedDataDir points the commands at a fresh SQLite data directory,
// runs rounds migrate in it and returns it.
func migratedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("ROUNDS_DATA_DIR", dir)
	t.Setenv("ROUNDS_DATABASE_URL", "")
	t.Setenv("ROUNDS_LOG_LEVEL", "warn")
	var out bytes.Buffer
	if err := run([]string{"migrate"}, &out, &out); err != nil {
		t.Fatalf("rounds migrate: %v\n%s", err, out.String())
	}
	return dir
}

func TestUserRoleCommand(t *testing.T) {
	dir := migratedDataDir(t)
	var out bytes.Buffer
	ctx := context.Background()
	store, err := models.Open(ctx, "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, _, err := store.SignIn(ctx, models.Identity{Provider: "hospital", Issuer: "https://sso.example.org", Subject: "s1",
		Email: "chief@stmary.example.org", EmailVerified: true}, models.User{Username: "chief", DisplayName: "Dr. Chief"})
	if err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"user", "role", "Chief@stmary.example.org", "admin"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	got, err := store.UserByID(ctx, u.ID)
	if err != nil || got.Role != models.RoleAdmin {
		t.Fatalf("role after the command: %+v, %v", got, err)
	}
	for _, args := range [][]string{
		{"user", "role", "nobody@example.org", "admin"},
		{"user", "role", "chief@stmary.example.org", "superuser"},
		{"user", "promote", "chief@stmary.example.org"},
	} {
		if err := run(args, &out, &out); err == nil {
			t.Errorf("rounds %v succeeded", args)
		}
	}
}

// rounds seed --cpuprofile writes a profile of the seed, as reindex does,
// so a seed can be profiled without the server's profile endpoint.
func TestSeedWritesACPUProfile(t *testing.T) {
	migratedDataDir(t)
	var out bytes.Buffer
	profile := filepath.Join(t.TempDir(), "cpu.prof")
	if err := run([]string{"seed", "--topics", "3", "--replies", "1", "--members", "5", "--cpuprofile", profile}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "seeded 3 topics and 6 posts") {
		t.Fatalf("seed said %q", out.String())
	}
	if info, err := os.Stat(profile); err != nil || info.Size() == 0 {
		t.Fatalf("CPU profile: %v, %v", info, err)
	}
}

// rounds reindex --cpuprofile writes a profile of the rebuild, so a
// rebuild can be profiled as it runs for real (issue 16).
func TestReindexWritesACPUProfile(t *testing.T) {
	migratedDataDir(t)
	var out bytes.Buffer
	profile := filepath.Join(t.TempDir(), "cpu.prof")
	if err := run([]string{"reindex", "--cpuprofile", profile}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "reindexed 0 posts") {
		t.Fatalf("reindex said %q", out.String())
	}
	if info, err := os.Stat(profile); err != nil || info.Size() == 0 {
		t.Fatalf("CPU profile: %v, %v", info, err)
	}
}
