package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"rounds/models"
)

// RemindEvery is how often bookmarks' due reminders are sent: a reminder
// arrives at most this late.
const RemindEvery = time.Minute

// remindBatch bounds the reminders one run sends; the rest wait a minute.
const remindBatch = 500

// RemindArgs is the periodic job that turns bookmarks' due reminders into
// notifications.
type RemindArgs struct{}

// Kind names the job in River.
func (RemindArgs) Kind() string { return "bookmark_reminders" }

// InsertOpts keeps one run waiting or running at a time; a failed run is
// not retried, the next comes within the minute.
func (RemindArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

func remindJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(RemindEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// remindWorker works RemindArgs jobs on the store's clock.
type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	store *models.Store
	log   *slog.Logger
}

// Timeout bounds a run.
func (w *remindWorker) Timeout(*river.Job[RemindArgs]) time.Duration { return time.Minute }

// Work sends the reminders due now.
func (w *remindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	sent, err := w.store.SendDueReminders(ctx, w.store.Now(), remindBatch)
	if sent > 0 {
		w.log.InfoContext(ctx, "sent bookmark reminders", "count", sent)
	}
	return err
}
