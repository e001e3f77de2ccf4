// Package app is the Rounds web application: the Fiber server, its
// middleware, the route table and one handler per page or action.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"

	"rounds/app/auth"
	"rounds/app/blob"
	"rounds/app/config"
	"rounds/app/demoidp"
	"rounds/app/digest"
	"rounds/app/fetch"
	"rounds/app/imageproxy"
	"rounds/app/images"
	"rounds/app/jobs"
	"rounds/app/mail"
	"rounds/app/markdown"
	"rounds/app/notify"
	"rounds/app/ratelimit"
	"rounds/app/seed"
	"rounds/models"
	"rounds/public"
	"rounds/search"
	"rounds/views"
)

// Handler holds what every page needs. There are no package-level globals:
// tests build as many independent servers as they like.
type Handler struct {
	cfg      *config.Config
	store    *models.Store
	markdown *markdown.Renderer
	views    *viewSet
	assets   *assets
	log      *slog.Logger
	now      func() time.Time
	demo     bool
	mailer   *mail.Mailer
	search   *search.Index
	// cache keeps what every page reads whatever the page (readCache).
	cache *readCache
	// topicPosts keeps the shared part of topic pages (topic_cache.go).
	topicPosts *topicPostsCache
	// pageSlots paces the pages members read most (pacing.go).
	pageSlots chan struct{}
	// boardLists keeps pages of boards' topic lists (board_cache.go).
	boardLists *boardListCache
	// fetcher makes every request Rounds sends out, such as reading the
	// podcast feeds members share.
	fetcher *fetch.Fetcher
	// images serves remote images from Rounds itself, and signs their
	// addresses on the pages.
	images *imageproxy.Proxy
	// uploads de-identifies members' images; staging keeps them, as
	// sent, while their composer is open; blobs keeps posts' images.
	uploads *images.Processor
	staging *blob.Staging
	blobs   blob.Store
	// jobs queues background work in the transaction of the write that
	// needs it.
	jobs *jobs.Queue
	// digests are the node's digest workers, for the preview.
	digests *digest.Workers
	// limiter counts what members and addresses do, for the rate limits.
	limiter ratelimit.Store
	// unsubscribes read the notification emails' unsubscribe tokens.
	unsubscribes *notify.Unsubscribes
	// providers are the configured sign-in providers, in the order the
	// sign-in page shows them.
	providers []*auth.Provider
	// reads gathers members' reading positions (readBatcher).
	reads *readBatcher
	// demoProvider is the demo's in-process provider, behind the demo's
	// identity picker; nil outside the demo.
	demoProvider *auth.Provider
	demoIssuer   string
	// demoIdP is that provider, served on the site under /oidc.
	demoIdP *demoidp.IdP
	// demoPodcast is the demo's own show, served under seed.PodcastPath.
	demoPodcast *seed.Podcast
}

