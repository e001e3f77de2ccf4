//go:build unix

// Package cputime reads the CPU time this process has used, for the
// benchmarks that report CPU per operation beside wall time: on a machine
// shared with other work, CPU time moves less with the load than wall time
// does.
package cputime

import (
	"syscall"
	"time"
)

// Used is the CPU time this process has used so far, user and system:
// every goroutine's. It is zero where it cannot be read.
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
