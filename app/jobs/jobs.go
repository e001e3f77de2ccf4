// Package jobs is Rounds' background work queue: River on the store's own
// database, so a job is inserted in the same transaction as the write that
// needs it and commits or rolls back with it. Features bring their own
// workers (link previews, podcast feed re-reads, digests) through
// Options.Register and their schedules through Options.Periodic.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"rounds/models"
)

// Workers per node on the default queue: enough to overlap slow fetches
// without letting background work crowd out requests for connections.
const defaultMaxWorkers = 4

// Options says what the queue runs.
type Options struct {
	// Register adds the workers of every job kind this node runs, with
	// river.AddWorker. A kind without a worker cannot be inserted.
	Register func(*river.Workers)
	// Periodic jobs are inserted on their schedule by whichever node is
	// River's leader, so they run once across all nodes.
	Periodic []*river.PeriodicJob
	// PollInterval is how often a node looks for jobs committed in
	// transactions (on PostgreSQL; SQLite's driver hears of them within
	// 50 ms) and retries due; zero means one second.
	PollInterval time.Duration
	// RescueAfter is how long a job may stay running before River takes
	// its node for dead and runs it again; zero means an hour. Every
	// worker's own timeout must be shorter.
	RescueAfter time.Duration
}

// Queue inserts jobs and, once started, works them.
type Queue struct {
	client *river.Client[*sql.Tx]
	log    *slog.Logger
	// works is false when no worker is registered and nothing is
	// scheduled: there is nothing to run, and River refuses to start so.
	works bool
}

// New builds a queue on the store's database with River's driver for its
// engine. The store must be migrated; Store.Migrate also applies River's
// schema.
func New(store *models.Store, log *slog.Logger, opts Options) (*Queue, error) {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "jobs")
	sqlDB, err := store.DB().DB()
	if err != nil {
		return nil, fmt.Errorf("job queue: database handle: %w", err)
	}
	cfg := &river.Config{
		Logger:            slog.New(quietHandler{log.Handler()}),
		ErrorHandler:      failureLog{log},
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: defaultMaxWorkers}},
		Workers:           river.NewWorkers(),
		PeriodicJobs:      opts.Periodic,
		FetchPollInterval: opts.PollInterval,
	}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = time.Second
	}
	if opts.RescueAfter > 0 {
		cfg.RescueStuckJobsAfter = opts.RescueAfter
		// River wants the default job timeout within the rescue time.
		cfg.JobTimeout = min(time.Minute, opts.RescueAfter)
	}
	if opts.Register != nil {
		opts.Register(cfg.Workers)
	}
	var driver riverdriver.Driver[*sql.Tx]
	switch store.Engine() {
	case models.Postgres:
		// Without a pgx pool for LISTEN, River polls: jobs committed on
		// any node are picked up within PollInterval, and Insert outside a
		// transaction wakes this node at once.
		driver = riverdatabasesql.New(sqlDB)
	default:
		// River's SQLite driver stands in for LISTEN/NOTIFY with a
		// notification table it reads every 50 ms (reads never wait for
		// the writer under WAL) and writes in the inserting transaction.
		// Its writes wait their turn on the busy timeout like ours, and
		// every transaction takes the write lock up front (_txlock=
		// immediate), so none deadlocks upgrading a read lock.
		driver = riversqlite.New(sqlDB)
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, log: log, works: hasWorkers(cfg.Workers) || len(opts.Periodic) > 0}, nil
}

// Start begins working jobs in the background. ctx passes its values to
// the jobs but not its end: a queue runs until Stop, so a shutdown signal
// lets running jobs finish rather than cutting them off.
func (q *Queue) Start(ctx context.Context) error {
	if !q.works {
		q.log.DebugContext(ctx, "no job workers registered; jobs are not worked on this node")
		return nil
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop takes no more jobs and waits for running ones until ctx ends; then
// it cancels what is still running and waits a few seconds more for it to
// return, so no job outlives the database it writes to.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.works {
		return nil
	}
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	q.log.WarnContext(ctx, "jobs still running at the shutdown deadline; cancelling them")
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if cancelErr := q.client.StopAndCancel(cancelCtx); cancelErr != nil {
		return fmt.Errorf("stop job queue: %w", errors.Join(err, cancelErr))
	}
	return fmt.Errorf("stop job queue: running jobs cancelled: %w", err)
}

// InsertTx adds a job inside the caller's transaction, which must be a
// *gorm.DB from db.Transaction (or a store's InTransaction, through its
// DB()): the job exists only if the transaction commits.
func (q *Queue) InsertTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
	sqlTx, err := sqlTxOf(tx)
	if err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	if _, err := q.client.InsertTx(ctx, sqlTx, args, opts); err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return nil
}

// Insert adds a job on its own, for work no write of ours depends on.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return nil
}

// sqlTxOf finds the database/sql transaction under a GORM transaction.
// Both our engines give a *sql.Tx (glebarez/sqlite and pgx's stdlib
// driver alike, PrepareStmt being off); a prepared-statement session wraps
// it once more.
func sqlTxOf(tx *gorm.DB) (*sql.Tx, error) {
	if tx == nil || tx.Statement == nil {
		return nil, errors.New("no transaction given")
	}
	switch pool := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return pool, nil
	case *gorm.PreparedStmtTX:
		if sqlTx, ok := pool.Tx.(*sql.Tx); ok {
			return sqlTx, nil
		}
	}
	return nil, fmt.Errorf("want a *gorm.DB inside a transaction, got one on %T", tx.Statement.ConnPool)
}

// hasWorkers says whether any worker was added. River keeps the set
// unexported, so it is read by reflection; should River rename it, the
// answer is yes and a queue without workers fails at Start, where a test
// notices.
func hasWorkers(workers *river.Workers) bool {
	m := reflect.ValueOf(workers).Elem().FieldByName("workersMap")
	if !m.IsValid() || m.Kind() != reflect.Map {
		return true
	}
	return m.Len() > 0
}

// failureLog reports a failed attempt as a warning, and the last one as an
// error: River logs them at Info, which quietHandler lowers.
type failureLog struct{ log *slog.Logger }

func (f failureLog) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	level := slog.LevelWarn
	if job.Attempt >= job.MaxAttempts {
		level = slog.LevelError
	}
	f.log.Log(ctx, level, "job failed", "kind", job.Kind, "job_id", job.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (f failureLog) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	f.log.ErrorContext(ctx, "job panicked", "kind", job.Kind, "job_id", job.ID,
		"attempt", job.Attempt, "panic", panicVal, "trace", trace)
	return nil
}

// quietHandler passes River's log on with its routine Info lines (client
// started, leader elected, queue polling) lowered to Debug, so an operator
// sees River's warnings and errors among ours without its chatter.
type quietHandler struct{ slog.Handler }

func (h quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.Handler.Enabled(ctx, lower(level))
}

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Level = lower(r.Level)
	return h.Handler.Handle(ctx, r)
}

func (h quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(attrs)}
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.Handler.WithGroup(name)}
}

func lower(level slog.Level) slog.Level {
	if level == slog.LevelInfo {
		return slog.LevelDebug
	}
	return level
}
