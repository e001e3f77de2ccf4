package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"rounds/app/auth"
	"rounds/app/blob"
	"rounds/app/config"
	"rounds/app/demoidp"
	"rounds/app/digest"
	"rounds/app/fetch"
	"rounds/app/imageproxy"
	"rounds/app/images"
	"rounds/app/jobs"
	"rounds/app/links"
	"rounds/app/mail"
	"rounds/app/mail/inbound"
	"rounds/app/markdown"
	"rounds/app/notify"
	"rounds/app/ratelimit"
	"rounds/app/seed"
	"rounds/models"
	"rounds/search"
)

// Site is one node of Rounds: every dependency its server and its
// background work use, each built once by Wire. `rounds serve`, `rounds
// demo` and the tests' servers are all put together by Wire, so they are
// put together the same way.
type Site struct {
	Config *config.Config
	// Store is the node's migrated database; whoever opened it closes it.
	Store *models.Store
	Log   *slog.Logger
	// Markdown renders every post; its images load through the image
	// proxy, at addresses signed as Images signs them.
	Markdown *markdown.Renderer
	// Images serves remote images from Rounds itself, keeping them under
	// the data directory, and signs their addresses on the pages.
	Images *imageproxy.Proxy
	// Fetcher makes every request the node sends out, such as reading the
	// podcast feeds members share.
	Fetcher *fetch.Fetcher
	// Links reads link previews and citations through Fetcher.
	Links *links.Client
	// Mailer sends every email of the node: digests, verification codes
	// and moderators' decisions.
	Mailer *mail.Mailer
	// Limiter counts what members and addresses do, for the rate limits.
	Limiter ratelimit.Store
	// Blobs keeps uploaded files, in the data directory or a bucket that
	// several nodes share (ROUNDS_BLOB_URL, see BlobLocation).
	Blobs blob.Store
	// Uploads de-identifies members' images (faces blurred, text read
	// when Tesseract is installed, DICOM de-identified) and Staging keeps
	// them, as sent, in Blobs while their composer is open.
	Uploads *images.Processor
	Staging *blob.Staging
	// Providers are the configured sign-in providers, in the order the
	// sign-in page shows them.
	Providers []*auth.Provider
	// Digests are the digest workers; the settings page previews with them.
	Digests *digest.Workers
	// Notify sends the emails of replies, mentions, consult messages and
	// reactions that members want right away.
	Notify *notify.Sender
	// Unsubscribes sign the one-click unsubscribe links of those emails.
	Unsubscribes *notify.Unsubscribes
	// Replies sign and read the reply addresses of those emails; nil
	// unless the node takes replies by email (ROUNDS_SMTP_INBOUND_ADDR).
	Replies *inbound.Addresses
	// Search is this node's search index; StartSearch keeps it current.
	Search *search.Index
	// Jobs is the node's job queue, with every worker and schedule of
	// background.go registered; StartJobs works it.
	Jobs *jobs.Queue

	// DemoIdP is the demo's own identity provider, served on the site
	// under /oidc, and DemoSignIn the sign-in through it; both nil
	// outside the demo.
	DemoIdP    *demoidp.IdP
	DemoSignIn *auth.Provider
	// DemoPodcast is the demo's own show, served under seed.PodcastPath;
	// nil unless the demo's community was loaded.
	DemoPodcast *seed.Podcast

	// reads gathers members' reading positions and writes them in
	// batches (readBatcher); Close writes what is left.
	reads *readBatcher
	// warmPages: see WireOptions.WarmPages.
	warmPages bool

	stopSearch  func()
	jobsStarted bool
	inbound     *inbound.Server
	inboundAddr net.Addr
	closed      bool
}

// WireOptions say how a node differs from the one `rounds serve` runs.
type WireOptions struct {
	// Log is the node's logger; nil means slog.Default().
	Log *slog.Logger
	// DemoSignIn serves the demo's identity provider and its sign-in
	// picker, where anyone can act as any member: only `rounds demo` and
	// tests set it.
	DemoSignIn bool
	// DemoContent fills an empty database with the demo's community,
	// serves the demo's podcast and gives the configuration the demo's
	// defaults (config.UseDemoDefaults).
	DemoContent bool
	// Fetcher replaces the node's fetcher; tests pass one that reaches
	// their own loopback servers.
	Fetcher *fetch.Fetcher
	// JobPollInterval is how often the job queue looks for work (see
	// jobs.Options); zero means the queue's default.
	JobPollInterval time.Duration
	// WarmPages has New parse every page's template beside the node's
	// start rather than each when first rendered (the node's commands
	// set it; tests parse only the pages they render).
	WarmPages bool
}

