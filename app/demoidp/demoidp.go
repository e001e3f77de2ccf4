// Package demoidp runs the demo's own OpenID Connect provider inside the
// Rounds process, so `rounds demo` needs no account anywhere and its
// sign-in goes through the same code flow as production. It exists only
// for the demo.
//
// The provider lives on the site itself, under /oidc: its issuer is the
// site's own origin (from ROUNDS_BASE_URL) followed by /oidc, so a browser
// that reaches the site reaches the provider too, from another machine, a
// container or over SSH. The site mounts Handler there for the browser's
// visits, and reaches the provider's token and key endpoints through
// HTTPClient, in memory, without asking the network for its own address.
package demoidp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"rounds/app/config"
)

// ProviderName is the demo provider's name in URLs and identities.
const ProviderName = "demo"

// Path is where the provider lives on the site: its issuer is the site's
// origin followed by Path, and the site serves Handler under it.
const Path = mockoidc.IssuerBase

// IdP is the running demo provider.
type IdP struct {
	m      *mockoidc.MockOIDC
	mu     sync.Mutex // held while the provider answers a request (Start)
	ln     *memoryListener
	client *http.Client
}

var hintPattern = regexp.MustCompile(`^[a-z0-9_.-]{1,64}$`)

// Start runs the provider for a site whose public address is base.
func Start(base *url.URL) (*IdP, error) {
	if base == nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("demo identity provider: the site's address %v is not an http(s) origin", base)
	}
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	idp := &IdP{m: m, ln: newMemoryListener(base.Host)}
	// The provider answers one request at a time: it keeps its sessions
	// in maps without a lock of their own, which one sign-in's
	// authorization writes while another's code is exchanged. It signs in
	// whoever the authorization request names in login_hint; queueing that
	// identity and answering the request happen under the same lock, so
	// concurrent sign-ins cannot swap identities.
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			idp.mu.Lock()
			defer idp.mu.Unlock()
			if hint := r.URL.Query().Get("login_hint"); r.URL.Path == mockoidc.AuthorizationEndpoint && hintPattern.MatchString(hint) {
				m.QueueUser(&mockoidc.MockUser{Subject: Subject(hint), Email: Email(hint), EmailVerified: true, PreferredUsername: hint})
			}
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	// mockoidc names its issuer after its listener's address and calls it
	// https when given a TLS configuration, which it only keeps: the
	// memory listener carries the site's host, and the connections on it
	// stay plain, as the in-memory client expects.
	var secure *tls.Config
	if base.Scheme == "https" {
		secure = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if err := m.Start(idp.ln, secure); err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) { return idp.ln.dial(ctx) }
	idp.client = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		Proxy:       nil,
		DialContext: dial,
		// For an https site the connection is already as private as
		// memory: no TLS is spoken on it.
		DialTLSContext: dial,
	}}
	return idp, nil
}

// Handler serves the provider's endpoints, under Path, to browsers.
func (i *IdP) Handler() http.Handler {
	next := i.m.Server.Handler
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The provider keeps what a request asks for (its PKCE challenge,
		// its redirect) after the request ends. A server that reuses its
		// buffers, as Fiber's does, may hand over strings that point into
		// them: the provider gets copies of its own.
		u, err := url.Parse(strings.Clone(r.URL.String()))
		if err != nil {
			http.Error(w, "bad request address", http.StatusBadRequest)
			return
		}
		own := r.Clone(r.Context())
		own.URL, own.RequestURI, own.Form = u, u.RequestURI(), nil
		next.ServeHTTP(w, own)
	})
}

// HTTPClient reaches the provider in memory, for the site's own calls to
// its token and key endpoints; it goes nowhere else.
func (i *IdP) HTTPClient() *http.Client { return i.client }

// Provider is the configuration the app signs in with.
func (i *IdP) Provider() config.OIDCProvider {
	c := i.m.Config()
	return config.OIDCProvider{Name: ProviderName, Label: "Demo identity provider", Issuer: c.Issuer,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret}
}

// Issuer is the provider's issuer, which identities it signs in carry.
func (i *IdP) Issuer() string { return i.m.Issuer() }

// Stop shuts the provider down.
func (i *IdP) Stop() error { return i.m.Shutdown() }

// Subject is the provider's subject for a demo login hint.
func Subject(hint string) string { return "demo-" + hint }

// Email is the provider's (verified) address for a demo login hint; the
// .invalid domain can never receive mail.
func Email(hint string) string { return hint + "@demo.rounds.invalid" }

// memoryListener hands the provider's server the connections its client
// dials, over in-memory pipes. Its address is the site's host, which
// mockoidc writes into its issuer.
type memoryListener struct {
	addr  hostAddr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newMemoryListener(host string) *memoryListener {
	return &memoryListener{addr: hostAddr(host), conns: make(chan net.Conn), done: make(chan struct{})}
}

var errClosed = errors.New("demo identity provider: stopped")

func (l *memoryListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memoryListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memoryListener) Addr() net.Addr { return l.addr }

func (l *memoryListener) dial(ctx context.Context) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, errors.Join(errClosed, client.Close(), server.Close())
	case <-ctx.Done():
		return nil, errors.Join(ctx.Err(), client.Close(), server.Close())
	}
}

// hostAddr is the site's host as a listener's address.
type hostAddr string

func (a hostAddr) Network() string { return "memory" }
func (a hostAddr) String() string  { return string(a) }
