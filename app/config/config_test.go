package config

import (
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestDefaultsGiveAWorkingServer(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.SMTPURL != nil {
		t.Fatalf("defaults: %+v", c)
	}
	if c.BaseURL.String() != "http://localhost:8080" || c.Secure() {
		t.Fatalf("default base URL %s", c.BaseURL)
	}
}

func TestBadValuesNameTheirVariable(t *testing.T) {
	for _, tc := range []struct {
		name, value string
	}{
		{"ROUNDS_ADDR", "8080"},
		{"ROUNDS_BASE_URL", "rounds.example.org"},
		{"ROUNDS_BASE_URL", "ftp://rounds.example.org"},
		{"ROUNDS_DATABASE_URL", "mysql://root@localhost/rounds"},
		{"ROUNDS_SMTP_URL", "http://mail.example.org"},
		{"ROUNDS_SECRET", "short"},
		{"ROUNDS_LOG_FORMAT", "xml"},
		{"ROUNDS_LOG_LEVEL", "loud"},
		{"ROUNDS_SESSION_IDLE", "forever"},
		{"ROUNDS_ADMIN_EMAILS", "admin"},
		{"ROUNDS_VERIFY_EMAIL_DOMAINS", "@hospital"},
		{"ROUNDS_MAIL_FROM", "Rounds"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.name: tc.value}))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("error %q does not name %s", err, tc.name)
			}
		})
	}
}

func TestHTTPSBaseURLIsSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"ROUNDS_BASE_URL": "https://rounds.example.org/", "ROUNDS_SMTP_URL": "smtp://mail:1025"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Secure() || c.BaseURL.String() != "https://rounds.example.org" || c.SMTPURL.Host != "mail:1025" {
		t.Fatalf("%+v", c)
	}
}

func TestSecretIsMadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	first, err := Load(env(map[string]string{"ROUNDS_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if err := first.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	second, _ := Load(env(map[string]string{"ROUNDS_DATA_DIR": dir}))
	if err := second.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	if len(first.Secret) < 32 || string(first.Secret) != string(second.Secret) {
		t.Fatalf("secrets differ or are short: %q vs %q", first.Secret, second.Secret)
	}
}

func TestOIDCProvidersFromTheEnvironment(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = c.LoadProviders([]string{
		"PATH=/usr/bin",
		"ROUNDS_OIDC_STMARY_ISSUER=https://sso.stmary.example.org/",
		"ROUNDS_OIDC_STMARY_CLIENT_ID=rounds",
		"ROUNDS_OIDC_STMARY_CLIENT_SECRET=s3cret",
		"ROUNDS_OIDC_STMARY_LABEL=St Mary's Hospital",
		"ROUNDS_OIDC_STMARY_TRUSTED=true",
		"ROUNDS_OIDC_LOCAL_ISSUER=http://127.0.0.1:5556",
		"ROUNDS_OIDC_LOCAL_CLIENT_ID=id",
		"ROUNDS_OIDC_LOCAL_CLIENT_SECRET=secret",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.OIDC) != 2 {
		t.Fatalf("providers: %+v", c.OIDC)
	}
	local, stmary := c.OIDC[0], c.OIDC[1]
	if stmary.Name != "stmary" || stmary.Issuer != "https://sso.stmary.example.org" || !stmary.Trusted || stmary.Label != "St Mary's Hospital" {
		t.Fatalf("stmary: %+v", stmary)
	}
	if local.Label != "Local" || local.Trusted {
		t.Fatalf("local: %+v", local)
	}
	for _, tc := range []struct {
		environ []string
		names   string
	}{
		{[]string{"ROUNDS_OIDC_X_ISSUER=http://sso.example.org", "ROUNDS_OIDC_X_CLIENT_ID=a", "ROUNDS_OIDC_X_CLIENT_SECRET=b"}, "ROUNDS_OIDC_X_ISSUER"},
		{[]string{"ROUNDS_OIDC_X_ISSUER=https://sso.example.org"}, "ROUNDS_OIDC_X_CLIENT_ID"},
		{[]string{"ROUNDS_OIDC_X_ISSUER=https://sso.example.org", "ROUNDS_OIDC_X_CLIENT_ID=a", "ROUNDS_OIDC_X_CLIENT_SECRET=b", "ROUNDS_OIDC_X_TRUSTED=maybe"}, "ROUNDS_OIDC_X_TRUSTED"},
		{[]string{"ROUNDS_OIDC_x-y_ISSUER=https://sso.example.org"}, "ROUNDS_OIDC_x-y_ISSUER"},
	} {
		if err := c.LoadProviders(tc.environ); err == nil || !strings.Contains(err.Error(), tc.names) {
			t.Errorf("LoadProviders(%v) = %v, want an error naming %s", tc.environ, err, tc.names)
		}
	}
}

func TestMailFromDefaultsToTheBaseURLHost(t *testing.T) {
	c, err := Load(env(map[string]string{"ROUNDS_BASE_URL": "https://rounds.example.org:8443/forum"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MailFrom != "Rounds <rounds@rounds.example.org>" {
		t.Fatalf("default sender %q", c.MailFrom)
	}
	c, err = Load(env(map[string]string{"ROUNDS_MAIL_FROM": "Rounds Team <team@example.org>"}))
	if err != nil || c.MailFrom != "Rounds Team <team@example.org>" {
		t.Fatalf("sender %v, %v", c, err)
	}
}
