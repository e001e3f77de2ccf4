// Package apptest builds Rounds servers for tests: a fresh database per
// test (SQLite always, PostgreSQL too when configured), fixture builders
// that read like the story a test tells, and a browser that keeps cookies
// and sends forms the way a real one does.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app"
	"rounds/app/config"
	"rounds/app/fetch"
	"rounds/app/jobs"
	"rounds/app/seed"
	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
	"rounds/search"
)

// App is a Rounds server under test.
type App struct {
	Fiber *fiber.App
	// Site is everything the server was built from, as app.Wire built it.
	Site   *app.Site
	Store  *models.Store
	Config *config.Config
	// Index is the server's search index, built empty at start and kept
	// current by its indexer; CatchUp applies writes at once.
	Index *search.Index
	// Jobs is the node's job queue, worked only with Options.WorkJobs.
	Jobs *jobs.Queue
	// Clock is the site's clock, shared by the server, its store and its
	// background work: it starts at testenv.Start (or Options.Clock) and
	// moves when the test moves it.
	Clock *testenv.Clock
	t     testing.TB
	// listener is the port taken by Options.Listen, for Serve.
	listener net.Listener
	// Podcast is the demo's own show, with Options.Demo.
	Podcast *seed.Podcast
}

// Options adjust the server under test.
type Options struct {
	// Serve builds the server as `rounds serve` does, without the demo
	// sign-in. Browsers then cannot sign in.
	Serve bool
	// BaseURL overrides http://rounds.test.
	BaseURL string
	// OIDC adds sign-in providers, such as an in-process mockoidc.
	OIDC []config.OIDCProvider
	// GitHub adds GitHub sign-in, such as against a fake GitHub.
	GitHub *config.GitHubApp
	// AdminEmails stands in for ROUNDS_ADMIN_EMAILS.
	AdminEmails []string
	// Listen takes a port on 127.0.0.1 before the server is built, so its
	// base URL is the real address a browser (and a sign-in provider's
	// redirect) can reach; Serve then serves on it.
	Listen bool
	// SearchUnbuilt leaves the search index unbuilt and its indexer not
	// running, as a node is while it rebuilds: search answers that it is
	// being rebuilt.
	SearchUnbuilt bool
	// Fetcher replaces the server's fetcher for outbound requests, such as
	// one made with AllowLoopback so the server reaches the test's own
	// httptest servers.
	Fetcher *fetch.Fetcher
	// WorkJobs starts the job queue, so background jobs (link previews,
	// feed re-reads, the sweep when the queue starts) run as on a node;
	// without it they are queued and never worked, until a test calls
	// Site.StartJobs.
	WorkJobs bool
	// Env sets more ROUNDS_* variables, such as ROUNDS_CROSSREF_URL.
	Env map[string]string
	// Demo loads the demo community, as `rounds demo` does, and serves
	// its podcast; Podcast is then that show. Not with Serve.
	Demo bool
	// Clock replaces the site's clock, which otherwise starts at
	// testenv.Start.
	Clock *testenv.Clock
}

// New starts a server on a fresh SQLite database.
func New(t testing.TB, opts ...Options) *App {
	t.Helper()
	return NewOn(t, modelstest.Engine{Name: models.SQLite, DataDir: t.TempDir()}, opts...)
}

