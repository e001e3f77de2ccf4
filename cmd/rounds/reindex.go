package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"rounds/app"
	"rounds/search"
)

func runReindex(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reindex", stdout)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the rebuild to this `file` (for go tool pprof)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Indexing makes a lot of short-lived garbage: collect less often, but
	// keep the heap small, for the index files the process maps while it
	// merges count against its memory too. GOGC and GOMEMLIMIT, when set,
	// still decide.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(300 << 20)
	}
	e, err := setup(ctx, stderr)
	if err != nil {
		return err
	}
	defer e.close()

	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile(e.log)
	}

	// The rebuild counts the posts it is to write; the progress report
	// starts with its first call.
	var report func(done int64)
	stats, err := search.Rebuild(ctx, app.SearchDir(e.cfg), e.store, func(done, total int64) {
		if report == nil {
			report = progress(stderr, e.log, total, "posts", false)
		}
		report(done)
	})
	if err != nil {
		return err
	}
	if report != nil {
		report(stats.Posts)
	}
	fmt.Fprintf(stdout, "reindexed %d posts in %.1fs (%.0f posts/s) into %s; a running server switches to it within a second\n",
		stats.Posts, stats.Took.Seconds(), float64(stats.Posts)/max(stats.Took.Seconds(), 0.001),
		filepath.Join(app.SearchDir(e.cfg), stats.Dir))
	return nil
}
