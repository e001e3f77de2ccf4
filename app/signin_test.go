package app_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/oauth2-proxy/mockoidc"

	"rounds/app/apptest"
	"rounds/app/config"
	"rounds/models"
)

// idp starts a real OpenID Connect provider on loopback for one test.
func idp(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatalf("start mockoidc: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Shutdown(); err != nil {
			t.Errorf("stop mockoidc: %v", err)
		}
	})
	return m
}

func hospital(m *mockoidc.MockOIDC, trusted bool) config.OIDCProvider {
	c := m.Config()
	return config.OIDCProvider{Name: "hospital", Label: "St Mary's Hospital", Issuer: c.Issuer,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, Trusted: trusted}
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// toProvider starts a sign-in from the sign-in page and returns where the
// app sends the browser.
func toProvider(t *testing.T, b *apptest.Browser, returnTo string) string {
	t.Helper()
	res := b.Submit("/sign-in", "/auth/hospital", url.Values{"return": {returnTo}})
	wantStatus(t, res, http.StatusSeeOther)
	return res.Location()
}

// atProvider plays the member at the provider: it signs in as user and
// returns the app's callback path and query the provider sends back.
func atProvider(t *testing.T, m *mockoidc.MockOIDC, authURL string, user *mockoidc.MockUser) string {
	t.Helper()
	m.QueueUser(user)
	res, err := noRedirects.Get(authURL)
	if err != nil {
		t.Fatalf("visit the provider: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("the provider answered %d: %s", res.StatusCode, body)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return back.RequestURI()
}

func signInThrough(t *testing.T, m *mockoidc.MockOIDC, b *apptest.Browser, user *mockoidc.MockUser, returnTo string) *apptest.Response {
	t.Helper()
	return b.Get(atProvider(t, m, toProvider(t, b, returnTo), user))
}

func clinician(subject, email string, verified bool) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: verified, PreferredUsername: "amara.okafor"}
}

func userCount(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	n, err := a.Store.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignInThroughOpenIDConnect(t *testing.T) {
	m := idp(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		// The sign-in page offers the provider.
		mustContain(t, b.Get("/sign-in"), "Continue with St Mary&#39;s Hospital")

		authURL := toProvider(t, b, "/b/cardiology")
		u, err := url.Parse(authURL)
		if err != nil || !strings.HasPrefix(authURL, m.Issuer()) {
			t.Fatalf("sent to %q", authURL)
		}
		q := u.Query()
		for _, p := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(p)) < 43 {
				t.Fatalf("%s %q is missing or short", p, q.Get(p))
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != "http://rounds.test/auth/hospital/callback" {
			t.Fatalf("authorization request %v", q)
		}

		res := b.Get(atProvider(t, m, authURL, clinician("sub-okafor", "okafor@stmary.example.org", true)))
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/b/cardiology" {
			t.Fatalf("returned to %q", res.Location())
		}
		// A new account is pending: signed in, but not yet a member, so it
		// is sent to the verification form.
		if res := b.Get("/b/cardiology/new"); res.Status != http.StatusSeeOther || res.Location() != "/verify" {
			t.Fatalf("pending member: status %d, location %q", res.Status, res.Location())
		}
		if userCount(t, a) != 1 {
			t.Fatalf("%d users after the first sign-in", userCount(t, a))
		}

		// Signing in again finds the same account.
		b2 := a.Browser(t)
		wantStatus(t, signInThrough(t, m, b2, clinician("sub-okafor", "new-address@stmary.example.org", true), "/"), http.StatusSeeOther)
		if userCount(t, a) != 1 {
			t.Fatalf("the second sign-in made another account: %d users", userCount(t, a))
		}
		// The same email under another subject is another person: an email
		// address never links an identity to an account.
		b3 := a.Browser(t)
		wantStatus(t, signInThrough(t, m, b3, clinician("sub-impostor", "new-address@stmary.example.org", true), "/"), http.StatusSeeOther)
		if userCount(t, a) != 2 {
			t.Fatalf("an email address linked two identities: %d users", userCount(t, a))
		}
	}, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, false)}})
}

