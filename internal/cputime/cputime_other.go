//go:build !unix

// Package cputime reads the CPU time this process has used, for the
// benchmarks that report CPU per operation beside wall time: on a machine
// shared with other work, CPU time moves less with the load than wall time
// does.
package cputime

import "time"

// Used is not measured here: benchmarks report 0.
func Used() time.Duration { return 0 }
