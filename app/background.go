package app

import (
	"log/slog"
	"net/mail"

	"github.com/riverqueue/river"

	"rounds/app/config"
	"rounds/app/fetch"
	"rounds/app/links"
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
	Log     *slog.Logger
}

// NewBackground prepares the background work of a node. fetcher may be nil
// for the production one (NewFetcher).
func NewBackground(cfg *config.Config, store *models.Store, fetcher *fetch.Fetcher, log *slog.Logger) *Background {
	if fetcher == nil {
		fetcher = NewFetcher(cfg)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Background{
		Store:   store,
		Fetcher: fetcher,
		Links:   links.New(fetcher, links.Options{CrossrefURL: cfg.CrossrefURL, EutilsURL: cfg.EutilsURL, Mailto: mailtoOf(cfg.MailFrom)}),
		Log:     log,
	}
}

// NewFetcher is the fetcher every outbound request of a node goes through:
// private and loopback addresses refused, an honest User-Agent.
func NewFetcher(cfg *config.Config) *fetch.Fetcher {
	return fetch.New(fetch.Options{UserAgent: "Rounds (+" + cfg.BaseURL.String() + ")"})
}

// Register adds the worker of every job kind.
func (b *Background) Register(workers *river.Workers) {
	river.AddWorker(workers, &links.PreviewWorker{Store: b.Store, Client: b.Links, Log: b.Log})
	river.AddWorker(workers, &podcast.RefreshWorker{Store: b.Store, Fetcher: b.Fetcher, Log: b.Log})
}

// Periodic lists the scheduled jobs.
func (b *Background) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{podcast.RefreshJob()}
}

// mailtoOf is the bare address of the site's sender, which Crossref and
// NCBI ask callers to give so they can reach whoever runs the site.
func mailtoOf(from string) string {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return ""
	}
	return addr.Address
}
