package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/markbates/goth/providers/github"
	"golang.org/x/oauth2"

	"rounds/app/config"
)

// GitHubIssuer is the issuer recorded for GitHub identities, whose
// subject is the numeric user ID (a login name can change hands).
const GitHubIssuer = "https://github.com"

// gitHub signs members in with GitHub's OAuth 2.0 (GitHub has no OpenID
// Connect for users: no ID token and no nonce). State and PKCE still bind
// the answer to the attempt; who signed in comes from GitHub's API, asked
// with the access token just issued.
type gitHub struct {
	goth     *github.Provider
	oauth    *oauth2.Config
	authURL  string
	emailURL string
}

// NewGitHub makes the GitHub provider; it calls back to
// baseURL/auth/github/callback.
func NewGitHub(app config.GitHubApp, baseURL string) *Provider {
	authURL, tokenURL, profileURL, emailURL := github.AuthURL, github.TokenURL, github.ProfileURL, github.EmailURL
	if app.AuthURL != "" {
		authURL = app.AuthURL
	}
	if app.TokenURL != "" {
		tokenURL = app.TokenURL
	}
	if app.APIURL != "" {
		api := strings.TrimRight(app.APIURL, "/")
		profileURL, emailURL = api+"/user", api+"/user/emails"
	}
	callback := strings.TrimRight(baseURL, "/") + "/auth/github/callback"
	client := &http.Client{Timeout: 15 * time.Second}
	// Only read:user for goth: with user:email it would itself pick (or
	// fail on) an address; the primary address and whether it is verified
	// are read below instead.
	g := github.NewCustomisedURL(app.ClientID, app.ClientSecret, callback, authURL, tokenURL, profileURL, emailURL, "read:user")
	g.HTTPClient = client
	return &Provider{
		Name: "github", Label: "GitHub", callback: callback, client: client,
		github: &gitHub{
			goth: g,
			oauth: &oauth2.Config{ClientID: app.ClientID, ClientSecret: app.ClientSecret, RedirectURL: callback,
				Endpoint: oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
				Scopes:   []string{"read:user", "user:email"}},
			authURL:  authURL,
			emailURL: emailURL,
		},
	}
}

func (p *Provider) beginGitHub() (*Start, error) {
	s := &Start{}
	var err error
	// The nonce is unused (GitHub issues no ID token) but kept so every
	// attempt has the same shape.
	for _, v := range []*string{&s.State, &s.Nonce, &s.Verifier} {
		if *v, err = random(); err != nil {
			return nil, err
		}
	}
	s.URL = p.github.oauth.AuthCodeURL(s.State, oauth2.S256ChallengeOption(s.Verifier))
	return s, nil
}

func (p *Provider) finishGitHub(ctx context.Context, code, verifier string) (*Claims, error) {
	if code == "" || verifier == "" {
		return nil, fmt.Errorf("%w: missing code or verifier", ErrRejected)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, p.client)
	token, err := p.github.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: token exchange with %s: %v", ErrRejected, p.Name, err)
	}
	if !token.Valid() {
		return nil, fmt.Errorf("%w: %s issued an invalid token", ErrRejected, p.Name)
	}
	user, err := p.github.goth.FetchUser(&github.Session{AccessToken: token.AccessToken})
	if err != nil {
		return nil, fmt.Errorf("%w: user from %s: %v", ErrRejected, p.Name, err)
	}
	if id, ok := user.RawData["id"].(float64); !ok || id <= 0 || user.UserID == "" || user.UserID == "0" {
		return nil, fmt.Errorf("%w: %s did not say which user signed in", ErrRejected, p.Name)
	}
	c := &Claims{Issuer: GitHubIssuer, Subject: user.UserID, Name: strings.TrimSpace(user.Name)}
	if c.Name == "" {
		c.Name = user.NickName
	}
	// Only the primary address, and only as verified as GitHub says it
	// is. When GitHub cannot tell us, the member has no address here.
	if email, verified, err := p.primaryEmail(ctx, token.AccessToken); err == nil {
		c.Email, c.EmailVerified = strings.ToLower(strings.TrimSpace(email)), verified
	}
	return c, nil
}

// primaryEmail reads the member's primary address from /user/emails.
func (p *Provider) primaryEmail(ctx context.Context, accessToken string) (string, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.github.emailURL, nil)
	if err != nil {
		return "", false, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := p.client.Do(req)
	if err != nil {
		return "", false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", false, fmt.Errorf("GitHub answered %d for the user's emails", resp.StatusCode)
	}
	var list []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&list); err != nil {
		return "", false, err
	}
	for _, e := range list {
		if e.Primary {
			return e.Email, e.Verified, nil
		}
	}
	return "", false, errors.New("no primary email")
}