// Wire builds a node on its configuration (its secret ensured) and its
// migrated store, each dependency once and in the order they need each
// other. Whatever fails closes what was opened before it.
func Wire(ctx context.Context, cfg *config.Config, store *models.Store, opts WireOptions) (_ *Site, err error) {
	if cfg == nil || store == nil {
		return nil, errors.New("wire: a configuration and a store are required")
	}
	if len(cfg.Secret) < 32 {
		return nil, errors.New("wire: secret missing or too short")
	}
	s := &Site{Config: cfg, Store: store, Log: opts.Log, warmPages: opts.WarmPages}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	defer func() {
		if err == nil {
			return
		}
		if closeErr := s.Close(context.WithoutCancel(ctx)); closeErr != nil {
			err = errors.Join(err, closeErr)
		}
	}()

	signer := imageproxy.NewSigner(cfg.Secret)
	s.Markdown = newMarkdown(signer)
	if opts.DemoContent {
		cfg.UseDemoDefaults()
		loaded, show, err := seed.LoadDemo(ctx, store, s.Markdown, store.Now(), cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		if loaded {
			s.Log.Info("loaded the demo community")
		}
		s.DemoPodcast = show
	}
	switch {
	case opts.Fetcher != nil:
		s.Fetcher = opts.Fetcher
	case s.DemoPodcast != nil:
		s.Fetcher = newFetcher(cfg, demoResources(s.DemoPodcast))
	default:
		s.Fetcher = newFetcher(cfg, nil)
	}
	s.Links = links.New(s.Fetcher, links.Options{CrossrefURL: cfg.CrossrefURL, EutilsURL: cfg.EutilsURL, Mailto: mailtoOf(cfg.MailFrom)})
	if s.Images, err = imageproxy.New(imageproxy.Options{Signer: signer, Dir: filepath.Join(cfg.DataDir, "images"), Fetcher: s.Fetcher,
		MaxAge: cfg.ImageCacheExpiry, MaxCacheBytes: cfg.ImageCacheSize, Now: store.Now}); err != nil {
		return nil, err
	}
	// Without ROUNDS_SMTP_URL, mail is written as .eml files in the data
	// directory's "mail" folder.
	if s.Mailer, err = mail.New(cfg.SMTPURL, cfg.MailFrom, filepath.Join(cfg.DataDir, "mail"), s.Log); err != nil {
		return nil, err
	}
	if s.Limiter, err = newLimiter(ctx, cfg, store); err != nil {
		return nil, err
	}
	blobs, err := BlobLocation(cfg)
	if err != nil {
		return nil, err
	}
	if s.Blobs, err = blobs.Open(ctx); err != nil {
		return nil, fmt.Errorf("open the blob store (%s): %w", blobs, err)
	}
	s.Staging = blob.NewStaging(s.Blobs, store.Now)
	var ocr *images.OCR
	switch {
	case cfg.Tesseract == "off":
		s.Log.Warn("ROUNDS_TESSERACT=off: text shown in uploaded images is not checked for identifiers, and members are told so")
	default:
		if ocr = images.FindOCR(cfg.Tesseract); ocr == nil {
			s.Log.Warn("tesseract is not installed: text shown in uploaded images is not checked for identifiers, and members are told so",
				"command", cfg.Tesseract)
		}
	}
	if s.Uploads, err = images.New(images.Options{OCR: ocr, MaxBytes: cfg.ImageMaxBytes, MaxPixels: cfg.ImageMaxPixels,
		MemoryBudget: cfg.ImageMemory}); err != nil {
		return nil, fmt.Errorf("image uploads: %w", err)
	}

	s.Providers = auth.NewProviders(cfg.OIDC, cfg.BaseURL.String())
	if cfg.GitHub != nil {
		s.Providers = append(s.Providers, auth.NewGitHub(*cfg.GitHub, cfg.BaseURL.String()))
	}
	if opts.DemoSignIn {
		// The demo's provider lives as long as the node, on the site itself.
		if s.DemoIdP, err = demoidp.Start(cfg.BaseURL); err != nil {
			return nil, err
		}
		s.DemoSignIn = auth.NewProviders([]config.OIDCProvider{s.DemoIdP.Provider()}, cfg.BaseURL.String())[0]
		s.DemoSignIn.UseHTTPClient(s.DemoIdP.HTTPClient())
	}

	composer, err := digest.NewComposer(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("digest emails: %w", err)
	}
	if s.Digests, err = digest.New(digest.Options{Store: store, Sender: s.Mailer, Composer: composer, Log: s.Log, Now: store.Now,
		Interval: cfg.DigestInterval, Lease: min(digest.DefaultLease, cfg.JobRescueAfter/2)}); err != nil {
		return nil, err
	}
	if s.Unsubscribes, err = notify.NewUnsubscribes(cfg.Secret); err != nil {
		return nil, err
	}
	if cfg.SMTPInboundAddr != "" {
		if s.Replies, err = inbound.NewAddresses(cfg.Secret, cfg.ReplyDomain, inbound.AddressOptions{Now: store.Now}); err != nil {
			return nil, err
		}
	}
	notes, err := notify.NewComposer(cfg.BaseURL, s.Unsubscribes, s.Replies)
	if err != nil {
		return nil, fmt.Errorf("notification emails: %w", err)
	}
	if s.Notify, err = notify.NewSender(notify.Options{Store: store, Mailer: s.Mailer, Composer: notes, Log: s.Log}); err != nil {
		return nil, err
	}
	if s.Jobs, err = jobs.New(store, s.Log, jobs.Options{Register: s.register, Periodic: s.periodic(),
		PollInterval: opts.JobPollInterval, RescueAfter: cfg.JobRescueAfter}); err != nil {
		return nil, err
	}
	// Writes queue their background work in their own transaction.
	store.SetJobs(storeJobs{s.Jobs})
	// Opened last, after the demo is loaded, so a first build indexes it all.
	if s.Search, err = search.Open(SearchDir(cfg), store, s.Log); err != nil {
		return nil, err
	}
	s.reads = newReadBatcher(store, s.Log)
	s.reads.start(readFlushInterval)
	return s, nil
}

// NewMarkdown is the renderer of every post, for the commands that write
// posts without running a node (`rounds seed`): Wire's, with images
// through the image proxy at addresses signed with the site's secret.
func NewMarkdown(cfg *config.Config) *markdown.Renderer {
	return newMarkdown(imageproxy.NewSigner(cfg.Secret))
}

func newMarkdown(signer imageproxy.Signer) *markdown.Renderer {
	return markdown.New(markdown.WithImageURL(signer.URL))
}

// SearchDir is where a node keeps its search index, and where `rounds
// reindex` builds a new one.
func SearchDir(cfg *config.Config) string { return filepath.Join(cfg.DataDir, "search") }

// newFetcher is the fetcher every outbound request of a node goes through:
// private and loopback addresses refused, an honest User-Agent; local are
// addresses it answers from memory (the demo's own show).
func newFetcher(cfg *config.Config, local map[string]fetch.LocalResource) *fetch.Fetcher {
	return fetch.New(fetch.Options{UserAgent: "Rounds (+" + cfg.BaseURL.String() + ")", Local: local})
}

// BlobLocation is where a node keeps its files: ROUNDS_BLOB_URL and the
// S3 keys, which config holds as plain strings so that it imports nothing
// of Rounds, read by blob.ParseLocation. A bad value is a configuration
// error that names the variable, like those of config.Load.
func BlobLocation(cfg *config.Config) (blob.Location, error) {
	loc, err := blob.ParseLocation(cfg.BlobURL, cfg.DataDir, cfg.S3AccessKey, cfg.S3SecretKey)
	if err != nil {
		return blob.Location{}, &config.Error{Var: "ROUNDS_BLOB_URL", Problem: err.Error()}
	}
	return loc, nil
}

// newLimiter is where the rate limits are counted: ROUNDS_RATE_LIMIT_STORE.
func newLimiter(ctx context.Context, cfg *config.Config, store *models.Store) (ratelimit.Store, error) {
	switch cfg.RateLimitStore {
	case "database":
		return ratelimit.Database{Store: store}, nil
	case "redis":
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return ratelimit.NewRedis(ctx, cfg.RedisURL)
	}
	return ratelimit.NewMemory(), nil
}

// StartSearch runs the search indexer until Close; ctx passes its values
// but not its end, so requests in flight at a shutdown can still search.
func (s *Site) StartSearch(ctx context.Context) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Search.Run(ctx)
	}()
	s.stopSearch = func() {
		cancel()
		<-done
	}
}

