package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"rounds/app"
	"rounds/app/seed"
)

func runSeed(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stdout)
	topics := fs.Int("topics", 1000, "number of topics to write")
	replies := fs.Int("replies", 19, "replies in each topic")
	members := fs.Int("members", 500, "number of members who write them")
	seedValue := fs.Uint64("seed", 1, "random seed; the same seed writes the same content")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the seed to this `file` (for go tool pprof)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if *topics < 0 || *replies < 0 || *members < 1 {
		return usageError{"rounds seed: --topics and --replies must be zero or more, --members at least 1"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := setup(ctx, stderr)
	if err != nil {
		return err
	}
	defer e.close()
	// A seed of a million posts takes minutes: ROUNDS_PPROF_ADDR serves
	// its profiles as the server's, to see where they go.
	if e.cfg.PprofAddr != "" {
		_, stopProfiles, err := serveProfiles(e.cfg.PprofAddr, e.log)
		if err != nil {
			return err
		}
		defer stopProfiles()
	}
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile(e.log)
	}

	total := *topics * (*replies + 1)
	start := time.Now()
	report := progress(stderr, e.log, int64(total), "posts", false)
	err = seed.LoadSynthetic(ctx, e.store, app.NewMarkdown(e.cfg), seed.Options{
		Topics: *topics, Replies: *replies, Members: *members, Seed: *seedValue, Progress: func(done int) { report(int64(done)) },
	})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "seeded %d topics and %d posts in %.1fs (%.0f posts/s) into %s\n",
		*topics, total, elapsed.Seconds(), float64(total)/elapsed.Seconds(), e.store.Engine())
	return nil
}
