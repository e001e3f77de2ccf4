// Package fetch is the one way Rounds makes outbound HTTP requests: link
// previews, podcast feeds, Crossref and PubMed. Addresses come from members,
// so every request is treated as hostile: the host is resolved and checked
// against private and reserved ranges before connecting, only the checked
// address is dialled, every redirect hop is checked again, and time, size and
// content type are bounded. Failures are *Error values whose Msg can be shown
// to the member who pasted the link.
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Options configures a Fetcher. The zero value gives the defaults.
type Options struct {
	UserAgent     string        // default "Rounds (+https://github.com/rounds)"; callers pass "Rounds/<version> (+<base URL>)"
	Timeout       time.Duration // whole request including redirects and body; default 10s
	MaxBytes      int64         // body limit after decompression; default 2 MiB; a larger body is an error, never truncated
	MaxRedirects  int           // default 5; negative follows none
	AllowLoopback bool          // TEST ONLY: lets tests reach httptest servers on 127.0.0.1 and ::1; nothing else is opened by it
	Resolver      Resolver      // default net.DefaultResolver
	// Local answers requests for exactly these addresses from memory,
	// never over the network: `rounds demo` serves its own podcast on
	// the site, whose address is often loopback, and reads it as any
	// shared feed is read. Nothing else is answered from it.
	Local map[string]LocalResource
}

// LocalResource is a resource a Fetcher answers from memory: its body is
// made when first fetched, and Size says its length before that.
type LocalResource struct {
	ContentType string
	Size        int64
	Body        func() []byte
}

// Resolver looks up a host name; *net.Resolver satisfies it, and tests pass
// fakes that answer with special addresses.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

const (
	defaultUserAgent    = "Rounds (+https://github.com/rounds)"
	defaultTimeout      = 10 * time.Second
	defaultMaxBytes     = 2 << 20
	defaultMaxRedirects = 5
)

