//go:build !linux

package models

import "os"

// fdatasync syncs f (fsync; on macOS Go asks for F_FULLFSYNC).
func fdatasync(f *os.File) error { return f.Sync() }