func TestTrustedProvidersAndAdminEmails(t *testing.T) {
	m := idp(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, true)}, AdminEmails: []string{"chief@stmary.example.org"}})
	a.Board(t, "cardiology", "Cardiology")
	ctx := context.Background()

	for _, tc := range []struct {
		name     string
		user     *mockoidc.MockUser
		status   models.Status
		role     models.Role
		username string
	}{
		{"a trusted institution verifies", clinician("s1", "okafor@stmary.example.org", true), models.StatusVerified, models.RoleMember, "amara.okafor"},
		{"a verified admin address makes an admin", clinician("s2", "chief@stmary.example.org", true), models.StatusVerified, models.RoleAdmin, ""},
		{"an unverified admin address does not", clinician("s3", "chief@stmary.example.org", false), models.StatusVerified, models.RoleMember, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := a.Browser(t)
			wantStatus(t, signInThrough(t, m, b, tc.user, "/"), http.StatusSeeOther)
			var id models.Identity
			if err := a.Store.DB().Where("subject = ?", tc.user.Subject).Take(&id).Error; err != nil {
				t.Fatal(err)
			}
			if id.Issuer != m.Issuer() || id.Provider != "hospital" || id.EmailVerified != tc.user.EmailVerified {
				t.Fatalf("identity %+v", id)
			}
			u, err := a.Store.UserByID(ctx, id.UserID)
			if err != nil {
				t.Fatal(err)
			}
			if u.Status != tc.status || u.Role != tc.role {
				t.Fatalf("user %+v, want status %s role %s", u, tc.status, tc.role)
			}
			wantStatus(t, b.Get("/b/cardiology/new"), http.StatusOK)
		})
	}
}

func TestSignInFailsClosed(t *testing.T) {
	m := idp(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, false)}})
	user := clinician("sub-okafor", "okafor@stmary.example.org", true)
	tamper := func(t *testing.T, column, value string) {
		t.Helper()
		if err := a.Store.DB().Exec(`UPDATE login_attempts SET `+column+` = ?`, value).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		run  func(t *testing.T) *apptest.Response
	}{
		{"missing state", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			back := atProvider(t, m, toProvider(t, b, "/"), user)
			return b.Get(withoutParam(back, "state"))
		}},
		{"wrong state", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			back := atProvider(t, m, toProvider(t, b, "/"), user)
			return b.Get(withParam(back, "state", "forged-state-value"))
		}},
		{"replayed state", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			back := atProvider(t, m, toProvider(t, b, "/"), user)
			wantStatus(t, b.Get(back), http.StatusSeeOther)
			b.Post("/sign-out", nil) // not needed for the check; the replay must fail regardless
			return b.Get(back)
		}},
		{"another browser's callback", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			back := atProvider(t, m, toProvider(t, b, "/"), user)
			victim := a.Browser(t)
			victim.Get("/sign-in") // a browser of its own, with its own cookie
			return victim.Get(back)
		}},
		{"wrong nonce", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			authURL := toProvider(t, b, "/")
			tamper(t, "nonce", "not-the-nonce-sent-to-the-provider-0123456789")
			return b.Get(atProvider(t, m, authURL, user))
		}},
		{"wrong PKCE verifier", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			authURL := toProvider(t, b, "/")
			tamper(t, "verifier", "a-verifier-that-does-not-match-the-challenge-0123")
			return b.Get(atProvider(t, m, authURL, user))
		}},
		{"missing PKCE verifier", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			authURL := toProvider(t, b, "/")
			tamper(t, "verifier", "")
			return b.Get(atProvider(t, m, authURL, user))
		}},
		{"missing code", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			back := atProvider(t, m, toProvider(t, b, "/"), user)
			return b.Get(withoutParam(back, "code"))
		}},
		{"the provider refused", func(t *testing.T) *apptest.Response {
			b := a.Browser(t)
			toProvider(t, b, "/")
			return b.Get("/auth/hospital/callback?error=access_denied&state=x")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := userCount(t, a)
			res := tc.run(t)
			wantStatus(t, res, http.StatusBadRequest)
			if res.Header.Get("Set-Cookie") != "" && strings.Contains(res.Header.Get("Set-Cookie"), "rounds_session=") &&
				!strings.Contains(res.Header.Get("Set-Cookie"), "rounds_session=;") {
				t.Fatalf("a refused sign-in set a session cookie: %s", res.Header.Get("Set-Cookie"))
			}
			if tc.name != "replayed state" && userCount(t, a) != before {
				t.Fatalf("a refused sign-in created an account")
			}
		})
	}
}

