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

	"rounds/app"
	"rounds/app/config"
	"rounds/models"
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
	// The same rarer collection would let a burst of requests grow the
	// heap to five times what it keeps; the soft limit collects sooner
	// once the heap nears it. GOMEMLIMIT, when set, decides instead.
	if os.Getenv("GOMEMLIMIT") == "" && e.cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(e.cfg.MemoryLimit)
	}
	site, err := app.Wire(ctx, e.cfg, e.store, app.WireOptions{Log: e.log, DemoSignIn: demo, DemoContent: demo, WarmPages: true})
	if err != nil {
		return err
	}
	// Deferred after the store's close, so it runs before it: the indexer
	// stops after the server has, so requests in flight can still search,
	// and running jobs finish, within the shutdown timeout, while the
	// database is open.
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), e.cfg.ShutdownTimeout)
		defer cancel()
		if err := site.Close(stopCtx); err != nil {
			e.log.Error("stop the node", "err", err)
		}
	}()
	if err := site.StartJobs(ctx); err != nil {
		return err
	}
	if err := site.QueueOneTimeJobs(ctx); err != nil {
		return err
	}
	site.StartSearch(ctx)
	if err := site.StartInbound(ctx); err != nil {
		return err
	}
	server, err := app.New(site)
	if err != nil {
		return err
	}
	if e.cfg.PprofAddr != "" {
		_, stopProfiles, err := serveProfiles(e.cfg.PprofAddr, e.log)
		if err != nil {
			return err
		}
		defer stopProfiles()
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
