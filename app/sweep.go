package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"rounds/app/blob"
	"rounds/models"
	"rounds/search"
)

// SweepEvery is how often the sweep clears what has run out.
const SweepEvery = time.Hour

// SweepArgs is the periodic job that keeps the tables to what is live:
// it deletes ended sessions and abandoned sign-in attempts, lifts
// suspensions that ran out (so digests and feeds resume before the member
// next signs in), prunes spent rate-limit counters, drafts untouched for
// 30 days and the search outbox entries every node has long applied.
type SweepArgs struct{}

// Kind names the job in River.
func (SweepArgs) Kind() string { return "sweep" }

// InsertOpts keeps one sweep waiting or running at a time, like the
// podcast refresh; a failed one is not retried, the next comes within the
// hour.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// sweepJob is the schedule of the sweep: every SweepEvery, and once when a
// node becomes River's leader, as a node used to at its start.
func sweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(SweepEvery),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// sweepWorker works SweepArgs jobs.
type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	store *models.Store
	log   *slog.Logger
	// sessionIdle is how long a session may go unused (ROUNDS_SESSION_IDLE).
	sessionIdle time.Duration
	// rateLimits says the rate-limit counters are kept in the database.
	rateLimits bool
	// outboxNow is the search outbox's clock: the outbox keeps real time,
	// whatever the site's clock says.
	outboxNow func() time.Time
}

func (s *Site) sweeper() *sweepWorker {
	return &sweepWorker{store: s.Store, log: s.Log, sessionIdle: s.Config.SessionIdle,
		rateLimits: s.Config.RateLimitStore == "database", outboxNow: time.Now}
}

// Timeout bounds a sweep: a few deletes.
func (w *sweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return 10 * time.Minute }

// Work runs every step of the sweep on the store's clock; one that fails
// does not keep the others from running.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	now := w.store.Now()
	var errs []error
	sessions, err := w.store.DeleteExpiredSessions(ctx, now, w.sessionIdle)
	if err == nil {
		var attempts int64
		attempts, err = w.store.DeleteExpiredLoginAttempts(ctx, now)
		sessions += attempts
	}
	if err != nil {
		errs = append(errs, err)
	} else if sessions > 0 {
		w.log.InfoContext(ctx, "swept ended sessions and sign-in attempts", "count", sessions)
	}
	if lifted, err := w.store.LiftEndedSuspensions(ctx, now); err != nil {
		errs = append(errs, err)
	} else if lifted > 0 {
		w.log.InfoContext(ctx, "lifted ended suspensions", "count", lifted)
	}
	// Rate-limit counters whose time has passed hold nothing.
	if w.rateLimits {
		if _, err := w.store.PruneRateLimits(ctx, now); err != nil {
			errs = append(errs, err)
		}
	}
	// Drafts not saved for DraftDays are given up.
	if swept, err := w.store.DeleteDraftsBefore(ctx, now.AddDate(0, 0, -models.DraftDays)); err != nil {
		errs = append(errs, err)
	} else if swept > 0 {
		w.log.InfoContext(ctx, "swept old drafts", "count", swept)
	}
	// A node that was away longer than the outbox keeps rebuilds its
	// index when it comes back.
	if pruned, err := w.store.PruneOutbox(ctx, w.outboxNow().Add(-search.KeepOutbox)); err != nil {
		errs = append(errs, err)
	} else if pruned > 0 {
		w.log.InfoContext(ctx, "pruned the search outbox", "count", pruned)
	}
	return errors.Join(errs...)
}

// StagingSweepEvery is how often uploads staged past their hour are
// deleted: often, so that an unredacted image outlives its hour by
// minutes at most.
const StagingSweepEvery = 5 * time.Minute

// StagingSweepArgs is the periodic job that deletes the uploads staged in
// members' composers more than blob.StagingTTL ago, their bytes and their
// records.
type StagingSweepArgs struct{}

// Kind names the job in River.
func (StagingSweepArgs) Kind() string { return "sweep_staged_uploads" }

// InsertOpts keeps one staging sweep waiting or running at a time.
func (StagingSweepArgs) InsertOpts() river.InsertOpts { return SweepArgs{}.InsertOpts() }

func stagingSweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(StagingSweepEvery),
		func() (river.JobArgs, *river.InsertOpts) { return StagingSweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// stagingSweeper works StagingSweepArgs jobs.
type stagingSweeper struct {
	river.WorkerDefaults[StagingSweepArgs]
	store   *models.Store
	staging *blob.Staging
	log     *slog.Logger
}

// Timeout bounds a staging sweep: a listing and a few deletes.
func (w *stagingSweeper) Timeout(*river.Job[StagingSweepArgs]) time.Duration { return 5 * time.Minute }

// Work deletes the expired uploads' bytes, then their records.
func (w *stagingSweeper) Work(ctx context.Context, _ *river.Job[StagingSweepArgs]) error {
	files, err := w.staging.Sweep(ctx)
	records, err2 := w.store.SweepStagedImages(ctx)
	if files > 0 || records > 0 {
		w.log.InfoContext(ctx, "swept expired staged uploads", "files", files, "records", records)
	}
	return errors.Join(err, err2)
}