func TestSignInReturnsOnlyToThisSite(t *testing.T) {
	m := idp(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, false)}})
	for _, target := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"} {
		b := a.Browser(t)
		res := signInThrough(t, m, b, clinician("sub-"+target, "x@stmary.example.org", true), target)
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/" {
			t.Errorf("return-to %q sent the member to %q", target, res.Location())
		}
	}
}

func TestProviderAnnouncingAnotherIssuerIsRefused(t *testing.T) {
	m := idp(t)
	// A discovery document served from one address that names another
	// issuer must not be believed: providers would become confusable.
	impostor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := http.Get(m.DiscoveryEndpoint())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		var doc map[string]any
		if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc) // the issuer inside stays mockoidc's
	}))
	defer impostor.Close()
	p := hospital(m, true)
	p.Issuer = impostor.URL
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{p}})
	b := a.Browser(t)
	res := b.Submit("/sign-in", "/auth/hospital", url.Values{"return": {"/"}})
	wantStatus(t, res, http.StatusBadGateway)
	mustContain(t, res, "could not reach St Mary")
}

func TestSuspendedMembersOldSessionEnds(t *testing.T) {
	m := idp(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, true)}})
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	wantStatus(t, signInThrough(t, m, b, clinician("sub-okafor", "okafor@stmary.example.org", true), "/"), http.StatusSeeOther)
	wantStatus(t, b.Get("/b/cardiology/new"), http.StatusOK)
	if err := a.Store.DB().Exec(`UPDATE users SET status = ?`, models.StatusSuspended).Error; err != nil {
		t.Fatal(err)
	}
	res := b.Get("/b/cardiology/new")
	wantStatus(t, res, http.StatusSeeOther) // treated as a guest: sent to sign in
	// And signing in again is refused.
	res = signInThrough(t, m, a.Browser(t), clinician("sub-okafor", "okafor@stmary.example.org", true), "/")
	wantStatus(t, res, http.StatusForbidden)
}

