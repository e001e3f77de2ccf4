// Package auth signs members in through OpenID Connect providers (a
// hospital's single sign-on, Google, Microsoft Entra ID or any other issuer
// configured by environment) and through GitHub's OAuth 2.0 (github.go).
// It makes and checks the per-attempt secrets (state, nonce, PKCE) and the
// ID token's issuer, audience, expiry and nonce; the app binds attempts to
// the browser and keeps them single-use.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/markbates/goth/providers/openidConnect"

	"rounds/app/config"
)

// Provider is one place members can sign in.
type Provider struct {
	Name    string
	Label   string
	Trusted bool

	cfg      config.OIDCProvider
	callback string
	client   *http.Client

	github *gitHub // set for GitHub, which is OAuth 2.0 without OpenID Connect

	mu       sync.Mutex
	oidc     *openidConnect.Provider // discovered on first use
	verifier *gooidc.IDTokenVerifier // checks ID token signatures against the provider's keys
}

// NewProviders makes the configured providers; each calls back to
// baseURL/auth/<name>/callback.
func NewProviders(cfgs []config.OIDCProvider, baseURL string) []*Provider {
	providers := make([]*Provider, len(cfgs))
	for i, c := range cfgs {
		providers[i] = &Provider{
			Name: c.Name, Label: c.Label, Trusted: c.Trusted, cfg: c,
			callback: strings.TrimRight(baseURL, "/") + "/auth/" + c.Name + "/callback",
			client:   &http.Client{Timeout: 15 * time.Second},
		}
	}
	return providers
}

// discovered reads the provider's OpenID configuration once it is first
// needed, so an unreachable provider does not stop the site from starting.
func (p *Provider) discovered() (*openidConnect.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oidc != nil {
		return p.oidc, nil
	}
	doc, err := p.openIDConfig()
	if err != nil {
		return nil, fmt.Errorf("read the OpenID configuration of %s: %w", p.Name, err)
	}
	// The discovery document must name the issuer it was fetched for, or
	// one provider could pass for another.
	if strings.TrimRight(doc.Issuer, "/") != p.cfg.Issuer {
		return nil, fmt.Errorf("provider %s announces issuer %q, configured %q", p.Name, doc.Issuer, p.cfg.Issuer)
	}
	o, err := openidConnect.NewCustomisedURL(p.cfg.ClientID, p.cfg.ClientSecret, p.callback, doc.AuthEndpoint,
		doc.TokenEndpoint, doc.Issuer, doc.UserInfoEndpoint, doc.EndSessionEndpoint, "openid", "email", "profile")
	if err != nil {
		return nil, fmt.Errorf("configure sign-in with %s: %w", p.Name, err)
	}
	o.SetName(strings.ToLower(p.Name) + "-oidc")
	o.HTTPClient = p.client
	// Only the ID token's claims count: the userinfo endpoint's answer is
	// not bound to this sign-in by a nonce.
	o.SkipUserInfoRequest = true
	// goth reads the ID token's claims without checking its signature;
	// the provider's published keys must have signed it.
	keys, err := gooidc.NewProvider(gooidc.ClientContext(context.Background(), p.client), o.OpenIDConfig.Issuer)
	if err != nil {
		return nil, fmt.Errorf("read the signing keys' location of %s: %w", p.Name, err)
	}
	p.verifier = keys.Verifier(&gooidc.Config{ClientID: p.cfg.ClientID})
	p.oidc = o
	return o, nil
}

// maxDiscovery bounds a provider's discovery document.
const maxDiscovery = 1 << 20

// openIDConfig fetches the provider's discovery document through the
// provider's own client, which bounds the time it may take.
func (p *Provider) openIDConfig() (*openidConnect.OpenIDConfig, error) {
	res, err := p.client.Get(p.cfg.Issuer + "/.well-known/openid-configuration")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close() // read-only: a close error loses nothing
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, fmt.Errorf("the discovery document answered %s", res.Status)
	}
	var doc openidConnect.OpenIDConfig
	if err := json.NewDecoder(io.LimitReader(res.Body, maxDiscovery)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("the discovery document is not JSON: %w", err)
	}
	if doc.AuthEndpoint == "" || doc.TokenEndpoint == "" {
		return nil, errors.New("the discovery document names no authorization or token endpoint")
	}
	return &doc, nil
}

// UseHTTPClient makes the provider reach its issuer through c, as the
// demo's provider, which lives inside the process, is reached. It must be
// called before the first sign-in.
func (p *Provider) UseHTTPClient(c *http.Client) { p.client = c }

