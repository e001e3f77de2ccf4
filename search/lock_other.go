//go:build !unix

package search

import (
	"errors"
	"fmt"
	"os"
)

// lockRebuild makes sure one rebuild at a time writes under dir. Without
// flock, the lock is a file made exclusively; one left by a crash must be
// removed by hand, which the error says.
func lockRebuild(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%w (if none is, remove %s)", errRebuildRunning, path)
		}
		return nil, fmt.Errorf("create rebuild lock: %w", err)
	}
	_ = f.Close()
	return func() { _ = os.Remove(path) }, nil
}
