package models

import (
	"os"
	"syscall"
)

// fdatasync syncs f's data, and its size, as SQLite does on Linux: not its
// times, which would cost a journal commit of the file system per sync.
func fdatasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
