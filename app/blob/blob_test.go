package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stores returns the stores to test: a directory always, and an S3
// bucket when ROUNDS_TEST_S3_URL names one (CI starts SeaweedFS's S3
// gateway for it). Each test works under a prefix of its own, so runs can
// share a bucket.
func stores(t *testing.T) map[string]Store {
	t.Helper()
	dir, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Store{"dir": dir}
	if raw := os.Getenv("ROUNDS_TEST_S3_URL"); raw != "" {
		cfg, err := ParseS3URL(raw)
		if err != nil {
			t.Fatalf("ROUNDS_TEST_S3_URL: %v", err)
		}
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			t.Fatal(err)
		}
		cfg.Prefix += "test-" + hex.EncodeToString(b[:]) + "/"
		s3, err := NewS3(context.Background(), cfg)
		if err != nil {
			t.Fatalf("ROUNDS_TEST_S3_URL: %v", err)
		}
		t.Cleanup(func() {
			if _, err := s3.DeleteAll(context.Background(), "images/"); err != nil {
				t.Logf("clean up the bucket: %v", err)
			}
			if _, err := s3.DeleteAll(context.Background(), "staging/"); err != nil {
				t.Logf("clean up the bucket: %v", err)
			}
		})
		out["s3"] = s3
	} else {
		t.Log("ROUNDS_TEST_S3_URL is not set: the S3 store is not tested here")
	}
	return out
}

func put(t *testing.T, s Store, key, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			put(t, s, "images/a1/thumb.jpg", "thumb")
			put(t, s, "images/a1/page.jpg", "page")
			put(t, s, "images/a1/full.jpg", "full view")
			put(t, s, "images/a2/full.png", "other image")
			put(t, s, "images/a1/page.jpg", "page, again") // replaces

			got, err := ReadAll(ctx, s, "images/a1/page.jpg")
			if err != nil || string(got) != "page, again" {
				t.Errorf("get page: %q, %v", got, err)
			}
			r, info, err := s.Get(ctx, "images/a1/full.jpg")
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(r)
			if closeErr := r.Close(); err != nil || closeErr != nil || string(body) != "full view" || info.Size != 9 || info.Key != "images/a1/full.jpg" {
				t.Errorf("get full: %q %+v %v %v", body, info, err, closeErr)
			}
			if _, _, err := s.Get(ctx, "images/a1/none.jpg"); !errors.Is(err, ErrNotFound) {
				t.Errorf("get a missing blob: %v, want ErrNotFound", err)
			}

			list, err := s.List(ctx, "images/a1/")
			if err != nil {
				t.Fatal(err)
			}
			if keys := keysOf(list); keys != "images/a1/full.jpg images/a1/page.jpg images/a1/thumb.jpg" {
				t.Errorf("list images/a1/: %s", keys)
			}
			if list, _ := s.List(ctx, "images/a"); len(list) != 4 {
				t.Errorf("list images/a: %s", keysOf(list))
			}

			// Purge: every size of one image goes, the other image stays.
			n, err := s.DeleteAll(ctx, "images/a1/")
			if err != nil || n != 3 {
				t.Errorf("delete all images/a1/: %d, %v", n, err)
			}
			if list, _ := s.List(ctx, "images/"); keysOf(list) != "images/a2/full.png" {
				t.Errorf("after the purge: %s", keysOf(list))
			}
			if err := s.Delete(ctx, "images/a2/full.png"); err != nil {
				t.Error(err)
			}
			if err := s.Delete(ctx, "images/a2/full.png"); err != nil {
				t.Errorf("deleting twice: %v", err)
			}
			if list, _ := s.List(ctx, "images/"); len(list) != 0 {
				t.Errorf("after deleting everything: %s", keysOf(list))
			}
			if _, err := s.DeleteAll(ctx, ""); err == nil {
				t.Error("DeleteAll of everything was allowed")
			}
		})
	}
}

func keysOf(list []Info) string {
	var keys []string
	for _, b := range list {
		keys = append(keys, b.Key)
	}
	return strings.Join(keys, " ")
}

func TestCheckKey(t *testing.T) {
	for _, key := range []string{"images/ab/full.jpg", "staging/42/1700000000-00ff", "a"} {
		if err := CheckKey(key); err != nil {
			t.Errorf("%q refused: %v", key, err)
		}
	}
	for _, key := range []string{"", "/abs", "a//b", "../etc/passwd", "a/../b", "a/./b", "A/b", "a/b c", "a\\b", ".tmp/x", "a/", strings.Repeat("a", 513), "é"} {
		if CheckKey(key) == nil {
			t.Errorf("%q allowed", key)
		}
	}
}

