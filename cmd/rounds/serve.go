package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"rounds/app"
	"rounds/app/config"
	"rounds/app/demoidp"
	"rounds/app/fetch"
	"rounds/app/jobs"
	"rounds/app/seed"
	"rounds/models"
	"rounds/search"
)

// env holds what every command that touches the database starts from.
type env struct {
	cfg   *config.Config
	log   *slog.Logger
	store *models.Store
}

// setup loads and checks the configuration, opens the database and brings
// its schema up to date.
func setup(ctx context.Context, stderr io.Writer) (*env, error) {
	cfg, err := config.Load(os.Getenv)
	if err == nil {
		err = cfg.LoadProviders(os.Environ())
	}
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	var handler slog.Handler
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(stderr, opts)
	} else {
		handler = slog.NewTextHandler(stderr, opts)
	}
	log := slog.New(handler)
	slog.SetDefault(log)
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	store, err := models.Open(ctx, cfg.DatabaseURL, cfg.DataDir, log)
	if err != nil {
		return nil, err
	}
	applied, err := store.Migrate(ctx)
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	if len(applied) > 0 {
		log.Info("migrated database", "engine", store.Engine(), "applied", applied)
	}
	return &env{cfg: cfg, log: log, store: store}, nil
}

// close releases the database at the end of a command.
func (e *env) close() {
	if err := e.store.Close(); err != nil {
		e.log.Error("close database", "err", err)
	}
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stdout)
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	return serve(stdout, stderr, false)
}

// serve runs the site until SIGTERM or SIGINT, then lets requests in flight
// finish before closing the database.
func serve(stdout, stderr io.Writer, demo bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Pages allocate a lot of short-lived memory and keep little, so a
	// rarer collection buys throughput for a few megabytes; GOGC, when set,
	// still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	e, err := setup(ctx, stderr)
	if err != nil {
		return err
	}
	defer e.close()
	var (
		show    *seed.Podcast
		fetcher *fetch.Fetcher
	)
	if demo {
		e.cfg.UseDemoDefaults()
		if show, err = loadDemo(ctx, e); err != nil {
			return err
		}
		fetcher = app.NewDemoFetcher(e.cfg, show)
	}
	work, err := app.NewBackground(e.cfg, e.store, fetcher, e.log)
	if err != nil {
		return err
	}
	queue, err := jobs.New(e.store, e.log, jobs.Options{Register: work.Register, Periodic: work.Periodic(), RescueAfter: e.cfg.JobRescueAfter})
	if err != nil {
		return err
	}
	if err := queue.Start(ctx); err != nil {
		return err
	}
	if err := work.QueueOneTimeJobs(ctx, queue); err != nil {
		return err
	}
	// Deferred after the store's close, so it runs before it: running
	// jobs finish, within the shutdown timeout, while the database is open.
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), e.cfg.ShutdownTimeout)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			e.log.Error("stop the job queue", "err", err)
		}
	}()
	opts := app.Options{Config: e.cfg, Store: e.store, Logger: e.log, Demo: demo, Jobs: queue, Fetcher: work.Fetcher, Mailer: work.Mailer,
		Digests: work.Digests}
	if demo {
		opts.DemoPodcast = show
		// The demo's members sign in through its own OpenID Connect
		// provider, served on the site itself under /oidc, alive as long
		// as the server.
		if opts.DemoIdP, err = demoidp.Start(e.cfg.BaseURL); err != nil {
			return err
		}
		defer func() {
			if err := opts.DemoIdP.Stop(); err != nil {
				e.log.Error("stop the demo identity provider", "err", err)
			}
		}()
	}
	// Opened after the demo is loaded, so a first build indexes it all.
	index, err := search.Open(searchDir(e.cfg.DataDir), e.store, e.log)
	if err != nil {
		return err
	}
	// The indexer stops after the server has, so requests in flight can
	// still search; the index closes once the indexer has returned.
	indexCtx, stopIndex := context.WithCancel(context.WithoutCancel(ctx))
	indexed := make(chan struct{})
	go func() {
		defer close(indexed)
		index.Run(indexCtx)
	}()
	defer func() {
		stopIndex()
		<-indexed
		if err := index.Close(); err != nil {
			e.log.Error("close search index", "err", err)
		}
	}()
	opts.Search = index
	go sweepSessions(ctx, e)
	server, err := app.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on ROUNDS_ADDR %s: %w", e.cfg.Addr, err)
	}
	served := make(chan error, 1)
	go func() { served <- server.Listener(ln) }()
	e.log.Info("serving", "addr", ln.Addr().String(), "engine", e.store.Engine(), "demo", demo, "version", version)
	fmt.Fprintf(stdout, "Rounds is running at %s (press Ctrl-C to stop)\n", e.cfg.BaseURL)

	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down", "timeout", e.cfg.ShutdownTimeout)
	if err := server.ShutdownWithTimeout(e.cfg.ShutdownTimeout); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// sweepSessions deletes ended sessions, abandoned sign-in attempts and old
// search outbox entries, and lifts suspensions that ran out, once an hour, so the tables hold only live ones.
// Every node may do it; the deletes do not conflict.
func sweepSessions(ctx context.Context, e *env) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := e.store.DeleteExpiredSessions(ctx, e.store.Now(), e.cfg.SessionIdle)
		if err == nil {
			var attempts int64
			attempts, err = e.store.DeleteExpiredLoginAttempts(ctx, e.store.Now())
			n += attempts
		}
		switch {
		case err != nil && ctx.Err() == nil:
			e.log.Error("sweep sessions", "err", err)
		case n > 0:
			e.log.Info("swept ended sessions and sign-in attempts", "count", n)
		}
		// Suspensions that ran out end here too, so digests and feeds
		// resume before the member next signs in.
		if lifted, err := e.store.LiftEndedSuspensions(ctx, e.store.Now()); err != nil && ctx.Err() == nil {
			e.log.Error("lift ended suspensions", "err", err)
		} else if lifted > 0 {
			e.log.Info("lifted ended suspensions", "count", lifted)
		}
		// Rate-limit counters whose time has passed hold nothing.
		if e.cfg.RateLimitStore == "database" {
			if _, err := e.store.PruneRateLimits(ctx, e.store.Now()); err != nil && ctx.Err() == nil {
				e.log.Error("prune rate limits", "err", err)
			}
		}
		// Search outbox entries every node has long applied; a node that
		// was away longer rebuilds its index when it comes back. The
		// outbox keeps real time, whatever the site's clock says.
		pruned, err := e.store.PruneOutbox(ctx, time.Now().Add(-search.KeepOutbox))
		switch {
		case err != nil && ctx.Err() == nil:
			e.log.Error("prune search outbox", "err", err)
		case pruned > 0:
			e.log.Info("pruned the search outbox", "count", pruned)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stdout)
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	return serve(stdout, stderr, true)
}

func runMigrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stdout)
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	e, err := setup(context.Background(), stderr)
	if err != nil {
		return err
	}
	v, err := e.store.CurrentSchemaVersion(context.Background())
	if err != nil {
		return errors.Join(err, e.store.Close())
	}
	fmt.Fprintf(stdout, "%s database is at schema version %d\n", e.store.Engine(), v)
	return e.store.Close()
}
