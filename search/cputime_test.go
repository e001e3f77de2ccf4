package search

import (
	"time"

	"rounds/internal/cputime"
)

// cpuTime is the CPU time this process has used, user and system: every
// goroutine's, the shards' searches included.
func cpuTime() time.Duration { return cputime.Used() }
