package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"rounds/models"
	"rounds/models/modelstest"
)

// wait is how long a test gives the queue to get to a job.
const wait = 10 * time.Second

// noteArgs is a job that carries a marker for the test to recognise.
type noteArgs struct {
	Marker string `json:"marker"`
}

func (noteArgs) Kind() string { return "test_note" }

// noteWorker reports every marker it works.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	worked chan string
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.worked <- job.Args.Marker
	return nil
}

func newNoteWorker() *noteWorker { return &noteWorker{worked: make(chan string, 16)} }

func (w *noteWorker) register(workers *river.Workers) { river.AddWorker(workers, w) }

// newQueue builds a queue that polls often, so a test does not wait a
// second for every job; it is stopped when the test ends.
func newQueue(t *testing.T, store *models.Store, opts Options) *Queue {
	t.Helper()
	opts.PollInterval = 100 * time.Millisecond
	q, err := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), opts)
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	return q
}

func start(t *testing.T, q *Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func receive(t *testing.T, ch <-chan string, what string) string {
	t.Helper()
	select {
	case got := <-ch:
		return got
	case <-time.After(wait):
		t.Fatalf("no %s within %s", what, wait)
		return ""
	}
}

// jobsOfKind lists every job of a kind, whatever its state.
func jobsOfKind(t *testing.T, q *Queue, kind string) []*rivertype.JobRow {
	t.Helper()
	res, err := q.client.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(100))
	if err != nil {
		t.Fatalf("list %s jobs: %v", kind, err)
	}
	return res.Jobs
}

// waitForState polls the job's row until it reaches the state.
func waitForState(t *testing.T, q *Queue, id int64, state rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		job, err := q.client.JobGet(context.Background(), id)
		if err != nil {
			t.Fatalf("get job %d: %v", id, err)
		}
		if job.State == state {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s after %s, want %s (errors %v)", id, job.State, wait, state, job.Errors)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestJobCommitsAndRollsBackWithTheTransaction(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newNoteWorker()
		q := newQueue(t, store, Options{Register: w.register})
		start(t, q)

		rollback := errors.New("the write failed")
		err := store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := q.InsertTx(ctx, tx, noteArgs{Marker: "rolled back"}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("rolled-back transaction: %v", err)
		}
		// Through the store's own transaction, as handlers write.
		err = store.InTransaction(ctx, func(tx *models.Store) error {
			return q.InsertTx(ctx, tx.DB(), noteArgs{Marker: "committed"}, nil)
		})
		if err != nil {
			t.Fatalf("committed transaction: %v", err)
		}

		if got := receive(t, w.worked, "job worked"); got != "committed" {
			t.Fatalf("worked %q first, want the committed job", got)
		}
		jobs := jobsOfKind(t, q, noteArgs{}.Kind())
		if len(jobs) != 1 {
			t.Fatalf("%d jobs in the queue, want only the committed one", len(jobs))
		}
		waitForState(t, q, jobs[0].ID, rivertype.JobStateCompleted)
	})
}

func TestInsertTxNeedsATransaction(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		q := newQueue(t, store, Options{Register: newNoteWorker().register})
		err := q.InsertTx(context.Background(), store.DB(), noteArgs{Marker: "outside"}, nil)
		if err == nil || !strings.Contains(err.Error(), "inside a transaction") {
			t.Fatalf("InsertTx outside a transaction: %v, want an error that says so", err)
		}
	})
}

// flakyArgs is a job whose first attempt fails.
type flakyArgs struct{}

func (flakyArgs) Kind() string { return "test_flaky" }

type flakyWorker struct {
	river.WorkerDefaults[flakyArgs]
	errorsSeen chan string
}

func (w *flakyWorker) Work(ctx context.Context, job *river.Job[flakyArgs]) error {
	if job.Attempt == 1 {
		return errors.New("feed host unreachable")
	}
	var seen []string
	for _, e := range job.Errors {
		seen = append(seen, e.Error)
	}
	w.errorsSeen <- strings.Join(seen, "; ")
	return nil
}

// NextRetry retries at once instead of after River's backoff.
func (w *flakyWorker) NextRetry(*river.Job[flakyArgs]) time.Time {
	return time.Now().Add(10 * time.Millisecond)
}

func TestFailedJobIsRetriedWithItsError(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := &flakyWorker{errorsSeen: make(chan string, 1)}
		q := newQueue(t, store, Options{Register: func(ws *river.Workers) { river.AddWorker(ws, w) }})
		start(t, q)
		if err := q.Insert(ctx, flakyArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		if got := receive(t, w.errorsSeen, "second attempt"); got != "feed host unreachable" {
			t.Fatalf("second attempt saw errors %q, want the first attempt's", got)
		}
		jobs := jobsOfKind(t, q, flakyArgs{}.Kind())
		if len(jobs) != 1 {
			t.Fatalf("%d flaky jobs, want 1", len(jobs))
		}
		job := waitForState(t, q, jobs[0].ID, rivertype.JobStateCompleted)
		if job.Attempt != 2 || len(job.Errors) != 1 || job.Errors[0].Error != "feed host unreachable" {
			t.Fatalf("job after retry: attempt %d, errors %+v; want attempt 2 with the first error kept", job.Attempt, job.Errors)
		}
	})
}

// slowArgs is a job that runs until the test lets it finish.
type slowArgs struct{}

func (slowArgs) Kind() string { return "test_slow" }

type slowWorker struct {
	river.WorkerDefaults[slowArgs]
	started   chan string
	release   chan struct{}
	finished  atomic.Bool
	cancelled atomic.Bool
}

