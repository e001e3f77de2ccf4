// Package demoidp runs the demo's own OpenID Connect provider in-process on
// loopback, so `rounds demo` needs no account anywhere and its sign-in goes
// through the same code flow as production. It exists only for the demo.
package demoidp

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sync"

	"github.com/oauth2-proxy/mockoidc"

	"rounds/app/config"
)

// ProviderName is the demo provider's name in URLs and identities.
const ProviderName = "demo"

// IdP is the running demo provider.
type IdP struct {
	m  *mockoidc.MockOIDC
	mu sync.Mutex
}

var hintPattern = regexp.MustCompile(`^[a-z0-9_.-]{1,64}$`)

// Start runs the provider on a free loopback port.
func Start() (*IdP, error) {
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	idp := &IdP{m: m}
	// The provider signs in whoever the authorization request names in
	// login_hint. Queueing that identity and answering the request happen
	// under one lock, so concurrent sign-ins cannot swap identities.
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hint := r.URL.Query().Get("login_hint")
			if r.URL.Path != mockoidc.AuthorizationEndpoint || !hintPattern.MatchString(hint) {
				next.ServeHTTP(w, r)
				return
			}
			idp.mu.Lock()
			defer idp.mu.Unlock()
			m.QueueUser(&mockoidc.MockUser{Subject: Subject(hint), Email: Email(hint), EmailVerified: true, PreferredUsername: hint})
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo identity provider: listen: %w", err)
	}
	if err := m.Start(ln, nil); err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	return idp, nil
}

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
