package links

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/fetch"
	"rounds/models"
)

// PreviewArgs is the job that fetches one link's preview. It is queued in
// the transaction that saves a post linking it, so the post never waits for
// the remote site; one job per link is pending at a time, however many
// posts share it.
type PreviewArgs struct {
	PreviewID int64 `json:"preview_id"`
}

// Kind names the job in River.
func (PreviewArgs) Kind() string { return "link_preview" }

// previewAttempts is how many times a link that fails for a passing reason
// (a timeout, a 503) is tried before it is left a plain link. River spaces
// the attempts out: seconds, then tens of seconds, then minutes.
const previewAttempts = 4

// InsertOpts makes the job unique by its link while it waits or runs.
func (PreviewArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: previewAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// PreviewWorker works PreviewArgs jobs.
type PreviewWorker struct {
	river.WorkerDefaults[PreviewArgs]
	Store  *models.Store
	Client *Client
	Log    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Timeout bounds one attempt: the fetcher's own limit plus room to save.
func (w *PreviewWorker) Timeout(*river.Job[PreviewArgs]) time.Duration { return time.Minute }

// Work fetches the preview unless it is already fresh, and records what
// came of it. A failure that waiting may cure is returned, so River tries
// again; any other failure, or the last attempt's, is recorded and the
// link stays plain.
func (w *PreviewWorker) Work(ctx context.Context, job *river.Job[PreviewArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	p, err := w.Store.LinkPreviewByID(ctx, job.Args.PreviewID)
	if models.IsNotFound(err) {
		return nil // purged with its posts since the job was queued
	}
	if err != nil {
		return err
	}
	if !p.Due(now()) {
		return nil
	}
	preview, err := w.Client.Preview(ctx, Link{Kind: p.Kind, URL: p.URL, DOI: p.DOI, PMID: p.PMID})
	fetched := now()
	p.FetchedAt = &fetched
	switch {
	case err == nil:
		p.Status, p.Error = models.PreviewReady, ""
		p.Title, p.Description, p.SiteName, p.ImageURL = preview.Title, preview.Description, preview.SiteName, preview.ImageURL
		p.Journal, p.Year, p.Authors = preview.Journal, preview.Year, strings.Join(preview.Authors, "\n")
		if preview.DOI != "" {
			p.DOI = preview.DOI
		}
		if preview.PMID != "" {
			p.PMID = preview.PMID
		}
	case fetch.Temporary(err) && job.Attempt < job.MaxAttempts:
		return err
	default:
		p.Status, p.Error = models.PreviewFailed, failureText(err)
		if w.Log != nil && !errors.Is(err, ErrNoPreview) {
			w.Log.InfoContext(ctx, "no link preview", "url", p.URL, "err", err)
		}
	}
	return w.Store.SaveLinkPreview(ctx, p)
}

// failureText is why a link has no preview, in words fit for the post's
// author.
func failureText(err error) string {
	var fe *fetch.Error
	switch {
	case errors.Is(err, ErrNoPreview):
		return "The site has no title or description to show."
	case errors.As(err, &fe):
		return fe.Msg
	}
	return "The preview could not be read."
}