func (w *slowWorker) Work(ctx context.Context, job *river.Job[slowArgs]) error {
	w.started <- "started"
	select {
	case <-w.release:
		w.finished.Store(true)
		return nil
	case <-ctx.Done():
		w.cancelled.Store(true)
		return ctx.Err()
	}
}

func newSlowWorker() *slowWorker {
	return &slowWorker{started: make(chan string, 1), release: make(chan struct{})}
}

func TestStopWaitsForARunningJob(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newSlowWorker()
		q := newQueue(t, store, Options{Register: func(ws *river.Workers) { river.AddWorker(ws, w) }})
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := q.Insert(ctx, slowArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		receive(t, w.started, "job start")

		stopped := make(chan error, 1)
		go func() {
			stopCtx, cancel := context.WithTimeout(ctx, wait)
			defer cancel()
			stopped <- q.Stop(stopCtx)
		}()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was still running", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(w.release)
		if err := <-stopped; err != nil {
			t.Fatalf("stop: %v", err)
		}
		if !w.finished.Load() || w.cancelled.Load() {
			t.Fatal("Stop returned before the running job finished on its own")
		}
		jobs := jobsOfKind(t, q, slowArgs{}.Kind())
		if len(jobs) != 1 || jobs[0].State != rivertype.JobStateCompleted {
			t.Fatalf("after Stop the job is %+v, want it recorded completed", jobs)
		}
	})
}

func TestStopCancelsJobsAtTheDeadline(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := newSlowWorker()
		q := newQueue(t, store, Options{Register: func(ws *river.Workers) { river.AddWorker(ws, w) }})
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := q.Insert(ctx, slowArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		receive(t, w.started, "job start")
		stopCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if err := q.Stop(stopCtx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stop past its deadline: %v, want the deadline reported", err)
		}
		if !w.cancelled.Load() {
			t.Fatal("the running job was not cancelled before Stop returned")
		}
	})
}

func TestUniqueJobIsInsertedOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		q := newQueue(t, store, Options{Register: newNoteWorker().register})
		unique := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
		err := store.InTransaction(ctx, func(tx *models.Store) error {
			return q.InsertTx(ctx, tx.DB(), noteArgs{Marker: "feed 7"}, unique)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Insert(ctx, noteArgs{Marker: "feed 7"}, unique); err != nil {
			t.Fatalf("second insert of the same job: %v", err)
		}
		if err := q.Insert(ctx, noteArgs{Marker: "feed 8"}, unique); err != nil {
			t.Fatal(err)
		}
		jobs := jobsOfKind(t, q, noteArgs{}.Kind())
		if len(jobs) != 2 {
			t.Fatalf("%d jobs, want one per distinct args", len(jobs))
		}
	})
}

func TestPeriodicJobRuns(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newNoteWorker()
		q := newQueue(t, store, Options{
			Register: w.register,
			Periodic: []*river.PeriodicJob{river.NewPeriodicJob(
				river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return noteArgs{Marker: "hourly"}, nil },
				&river.PeriodicJobOpts{RunOnStart: true},
			)},
		})
		start(t, q)
		if got := receive(t, w.worked, "periodic job"); got != "hourly" {
			t.Fatalf("worked %q, want the periodic job", got)
		}
	})
}

func TestQueueWithoutWorkersStartsAndStops(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		q := newQueue(t, store, Options{Register: func(*river.Workers) {}})
		start(t, q)
		if err := q.Insert(context.Background(), noteArgs{Marker: "nobody"}, nil); err == nil {
			t.Fatal("inserted a job no worker is registered for")
		}
	})
}

// boardArgs is a job that writes to our tables, as link previews and feed
// re-reads will.
type boardArgs struct {
	Slug string `json:"slug"`
}

func (boardArgs) Kind() string { return "test_board" }

type boardWorker struct {
	river.WorkerDefaults[boardArgs]
	store  *models.Store
	worked chan string
}

func (w *boardWorker) Work(ctx context.Context, job *river.Job[boardArgs]) error {
	slug := job.Args.Slug + "-worked"
	if err := w.store.CreateBoard(ctx, &models.Board{Slug: slug, Title: slug}); err != nil {
		return err
	}
	w.worked <- slug
	return nil
}

// TestJobsAndWritesShareTheDatabase has requests writing and inserting
// jobs while the queue works jobs that write too: on SQLite's single
// writer, none of them may fail on a lock or wait on another for good.
func TestJobsAndWritesShareTheDatabase(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		const writers, each = 6, 10
		w := &boardWorker{store: store, worked: make(chan string, writers*each)}
		q := newQueue(t, store, Options{Register: func(ws *river.Workers) { river.AddWorker(ws, w) }})
		start(t, q)

		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				for j := range each {
					slug := "board-" + string(rune('a'+i)) + "-" + string(rune('a'+j))
					errs <- store.InTransaction(ctx, func(tx *models.Store) error {
						if err := tx.CreateBoard(ctx, &models.Board{Slug: slug, Title: slug}); err != nil {
							return err
						}
						return q.InsertTx(ctx, tx.DB(), boardArgs{Slug: slug}, nil)
					})
				}
			}()
		}
		for range writers * each {
			if err := <-errs; err != nil {
				t.Fatalf("write with a job: %v", err)
			}
		}
		for range writers * each {
			receive(t, w.worked, "job worked")
		}
		boards, err := store.Boards(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(boards) != 2*writers*each {
			t.Fatalf("%d boards, want %d", len(boards), 2*writers*each)
		}
	})
}
