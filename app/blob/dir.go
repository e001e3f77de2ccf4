package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dir keeps blobs as files under a directory, the embedded default: one
// node, no service to run. Writes go to a temporary file in the same
// directory tree, are synced, and are renamed into place, so a crash
// leaves the old blob or the new one, never half of one.
type Dir struct {
	root string
}

// tmpDir is where writes are prepared: inside root, so the rename is on
// one filesystem, and hidden, so List never sees it (keys cannot start
// with a dot).
const tmpDir = ".tmp"

// NewDir opens (creating it) a store in the directory root.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, tmpDir), 0o750); err != nil {
		return nil, fmt.Errorf("blob directory: %w", err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }

// Put implements Store.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dst := d.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Join(d.root, tmpDir), "put-*")
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()           // the write's own error is the one reported
			_ = os.Remove(tmp.Name()) // nothing else to do with a failed temporary
		}
	}()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("put %s: read %d bytes, expected %d", key, n, size)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	ok = true
	return nil
}

// Get implements Store.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, Info{}, err
	}
	f, err := os.Open(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, ErrNotFound
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("get %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		_ = f.Close() // reporting why it is not a blob
		return nil, Info{}, ErrNotFound
	}
	return f, Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

// Delete implements Store. Directories a delete leaves empty are removed
// too, up to the root, so purged images leave no trace of their keys.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	err := os.Remove(d.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	d.pruneEmpty(filepath.Dir(d.path(key)))
	return nil
}

// pruneEmpty removes dir and its parents while they are empty.
func (d *Dir) pruneEmpty(dir string) {
	root := filepath.Clean(d.root)
	for dir = filepath.Clean(dir); dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // not empty (or gone): stop
			return
		}
	}
}

// List implements Store.
func (d *Dir) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := checkPrefix(prefix, false); err != nil {
		return nil, err
	}
	// Walk from the deepest directory the prefix names.
	start := d.root
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = d.path(prefix[:i])
	}
	var out []Info
	err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if e.IsDir() {
			if e.Name() == tmpDir && filepath.Dir(p) == filepath.Clean(d.root) {
				return filepath.SkipDir
			}
			return ctx.Err()
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) || CheckKey(key) != nil {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted while listed
			}
			return err
		}
		out = append(out, Info{Key: key, Size: info.Size(), Modified: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// DeleteAll implements Store.
func (d *Dir) DeleteAll(ctx context.Context, prefix string) (int, error) {
	if err := checkPrefix(prefix, true); err != nil {
		return 0, err
	}
	return deleteListed(ctx, d, prefix)
}

// deleteListed deletes what List finds under prefix.
func deleteListed(ctx context.Context, s Store, prefix string) (int, error) {
	list, err := s.List(ctx, prefix)
	if err != nil {
		return 0, err
	}
	for i, b := range list {
		if err := s.Delete(ctx, b.Key); err != nil {
			return i, err
		}
	}
	return len(list), nil
}