func withParam(pathQuery, key, value string) string {
	u, _ := url.Parse(pathQuery)
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func withoutParam(pathQuery, key string) string {
	u, _ := url.Parse(pathQuery)
	q := u.Query()
	q.Del(key)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func TestDemoPickerSignsInThroughItsOwnProvider(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")

	// The picker's forms may lead to the demo provider, which lives on
	// the site itself, and nowhere else.
	page := a.Browser(t).Get("/sign-in")
	mustContain(t, page, "A new applicant", "Dr. Amara Okafor")
	csp := page.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "form-action 'self';") {
		t.Fatalf("sign-in page CSP %q", csp)
	}

	b := a.Browser(t)
	b.SignIn(okafor)
	wantStatus(t, b.Get("/b/cardiology/new"), http.StatusOK)
	var ids []models.Identity
	if err := a.Store.DB().Where("user_id = ?", okafor.ID).Find(&ids).Error; err != nil || len(ids) != 1 || ids[0].Provider != "demo" {
		t.Fatalf("okafor's identities: %+v, %v", ids, err)
	}
	// Signing in again uses the same identity.
	again := a.Browser(t)
	again.SignIn(okafor)
	if n := userCount(t, a); n != 1 {
		t.Fatalf("%d users after two sign-ins", n)
	}

	// A new applicant is a new, pending account.
	applicant := a.Browser(t)
	applicant.SignInAs("applicant")
	if n := userCount(t, a); n != 2 {
		t.Fatalf("%d users after the applicant signed in", n)
	}
	res := applicant.Get("/b/cardiology/new")
	if res.Status != http.StatusForbidden && res.Status != http.StatusSeeOther {
		t.Fatalf("a pending applicant opened the composer: status %d", res.Status)
	}
}

// fakeProvider is an OpenID Connect provider whose token endpoint answers
// with whatever ID token claims the test sets, to check what the app does
// with a token it must not accept.
type fakeProvider struct {
	srv    *httptest.Server
	key    *rsa.PrivateKey
	claims func(nonce string) map[string]any
	nonce  string
	signed bool
}

func newFakeProvider(t *testing.T) *fakeProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeProvider{key: key, signed: true}
	mux := http.NewServeMux()
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "k1", Algorithm: string(jose.RS256), Use: "sig"}}})
	})
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/authorize",
			"token_endpoint": f.srv.URL + "/token", "jwks_uri": f.srv.URL + "/jwks"})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		payload, err := json.Marshal(f.claims(f.nonce))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		enc := base64.RawURLEncoding.EncodeToString
		token := enc([]byte(`{"alg":"none"}`)) + "." + enc(payload) + "."
		if f.signed {
			signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: f.key},
				(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			sig, err := signer.Sign(payload)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if token, err = sig.CompactSerialize(); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer",
			"expires_in": 3600, "id_token": token})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func TestIDTokensThatMustNotSignIn(t *testing.T) {
	f := newFakeProvider(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{{Name: "hospital", Label: "St Mary's",
		Issuer: f.srv.URL, ClientID: "rounds", ClientSecret: "secret"}}})
	// The provider's tokens are judged by the real clock, by the OpenID
	// Connect library, whatever the site's clock says.
	valid := func(nonce string) map[string]any {
		return map[string]any{"iss": f.srv.URL, "aud": "rounds", "sub": "s1", "nonce": nonce,
			"exp": float64(time.Now().Add(time.Hour).Unix()), "email": "x@stmary.example.org", "email_verified": true}
	}
	for _, tc := range []struct {
		name     string
		change   func(map[string]any)
		want     int
		unsigned bool
	}{
		// goth alone would take these claims; without the provider's
		// signature they must not sign anyone in.
		{"valid claims but no signature", func(map[string]any) {}, http.StatusBadRequest, true},
		{"a valid signed token signs in", func(map[string]any) {}, http.StatusSeeOther, false},
		{"wrong audience", func(c map[string]any) { c["aud"] = "another-client" }, http.StatusBadRequest, false},
		{"wrong issuer", func(c map[string]any) { c["iss"] = "https://impostor.example.org" }, http.StatusBadRequest, false},
		{"expired", func(c map[string]any) { c["exp"] = float64(time.Now().Add(-time.Hour).Unix()) }, http.StatusBadRequest, false},
		{"no nonce", func(c map[string]any) { delete(c, "nonce") }, http.StatusBadRequest, false},
		{"no subject", func(c map[string]any) { delete(c, "sub") }, http.StatusBadRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.signed = !tc.unsigned
			f.claims = func(nonce string) map[string]any {
				c := valid(nonce)
				tc.change(c)
				return c
			}
			b := a.Browser(t)
			authURL, err := url.Parse(toProvider(t, b, "/"))
			if err != nil {
				t.Fatal(err)
			}
			f.nonce = authURL.Query().Get("nonce")
			res := b.Get("/auth/hospital/callback?code=c&state=" + url.QueryEscape(authURL.Query().Get("state")))
			wantStatus(t, res, tc.want)
		})
	}
}

func TestAnUnverifiedEmailOnAnAllowedDomainVerifiesNobody(t *testing.T) {
	m := idp(t)
	a := apptest.New(t, apptest.Options{OIDC: []config.OIDCProvider{hospital(m, false)},
		AdminEmails: []string{"chief@stmary.example.org"}})
	a.Config.VerifyEmailDomains = []string{"stmary.example.org"}
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	wantStatus(t, signInThrough(t, m, b, clinician("sub-x", "chief@stmary.example.org", false), "/"), http.StatusSeeOther)
	var id models.Identity
	if err := a.Store.DB().Where("subject = ?", "sub-x").Take(&id).Error; err != nil {
		t.Fatal(err)
	}
	u, err := a.Store.UserByID(context.Background(), id.UserID)
	if err != nil {
		t.Fatal(err)
	}
	// Neither the allowed domain nor the admin list counts for an address
	// the provider has not verified.
	if u.Status != models.StatusPending || u.Role != models.RoleMember {
		t.Fatalf("an unverified address on an allowed domain gave status %s, role %s", u.Status, u.Role)
	}
	res := b.Get("/b/cardiology")
	if res.Status != http.StatusSeeOther || res.Location() != "/verify" {
		t.Fatalf("the account reads boards: %d %q", res.Status, res.Location())
	}
}
