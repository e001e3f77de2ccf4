package app

import (
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"path/filepath"

	"github.com/riverqueue/river"

	"rounds/app/config"
	"rounds/app/digest"
	"rounds/app/fetch"
	"rounds/app/imageproxy"
	"rounds/app/jobs"
	"rounds/app/links"
	"rounds/app/mail"
	"rounds/app/podcast"
	"rounds/models"
)

// Background is the work a node does off the request path, as River jobs:
// every node registers the same workers, and River's leader inserts the
// periodic ones once for all nodes.
type Background struct {
	Store   *models.Store
	Fetcher *fetch.Fetcher
	Links   *links.Client
	// Mailer sends every email of the node: digests, verification codes
	// and moderators' decisions.
	Mailer  *mail.Mailer
	Digests *digest.Workers
	Log     *slog.Logger
	// images signs image proxy addresses for the job that moves stored
	// posts' images onto the proxy.
	images imageproxy.Signer
}

// NewBackground prepares the background work of a node. fetcher may be nil
// for the production one (NewFetcher). The mailer sends through SMTP when
// ROUNDS_SMTP_URL is set, and otherwise writes .eml files in the data
// directory's "mail" folder. The workers keep the store's clock.
func NewBackground(cfg *config.Config, store *models.Store, fetcher *fetch.Fetcher, log *slog.Logger) (*Background, error) {
	if fetcher == nil {
		fetcher = NewFetcher(cfg)
	}
	if log == nil {
		log = slog.Default()
	}
	b := &Background{
		Store:   store,
		Fetcher: fetcher,
		Links:   links.New(fetcher, links.Options{CrossrefURL: cfg.CrossrefURL, EutilsURL: cfg.EutilsURL, Mailto: mailtoOf(cfg.MailFrom)}),
		Log:     log,
		images:  imageproxy.NewSigner(cfg.Secret),
	}
	var err error
	if b.Mailer, err = mail.New(cfg.SMTPURL, cfg.MailFrom, filepath.Join(cfg.DataDir, "mail"), log); err != nil {
		return nil, err
	}
	composer, err := digest.NewComposer(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("digest emails: %w", err)
	}
	if b.Digests, err = digest.New(digest.Options{Store: store, Sender: b.Mailer, Composer: composer, Log: log, Now: store.Now,
		Interval: cfg.DigestInterval, Lease: min(digest.DefaultLease, cfg.JobRescueAfter/2)}); err != nil {
		return nil, err
	}
	return b, nil
}

// NewFetcher is the fetcher every outbound request of a node goes through:
// private and loopback addresses refused, an honest User-Agent.
func NewFetcher(cfg *config.Config) *fetch.Fetcher {
	return fetch.New(fetch.Options{UserAgent: "Rounds (+" + cfg.BaseURL.String() + ")"})
}

// Register adds the worker of every job kind.
func (b *Background) Register(workers *river.Workers) {
	river.AddWorker(workers, &links.PreviewWorker{Store: b.Store, Client: b.Links, Log: b.Log, Now: b.Store.Now})
	river.AddWorker(workers, &podcast.RefreshWorker{Store: b.Store, Fetcher: b.Fetcher, Log: b.Log, Now: b.Store.Now})
	river.AddWorker(workers, &imageproxy.RewriteWorker{Store: b.Store, Signer: b.images, Log: b.Log})
	b.Digests.Register(workers)
}

// QueueOneTimeJobs queues, at start, the one-time jobs this database still
// needs: pointing the images of posts stored before the image proxy at it.
// A job queued already, by this node or another, is not queued twice.
func (b *Background) QueueOneTimeJobs(ctx context.Context, queue *jobs.Queue) error {
	rewrite := imageproxy.RewriteArgs{}
	done, err := b.Store.OneTimeJobDone(ctx, rewrite.Kind())
	if err != nil || done {
		return err
	}
	return queue.Insert(ctx, rewrite, nil)
}

// Periodic lists the scheduled jobs.
func (b *Background) Periodic() []*river.PeriodicJob {
	return append([]*river.PeriodicJob{podcast.RefreshJob()}, b.Digests.Periodic()...)
}

// mailtoOf is the bare address of the site's sender, which Crossref and
// NCBI ask callers to give so they can reach whoever runs the site.
func mailtoOf(from string) string {
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return ""
	}
	return addr.Address
}
