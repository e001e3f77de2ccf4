package links

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// maxImageURL bounds a stored image address; longer ones are usually data
// or tracking junk.
const maxImageURL = 2048

// page previews a web page from the metadata in its <head>: Open Graph
// first, Twitter cards next, then the plain <title> and description.
func (c *Client) page(ctx context.Context, l Link) (*Preview, error) {
	resp, err := c.fetcher.Get(ctx, l.URL, "text/html", "application/xhtml+xml")
	if err != nil {
		return nil, fmt.Errorf("preview page %s: %w", l.URL, err)
	}
	h := readHead(resp.Body, resp.Header.Get("Content-Type"), resp.URL)
	p := &Preview{
		Kind:        KindPage,
		URL:         l.URL,
		Title:       firstText(maxTitle, h.meta["og:title"], h.meta["twitter:title"], h.title),
		Description: firstText(maxDescription, h.meta["og:description"], h.meta["twitter:description"], h.meta["description"]),
		SiteName:    firstText(maxName, h.meta["og:site_name"]),
	}
	for _, key := range []string{"og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"} {
		if img := absoluteHTTP(h.base, h.meta[key]); img != "" {
			p.ImageURL = img
			break
		}
	}
	if p.Title == "" && p.Description == "" {
		return nil, fmt.Errorf("preview page %s: no title or description: %w", l.URL, ErrNoPreview)
	}
	return p, nil
}

// head is the metadata found before the page's body.
type head struct {
	title string
	meta  map[string]string // og:title, twitter:image, description… → first content seen
	base  *url.URL          // for resolving relative image addresses
}

// readHead tokenizes the page up to </head> or <body>: the metadata lives
// there and the rest of a large page need not be parsed. The body is decoded
// to UTF-8 from the charset the header or the page declares.
func readHead(body []byte, contentType string, pageURL *url.URL) head {
	h := head{meta: map[string]string{}, base: pageURL}
	var r io.Reader = bytes.NewReader(body)
	if decoded, err := charset.NewReader(r, contentType); err == nil {
		r = decoded
	} else {
		// An unknown charset label: read the bytes as they are; the strings
		// are made valid UTF-8 when cleaned.
		r = bytes.NewReader(body)
	}
	z := html.NewTokenizer(r)
	inTitle, haveTitle := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return h // io.EOF or a malformed page: keep what was found
		case html.TextToken:
			if inTitle && !haveTitle {
				h.title += string(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "head":
				return h
			case "title":
				if inTitle {
					inTitle, haveTitle = false, true
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "body":
				return h
			case "title":
				inTitle = !haveTitle && tt == html.StartTagToken
			case "base":
				if href := attr(tok, "href"); href != "" && pageURL != nil {
					if ref, err := url.Parse(strings.TrimSpace(href)); err == nil {
						h.base = pageURL.ResolveReference(ref)
					}
				}
			case "meta":
				content := attr(tok, "content")
				// Open Graph uses property=, Twitter and description use
				// name=, and sites mix them up.
				for _, key := range []string{attr(tok, "property"), attr(tok, "name")} {
					key = strings.ToLower(strings.TrimSpace(key))
					if key == "" || content == "" {
						continue
					}
					if _, ok := h.meta[key]; !ok {
						h.meta[key] = content
					}
				}
			}
		}
	}
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, name) {
			return a.Val
		}
	}
	return ""
}

// firstText returns the first candidate that is not empty once cleaned.
// The tokenizer has already decoded entities.
func firstText(max int, candidates ...string) string {
	for _, s := range candidates {
		if s = plainText(strings.ToValidUTF8(s, "\uFFFD"), max, false); s != "" {
			return s
		}
	}
	return ""
}

// absoluteHTTP resolves ref against base and keeps it only if it is an
// http(s) address without credentials.
func absoluteHTTP(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	u = base.ResolveReference(u)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil {
		return ""
	}
	if s := u.String(); len(s) <= maxImageURL {
		return s
	}
	return ""
}
