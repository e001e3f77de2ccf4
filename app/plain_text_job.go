package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/markdown"
	"rounds/models"
)

// PlainTextArgs is the one-time job that stores the plain text of the
// posts written before posts kept it, so search indexes and quotes them
// without parsing their markdown.
type PlainTextArgs struct{}

// Kind names the job in River, and in the store's one-time jobs.
func (PlainTextArgs) Kind() string { return "plain_text_posts" }

// InsertOpts keeps one such job waiting or running at a time.
func (PlainTextArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// PlainTextWorker works PlainTextArgs jobs.
type PlainTextWorker struct {
	river.WorkerDefaults[PlainTextArgs]
	Store    *models.Store
	Markdown *markdown.Renderer
	Log      *slog.Logger
}

// Timeout lets the job walk every post of a large site.
func (w *PlainTextWorker) Timeout(*river.Job[PlainTextArgs]) time.Duration { return 30 * time.Minute }

// Work fills in the posts' plain text, each read as the composer reads a
// post it saves, and records that it has, so it is never queued again.
func (w *PlainTextWorker) Work(ctx context.Context, job *river.Job[PlainTextArgs]) error {
	return w.Store.RunOneTimeJob(ctx, job.Args.Kind(), func(ctx context.Context) error {
		n, err := w.Store.FillPlainText(ctx, func(source string) (string, error) {
			res, err := w.Markdown.Render(source)
			return res.Plain, err
		})
		if err != nil {
			return err
		}
		w.Log.Info("posts' plain text stored for search", "posts", n)
		return nil
	})
}
