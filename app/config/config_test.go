package config

import (
	"go/build"
	"slices"
	"strings"
	"testing"
	"time"

	"rounds/models"
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
	if c.AnonymityK != 10 {
		t.Fatalf("default anonymity k %d, want 10", c.AnonymityK)
	}
	if c.PprofAddr != "" {
		t.Fatalf("profiles served by default on %q", c.PprofAddr)
	}
	for _, addr := range []string{"127.0.0.1:6060", "[::1]:6060"} {
		if c, err := Load(env(map[string]string{"ROUNDS_PPROF_ADDR": addr})); err != nil || c.PprofAddr != addr {
			t.Fatalf("ROUNDS_PPROF_ADDR=%s: %v, %v", addr, c, err)
		}
	}
	if c, err := Load(env(map[string]string{"ROUNDS_ANONYMITY_K": "25"})); err != nil || c.AnonymityK != 25 {
		t.Fatalf("ROUNDS_ANONYMITY_K=25: %v, %v", c, err)
	}
}

func TestBadValuesNameTheirVariable(t *testing.T) {
	for _, tc := range []struct {
		name, value string
	}{
		{"ROUNDS_ADDR", "8080"},
		{"ROUNDS_PPROF_ADDR", ":6060"},
		{"ROUNDS_PPROF_ADDR", "0.0.0.0:6060"},
		{"ROUNDS_PPROF_ADDR", "localhost:6060"},
		{"ROUNDS_PPROF_ADDR", "10.0.0.5:6060"},
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
		{"ROUNDS_SMTP_INBOUND_ADDR", "2525"},
		{"ROUNDS_SMTP_INBOUND_ADDR", "mail.example.org"},
		{"ROUNDS_REPLY_DOMAIN", "reply@rounds.example.org"},
		{"ROUNDS_CROSSREF_URL", "api.crossref.org"},
		{"ROUNDS_EUTILS_URL", "https://eutils.example.org/?db=pubmed"},
		{"ROUNDS_RATE_LIMITS", "post=fast"},
		{"ROUNDS_RATE_LIMIT_STORE", "memcached"},
		{"ROUNDS_TRUSTED_PROXIES", "proxy.internal"},
		{"ROUNDS_ANONYMITY_K", "0"},
		{"ROUNDS_ANONYMITY_K", "ten"},
		{"ROUNDS_ANONYMITY_K", "10001"},
		{"ROUNDS_IMAGE_CACHE_SIZE", "lots"},
		{"ROUNDS_IMAGE_CACHE_SIZE", "512"},
		{"ROUNDS_IMAGE_CACHE_SIZE", "0MB"},
		{"ROUNDS_IMAGE_CACHE_EXPIRY", "7d"},
		{"ROUNDS_IMAGE_MAX_BYTES", "20"},
		{"ROUNDS_IMAGE_MAX_PIXELS", "50"},
		{"ROUNDS_IMAGE_MAX_PIXELS", "0MP"},
		{"ROUNDS_IMAGE_MEMORY", "lots"},
		{"ROUNDS_MEMORY_LIMIT", "200"},
		{"ROUNDS_MEMORY_LIMIT", "32MB"},
		{"ROUNDS_MEMORY_LIMIT", "none"},
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

func TestImageCacheSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ImageCacheSize != 512<<20 || c.ImageCacheExpiry.Hours() != 168 {
		t.Fatalf("image cache defaults: %d bytes, %s", c.ImageCacheSize, c.ImageCacheExpiry)
	}
	for value, want := range map[string]int64{"2GB": 2 << 30, "64mb": 64 << 20, " 1 MB ": 1 << 20} {
		c, err := Load(env(map[string]string{"ROUNDS_IMAGE_CACHE_SIZE": value}))
		if err != nil || c.ImageCacheSize != want {
			t.Errorf("ROUNDS_IMAGE_CACHE_SIZE=%q: %v, %v; want %d", value, c, err, want)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	for value, want := range map[string]int64{"": 128 << 20, "1GB": 1 << 30, "64MB": 64 << 20, " 512mb ": 512 << 20, "off": 0, "OFF": 0} {
		vars := map[string]string{}
		if value != "" {
			vars["ROUNDS_MEMORY_LIMIT"] = value
		}
		c, err := Load(env(vars))
		if err != nil {
			t.Errorf("ROUNDS_MEMORY_LIMIT=%q: %v", value, err)
			continue
		}
		if c.MemoryLimit != want {
			t.Errorf("ROUNDS_MEMORY_LIMIT=%q: limit %d, want %d", value, c.MemoryLimit, want)
		}
	}
}

func TestImageUploadSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"ROUNDS_DATA_DIR": "/srv/rounds"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.BlobURL != "" {
		t.Errorf("default blob URL %q, want empty (the data directory)", c.BlobURL)
	}
	if c.ImageMaxBytes != 20<<20 || c.ImageMaxPixels != 50_000_000 || c.ImageMemory != 512<<20 || c.Tesseract != "tesseract" {
		t.Errorf("upload defaults: %d bytes, %d pixels, %d memory, %q", c.ImageMaxBytes, c.ImageMaxPixels, c.ImageMemory, c.Tesseract)
	}
	c, err = Load(env(map[string]string{
		"ROUNDS_BLOB_URL":      "s3://objects.internal:9000/rounds-images?path_style=true",
		"ROUNDS_S3_ACCESS_KEY": "rounds", "ROUNDS_S3_SECRET_KEY": "s3cret-s3cret",
		"ROUNDS_IMAGE_MAX_PIXELS": "24MP", "ROUNDS_IMAGE_MAX_BYTES": "8MB",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.BlobURL != "s3://objects.internal:9000/rounds-images?path_style=true" || c.S3AccessKey != "rounds" || c.S3SecretKey != "s3cret-s3cret" {
		t.Errorf("s3 blob store: %q, keys %q and %q", c.BlobURL, c.S3AccessKey, c.S3SecretKey)
	}
	if c.ImageMaxPixels != 24_000_000 || c.ImageMaxBytes != 8<<20 {
		t.Errorf("limits: %d pixels, %d bytes", c.ImageMaxPixels, c.ImageMaxBytes)
	}
}

func TestRedisStoreNeedsAnAddress(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1:6379", "http://127.0.0.1:6379"} {
		_, err := Load(env(map[string]string{"ROUNDS_RATE_LIMIT_STORE": "redis", "ROUNDS_REDIS_URL": addr}))
		if err == nil || !strings.Contains(err.Error(), "ROUNDS_REDIS_URL") {
			t.Errorf("redis store with address %q: %v, want an error naming ROUNDS_REDIS_URL", addr, err)
		}
	}
	c, err := Load(env(map[string]string{"ROUNDS_RATE_LIMIT_STORE": "redis", "ROUNDS_REDIS_URL": "redis://cache:6379/2"}))
	if err != nil || c.RateLimitStore != "redis" || c.RedisURL != "redis://cache:6379/2" {
		t.Fatalf("%+v, %v", c, err)
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

func TestReplyByEmailSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"ROUNDS_BASE_URL": "https://Rounds.Example.org/forum"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPInboundAddr != "" || c.ReplyDomain != "rounds.example.org" {
		t.Fatalf("defaults: listen on %q, reply domain %q", c.SMTPInboundAddr, c.ReplyDomain)
	}
	c, err = Load(env(map[string]string{"ROUNDS_SMTP_INBOUND_ADDR": ":2525", "ROUNDS_REPLY_DOMAIN": "reply.example.org"}))
	if err != nil || c.SMTPInboundAddr != ":2525" || c.ReplyDomain != "reply.example.org" {
		t.Fatalf("set: %+v, %v", c, err)
	}
}

func TestNamedProvidersFromTheEnvironment(t *testing.T) {
	const tenant = "72F988BF-86F1-41AF-91AB-2D7CD011DB47"
	c := &Config{}
	err := c.LoadProviders([]string{
		"ROUNDS_OIDC_STMARY_ISSUER=https://sso.stmary.example.org",
		"ROUNDS_OIDC_STMARY_CLIENT_ID=rounds",
		"ROUNDS_OIDC_STMARY_CLIENT_SECRET=s3cret",
		"ROUNDS_GOOGLE_CLIENT_ID=g-id",
		"ROUNDS_GOOGLE_CLIENT_SECRET=g-secret",
		"ROUNDS_MICROSOFT_TENANT=" + tenant,
		"ROUNDS_MICROSOFT_CLIENT_ID=m-id",
		"ROUNDS_MICROSOFT_CLIENT_SECRET=m-secret",
		"ROUNDS_MICROSOFT_TRUSTED=true",
		"ROUNDS_GITHUB_CLIENT_ID=gh-id",
		"ROUNDS_GITHUB_CLIENT_SECRET=gh-secret",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.OIDC) != 3 || c.OIDC[0].Name != "stmary" {
		t.Fatalf("providers: %+v", c.OIDC)
	}
	google, microsoft := c.OIDC[1], c.OIDC[2]
	if google != (OIDCProvider{Name: "google", Label: "Google", Issuer: "https://accounts.google.com", ClientID: "g-id", ClientSecret: "g-secret"}) {
		t.Fatalf("google: %+v", google)
	}
	if microsoft != (OIDCProvider{Name: "microsoft", Label: "Microsoft", Issuer: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		ClientID: "m-id", ClientSecret: "m-secret", Trusted: true}) {
		t.Fatalf("microsoft: %+v", microsoft)
	}
	if c.GitHub == nil || *c.GitHub != (GitHubApp{ClientID: "gh-id", ClientSecret: "gh-secret"}) {
		t.Fatalf("github: %+v", c.GitHub)
	}

	if err := c.LoadProviders(nil); err != nil || c.OIDC != nil || c.GitHub != nil {
		t.Fatalf("nothing configured: %+v, %+v, %v", c.OIDC, c.GitHub, err)
	}

	ms := func(tenant string, more ...string) []string {
		return append([]string{"ROUNDS_MICROSOFT_TENANT=" + tenant, "ROUNDS_MICROSOFT_CLIENT_ID=a", "ROUNDS_MICROSOFT_CLIENT_SECRET=b"}, more...)
	}
	for _, tc := range []struct {
		environ []string
		names   string
	}{
		{[]string{"ROUNDS_GOOGLE_CLIENT_ID=a"}, "ROUNDS_GOOGLE_CLIENT_SECRET"},
		{[]string{"ROUNDS_GOOGLE_CLIENT_SECRET=b"}, "ROUNDS_GOOGLE_CLIENT_ID"},
		{[]string{"ROUNDS_GITHUB_CLIENT_ID=a"}, "ROUNDS_GITHUB_CLIENT_SECRET"},
		{[]string{"ROUNDS_GITHUB_CLIENT_SECRET=b"}, "ROUNDS_GITHUB_CLIENT_ID"},
		{[]string{"ROUNDS_MICROSOFT_CLIENT_ID=a", "ROUNDS_MICROSOFT_CLIENT_SECRET=b"}, "ROUNDS_MICROSOFT_TENANT"},
		{ms("common"), "ROUNDS_MICROSOFT_TENANT"},
		{ms("organizations"), "ROUNDS_MICROSOFT_TENANT"},
		{ms("Consumers"), "ROUNDS_MICROSOFT_TENANT"},
		{ms("hospital.org"), "ROUNDS_MICROSOFT_TENANT"},
		{ms("72f988bf86f141af91ab2d7cd011db47"), "ROUNDS_MICROSOFT_TENANT"},
		{ms(tenant, "ROUNDS_MICROSOFT_TRUSTED=maybe"), "ROUNDS_MICROSOFT_TRUSTED"},
		{[]string{"ROUNDS_MICROSOFT_TENANT=" + tenant}, "ROUNDS_MICROSOFT_CLIENT_ID"},
		{[]string{"ROUNDS_MICROSOFT_TRUSTED=true"}, "ROUNDS_MICROSOFT_TRUSTED"},
		{[]string{"ROUNDS_MICROSOFT_TENANT=" + tenant, "ROUNDS_MICROSOFT_CLIENT_ID=a"}, "ROUNDS_MICROSOFT_CLIENT_SECRET"},
		{[]string{"ROUNDS_OIDC_GOOGLE_ISSUER=https://accounts.google.com", "ROUNDS_OIDC_GOOGLE_CLIENT_ID=a", "ROUNDS_OIDC_GOOGLE_CLIENT_SECRET=b"}, "ROUNDS_OIDC_GOOGLE_ISSUER"},
		{[]string{"ROUNDS_OIDC_GITHUB_ISSUER=https://github.example.org", "ROUNDS_OIDC_GITHUB_CLIENT_ID=a", "ROUNDS_OIDC_GITHUB_CLIENT_SECRET=b"}, "ROUNDS_OIDC_GITHUB_ISSUER"},
		{[]string{"ROUNDS_OIDC_MICROSOFT_ISSUER=https://login.example.org", "ROUNDS_OIDC_MICROSOFT_CLIENT_ID=a", "ROUNDS_OIDC_MICROSOFT_CLIENT_SECRET=b"}, "ROUNDS_OIDC_MICROSOFT_ISSUER"},
	} {
		c := &Config{}
		if err := c.LoadProviders(tc.environ); err == nil || !strings.Contains(err.Error(), tc.names) {
			t.Errorf("LoadProviders(%v) = %v, want an error naming %s", tc.environ, err, tc.names)
		}
	}
}

// The demo accepts its own work-email domain unless the operator chose
// theirs.
func TestDemoDefaultsGiveAWorkEmailDomain(t *testing.T) {
	for _, tc := range []struct {
		set  string
		want []string
	}{
		{"", []string{DemoEmailDomain}},
		{"hospital.org, clinic.example", []string{"hospital.org", "clinic.example"}},
	} {
		c, err := Load(env(map[string]string{"ROUNDS_VERIFY_EMAIL_DOMAINS": tc.set}))
		if err != nil {
			t.Fatal(err)
		}
		if tc.set == "" && len(c.VerifyEmailDomains) != 0 {
			t.Fatalf("outside the demo no domain is accepted by default, got %v", c.VerifyEmailDomains)
		}
		c.UseDemoDefaults()
		if !slices.Equal(c.VerifyEmailDomains, tc.want) {
			t.Errorf("%q gives %v in the demo, want %v", tc.set, c.VerifyEmailDomains, tc.want)
		}
	}
}

func TestParseRateLimits(t *testing.T) {
	r, err := ParseRateLimits("post=3/30s, search=100/1m")
	if err != nil {
		t.Fatal(err)
	}
	if r["post"] != (RateLimit{"post", 3, 30 * time.Second}) || r["search"].Limit != 100 || r["flag"] != DefaultRateLimits()["flag"] {
		t.Fatalf("%v", r)
	}
	if got := DefaultRateLimits().String(); !strings.Contains(got, "post=8/1m") || !strings.Contains(got, "flag=20/1h") {
		t.Fatalf("DefaultRateLimits() = %s", got)
	}
	for _, bad := range []string{"posts=3/1m", "post=3", "post=0/1m", "post=x/1m", "post=3/forever", "post=3/1ms"} {
		if _, err := ParseRateLimits(bad); err == nil {
			t.Errorf("ParseRateLimits(%q) accepted", bad)
		}
	}
}

// Config holds its own default for ROUNDS_ANONYMITY_K so as to import
// nothing of Rounds'; it must be the store's.
func TestDefaultAnonymityKIsTheStores(t *testing.T) {
	if DefaultAnonymityK != models.DefaultAnonymityK {
		t.Fatalf("config's default k is %d, the store's %d", DefaultAnonymityK, models.DefaultAnonymityK)
	}
}

// TestImportsNothingOfRounds keeps config a leaf: every package may read
// the configuration, so config importing one of them would sooner or later
// make a cycle. Values that another package parses (ROUNDS_BLOB_URL) stay
// plain strings here.
func TestImportsNothingOfRounds(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.GoFiles) == 0 {
		t.Fatal("no Go files found in the config package")
	}
	for _, path := range pkg.Imports {
		if path == "rounds" || strings.HasPrefix(path, "rounds/") {
			t.Errorf("config imports %s; it must import nothing of Rounds", path)
		}
	}
}