// NewOn starts a server on the given engine.
func NewOn(t testing.TB, e modelstest.Engine, opts ...Options) *App {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	base := o.BaseURL
	if base == "" {
		base = "http://rounds.test"
	}
	var ln net.Listener
	if o.Listen {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatalf("listen on 127.0.0.1: %v", err)
		}
		base = "http://" + ln.Addr().String()
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "ROUNDS_DATA_DIR":
			return e.DataDir
		case "ROUNDS_DATABASE_URL":
			return e.DatabaseURL
		case "ROUNDS_BASE_URL":
			return base
		case "ROUNDS_SECRET":
			return "test-secret-test-secret-test-secret-0123"
		}
		return o.Env[k]
	})
	if err != nil {
		t.Fatalf("test config: %v", err)
	}
	cfg.OIDC, cfg.AdminEmails, cfg.GitHub = o.OIDC, o.AdminEmails, o.GitHub
	store := modelstest.Migrated(t, e)
	clock := o.Clock
	if clock == nil {
		clock = testenv.NewClock()
	}
	store.SetClock(clock.Now)
	// The server is wired as `rounds serve` and `rounds demo` wire theirs.
	site, err := app.Wire(context.Background(), cfg, store, app.WireOptions{
		Log:             slog.New(slog.NewTextHandler(io.Discard, nil)),
		DemoSignIn:      !o.Serve,
		DemoContent:     o.Demo,
		Fetcher:         o.Fetcher,
		JobPollInterval: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("wire the site: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := site.Close(ctx); err != nil {
			t.Errorf("close the site: %v", err)
		}
	})
	if !o.SearchUnbuilt {
		site.StartSearch(context.Background())
		waitForIndex(t, site.Search)
	}
	if o.WorkJobs {
		if err := site.StartJobs(context.Background()); err != nil {
			t.Fatalf("start job queue: %v", err)
		}
	}
	server, err := app.New(site)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	return &App{Fiber: server, Site: site, Store: store, Config: cfg, Index: site.Search, Jobs: site.Jobs, Clock: clock, t: t,
		listener: ln, Podcast: site.DemoPodcast}
}

