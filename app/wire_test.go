package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"rounds/app"
	"rounds/app/apptest"
	"rounds/app/config"
	"rounds/models/modelstest"
)

// TestBlobLocation reads ROUNDS_BLOB_URL and the S3 keys, which config
// keeps as plain strings, into the blob store's location.
func TestBlobLocation(t *testing.T) {
	load := func(vars map[string]string) *config.Config {
		t.Helper()
		c, err := config.Load(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	loc, err := app.BlobLocation(load(map[string]string{"ROUNDS_DATA_DIR": "/srv/rounds"}))
	if err != nil || loc.Dir != "/srv/rounds/blobs" || loc.S3 != nil {
		t.Errorf("default blob store: %s, %v", loc, err)
	}
	loc, err = app.BlobLocation(load(map[string]string{
		"ROUNDS_BLOB_URL":      "s3://objects.internal:9000/rounds-images?path_style=true",
		"ROUNDS_S3_ACCESS_KEY": "rounds", "ROUNDS_S3_SECRET_KEY": "s3cret-s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s3 := loc.S3; s3 == nil || s3.Endpoint != "objects.internal:9000" || s3.Bucket != "rounds-images" || !s3.PathStyle || s3.SecretKey != "s3cret-s3cret" {
		t.Errorf("s3 blob store: %+v", loc.S3)
	}
	for _, bad := range []string{
		"/var/lib/rounds/blobs",
		"s3://127.0.0.1:8333/rounds",
		"s3://AK:SK@127.0.0.1:8333/rounds?tls=off",
	} {
		t.Run(bad, func(t *testing.T) {
			_, err := app.BlobLocation(load(map[string]string{"ROUNDS_BLOB_URL": bad}))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), "ROUNDS_BLOB_URL") {
				t.Fatalf("error %q does not name ROUNDS_BLOB_URL", err)
			}
		})
	}
}

// TestWireRefusesBadBlobURL: a node does not start on a blob store it
// cannot read, and says which variable is wrong.
func TestWireRefusesBadBlobURL(t *testing.T) {
	e := modelstest.Engines(t)[0]
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"ROUNDS_DATA_DIR": e.DataDir, "ROUNDS_SECRET": "test-secret-test-secret-test-secret-0123",
			"ROUNDS_BLOB_URL": "/var/lib/rounds/blobs"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	store := modelstest.Migrated(t, e)
	site, err := app.Wire(context.Background(), cfg, store, app.WireOptions{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		if err := site.Close(context.Background()); err != nil {
			t.Error(err)
		}
		t.Fatal("wired a node on a bad ROUNDS_BLOB_URL")
	}
	if !strings.Contains(err.Error(), "ROUNDS_BLOB_URL") {
		t.Fatalf("error %q does not name ROUNDS_BLOB_URL", err)
	}
}

// TestWiredBlobStore: Wire opens the blob store once, in the data
// directory by default, and it keeps what is put in it.
func TestWiredBlobStore(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	if err := a.Site.Blobs.Put(ctx, "images/1/full.webp", strings.NewReader("pixels"), 6); err != nil {
		t.Fatal(err)
	}
	r, _, err := a.Site.Blobs.Get(ctx, "images/1/full.webp")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got bytes.Buffer
	if _, err := io.Copy(&got, r); err != nil || got.String() != "pixels" {
		t.Fatalf("read back %q, %v", got.String(), err)
	}
}
