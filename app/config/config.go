// Package config reads Rounds' settings from ROUNDS_* environment variables
// once at start-up and checks them, so a bad value stops the process with a
// message that names the variable instead of failing later.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the server reads from its environment.
type Config struct {
	Addr               string         // ROUNDS_ADDR
	PprofAddr          string         // ROUNDS_PPROF_ADDR; empty (the default) serves no profiles
	BaseURL            *url.URL       // ROUNDS_BASE_URL
	DataDir            string         // ROUNDS_DATA_DIR
	DatabaseURL        string         // ROUNDS_DATABASE_URL; empty means SQLite in DataDir
	Secret             []byte         // ROUNDS_SECRET, or generated into DataDir
	SMTPURL            *url.URL       // ROUNDS_SMTP_URL; nil means .eml files in DataDir
	AdminEmails        []string       // ROUNDS_ADMIN_EMAILS
	VerifyEmailDomains []string       // ROUNDS_VERIFY_EMAIL_DOMAINS
	MailFrom           string         // ROUNDS_MAIL_FROM; default Rounds <rounds@HOST of the base URL>
	LogFormat          string         // ROUNDS_LOG_FORMAT: text or json
	LogLevel           slog.Level     // ROUNDS_LOG_LEVEL
	ShutdownTimeout    time.Duration  // ROUNDS_SHUTDOWN_TIMEOUT
	SessionIdle        time.Duration  // ROUNDS_SESSION_IDLE
	SessionMax         time.Duration  // ROUNDS_SESSION_MAX
	OIDC               []OIDCProvider // ROUNDS_OIDC_<NAME>_*, ROUNDS_GOOGLE_*, ROUNDS_MICROSOFT_*, see LoadProviders
	GitHub             *GitHubApp     // ROUNDS_GITHUB_*, nil when not configured
	// CrossrefURL and EutilsURL are where citation cards for DOIs and
	// PubMed IDs come from: ROUNDS_CROSSREF_URL (default
	// https://api.crossref.org) and ROUNDS_EUTILS_URL (default
	// https://eutils.ncbi.nlm.nih.gov/entrez/eutils), for a mirror or proxy.
	CrossrefURL string
	EutilsURL   string
	// SMTPInboundAddr is where `rounds serve` listens for replies by
	// email (ROUNDS_SMTP_INBOUND_ADDR, such as ":2525"); empty, the
	// default, takes none, and emails carry no reply address.
	SMTPInboundAddr string
	// ReplyDomain is the domain of the reply addresses, whose mail must
	// reach SMTPInboundAddr (ROUNDS_REPLY_DOMAIN, default the base URL's
	// host).
	ReplyDomain string
	// DigestInterval is how often River's leader looks for members whose
	// digest is due (ROUNDS_DIGEST_INTERVAL, default 10m): a digest goes
	// out within this long of its hour.
	DigestInterval time.Duration
	// JobRescueAfter is how long a background job may run before its node
	// is taken for dead and the job run again elsewhere
	// (ROUNDS_JOB_RESCUE_AFTER, default 1h). A digest claimed by a node
	// that died is sent again after half of it (at most 15 minutes).
	JobRescueAfter time.Duration
	// RateLimits are the limits on posting, flagging, signing in, email
	// codes and searching (ROUNDS_RATE_LIMITS, such as "post=8/1m", over
	// DefaultRateLimits), and RateLimitStore where they are counted
	// (ROUNDS_RATE_LIMIT_STORE: memory for one node, database or redis
	// for several; default database on PostgreSQL, memory on SQLite).
	// RedisURL is the Redis server for the redis store (ROUNDS_REDIS_URL).
	RateLimits     RateLimits
	RateLimitStore string
	RedisURL       string
	// ImageCacheSize bounds the images the image proxy keeps on disk under
	// DataDir (ROUNDS_IMAGE_CACHE_SIZE, default 512MB), and ImageCacheExpiry
	// is how long it serves one before fetching it again
	// (ROUNDS_IMAGE_CACHE_EXPIRY, default 168h).
	ImageCacheSize   int64
	ImageCacheExpiry time.Duration
	// BlobURL is where uploaded images' sizes, de-identified DICOM files
	// and staged uploads are kept (ROUNDS_BLOB_URL): empty for the
	// directory "blobs" in DataDir, file:///path for another directory, or
	// s3://ACCESS:SECRET@host[:port]/bucket[/prefix][?region=…&insecure=true
	// &path_style=true] for a bucket that several nodes share; the keys
	// may come from S3AccessKey and S3SecretKey (ROUNDS_S3_ACCESS_KEY,
	// ROUNDS_S3_SECRET_KEY) instead. They stay plain strings here, so
	// that config imports nothing of Rounds: blob.ParseLocation reads
	// them when Wire opens the blob store, and a bad one stops the start.
	BlobURL     string
	S3AccessKey string
	S3SecretKey string
	// Uploads bounds one uploaded image: ImageMaxBytes its size
	// (ROUNDS_IMAGE_MAX_BYTES, default 20MB), ImageMaxPixels its width ×
	// height read from its header before decoding (ROUNDS_IMAGE_MAX_PIXELS,
	// default 50MP), and ImageMemory the decoded pixels all uploads hold at
	// once (ROUNDS_IMAGE_MEMORY, default 512MB).
	ImageMaxBytes  int64
	ImageMaxPixels int64
	ImageMemory    int64
	// MemoryLimit is the soft limit on the memory Go manages for a running
	// node (ROUNDS_MEMORY_LIMIT, default 128MB; "off" for none), which
	// `rounds serve` gives the runtime (runtime/debug.SetMemoryLimit): the
	// garbage collector runs more often as the heap nears it, rather than
	// letting a burst of requests' garbage grow the process to several times
	// what it keeps. It is soft: what requests hold alive (decoding uploads,
	// see ImageMemory) may go past it, at the price of more collection. It
	// leaves out what SQLite keeps outside Go's heap (its page caches) and
	// the mapped files of the search index. GOMEMLIMIT, when set, decides
	// instead. Zero means no limit.
	MemoryLimit int64
	// Tesseract is the OCR command that reads text shown in images
	// (ROUNDS_TESSERACT, default "tesseract", looked up in PATH; "off"
	// turns the check off). When it is not installed, text in images is
	// reported as not checked.
	Tesseract string
	// TrustedProxies are the reverse proxies (ROUNDS_TRUSTED_PROXIES,
	// addresses or CIDR ranges) whose X-Forwarded-For is believed, so
	// limits per address count the visitor's address, not the proxy's.
	TrustedProxies []netip.Prefix
	// AnonymityK is how many verified readers of a board must share what
	// an anonymous post's label says of its author: their specialty, else
	// their field, else their profession, else nothing
	// (ROUNDS_ANONYMITY_K, default 10).
	AnonymityK int
}