// waitForIndex waits for the first build of the search index.
func waitForIndex(t testing.TB, index *search.Index) {
	t.Helper()
	// The first build of an empty database takes milliseconds; the limit
	// only stops a broken build from hanging the test.
	for deadline := time.Now().Add(30 * time.Second); !index.Status().Ready; {
		if time.Now().After(deadline) {
			t.Fatalf("the search index was not built: %s", index.Status().Reason)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// CatchUp makes every write so far searchable: it wakes the indexer and
// waits until it has applied the whole search outbox. (Index.CatchUp itself
// must not be called while the indexer runs: both would move its position.)
// A write that rolled back leaves a hole in the outbox on PostgreSQL, which
// the indexer waits out for minutes, so call it only after writes that
// succeeded.
func (a *App) CatchUp(t testing.TB) {
	t.Helper()
	head, err := a.Store.OutboxHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); a.Index.Position() < head; {
		if time.Now().After(deadline) {
			t.Fatalf("the search index stayed at outbox entry %d of %d: %+v", a.Index.Position(), head, a.Index.Status())
		}
		a.Index.Wake()
		time.Sleep(time.Millisecond)
	}
}

// Run calls fn with a fresh server on every engine under test.
func Run(t *testing.T, fn func(t *testing.T, a *App), opts ...Options) {
	t.Helper()
	for _, e := range modelstest.MigratedEngines(t) {
		t.Run(string(e.Name), func(t *testing.T) { fn(t, NewOn(t, e, opts...)) })
	}
}

// VerifiedMember makes a verified clinician.
func (a *App) VerifiedMember(t testing.TB, username, displayName, specialty string) *models.User {
	t.Helper()
	u := &models.User{Username: username, DisplayName: displayName, Profession: "physician",
		Specialty: specialty, Status: models.StatusVerified}
	if err := a.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// PendingMember makes an account that is not verified yet.
func (a *App) PendingMember(t testing.TB, username string) *models.User {
	t.Helper()
	u := &models.User{Username: username, DisplayName: username, Status: models.StatusPending}
	if err := a.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// Board makes a board.
func (a *App) Board(t testing.TB, slug, title string) *models.Board {
	t.Helper()
	return modelstest.OpenBoard(slug, title).Description(title+" discussion among peers.").Make(t, a.Store)
}

// Topic opens a topic with a markdown opening post.
func (a *App) Topic(t testing.TB, board *models.Board, author *models.User, title, body string, tags ...string) *models.Topic {
	t.Helper()
	return a.topic(t, models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: title, Tags: tags}, body)
}

// AnonymousTopic opens a topic whose opening post shows its author only by
// a label, checked against the server's ROUNDS_ANONYMITY_K as a post from
// the composer is.
func (a *App) AnonymousTopic(t testing.TB, board *models.Board, author *models.User, title, body string, tags ...string) *models.Topic {
	t.Helper()
	return a.topic(t, models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: title, Tags: tags, Anonymous: true,
		AnonymityK: a.Config.AnonymityK}, body)
}

func (a *App) topic(t testing.TB, nt models.NewTopic, body string) *models.Topic {
	t.Helper()
	nt.PostContent = a.content(t, body)
	topic, _, err := a.Store.CreateTopic(context.Background(), nt)
	if err != nil {
		t.Fatal(err)
	}
	return topic
}

// Reply adds a reply.
func (a *App) Reply(t testing.TB, topic *models.Topic, author *models.User, body string) *models.Post {
	t.Helper()
	return a.reply(t, models.NewReply{TopicID: topic.ID, AuthorID: author.ID}, body)
}

// AnonymousReply adds a reply that shows its author only by a label, as
// AnonymousTopic does.
func (a *App) AnonymousReply(t testing.TB, topic *models.Topic, author *models.User, body string) *models.Post {
	t.Helper()
	return a.reply(t, models.NewReply{TopicID: topic.ID, AuthorID: author.ID, Anonymous: true,
		AnonymityK: a.Config.AnonymityK}, body)
}

func (a *App) reply(t testing.TB, nr models.NewReply, body string) *models.Post {
	t.Helper()
	nr.PostContent = a.content(t, body)
	post, err := a.Store.CreateReply(context.Background(), nr)
	if err != nil {
		t.Fatal(err)
	}
	return post
}

// Moderator makes a verified clinician who moderates.
func (a *App) Moderator(t testing.TB, username, displayName, specialty string) *models.User {
	t.Helper()
	u := a.VerifiedMember(t, username, displayName, specialty)
	if err := a.Store.SetRole(context.Background(), u.ID, models.RoleModerator); err != nil {
		t.Fatal(err)
	}
	u.Role = models.RoleModerator
	return u
}

// Admin makes a verified clinician who administers the site.
func (a *App) Admin(t testing.TB, username, displayName, specialty string) *models.User {
	t.Helper()
	u := a.VerifiedMember(t, username, displayName, specialty)
	if err := a.Store.SetRole(context.Background(), u.ID, models.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	u.Role = models.RoleAdmin
	return u
}

// Hide has a moderator hide a post, giving a reason (or none).
func (a *App) Hide(t testing.TB, post *models.Post, moderator *models.User, reason string) {
	t.Helper()
	if err := a.Store.HidePost(context.Background(), post.ID, moderator.ID, reason); err != nil {
		t.Fatal(err)
	}
}

// Browser is a visitor with a cookie jar.
type Browser struct {
	app     *App
	t       testing.TB
	cookies map[string]string
	// UserAgent, when set, is sent with every request.
	UserAgent string
}

// Browser starts a visitor with no cookies.
func (a *App) Browser(t testing.TB) *Browser {
	return &Browser{app: a, t: t, cookies: map[string]string{}}
}

// Cookies are the browser's cookies by name, for requests made by hand.
func (b *Browser) Cookies() map[string]string { return maps.Clone(b.cookies) }

// Response is what the browser got back.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is where a redirect points.
func (r *Response) Location() string { return r.Header.Get("Location") }

// Do sends a request with the browser's cookies and keeps the ones set.
func (b *Browser) Do(req *http.Request) *Response {
	b.t.Helper()
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if b.UserAgent != "" {
		req.Header.Set("User-Agent", b.UserAgent)
	}
	res, err := b.app.Fiber.Test(req, 10000)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("read body: %v", err)
	}
	// The browser's clock agrees with the site's.
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(b.app.Clock.Now())) || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get fetches a page.
func (b *Browser) Get(path string) *Response {
	b.t.Helper()
	return b.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// Post sends a form as it stands, without adding a CSRF token.
func (b *Browser) Post(path string, form url.Values) *Response {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Submit loads the page that holds a form, takes its CSRF token, and posts
// the form to action, as a person filling it in would.
func (b *Browser) Submit(page, action string, form url.Values) *Response {
	b.t.Helper()
	res := b.Get(page)
	m := csrfInput.FindStringSubmatch(res.Body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s (status %d)", page, res.Status)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", htmlUnescape(m[1]))
	return b.Post(action, form)
}

// SignIn signs the browser in as a member through the demo's picker and
// its identity provider, by the OpenID Connect code flow.
func (b *Browser) SignIn(u *models.User) {
	b.t.Helper()
	b.SignInAs(u.Username)
}

// SignInAs picks a demo identity by username ("applicant" for someone new)
// and follows the code flow to the provider and back.
func (b *Browser) SignInAs(username string) *Response {
	b.t.Helper()
	res := b.Submit("/demo/sign-in", "/demo/sign-in", url.Values{"username": {username}})
	if res.Status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d\n%s", username, res.Status, res.Body)
	}
	back := b.Provider(res.Location())
	res = b.Get(back)
	if res.Status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: the callback answered %d\n%s", username, res.Status, res.Body)
	}
	return res
}

var noRedirects = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Provider visits an identity provider's authorization URL, as the
// browser would, and returns the path and query it sends the browser back
// to on this site.
func (b *Browser) Provider(authURL string) string {
	b.t.Helper()
	auth, err := url.Parse(authURL)
	if err != nil {
		b.t.Fatalf("the provider's address %q: %v", authURL, err)
	}
	var location string
	if auth.Host == b.app.Config.BaseURL.Host {
		// The demo's provider lives on the site itself.
		res := b.Get(auth.RequestURI())
		if res.Status != http.StatusFound {
			b.t.Fatalf("the provider answered %d: %s", res.Status, res.Body)
		}
		location = res.Location()
	} else {
		res, err := noRedirects.Get(authURL)
		if err != nil {
			b.t.Fatalf("visit the provider: %v", err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusFound {
			b.t.Fatalf("the provider answered %d: %s", res.StatusCode, body)
		}
		location = res.Header.Get("Location")
	}
	back, err := url.Parse(location)
	if err != nil {
		b.t.Fatalf("the provider sent the browser to %q: %v", location, err)
	}
	return back.RequestURI()
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&#61;", "=", "&amp;", "&").Replace(s)
}

// Clinician makes a verified member of any profession.
func (a *App) Clinician(t testing.TB, username, displayName, profession, specialty string) *models.User {
	t.Helper()
	u := &models.User{Username: username, DisplayName: displayName, Profession: profession,
		Specialty: specialty, Status: models.StatusVerified}
	if err := a.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// Group makes a group, optionally filled by profession or specialty, with
// members listed by hand.
func (a *App) Group(t testing.TB, name, autoProfession, autoSpecialty string, members ...*models.User) *models.Group {
	t.Helper()
	g := &models.Group{Name: name, AutoProfession: autoProfession, AutoSpecialty: autoSpecialty}
	if err := a.Store.SaveGroup(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if err := a.Store.AddGroupMember(context.Background(), g.ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// Restrict sets which groups may read and which may post on a board.
func (a *App) Restrict(t testing.TB, board *models.Board, read, post []*models.Group) {
	t.Helper()
	ids := func(gs []*models.Group) []int64 {
		out := make([]int64, len(gs))
		for i, g := range gs {
			out[i] = g.ID
		}
		return out
	}
	if err := a.Store.SetBoardGroups(context.Background(), board.ID, ids(read), ids(post)); err != nil {
		t.Fatal(err)
	}
}