// Fetcher is safe for concurrent use; keep one per set of Options so
// connections are reused.
type Fetcher struct {
	opts      Options
	client    *http.Client
	transport *http.Transport
	// dial connects to an already checked IP:port. Tests replace it to see
	// which addresses would be, or were, connected to.
	dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// New returns a Fetcher with o's zero fields set to their defaults.
func New(o Options) *Fetcher {
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = defaultMaxBytes
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = defaultMaxRedirects
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	f := &Fetcher{opts: o}
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	f.dial = dialer.DialContext
	f.transport = &http.Transport{
		Proxy: nil, // a proxy would do its own DNS and defeat the address check
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			return f.dialVetted(ctx, network, address)
		},
		// ServerName is left empty so the transport fills in the URL's host
		// name: certificates are verified against the name, not the IP dialled.
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   o.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	f.client = &http.Client{
		Transport:     f.transport,
		CheckRedirect: f.checkRedirect,
		// No Jar: cookies from one site are never kept or sent to another.
	}
	return f
}

// WithMaxBytes is the same fetcher, sharing its connections, with another
// body limit, for a caller that reads larger or smaller things than most.
func (f *Fetcher) WithMaxBytes(n int64) *Fetcher {
	g := *f
	g.opts.MaxBytes = n
	return &g
}

// Response is a fully read, successful (2xx) response.
type Response struct {
	URL         *url.URL // final URL after redirects
	Status      int
	ContentType string // media type only, lower-case, e.g. "text/html"
	Header      http.Header
	Body        []byte
}

// Get fetches rawURL (http or https only). accept lists the media types the
// caller can use ("text/html", "application/rss+xml", "audio/*" wildcards
// allowed); empty accepts any. It sends them in the Accept header too.
func (f *Fetcher) Get(ctx context.Context, rawURL string, accept ...string) (*Response, error) {
	return f.get(ctx, rawURL, Validators{}, accept)
}

// local answers a request from a LocalResource, with the checks of a
// response from the network: its type and its size.
func (f *Fetcher) local(u *url.URL, r LocalResource, accept []string) (*Response, error) {
	mediaType, err := checkMediaType(r.ContentType, accept)
	if err != nil {
		return nil, &Error{Kind: KindContentType, URL: u.Redacted(), Msg: msgContentType, Err: err}
	}
	if r.Size > f.opts.MaxBytes {
		return nil, &Error{Kind: KindTooLarge, URL: u.Redacted(), Msg: msgTooLarge, ContentType: mediaType,
			Err: fmt.Errorf("body exceeds %d bytes", f.opts.MaxBytes)}
	}
	header := http.Header{}
	header.Set("Content-Type", r.ContentType)
	return &Response{URL: u, Status: http.StatusOK, ContentType: mediaType, Header: header, Body: r.Body()}, nil
}

// Validators are what a caller kept from its last copy of a resource, for
// a conditional request: the ETag and Last-Modified headers it was sent.
type Validators struct {
	ETag         string
	LastModified string
}

// Validators of a response, to send with the next request for it.
func (r *Response) Validators() Validators {
	return Validators{ETag: r.Header.Get("ETag"), LastModified: r.Header.Get("Last-Modified")}
}

// GetIfChanged is Get with If-None-Match and If-Modified-Since sent from
// v. When the site answers 304 Not Modified, the Response has Status 304,
// no body and the same URL; every other answer is as Get's. Only these two
// headers can be added: a caller cannot set anything else on the request.
func (f *Fetcher) GetIfChanged(ctx context.Context, rawURL string, v Validators, accept ...string) (*Response, error) {
	return f.get(ctx, rawURL, v, accept)
}

func (f *Fetcher) get(ctx context.Context, rawURL string, v Validators, accept []string) (*Response, error) {
	u, ferr := parseURL(rawURL)
	if ferr != nil {
		return nil, ferr
	}
	shown := u.Redacted()
	if local, ok := f.opts.Local[u.String()]; ok {
		return f.local(u, local, accept)
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, URL: shown, Msg: msgBadURL, Err: err}
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", acceptHeader(accept))
	// Header values cannot carry a line break (net/http refuses to send
	// one), so a stored validator cannot smuggle in another header.
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}

	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(ctx, shown, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.Redacted()
	conditional := v.ETag != "" || v.LastModified != ""
	if resp.StatusCode == http.StatusNotModified && conditional {
		return &Response{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header}, nil
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &Error{Kind: KindStatus, URL: final, Status: resp.StatusCode, Msg: statusMsg(resp.StatusCode),
			Err: fmt.Errorf("status %s", resp.Status)}
	}
	mediaType, err := checkMediaType(resp.Header.Get("Content-Type"), accept)
	if err != nil {
		return nil, &Error{Kind: KindContentType, URL: final, Msg: msgContentType, Err: err}
	}
	// Content-Length is only a hint (and absent once Go has decompressed
	// gzip), but when it already says too much there is no need to read.
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, &Error{Kind: KindTooLarge, URL: final, Msg: msgTooLarge, ContentType: mediaType,
			Err: fmt.Errorf("content length %d exceeds %d bytes", resp.ContentLength, f.opts.MaxBytes)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, classify(ctx, final, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, &Error{Kind: KindTooLarge, URL: final, Msg: msgTooLarge, ContentType: mediaType,
			Err: fmt.Errorf("body exceeds %d bytes", f.opts.MaxBytes)}
	}
	return &Response{
		URL:         resp.Request.URL,
		Status:      resp.StatusCode,
		ContentType: mediaType,
		Header:      resp.Header,
		Body:        body,
	}, nil
}

// parseURL accepts absolute http(s) URLs with a host and no credentials.
func parseURL(rawURL string) (*url.URL, *Error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the *url.Error would repeat the address, credentials and all
		}
		return nil, &Error{Kind: KindBadURL, URL: redact(rawURL), Msg: msgBadURL, Err: err}
	}
	if err := checkURL(u); err != nil {
		err.URL = u.Redacted()
		return nil, err
	}
	return u, nil
}

// checkURL holds the rules every hop must pass before any address is looked
// at; the address itself is checked when dialling.
func checkURL(u *url.URL) *Error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return &Error{Kind: KindBadURL, Msg: msgBadURL, Err: fmt.Errorf("no scheme")}
	default:
		return &Error{Kind: KindBlocked, Msg: msgScheme, Err: fmt.Errorf("scheme %q not allowed", u.Scheme)}
	}
	if u.User != nil {
		return &Error{Kind: KindBlocked, Msg: msgUserInfo, Err: fmt.Errorf("user info in URL")}
	}
	if u.Hostname() == "" {
		return &Error{Kind: KindBadURL, Msg: msgBadURL, Err: fmt.Errorf("no host")}
	}
	return nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opts.MaxRedirects {
		return &Error{Kind: KindRedirects, URL: req.URL.Redacted(), Msg: msgRedirects,
			Err: fmt.Errorf("stopped after %d redirects", len(via)-1)}
	}
	if err := checkURL(req.URL); err != nil {
		err.URL = req.URL.Redacted()
		return err
	}
	return nil
}
