package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/markdown"
	"rounds/models"
)

// mentionLinksArgs is the one-time job that links the @mentions of the
// posts stored before mentions linked to profiles.
type mentionLinksArgs struct{}

// Kind names the job in River, and in the store's one-time jobs.
func (mentionLinksArgs) Kind() string { return "link_mentions" }

// InsertOpts keeps one such job waiting or running at a time.
func (mentionLinksArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// mentionLinksWorker works mentionLinksArgs jobs.
type mentionLinksWorker struct {
	river.WorkerDefaults[mentionLinksArgs]
	Store *models.Store
	Log   *slog.Logger
}

// Timeout lets the job walk every post of a large site.
func (w *mentionLinksWorker) Timeout(*river.Job[mentionLinksArgs]) time.Duration {
	return 30 * time.Minute
}

// Work rewrites the stored posts and records that it has, so it is never
// queued again; run again meanwhile, it finds nothing left to change.
func (w *mentionLinksWorker) Work(ctx context.Context, job *river.Job[mentionLinksArgs]) error {
	return w.Store.RunOneTimeJob(ctx, job.Args.Kind(), func(ctx context.Context) error {
		// Only members' names become links, as Render makes them now.
		members, err := w.Store.UsernamesWithProfiles(ctx)
		if err != nil {
			return err
		}
		n, err := w.Store.RewriteCookedPosts(ctx, "@", func(cooked string) (string, bool) {
			return markdown.LinkMentions(cooked, func(name string) bool { return members[name] })
		})
		if err != nil {
			return err
		}
		w.Log.Info("posts' mentions now link to profiles", "posts", n)
		return nil
	})
}
