package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Kind says which way a fetch failed, so callers can choose what to tell a
// member (or whether to retry later) without parsing messages.
type Kind int

const (
	// KindBlocked: the address or scheme is one Rounds refuses to reach,
	// such as a private network, loopback or a non-HTTP scheme.
	KindBlocked Kind = iota + 1
	// KindTimeout: the whole request, redirects and body included, took
	// longer than Options.Timeout or the caller's context allowed.
	KindTimeout
	// KindTooLarge: the body, after decompression, exceeded Options.MaxBytes.
	KindTooLarge
	// KindContentType: the response's media type is not one the caller accepts.
	KindContentType
	// KindRedirects: more than Options.MaxRedirects redirects.
	KindRedirects
	// KindStatus: the final response was not 2xx; Error.Status holds the code.
	KindStatus
	// KindNetwork: DNS, connection, TLS or protocol failure.
	KindNetwork
	// KindBadURL: the address could not be parsed or has no host.
	KindBadURL
)

func (k Kind) String() string {
	switch k {
	case KindBlocked:
		return "blocked"
	case KindTimeout:
		return "timeout"
	case KindTooLarge:
		return "too large"
	case KindContentType:
		return "content type"
	case KindRedirects:
		return "redirects"
	case KindStatus:
		return "status"
	case KindNetwork:
		return "network"
	case KindBadURL:
		return "bad url"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the only error type Get returns. Msg is written for a member and
// is safe to show on a page; Err is the cause, for the logs.
type Error struct {
	Kind   Kind
	URL    string // the address being fetched when it failed (the last hop), credentials redacted
	Msg    string
	Status int // HTTP status code, set for KindStatus
	// ContentType is the response's media type, set for KindTooLarge: a
	// caller may want to know what was too large to read, such as audio.
	ContentType string
	Err         error
}

func (e *Error) Error() string {
	s := "fetch"
	if e.URL != "" {
		s += " " + e.URL
	}
	s += ": " + e.Kind.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" %d", e.Status)
	}
	if e.Err != nil {
		return s + ": " + e.Err.Error()
	}
	return s + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Messages shown to members. Kept together so the wording stays consistent.
const (
	msgBadURL       = "That does not look like a web address Rounds can open."
	msgScheme       = "Rounds only fetches http:// and https:// addresses."
	msgUserInfo     = "Rounds will not fetch an address with a user name or password in it."
	msgBlockedAddr  = "That address points inside a private network, so Rounds will not fetch it."
	msgTimeout      = "The site took too long to answer."
	msgTooLarge     = "The page is too large for Rounds to fetch."
	msgContentType  = "That address does not point to the kind of content Rounds expected here."
	msgRedirects    = "The site redirected too many times."
	msgNetwork      = "Rounds could not reach that site."
	msgDNS          = "Rounds could not find that site."
	msgCertificate  = "The site's security certificate could not be verified."
	msgCanceled     = "The request was cancelled."
	msgStatusFormat = "The site answered with an error (HTTP %d)."
	msgNotFound     = "The site says that page does not exist (HTTP %d)."
)

func statusMsg(code int) string {
	if code == 404 || code == 410 {
		return fmt.Sprintf(msgNotFound, code)
	}
	return fmt.Sprintf(msgStatusFormat, code)
}

// classify turns whatever the HTTP client returned into an *Error. An *Error
// raised inside the dialer or CheckRedirect keeps its kind and message; the
// URL of the hop that failed is filled in from the client's *url.Error.
func classify(ctx context.Context, rawURL string, err error) *Error {
	hop := rawURL
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error repeats the method and URL; keep only the cause.
		hop, err = redact(ue.URL), ue.Err
	}
	var fe *Error
	if errors.As(err, &fe) {
		out := *fe
		if out.URL == "" {
			out.URL = hop
		}
		return &out
	}
	e := &Error{Kind: KindNetwork, URL: hop, Msg: msgNetwork, Err: err}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalidErr x509.CertificateInvalidError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind, e.Msg = KindTimeout, msgTimeout
	case errors.Is(err, context.Canceled):
		e.Msg = msgCanceled
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind, e.Msg = KindTimeout, msgTimeout
	case errors.As(err, &dnsErr):
		e.Msg = msgDNS
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &authErr), errors.As(err, &invalidErr):
		e.Msg = msgCertificate
	}
	return e
}

// redact hides any user info in a URL string before it reaches an error or
// log, even when the string does not parse.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	authority, path, hasPath := strings.Cut(rest, "/")
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		authority = "xxxxx" + authority[i:]
	}
	if hasPath {
		return scheme + "://" + authority + "/" + path
	}
	return scheme + "://" + authority
}

// Temporary says whether a failed fetch may succeed if tried again later:
// a timeout, a network failure, or a site answering 408, 429 or 5xx. A
// refused address, a missing page or the wrong kind of content will not
// change by waiting.
func Temporary(err error) bool {
	var fe *Error
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Kind {
	case KindTimeout, KindNetwork:
		return true
	case KindStatus:
		return fe.Status == 408 || fe.Status == 429 || fe.Status >= 500
	}
	return false
}