func TestDirWritesAtomically(t *testing.T) {
	root := t.TempDir()
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	put(t, d, "images/x/full.jpg", "old")
	// A write that fails half-way leaves the old blob, and no temporary.
	err = d.Put(ctx, "images/x/full.jpg", io.MultiReader(strings.NewReader("new, but"), failing{}), 100)
	if err == nil {
		t.Fatal("a failing reader was stored")
	}
	if got, _ := ReadAll(ctx, d, "images/x/full.jpg"); string(got) != "old" {
		t.Errorf("after a failed write: %q", got)
	}
	// A short read is refused too.
	if err := d.Put(ctx, "images/x/full.jpg", strings.NewReader("short"), 100); err == nil {
		t.Error("a short write was stored")
	}
	if left, _ := os.ReadDir(filepath.Join(root, tmpDir)); len(left) != 0 {
		t.Errorf("temporaries left: %v", left)
	}
	// Writers racing on one key leave one whole blob.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
			if err := d.Put(ctx, "images/x/race.jpg", bytes.NewReader(body), int64(len(body))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ := ReadAll(ctx, d, "images/x/race.jpg")
	if len(got) != 64<<10 || strings.Trim(string(got), string(got[:1])) != "" {
		t.Errorf("racing writes left a mixed blob of %d bytes", len(got))
	}
	// A purge leaves no empty directories behind.
	if _, err := d.DeleteAll(ctx, "images/"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "images")); !os.IsNotExist(err) {
		t.Errorf("images/ is left after the purge: %v", err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestStaging(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 3, 1, 18, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			st := NewStaging(s, clock)
			ticket, err := st.Put(ctx, "17", strings.NewReader("unredacted film"), 15)
			if err != nil {
				t.Fatal(err)
			}
			read := func(member, ticket string) (string, error) {
				r, err := st.Get(ctx, member, ticket)
				if err != nil {
					return "", err
				}
				defer r.Close()
				b, err := io.ReadAll(r)
				return string(b), err
			}
			if got, err := read("17", ticket); err != nil || got != "unredacted film" {
				t.Errorf("the member reads %q, %v", got, err)
			}
			// Another member, with the same ticket, gets nothing.
			if _, err := read("18", ticket); !errors.Is(err, ErrNotFound) {
				t.Errorf("another member reads the upload: %v", err)
			}
			for _, bad := range []string{"", "../17/" + ticket, "1700000000", "1700000000-zz", ticket + "x"} {
				if _, err := read("17", bad); err == nil {
					t.Errorf("ticket %q read", bad)
				}
			}

			// Staged a little later, a second upload outlives the first.
			now = now.Add(20 * time.Minute)
			later, err := st.Put(ctx, "17", strings.NewReader("second"), 6)
			if err != nil {
				t.Fatal(err)
			}
			now = now.Add(39 * time.Minute) // 59 minutes after the first
			if n, err := st.Sweep(ctx); err != nil || n != 0 {
				t.Errorf("sweep before the hour: %d, %v", n, err)
			}
			now = now.Add(time.Minute) // the first is an hour old
			if _, err := read("17", ticket); !errors.Is(err, ErrExpired) {
				t.Errorf("an hour-old upload: %v, want ErrExpired", err)
			}
			if n, err := st.Sweep(ctx); err != nil || n != 0 {
				t.Errorf("sweep after the expired read deleted it: %d, %v", n, err)
			}
			now = now.Add(20 * time.Minute)
			if n, err := st.Sweep(ctx); err != nil || n != 1 {
				t.Errorf("sweep after the second's hour: %d, %v", n, err)
			}
			if _, err := read("17", later); !errors.Is(err, ErrExpired) {
				t.Errorf("a swept upload: %v, want ErrExpired", err)
			}
			if list, _ := s.List(ctx, "staging/"); len(list) != 0 {
				t.Errorf("left in staging: %s", keysOf(list))
			}
			// Delete takes an upload out at once.
			now = now.Add(time.Minute)
			third, err := st.Put(ctx, "17", strings.NewReader("third"), 5)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Delete(ctx, "17", third); err != nil {
				t.Fatal(err)
			}
			if _, err := read("17", third); !errors.Is(err, ErrNotFound) {
				t.Errorf("a deleted upload: %v", err)
			}
		})
	}
}

func TestS3RefusesWrongKeysAndMissingBuckets(t *testing.T) {
	raw := os.Getenv("ROUNDS_TEST_S3_URL")
	if raw == "" {
		t.Skip("ROUNDS_TEST_S3_URL is not set")
	}
	cfg, err := ParseS3URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	wrong := cfg
	wrong.SecretKey += "-wrong"
	if _, err := NewS3(context.Background(), wrong); err == nil {
		t.Error("a wrong secret key was accepted")
	}
	missing := cfg
	missing.Bucket = "rounds-no-such-bucket"
	if _, err := NewS3(context.Background(), missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing bucket: %v", err)
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct {
		raw, access, secret string
		want                string
		bucket, endpoint    string
		prefix              string
		insecure, path      bool
	}{
		{raw: "", want: "directory /data/blobs"},
		{raw: "file:///srv/rounds-blobs", want: "directory /srv/rounds-blobs"},
		{raw: "s3://AK:SK@127.0.0.1:8333/rounds?insecure=true&path_style=true", want: "s3 bucket rounds at 127.0.0.1:8333",
			bucket: "rounds", endpoint: "127.0.0.1:8333", insecure: true, path: true},
		{raw: "s3://s3.eu-west-1.amazonaws.com/clinic-bucket/rounds?region=eu-west-1", access: "AK", secret: "SK",
			want: "s3 bucket clinic-bucket at s3.eu-west-1.amazonaws.com", bucket: "clinic-bucket", prefix: "rounds/"},
	}
	for _, tt := range tests {
		loc, err := ParseLocation(tt.raw, "/data", tt.access, tt.secret)
		if err != nil {
			t.Errorf("%q: %v", tt.raw, err)
			continue
		}
		if loc.String() != tt.want {
			t.Errorf("%q: %s, want %s", tt.raw, loc, tt.want)
		}
		if c := loc.S3; c != nil && (c.Bucket != tt.bucket || c.Prefix != tt.prefix || c.Insecure != tt.insecure || c.PathStyle != tt.path || c.AccessKey != "AK" || c.SecretKey != "SK") {
			t.Errorf("%q: %+v", tt.raw, c)
		}
	}
	for _, bad := range []string{"s3://host", "s3://AK:SK@host/bucket?tls=no", "s3://host/bucket", "ftp://host/x", "file://relative/x", "/plain/path"} {
		if _, err := ParseLocation(bad, "/data", "", ""); err == nil {
			t.Errorf("%q accepted", bad)
		} else if strings.Contains(err.Error(), "SK") {
			t.Errorf("%q: the message shows the secret: %v", bad, err)
		}
	}
}
