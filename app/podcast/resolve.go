package podcast

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"

	"rounds/app/fetch"
)

// What a shared link may be.
var (
	feedTypes = []string{"application/rss+xml", "application/xml", "text/xml", "application/atom+xml", "application/x-rss+xml"}
	pageTypes = []string{"text/html", "application/xhtml+xml"}
)

// Found is what a link a member shares turned out to be: a show's feed
// (the member then picks the episode), or a single audio file.
type Found struct {
	Show  *Show
	Audio *Episode
}

// ErrNothingFound says the link is neither a feed, nor a page announcing
// one, nor an audio file.
var ErrNothingFound = errors.New("that link is not a podcast feed, a page that names one, or an audio file")

// Resolve fetches what a member pasted and works out what it is. Every
// request goes through the safe fetcher.
func Resolve(ctx context.Context, f *fetch.Fetcher, rawURL string) (*Found, error) {
	accept := append(append(append([]string{}, feedTypes...), pageTypes...), "audio/*")
	res, err := f.Get(ctx, rawURL, accept...)
	if err != nil {
		var fe *fetch.Error
		if errors.As(err, &fe) && fe.Kind == fetch.KindTooLarge && (strings.HasPrefix(fe.ContentType, "audio/") || looksLikeAudio(rawURL)) {
			// An audio file is far larger than a page; its address (as
			// shared: a redirect's target may be a signed, short-lived
			// one) and its type are enough.
			contentType := ""
			if strings.HasPrefix(fe.ContentType, "audio/") {
				contentType = fe.ContentType
			}
			return &Found{Audio: lone(rawURL, contentType)}, nil
		}
		return nil, err
	}
	switch {
	case strings.HasPrefix(res.ContentType, "audio/"):
		return &Found{Audio: lone(res.URL.String(), res.ContentType)}, nil
	case isFeed(res.ContentType, res.Body):
		show, err := ParseFeed(res.URL.String(), res.Body)
		if err != nil {
			return nil, err
		}
		return &Found{Show: show}, nil
	case res.ContentType == "text/html" || res.ContentType == "application/xhtml+xml":
		feedURL := announcedFeed(res.URL, res.Body)
		if feedURL == "" {
			return nil, ErrNothingFound
		}
		feed, err := f.Get(ctx, feedURL, feedTypes...)
		if err != nil {
			return nil, err
		}
		show, err := ParseFeed(feed.URL.String(), feed.Body)
		if err != nil {
			return nil, err
		}
		return &Found{Show: show}, nil
	}
	return nil, ErrNothingFound
}

// isFeed says whether a response is a feed: by its type, or, for servers
// that call every XML document text/xml or worse, by its first element.
func isFeed(contentType string, body []byte) bool {
	switch contentType {
	case "application/rss+xml", "application/atom+xml", "application/x-rss+xml":
		return true
	case "application/xml", "text/xml":
		head := bytes.ToLower(body[:min(len(body), 1024)])
		return bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed"))
	}
	return false
}

// lone is an episode that is just an audio file.
func lone(audioURL, contentType string) *Episode {
	title := "Audio"
	if u, err := url.Parse(audioURL); err == nil {
		if name, err := url.PathUnescape(path.Base(u.Path)); err == nil && name != "/" && name != "." {
			title = name
		}
	}
	return &Episode{GUID: audioURL, Title: clip(keepable(title), maxTitle), AudioURL: audioURL, AudioType: keepable(contentType)}
}

// announcedFeed finds the feed a page names in its head:
// <link rel="alternate" type="application/rss+xml" href="…">.
func announcedFeed(page *url.URL, body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "link" || !hasAttr {
				continue
			}
			var rel, typ, href string
			for {
				key, val, more := z.TagAttr()
				switch string(key) {
				case "rel":
					rel = strings.ToLower(string(val))
				case "type":
					typ = strings.ToLower(string(val))
				case "href":
					href = string(val)
				}
				if !more {
					break
				}
			}
			if strings.Contains(" "+rel+" ", " alternate ") &&
				(typ == "application/rss+xml" || typ == "application/atom+xml") && href != "" {
				return absolute(page, href)
			}
		}
	}
}