// Start is what a sign-in attempt needs to remember until the provider
// sends the browser back.
type Start struct {
	State    string
	Nonce    string
	Verifier string
	URL      string // where to send the browser
}

// Begin makes fresh state, nonce and PKCE verifier and the provider URL
// that carries them.
func (p *Provider) Begin() (*Start, error) {
	if p.github != nil {
		return p.beginGitHub()
	}
	o, err := p.discovered()
	if err != nil {
		return nil, err
	}
	s := &Start{}
	for _, v := range []*string{&s.State, &s.Nonce, &s.Verifier} {
		if *v, err = random(); err != nil {
			return nil, err
		}
	}
	sess, err := o.BeginAuth(s.State)
	if err != nil {
		return nil, fmt.Errorf("begin sign-in with %s: %w", p.Name, err)
	}
	raw, err := sess.GetAuthURL()
	if err != nil {
		return nil, fmt.Errorf("begin sign-in with %s: %w", p.Name, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("begin sign-in with %s: %w", p.Name, err)
	}
	q := u.Query()
	q.Set("nonce", s.Nonce)
	q.Set("code_challenge", Challenge(s.Verifier))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	s.URL = u.String()
	return s, nil
}

// Challenge is the S256 PKCE challenge of a verifier.
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Claims is who the provider says signed in.
type Claims struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// ErrRejected marks a sign-in the provider's answer does not support.
var ErrRejected = errors.New("sign-in rejected")

// Finish trades the code for tokens with the PKCE verifier and checks the
// ID token: its signature against the provider's keys, issuer, audience
// and expiry (go-oidc, and goth again), and the nonce (here).
func (p *Provider) Finish(ctx context.Context, code, verifier, nonce string) (*Claims, error) {
	if p.github != nil {
		return p.finishGitHub(ctx, code, verifier)
	}
	o, err := p.discovered()
	if err != nil {
		return nil, err
	}
	if code == "" || verifier == "" || nonce == "" {
		return nil, fmt.Errorf("%w: missing code, verifier or nonce", ErrRejected)
	}
	sess := &openidConnect.Session{}
	if _, err := sess.Authorize(o, url.Values{"code": {code}, "code_verifier": {verifier}}); err != nil {
		return nil, fmt.Errorf("%w: token exchange with %s: %v", ErrRejected, p.Name, err)
	}
	if _, err := p.verifier.Verify(ctx, sess.IDToken); err != nil {
		return nil, fmt.Errorf("%w: ID token from %s: %v", ErrRejected, p.Name, err)
	}
	user, err := o.FetchUser(sess)
	if err != nil {
		return nil, fmt.Errorf("%w: ID token from %s: %v", ErrRejected, p.Name, err)
	}
	got, _ := user.RawData["nonce"].(string)
	if got == "" || got != nonce {
		return nil, fmt.Errorf("%w: ID token from %s carries the wrong nonce", ErrRejected, p.Name)
	}
	c := &Claims{Subject: user.UserID, Email: strings.ToLower(strings.TrimSpace(user.Email)), Name: strings.TrimSpace(user.Name)}
	c.Issuer, _ = user.RawData["iss"].(string)
	if c.Subject == "" || c.Issuer == "" {
		return nil, fmt.Errorf("%w: ID token from %s lacks a subject or issuer", ErrRejected, p.Name)
	}
	switch v := user.RawData["email_verified"].(type) {
	case bool:
		c.EmailVerified = v
	case string:
		c.EmailVerified = v == "true"
	}
	if c.Name == "" {
		c.Name = strings.TrimSpace(user.FirstName + " " + user.LastName)
	}
	if c.Name == "" {
		c.Name = user.NickName
	}
	return c, nil
}

func random() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Origins are where signing in with the provider sends the browser: the
// issuer's origin and, once the provider is known, its authorization
// endpoint's. A provider that cannot be reached yet contributes its issuer.
func (p *Provider) Origins() []string {
	if p.github != nil {
		return []string{origin(p.github.authURL)}
	}
	origins := []string{origin(p.cfg.Issuer)}
	if o, err := p.discovered(); err == nil {
		if auth := origin(o.OpenIDConfig.AuthEndpoint); auth != "" && auth != origins[0] {
			origins = append(origins, auth)
		}
	}
	return origins
}

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Find returns the provider with the given name.
func Find(providers []*Provider, name string) *Provider {
	for _, p := range providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}