// StartJobs works the job queue until Close.
func (s *Site) StartJobs(ctx context.Context) error {
	if err := s.Jobs.Start(ctx); err != nil {
		return err
	}
	s.jobsStarted = true
	return nil
}

// FlushReadPositions writes the reading positions gathered in memory now,
// rather than at the next second: tests read them from the database.
func (s *Site) FlushReadPositions(ctx context.Context) error { return s.reads.flush(ctx) }

// Close stops what the Start methods set going and lets go of what Wire
// opened, in the order a shutdown needs: the indexer stops and the index
// closes, running jobs finish (until ctx ends, then they are cancelled),
// the demo's identity provider stops. The store stays open for its owner
// to close after.
func (s *Site) Close(ctx context.Context) error {
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	if s.inbound != nil {
		if err := s.inbound.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop taking replies by email: %w", err))
		}
	}
	if s.reads != nil {
		if err := s.reads.close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("record reading positions: %w", err))
		}
	}
	if s.stopSearch != nil {
		s.stopSearch()
	}
	if s.Search != nil {
		if err := s.Search.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close search index: %w", err))
		}
	}
	if s.jobsStarted {
		if err := s.Jobs.Stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.DemoIdP != nil {
		if err := s.DemoIdP.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("stop the demo identity provider: %w", err))
		}
	}
	if closer, ok := s.Limiter.(io.Closer); ok {
		if err := closer.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close the rate limit store: %w", err))
		}
	}
	return errors.Join(errs...)
}
