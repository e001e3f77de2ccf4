package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"rounds/app/apptest"
	"rounds/app/auth"
	"rounds/app/config"
	"rounds/models"
)

// fakeGitHub stands in for GitHub's token endpoint and API. A test grants
// a code for the PKCE challenge it read from the app's authorization URL;
// the token endpoint gives a token only for the matching verifier.
type fakeGitHub struct {
	srv    *httptest.Server
	mu     sync.Mutex
	grants map[string]ghGrant // by code
	tokens map[string]ghUser  // by access token
}

type ghGrant struct {
	challenge string
	user      ghUser
}

type ghUser struct {
	ID            int64
	Login, Name   string
	Email         string // the primary address
	EmailVerified bool
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{grants: map[string]ghGrant{}, tokens: map[string]ghUser{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login/oauth/access_token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		g, ok := f.grants[r.Form.Get("code")]
		delete(f.grants, r.Form.Get("code"))
		verifier := r.Form.Get("code_verifier")
		if !ok || verifier == "" || auth.Challenge(verifier) != g.challenge ||
			r.Form.Get("client_id") != "gh-id" || r.Form.Get("client_secret") != "gh-secret" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"bad_verification_code"}`))
			return
		}
		token := "tok-" + r.Form.Get("code")
		f.tokens[token] = g.user
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": token, "token_type": "bearer", "scope": "read:user,user:email"})
	})
	user := func(r *http.Request) (ghUser, bool) {
		f.mu.Lock()
		defer f.mu.Unlock()
		u, ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		return u, ok
	}
	mux.HandleFunc("GET /api/user", func(w http.ResponseWriter, r *http.Request) {
		u, ok := user(r)
		if !ok {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": u.ID, "login": u.Login, "name": u.Name, "email": u.Email})
	})
	mux.HandleFunc("GET /api/user/emails", func(w http.ResponseWriter, r *http.Request) {
		u, ok := user(r)
		if !ok {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode([]map[string]any{
			{"email": "other@example.org", "primary": false, "verified": true},
			{"email": u.Email, "primary": true, "verified": u.EmailVerified},
		})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) app() *config.GitHubApp {
	return &config.GitHubApp{ClientID: "gh-id", ClientSecret: "gh-secret",
		AuthURL: f.srv.URL + "/login/oauth/authorize", TokenURL: f.srv.URL + "/login/oauth/access_token", APIURL: f.srv.URL + "/api"}
}

// toGitHub starts a sign-in and returns the authorization request's query.
func toGitHub(t *testing.T, f *fakeGitHub, b *apptest.Browser) url.Values {
	t.Helper()
	res := b.Submit("/sign-in", "/auth/github", url.Values{"return": {"/"}})
	wantStatus(t, res, http.StatusSeeOther)
	u, err := url.Parse(res.Location())
	if err != nil || !strings.HasPrefix(res.Location(), f.srv.URL+"/login/oauth/authorize?") {
		t.Fatalf("sent to %q", res.Location())
	}
	return u.Query()
}

// signInGitHub plays GitHub granting a code to user, and returns the
// app's answer to the callback.
func signInGitHub(t *testing.T, f *fakeGitHub, b *apptest.Browser, user ghUser) *apptest.Response {
	t.Helper()
	q := toGitHub(t, f, b)
	code := "code-" + q.Get("state")[:12]
	f.mu.Lock()
	f.grants[code] = ghGrant{challenge: q.Get("code_challenge"), user: user}
	f.mu.Unlock()
	return b.Get("/auth/github/callback?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode())
}

func githubIdentity(t *testing.T, a *apptest.App, subject string) (models.Identity, *models.User) {
	t.Helper()
	var id models.Identity
	if err := a.Store.DB().Where("provider = ? AND subject = ?", "github", subject).Take(&id).Error; err != nil {
		t.Fatal(err)
	}
	u, err := a.Store.UserByID(context.Background(), id.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return id, u
}

func TestSignInThroughGitHub(t *testing.T) {
	f := newFakeGitHub(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		mustContain(t, b.Get("/sign-in"), "Continue with GitHub")

		q := toGitHub(t, f, b)
		if len(q.Get("state")) < 43 || len(q.Get("code_challenge")) < 43 || q.Get("code_challenge_method") != "S256" ||
			q.Get("redirect_uri") != "http://rounds.test/auth/github/callback" || !strings.Contains(q.Get("scope"), "user:email") {
			t.Fatalf("authorization request %v", q)
		}

		okafor := ghUser{ID: 4242, Login: "aokafor", Name: "Amara Okafor", Email: "okafor@stmary.example.org", EmailVerified: true}
		wantStatus(t, signInGitHub(t, f, b, okafor), http.StatusSeeOther)
		id, u := githubIdentity(t, a, "4242")
		if id.Issuer != "https://github.com" || id.Email != okafor.Email || !id.EmailVerified {
			t.Fatalf("identity %+v", id)
		}
		if u.Status != models.StatusPending || u.Role != models.RoleMember {
			t.Fatalf("user %+v", u)
		}
		if res := b.Get("/b/cardiology/new"); res.Status != http.StatusSeeOther || res.Location() != "/verify" {
			t.Fatalf("pending member: status %d, location %q", res.Status, res.Location())
		}

		// A changed login name is the same person: the numeric ID counts.
		b2 := a.Browser(t)
		okafor.Login = "amara-okafor-md"
		wantStatus(t, signInGitHub(t, f, b2, okafor), http.StatusSeeOther)
		if n := userCount(t, a); n != 1 {
			t.Fatalf("a renamed GitHub login made another account: %d users", n)
		}
		// A login name taken over by another GitHub user is another person.
		b3 := a.Browser(t)
		wantStatus(t, signInGitHub(t, f, b3, ghUser{ID: 777, Login: "aokafor", Email: "x@example.org", EmailVerified: true}), http.StatusSeeOther)
		if n := userCount(t, a); n != 2 {
			t.Fatalf("%d users", n)
		}
	}, apptest.Options{GitHub: f.app()})
}

func TestGitHubAdminEmailMustBeVerified(t *testing.T) {
	f := newFakeGitHub(t)
	a := apptest.New(t, apptest.Options{GitHub: f.app(), AdminEmails: []string{"chief@stmary.example.org"}})
	for _, tc := range []struct {
		name     string
		user     ghUser
		role     models.Role
		status   models.Status
		verified bool
	}{
		{"an unverified primary address does not make an admin", ghUser{ID: 1, Login: "chief1", Email: "Chief@stmary.example.org"}, models.RoleMember, models.StatusPending, false},
		{"a verified primary address does", ghUser{ID: 2, Login: "chief2", Email: "chief@stmary.example.org", EmailVerified: true}, models.RoleAdmin, models.StatusVerified, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, signInGitHub(t, f, a.Browser(t), tc.user), http.StatusSeeOther)
			id, u := githubIdentity(t, a, strings.TrimPrefix(tc.user.Login, "chief"))
			if id.EmailVerified != tc.verified || u.Role != tc.role || u.Status != tc.status {
				t.Fatalf("identity %+v, user %+v", id, u)
			}
		})
	}
}

func TestGitHubSignInFailsClosed(t *testing.T) {
	f := newFakeGitHub(t)
	a := apptest.New(t, apptest.Options{GitHub: f.app()})
	user := ghUser{ID: 4242, Login: "aokafor", Email: "okafor@stmary.example.org", EmailVerified: true}
	grant := func(q url.Values, code string) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.grants[code] = ghGrant{challenge: q.Get("code_challenge"), user: user}
	}

	t.Run("wrong state", func(t *testing.T) {
		b := a.Browser(t)
		q := toGitHub(t, f, b)
		grant(q, "c1")
		wantStatus(t, b.Get("/auth/github/callback?code=c1&state=wrong-"+q.Get("state")), http.StatusBadRequest)
	})
	t.Run("no state", func(t *testing.T) {
		b := a.Browser(t)
		grant(toGitHub(t, f, b), "c2")
		wantStatus(t, b.Get("/auth/github/callback?code=c2"), http.StatusBadRequest)
	})
	t.Run("another browser", func(t *testing.T) {
		q := toGitHub(t, f, a.Browser(t))
		grant(q, "c3")
		wantStatus(t, a.Browser(t).Get("/auth/github/callback?code=c3&state="+url.QueryEscape(q.Get("state"))), http.StatusBadRequest)
	})
	t.Run("state used twice", func(t *testing.T) {
		b := a.Browser(t)
		q := toGitHub(t, f, b)
		grant(q, "c4")
		wantStatus(t, b.Get("/auth/github/callback?code=c4&state="+url.QueryEscape(q.Get("state"))), http.StatusSeeOther)
		grant(q, "c5")
		wantStatus(t, b.Get("/auth/github/callback?code=c5&state="+url.QueryEscape(q.Get("state"))), http.StatusBadRequest)
	})
	t.Run("a code granted for another challenge", func(t *testing.T) {
		b := a.Browser(t)
		q := toGitHub(t, f, b)
		f.mu.Lock()
		f.grants["c6"] = ghGrant{challenge: auth.Challenge("someone else's verifier"), user: user}
		f.mu.Unlock()
		wantStatus(t, b.Get("/auth/github/callback?code=c6&state="+url.QueryEscape(q.Get("state"))), http.StatusBadRequest)
	})
	if n := userCount(t, a); n != 1 {
		t.Fatalf("%d users after the failed sign-ins", n)
	}
}