// DefaultAnonymityK is ROUNDS_ANONYMITY_K when unset: the store's own
// default, models.DefaultAnonymityK, which config does not import.
const DefaultAnonymityK = 10

// maxAnonymityK bounds ROUNDS_ANONYMITY_K: past it, every label on any
// site of clinicians would say "Anonymous clinician".
const maxAnonymityK = 10000

// Error names the variable that holds a bad value.
type Error struct {
	Var     string
	Problem string
}

func (e *Error) Error() string { return e.Var + ": " + e.Problem }

// Load reads the environment through getenv (os.Getenv in production) and
// validates every value, reporting all problems at once.
func Load(getenv func(string) string) (*Config, error) {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, &Error{Var: name, Problem: fmt.Sprintf(format, args...)})
	}
	get := func(name, fallback string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return fallback
	}
	duration := func(name string, fallback time.Duration) time.Duration {
		raw := get(name, "")
		if raw == "" {
			return fallback
		}
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			bad(name, "%q is not a positive duration such as 30s, 12h or 720h", raw)
			return fallback
		}
		return d
	}

	c := &Config{
		Addr:            get("ROUNDS_ADDR", ":8080"),
		PprofAddr:       get("ROUNDS_PPROF_ADDR", ""),
		DataDir:         get("ROUNDS_DATA_DIR", "./data"),
		DatabaseURL:     get("ROUNDS_DATABASE_URL", ""),
		LogFormat:       get("ROUNDS_LOG_FORMAT", "text"),
		ShutdownTimeout: duration("ROUNDS_SHUTDOWN_TIMEOUT", 20*time.Second),
		SessionIdle:     duration("ROUNDS_SESSION_IDLE", 7*24*time.Hour),
		SessionMax:      duration("ROUNDS_SESSION_MAX", 30*24*time.Hour),
		DigestInterval:  duration("ROUNDS_DIGEST_INTERVAL", 10*time.Minute),
		JobRescueAfter:  duration("ROUNDS_JOB_RESCUE_AFTER", time.Hour),

		ImageCacheExpiry: duration("ROUNDS_IMAGE_CACHE_EXPIRY", 7*24*time.Hour),
	}
	if size, err := parseSize(get("ROUNDS_IMAGE_CACHE_SIZE", "512MB")); err != nil {
		bad("ROUNDS_IMAGE_CACHE_SIZE", "%v", err)
	} else {
		c.ImageCacheSize = size
	}

	c.BlobURL, c.S3AccessKey, c.S3SecretKey = get("ROUNDS_BLOB_URL", ""), get("ROUNDS_S3_ACCESS_KEY", ""), get("ROUNDS_S3_SECRET_KEY", "")
	if size, err := parseSize(get("ROUNDS_IMAGE_MAX_BYTES", "20MB")); err != nil {
		bad("ROUNDS_IMAGE_MAX_BYTES", "%v", err)
	} else {
		c.ImageMaxBytes = size
	}
	if size, err := parseSize(get("ROUNDS_IMAGE_MEMORY", "512MB")); err != nil {
		bad("ROUNDS_IMAGE_MEMORY", "%v", err)
	} else {
		c.ImageMemory = size
	}
	if raw := get("ROUNDS_MEMORY_LIMIT", DefaultMemoryLimit); !strings.EqualFold(strings.TrimSpace(raw), "off") {
		if size, err := parseSize(raw); err != nil || size < minMemoryLimit {
			bad("ROUNDS_MEMORY_LIMIT", "%q is not a size of at least 64MB such as 200MB or 1GB, or off", raw)
		} else {
			c.MemoryLimit = size
		}
	}
	if n, err := parseMegapixels(get("ROUNDS_IMAGE_MAX_PIXELS", "50MP")); err != nil {
		bad("ROUNDS_IMAGE_MAX_PIXELS", "%v", err)
	} else {
		c.ImageMaxPixels = n
	}
	c.Tesseract = get("ROUNDS_TESSERACT", "tesseract")

	c.AnonymityK = DefaultAnonymityK
	if raw := get("ROUNDS_ANONYMITY_K", ""); raw != "" {
		if k, err := strconv.Atoi(raw); err != nil || k < 1 || k > maxAnonymityK {
			bad("ROUNDS_ANONYMITY_K", "%q is not a whole number from 1 to %d (how many readers of a board must share what an anonymous label says)", raw, maxAnonymityK)
		} else {
			c.AnonymityK = k
		}
	}

	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("ROUNDS_ADDR", "%q is not host:port (for example :8080 or 127.0.0.1:8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("ROUNDS_ADDR", "%q has no valid port", c.Addr)
	}

	// Profiles show what the server holds in memory: never beyond the
	// machine itself.
	if c.PprofAddr != "" && !loopbackAddr(c.PprofAddr) {
		bad("ROUNDS_PPROF_ADDR", "%q is not a loopback host:port (such as 127.0.0.1:6060); profiles are never served beyond this machine", c.PprofAddr)
	}

	base := get("ROUNDS_BASE_URL", "")
	if base == "" {
		base = "http://localhost" + portSuffix(c.Addr)
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("ROUNDS_BASE_URL", "%q is not an absolute http(s) URL such as https://rounds.example.org", base)
	} else if u.RawQuery != "" || u.Fragment != "" {
		bad("ROUNDS_BASE_URL", "%q must not have a query or fragment", base)
	} else {
		u.Path = strings.TrimRight(u.Path, "/")
		c.BaseURL = u
	}

	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		switch {
		case err != nil:
			bad("ROUNDS_DATABASE_URL", "cannot be parsed as a URL")
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			bad("ROUNDS_DATABASE_URL", "scheme %q is not supported: use postgres://user:password@host:5432/dbname, or leave it empty for SQLite in ROUNDS_DATA_DIR", u.Scheme)
		case u.Host == "":
			bad("ROUNDS_DATABASE_URL", "has no host")
		}
	}

	if raw := get("ROUNDS_SMTP_URL", ""); raw != "" {
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			bad("ROUNDS_SMTP_URL", "cannot be parsed as a URL")
		case u.Scheme != "smtp" && u.Scheme != "smtps" && u.Scheme != "smtp+starttls":
			bad("ROUNDS_SMTP_URL", "scheme %q is not supported: use smtp://, smtp+starttls:// or smtps://", u.Scheme)
		case u.Hostname() == "":
			bad("ROUNDS_SMTP_URL", "has no host")
		default:
			c.SMTPURL = u
		}
	}

	if c.SMTPInboundAddr = get("ROUNDS_SMTP_INBOUND_ADDR", ""); c.SMTPInboundAddr != "" {
		if _, port, err := net.SplitHostPort(c.SMTPInboundAddr); err != nil || port == "" {
			bad("ROUNDS_SMTP_INBOUND_ADDR", "%q is not an address to listen on such as :2525 or 0.0.0.0:25", c.SMTPInboundAddr)
		}
	}
	if c.BaseURL != nil {
		c.ReplyDomain = strings.ToLower(get("ROUNDS_REPLY_DOMAIN", c.BaseURL.Hostname()))
		if strings.ContainsAny(c.ReplyDomain, "@/ <>") || c.ReplyDomain == "" {
			bad("ROUNDS_REPLY_DOMAIN", "%q is not a mail domain such as rounds.example.org", c.ReplyDomain)
		}
	}

	c.CrossrefURL = serviceURL(get, bad, "ROUNDS_CROSSREF_URL", "https://api.crossref.org")
	c.EutilsURL = serviceURL(get, bad, "ROUNDS_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")

	if rules, err := ParseRateLimits(get("ROUNDS_RATE_LIMITS", "")); err != nil {
		bad("ROUNDS_RATE_LIMITS", "%v", err)
	} else {
		c.RateLimits = rules
	}
	c.RateLimitStore = get("ROUNDS_RATE_LIMIT_STORE", "memory")
	if c.DatabaseURL != "" {
		c.RateLimitStore = get("ROUNDS_RATE_LIMIT_STORE", "database")
	}
	c.RedisURL = get("ROUNDS_REDIS_URL", "")
	switch c.RateLimitStore {
	case "memory", "database":
	case "redis":
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			bad("ROUNDS_REDIS_URL", "the redis rate limit store needs a Redis address such as redis://127.0.0.1:6379/0 (got %q)", c.RedisURL)
		}
	default:
		bad("ROUNDS_RATE_LIMIT_STORE", "%q is not memory (one node), database or redis (several nodes)", c.RateLimitStore)
	}
	for _, raw := range strings.Split(get("ROUNDS_TRUSTED_PROXIES", ""), ",") {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(raw)
		if err != nil {
			addr, addrErr := netip.ParseAddr(raw)
			if addrErr != nil {
				bad("ROUNDS_TRUSTED_PROXIES", "%q is not an address or CIDR range such as 10.0.0.0/8", raw)
				continue
			}
			prefix = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}

	switch c.LogFormat {
	case "text", "json":
	default:
		bad("ROUNDS_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}
	if raw := get("ROUNDS_LOG_LEVEL", "info"); c.LogLevel.UnmarshalText([]byte(raw)) != nil {
		bad("ROUNDS_LOG_LEVEL", "%q is not debug, info, warn or error", raw)
	}

	c.AdminEmails = list(get("ROUNDS_ADMIN_EMAILS", ""))
	for _, e := range c.AdminEmails {
		if at := strings.LastIndexByte(e, '@'); at < 1 || at == len(e)-1 {
			bad("ROUNDS_ADMIN_EMAILS", "%q is not an email address", e)
		}
	}
	c.VerifyEmailDomains = list(get("ROUNDS_VERIFY_EMAIL_DOMAINS", ""))
	for _, d := range c.VerifyEmailDomains {
		if strings.ContainsAny(d, "@/ ") || !strings.Contains(d, ".") {
			bad("ROUNDS_VERIFY_EMAIL_DOMAINS", "%q is not a domain such as hospital.org", d)
		}
	}

	if c.BaseURL != nil {
		c.MailFrom = get("ROUNDS_MAIL_FROM", "Rounds <rounds@"+c.BaseURL.Hostname()+">")
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			bad("ROUNDS_MAIL_FROM", "%q is not an address such as Rounds <rounds@example.org>", c.MailFrom)
		}
	}

	if c.SessionIdle > c.SessionMax {
		bad("ROUNDS_SESSION_IDLE", "%s is longer than ROUNDS_SESSION_MAX (%s)", c.SessionIdle, c.SessionMax)
	}

	if secret := getenv("ROUNDS_SECRET"); secret != "" {
		if len(secret) < 32 {
			bad("ROUNDS_SECRET", "is %d characters; use at least 32 random characters (for example: openssl rand -hex 32)", len(secret))
		}
		c.Secret = []byte(secret)
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// DefaultMemoryLimit is ROUNDS_MEMORY_LIMIT's default. A node keeps about
// 45 MB of its heap alive under load at a million posts; with GOGC at 400
// the limit, not GOGC, says when the collector runs, and Go held the whole
// limit: at 200MB a node was 346–350 MiB after the load (Go's 190, SQLite's
// page cache buffer of 36 and its other memory, the program's code and the
// search index's mapped pages, 116), past the 300 MB it should stay under.
// At 128MB it was 274–282 MiB, the collector running 1.5–2 times as often;
// measured beside other work, Latest's CPU a request rose in every pair and
// search's in most, by perhaps 5–20 % (docs/performance.md).
const DefaultMemoryLimit = "128MB"

// minMemoryLimit is the least ROUNDS_MEMORY_LIMIT takes: below it the
// collector would run almost without pause on a node's ordinary heap.
const minMemoryLimit = 64 << 20

// parseSize reads a size such as 512MB or 2GB (units of 1024), at least
// one megabyte.
func parseSize(raw string) (int64, error) {
	units := []struct {
		suffix string
		bytes  int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}}
	upper := strings.ToUpper(strings.TrimSpace(raw))
	for _, u := range units {
		if number, ok := strings.CutSuffix(upper, u.suffix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64)
			if err != nil || n < 1 || n > 1<<40/u.bytes {
				break
			}
			return n * u.bytes, nil
		}
	}
	return 0, fmt.Errorf("%q is not a size such as 512MB or 2GB", raw)
}

// parseMegapixels reads a pixel count such as 50MP, between 1 and 500
// megapixels.
func parseMegapixels(raw string) (int64, error) {
	number, ok := strings.CutSuffix(strings.ToUpper(strings.TrimSpace(raw)), "MP")
	n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64)
	if !ok || err != nil || n < 1 || n > 500 {
		return 0, fmt.Errorf("%q is not a number of megapixels such as 50MP (1 to 500)", raw)
	}
	return n * 1_000_000, nil
}