// New builds the application of a node that Wire put together:
// templates and static files are parsed here, so a broken one fails the
// start instead of a request. The demo's sign-in is served only when the
// site has the demo's identity provider, which only `rounds demo` (and
// tests) ask Wire for, so `rounds serve` has no way to reach it.
func New(site *Site) (*fiber.App, error) {
	if site == nil || site.Config == nil || site.Store == nil || site.Markdown == nil || site.Images == nil || site.Uploads == nil || site.Fetcher == nil ||
		site.Mailer == nil || site.Limiter == nil || site.Digests == nil || site.Unsubscribes == nil || site.Search == nil || site.Jobs == nil || site.reads == nil {
		return nil, fmt.Errorf("app: the site is not wired: build it with Wire")
	}
	if len(site.Config.Secret) < 32 {
		return nil, fmt.Errorf("app: secret missing or too short")
	}
	h := &Handler{
		cfg:        site.Config,
		store:      site.Store,
		markdown:   site.Markdown,
		log:        site.Log,
		now:        site.Store.Now,
		cache:      newReadCache(),
		demo:       site.DemoIdP != nil,
		mailer:     site.Mailer,
		search:     site.Search,
		fetcher:    site.Fetcher,
		images:     site.Images,
		uploads:    site.Uploads,
		staging:    site.Staging,
		blobs:      site.Blobs,
		jobs:       site.Jobs,
		digests:    site.Digests,
		limiter:    site.Limiter,
		providers:  site.Providers,
		reads:      site.reads,
		topicPosts: newTopicPostsCache(),
		pageSlots:  pageSlots(),
		boardLists: newBoardListCache(),
	}
	h.unsubscribes = site.Unsubscribes
	if h.demo {
		h.demoProvider, h.demoIssuer, h.demoIdP = site.DemoSignIn, site.DemoIdP.Issuer(), site.DemoIdP
		h.demoPodcast = site.DemoPodcast
	}
	var err error
	if h.assets, err = loadAssets(public.FS); err != nil {
		return nil, err
	}
	if h.views, err = loadViews(views.FS, templateFuncs(h.assets, h.now)); err != nil {
		return nil, err
	}
	if site.warmPages {
		go func() {
			if err := h.views.warm(); err != nil {
				h.log.Error("page templates", "err", err)
			}
		}()
	}

	app := fiber.New(fiber.Config{
		AppName:               "Rounds",
		ErrorHandler:          h.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             bodyLimit(site.Config),
		ReadBufferSize:        16 << 10,
		// Rounds sits behind a proxy in production; the proxy's headers are
		// not trusted unless configured, so nothing here reads them.
		EnableTrustedProxyCheck: true,
	})
	answerUnknownMethods(app)
	app.Use(h.securityHeaders)
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: h.logPanic}))
	app.Use(h.requestLog)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Get(staticPrefix+"*", h.assets.serve)
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Use(h.noteWrites)
	app.Use(h.loadMember)
	app.Use(h.checkCSRF)
	app.Use(h.wakeSearch)
	if err := h.routes(app); err != nil {
		return nil, err
	}
	app.Use(func(c *fiber.Ctx) error { return errNotFound("That page", nil) })
	return app, nil
}

// bodyLimit is the most a request's body may hold: a composer's form with
// an image of ROUNDS_IMAGE_MAX_BYTES and the longest post, 32,000
// characters. The image's own limit is checked with a clear message on
// the form; a body past this one is refused outright.
func bodyLimit(cfg *config.Config) int {
	return int(max(cfg.ImageMaxBytes, images.DefaultMaxBytes)) + 2<<20
}

// answerUnknownMethods has a request whose method Fiber does not know
// refused like a malformed one, through the error handler and so with the
// site's error page and headers, where Fiber would answer it in plain text
// before any middleware runs.
func answerUnknownMethods(app *fiber.App) {
	server := app.Server()
	serve := server.Handler
	server.Handler = func(fctx *fasthttp.RequestCtx) {
		if !slices.Contains(fiber.DefaultMethods, string(fctx.Method())) {
			server.ErrorHandler(fctx, fmt.Errorf("unknown method %q", fctx.Method()))
			return
		}
		serve(fctx)
	}
}

func (h *Handler) logPanic(c *fiber.Ctx, e any) {
	h.log.Error("panic", "request_id", requestID(c), "path", c.Path(), "panic", fmt.Sprint(e))
}

func (h *Handler) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok\n")
}

func (h *Handler) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		h.log.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unreachable\n")
	}
	// The search index never holds readiness back: the site serves while
	// it is rebuilt. Its state is here for whoever watches the nodes.
	status := h.search.Status()
	if !status.Ready {
		return c.SendString(fmt.Sprintf("ready\nsearch: rebuilding, %d of %d posts indexed (%s)\n",
			status.Built, status.Total, status.Reason))
	}
	return c.SendString(fmt.Sprintf("ready\nsearch: outbox position %d\n", h.search.Position()))
}
