// Package blob keeps the files Rounds makes from uploads — image sizes,
// de-identified DICOM files, uploads staged while a member edits them — in
// a small store addressed by key: a directory under the data directory by
// default (Dir), or an S3-compatible bucket when several nodes serve one
// site (S3). Open picks one from ROUNDS_BLOB_URL.
//
// Keys are paths of lowercase letters, digits and . _ - separated by /,
// chosen by Rounds, never by a member: "images/3f9c…/page.jpg". A prefix
// such as "images/3f9c…/" groups every size of one image, so DeleteAll
// purges them together.
//
// Nothing here checks who may read a blob: the server serves a blob only
// through the permission check of the post it belongs to, and never
// serves the staging area (see Staging) at all.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ErrNotFound is returned for a key that holds no blob.
var ErrNotFound = errors.New("blob not found")

// Info describes a stored blob.
type Info struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Store keeps blobs by key. Implementations are safe for concurrent use.
type Store interface {
	// Put stores size bytes read from r under key, replacing what was
	// there. A reader may see the old blob or the new one, never a part.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Get opens the blob under key, or returns ErrNotFound. The caller
	// closes it.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes the blob under key; a missing one is no error.
	Delete(ctx context.Context, key string) error
	// List returns the blobs whose keys start with prefix, by key.
	List(ctx context.Context, prefix string) ([]Info, error)
	// DeleteAll removes every blob whose key starts with prefix (which
	// must end in /) and says how many went.
	DeleteAll(ctx context.Context, prefix string) (int, error)
}

// CheckKey refuses a key that is not a plain relative path of lowercase
// letters, digits and . _ - (no "..", no empty segment, at most 512 bytes):
// keys become file names and object names, and must mean the same in both.
func CheckKey(key string) error {
	if key == "" || len(key) > 512 {
		return fmt.Errorf("blob key %q: empty or longer than 512 bytes", key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") {
			return fmt.Errorf("blob key %q: empty, dot or hidden segment", key)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return fmt.Errorf("blob key %q: %q is not allowed", key, c)
			}
		}
	}
	return nil
}

// checkPrefix refuses a prefix that is not empty or a key ending in /.
func checkPrefix(prefix string, needSlash bool) error {
	if prefix == "" {
		if needSlash {
			return errors.New("blob prefix must not be empty: it would delete everything")
		}
		return nil
	}
	if !strings.HasSuffix(prefix, "/") {
		if needSlash {
			return fmt.Errorf("blob prefix %q must end in /", prefix)
		}
		return CheckKey(prefix)
	}
	return CheckKey(strings.TrimSuffix(prefix, "/"))
}

// ReadAll reads a whole blob, for the small ones (an image size) that are
// served or processed in one piece.
func ReadAll(ctx context.Context, s Store, key string) ([]byte, error) {
	r, _, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", key, err)
	}
	return data, nil
}