// Secure says whether the site is served over TLS, which decides cookie
// names and flags and HSTS.
func (c *Config) Secure() bool { return c.BaseURL.Scheme == "https" }

// DemoEmailDomain is the work-email domain `rounds demo` accepts as
// evidence when ROUNDS_VERIFY_EMAIL_DOMAINS is not set, so that an
// applicant to the demo can verify by email code. Addresses under
// .example.org reach no one, and the demo writes its mail to files.
const DemoEmailDomain = "stmary.example.org"

// UseDemoDefaults gives `rounds demo` what it needs that the operator did
// not set: a work-email domain.
func (c *Config) UseDemoDefaults() {
	if len(c.VerifyEmailDomains) == 0 {
		c.VerifyEmailDomains = []string{DemoEmailDomain}
	}
}

// EnsureSecret loads the secret from DataDir, creating it there on first
// start, unless ROUNDS_SECRET supplied one.
func (c *Config) EnsureSecret() error {
	if len(c.Secret) > 0 {
		return nil
	}
	path := filepath.Join(c.DataDir, "secret")
	raw, err := os.ReadFile(path)
	if err == nil {
		secret := strings.TrimSpace(string(raw))
		if len(secret) < 32 {
			return fmt.Errorf("%s is too short to be a secret; delete it to have a new one made, or set ROUNDS_SECRET", path)
		}
		c.Secret = []byte(secret)
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read secret: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data directory %s: %w", c.DataDir, err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("generate secret: %w", err)
	}
	secret := hex.EncodeToString(b[:])
	// O_EXCL so two processes starting together cannot each write their own.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return c.EnsureSecret()
	}
	if err != nil {
		return fmt.Errorf("create secret: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		_ = f.Close() // the write error is the one to report
		return fmt.Errorf("write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write secret: %w", err)
	}
	c.Secret = []byte(secret)
	return nil
}

func portSuffix(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "80" {
		return ""
	}
	return ":" + port
}

func list(raw string) []string {
	var out []string
	for _, item := range strings.Split(raw, ",") {
		if item = strings.ToLower(strings.TrimSpace(item)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// serviceURL reads the base URL of an outside service Rounds calls, such as
// Crossref: an absolute http(s) URL without query or fragment, with no
// trailing slash.
func serviceURL(get func(string, string) string, bad func(string, string, ...any), name, fallback string) string {
	raw := get(name, fallback)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad(name, "%q is not an absolute http(s) URL without a query, such as %s", raw, fallback)
		return ""
	}
	return strings.TrimRight(raw, "/")
}

// loopbackAddr says whether addr is host:port with a loopback IP host
// (localhost, which a resolver could point elsewhere, is not taken).
func loopbackAddr(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
