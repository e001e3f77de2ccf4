package podcast

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"rounds/app/fetch"
	"rounds/models"
)

// How often feeds are looked at, and how a feed's next read is scheduled.
const (
	// RefreshEvery is how often the refresh job looks for feeds due.
	RefreshEvery = 15 * time.Minute
	// ReadEvery is how long a feed that was read rests before the next read.
	ReadEvery = 6 * time.Hour
	// firstBackoff is the rest after a first failure; it doubles with
	// each failure in a row, up to maxBackoff.
	firstBackoff = 30 * time.Minute
	maxBackoff   = 7 * 24 * time.Hour
	// refreshBatch is how many feeds one run reads, one after another, so
	// a run stays well within its timeout and a node's other work is not
	// crowded out; feeds left over are the next run's.
	refreshBatch = 40
)

// Backoff is how long a feed rests after failures reads failed in a row:
// 30 minutes after the first, doubling, at most a week.
func Backoff(failures int) time.Duration {
	d := firstBackoff
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// RefreshArgs is the periodic job that re-reads the feeds due, so new
// episodes of the shows members discuss or follow reach Rounds.
type RefreshArgs struct{}

// Kind names the job in River.
func (RefreshArgs) Kind() string { return "podcast_refresh" }

// InsertOpts keeps one refresh waiting or running at a time; a finished
// one does not count, or the schedule could never insert the next. A failed
// run is not retried: the next one comes soon.
func (RefreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// RefreshJob is the schedule of the refresh: every RefreshEvery, and once
// when a node becomes the leader, so feeds left due by a restart are read.
func RefreshJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(RefreshEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RefreshArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// RefreshWorker works RefreshArgs jobs.
type RefreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	Store   *models.Store
	Fetcher *fetch.Fetcher
	Log     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Timeout bounds a run: a batch of reads, each bounded by the fetcher.
func (w *RefreshWorker) Timeout(*river.Job[RefreshArgs]) time.Duration { return 14 * time.Minute }

// Work reads a batch of the feeds due. A feed that fails is recorded and
// rests; only a failure of the database ends the run early.
func (w *RefreshWorker) Work(ctx context.Context, _ *river.Job[RefreshArgs]) error {
	_, err := w.Refresh(ctx)
	return err
}

// Refresh reads the feeds due now and says how many it read.
func (w *RefreshWorker) Refresh(ctx context.Context) (int, error) {
	feeds, err := w.Store.DueFeeds(ctx, w.now(), refreshBatch)
	if err != nil {
		return 0, err
	}
	for i := range feeds {
		if err := w.read(ctx, &feeds[i]); err != nil {
			return i, err
		}
	}
	return len(feeds), nil
}

// read re-reads one feed with a conditional request and records what came
// of it.
func (w *RefreshWorker) read(ctx context.Context, feed *models.PodcastFeed) error {
	res, err := w.Fetcher.GetIfChanged(ctx, feed.URL,
		fetch.Validators{ETag: feed.ETag, LastModified: feed.LastModified}, feedTypes...)
	var show *Show
	if err == nil && res.Status != http.StatusNotModified {
		// The show is kept under the address members shared, even when
		// the site redirects; links in it resolve against where it is.
		show, err = ParseFeed(res.URL.String(), res.Body)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err() // the run was stopped, not the feed's fault
		}
		failures := feed.Failures + 1
		message := ReadFailure(err)
		w.log().InfoContext(ctx, "podcast feed not read", "feed_id", feed.ID, "url", feed.URL,
			"failures", failures, "err", err)
		return w.Store.SaveFeedFailure(ctx, feed.ID, failures, message, w.now().Add(Backoff(failures)))
	}
	now := w.now()
	read := models.FeedRead{At: now, Next: now.Add(ReadEvery)}
	v := res.Validators()
	read.ETag, read.LastModified = v.ETag, v.LastModified
	if show != nil {
		read.Show = &models.PodcastFeed{Title: show.Title, Author: show.Author, Description: show.Description,
			ImageURL: show.ImageURL, Link: show.Link}
		read.Episodes = StoredEpisodes(show.Episodes)
	}
	added, err := w.Store.SaveFeedRead(ctx, feed.ID, read)
	if err != nil {
		return err
	}
	if added > 0 {
		w.log().InfoContext(ctx, "new podcast episodes", "feed_id", feed.ID, "url", feed.URL, "added", added)
	}
	return nil
}

// ReadFailure says why a feed could not be read, in words fit for the
// member who shared the show.
func ReadFailure(err error) string {
	var fe *fetch.Error
	switch {
	case errors.As(err, &fe):
		return fe.Msg
	case errors.Is(err, ErrNoAudio):
		return "The feed no longer lists any episodes with audio."
	case errors.Is(err, ErrNotAFeed):
		return "The feed could not be read: what the site sent is not valid RSS."
	}
	return "The feed could not be read."
}

// StoredEpisodes turns a feed's episodes into rows to save.
func StoredEpisodes(eps []Episode) []models.PodcastEpisode {
	out := make([]models.PodcastEpisode, len(eps))
	for i, e := range eps {
		out[i] = models.PodcastEpisode{GUID: e.GUID, Title: e.Title, Description: e.Description, Link: e.Link,
			ImageURL: e.ImageURL, DurationSeconds: int(e.Duration.Seconds()), AudioURL: e.AudioURL,
			AudioType: e.AudioType, AudioLength: e.AudioLength}
		if !e.Published.IsZero() {
			published := e.Published
			out[i].PublishedAt = &published
		}
	}
	return out
}

func (w *RefreshWorker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *RefreshWorker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}
