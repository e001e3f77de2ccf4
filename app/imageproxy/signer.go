// Package imageproxy serves the remote images of posts, link preview cards
// and podcast artwork from Rounds itself, so a reader's browser asks no
// other site for anything and whoever posts an image learns nothing of who
// reads it, or when. An image is fetched once through the safe fetcher,
// checked to be a picture of sensible size, kept on disk for a while and
// served from there. Its addresses are signed with the site's secret, so
// the proxy fetches only what Rounds itself put on a page.
package imageproxy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
)

// Prefix is where the proxy's addresses start on the site.
const Prefix = "/img/"

// maxRemoteLen bounds the remote address a proxy address carries, so that
// it stays well within what browsers and servers take in a path.
const maxRemoteLen = 2048

// Signer makes and checks the proxy's addresses.
type Signer struct{ key []byte }

// NewSigner derives the proxy's own key from the site's secret, so that a
// signature here means nothing to anything else the secret signs.
func NewSigner(secret []byte) Signer {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("rounds image proxy"))
	return Signer{key: mac.Sum(nil)}
}

// URL is the proxy's address for a remote image: Prefix, the signature and
// the remote address in base64url. It is "" for what the proxy cannot
// fetch: anything but an absolute http(s) address without a user name, or
// one longer than 2,048 bytes.
func (s Signer) URL(remote string) string {
	u, err := url.Parse(remote)
	if err != nil || u.Host == "" || u.User != nil || len(remote) > maxRemoteLen {
		return ""
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return ""
	}
	return Prefix + s.sign(remote) + "/" + base64.RawURLEncoding.EncodeToString([]byte(remote))
}

// Remote reads a proxy address's two parts back: the remote address, if
// the signature is this site's for it.
func (s Signer) Remote(signature, encoded string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil || len(raw) > maxRemoteLen {
		return "", false
	}
	remote := string(raw)
	if !hmac.Equal([]byte(signature), []byte(s.sign(remote))) {
		return "", false
	}
	return remote, true
}

// sign is 144 bits of the HMAC, in base64url.
func (s Signer) sign(remote string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(remote))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}
