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
