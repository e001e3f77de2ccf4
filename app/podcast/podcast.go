// Package podcast reads podcast feeds (RSS with the iTunes tags), finds the
// feed a show's page announces, recognises a bare audio file, and links the
// timestamps members write in replies to the episode's player.
package podcast

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"rounds/models"
)

// Show is a podcast as its feed describes it.
type Show struct {
	FeedURL     string
	Title       string
	Author      string
	Description string
	ImageURL    string
	Link        string
	Episodes    []Episode // newest first
}

// Episode is one episode and its audio.
type Episode struct {
	GUID        string
	Title       string
	Description string // plain text
	Link        string
	ImageURL    string
	Published   time.Time // zero when the feed gives no date
	Duration    time.Duration
	AudioURL    string
	AudioType   string
	AudioLength int64
}

// Limits on what is kept of a feed.
const (
	maxEpisodes    = 300
	maxTitle       = 300
	maxDescription = 4000
)

// ErrNotAFeed says the bytes are not a feed gofeed can read.
var ErrNotAFeed = errors.New("that is not a podcast feed")

// ErrNoAudio says a feed has no episode with audio.
var ErrNoAudio = errors.New("the feed has no episodes with audio")

// ParseFeed reads a podcast feed fetched from feedURL. Episodes without an
// audio enclosure are left out; relative links are resolved against the
// feed's address; only http and https links are kept.
func ParseFeed(feedURL string, body []byte) (*Show, error) {
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil, fmt.Errorf("feed address: %w", err)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotAFeed, err)
	}
	show := &Show{
		FeedURL:     feedURL,
		Title:       clip(PlainText(feed.Title), maxTitle),
		Description: clip(PlainText(firstOf(feed.Description, itunesFeed(feed).Summary)), maxDescription),
		Link:        absolute(base, feed.Link),
	}
	if ext := itunesFeed(feed); ext.Author != "" {
		show.Author = clip(PlainText(ext.Author), maxTitle)
	} else if len(feed.Authors) > 0 && feed.Authors[0] != nil {
		show.Author = clip(PlainText(feed.Authors[0].Name), maxTitle)
	}
	if img := itunesFeed(feed).Image; img != "" {
		show.ImageURL = absolute(base, img)
	} else if feed.Image != nil {
		show.ImageURL = absolute(base, feed.Image.URL)
	}
	for _, item := range feed.Items {
		if item == nil {
			continue
		}
		ep, ok := episodeOf(base, item)
		if !ok {
			continue
		}
		if ep.ImageURL == "" {
			ep.ImageURL = show.ImageURL
		}
		show.Episodes = append(show.Episodes, ep)
	}
	if len(show.Episodes) == 0 {
		return nil, ErrNoAudio
	}
	sort.SliceStable(show.Episodes, func(i, j int) bool {
		return show.Episodes[i].Published.After(show.Episodes[j].Published)
	})
	if len(show.Episodes) > maxEpisodes {
		show.Episodes = show.Episodes[:maxEpisodes]
	}
	return show, nil
}

func episodeOf(base *url.URL, item *gofeed.Item) (Episode, bool) {
	var audio *gofeed.Enclosure
	for _, enc := range item.Enclosures {
		if enc == nil || enc.URL == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(enc.Type), "audio/") || (enc.Type == "" && looksLikeAudio(enc.URL)) {
			audio = enc
			break
		}
	}
	if audio == nil {
		return Episode{}, false
	}
	ep := Episode{
		Title:       clip(PlainText(item.Title), maxTitle),
		Description: clip(PlainText(firstOf(item.Description, item.Content, itunesItem(item).Summary)), maxDescription),
		Link:        absolute(base, item.Link),
		AudioURL:    absolute(base, audio.URL),
		AudioType:   strings.ToLower(strings.TrimSpace(keepable(audio.Type))),
		Duration:    ParseDuration(itunesItem(item).Duration),
	}
	if ep.AudioURL == "" {
		return Episode{}, false
	}
	ep.AudioLength, _ = strconv.ParseInt(strings.TrimSpace(audio.Length), 10, 64)
	if ep.AudioLength < 0 {
		ep.AudioLength = 0
	}
	if item.PublishedParsed != nil {
		ep.Published = item.PublishedParsed.UTC()
	} else if item.UpdatedParsed != nil {
		ep.Published = item.UpdatedParsed.UTC()
	}
	if img := itunesItem(item).Image; img != "" {
		ep.ImageURL = absolute(base, img)
	} else if item.Image != nil {
		ep.ImageURL = absolute(base, item.Image.URL)
	}
	// A GUID names the episode across re-reads of the feed; feeds without
	// one are keyed by their audio address.
	ep.GUID = strings.TrimSpace(keepable(item.GUID))
	if ep.GUID == "" {
		ep.GUID = ep.AudioURL
	}
	if ep.Title == "" {
		ep.Title = "Untitled episode"
	}
	return ep, true
}

func itunesFeed(f *gofeed.Feed) gofeedITunesFeed {
	if f.ITunesExt == nil {
		return gofeedITunesFeed{}
	}
	return gofeedITunesFeed{Author: f.ITunesExt.Author, Summary: f.ITunesExt.Summary, Image: f.ITunesExt.Image}
}

type gofeedITunesFeed struct{ Author, Summary, Image string }

type gofeedITunesItem struct{ Duration, Summary, Image string }

func itunesItem(i *gofeed.Item) gofeedITunesItem {
	if i.ITunesExt == nil {
		return gofeedITunesItem{}
	}
	return gofeedITunesItem{Duration: i.ITunesExt.Duration, Summary: i.ITunesExt.Summary, Image: i.ITunesExt.Image}
}

var audioExtensions = []string{".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac"}

// looksLikeAudio says whether an address names an audio file by its
// extension.
func looksLikeAudio(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	path := strings.ToLower(u.Path)
	for _, ext := range audioExtensions {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return false
}

// absolute resolves ref against base and keeps it only when it is http or
// https.
func absolute(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func firstOf(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// ParseDuration reads an itunes:duration: seconds ("3723"), "MM:SS" or
// "HH:MM:SS". Anything else is zero.
func ParseDuration(s string) time.Duration {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0
	}
	var total int64
	for i, p := range parts {
		if p == "" {
			return 0
		}
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || n < 0 {
			return 0
		}
		if i > 0 && n >= 60 {
			return 0 // minutes and seconds after the first part stay under 60
		}
		total = total*60 + int64(n)
	}
	return time.Duration(total) * time.Second
}

// PlainText turns the HTML feeds put in titles and descriptions into text:
// tags dropped, entities decoded, block ends as line breaks, runs of blank
// space collapsed, and nothing Rounds cannot keep, entities included.
func PlainText(s string) string { return keepable(plainText(s)) }

func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	// A block's edges break the line once: "</p><p>" is one line break, as
	// the page shows it; only <br> adds a break of its own.
	lineBreak := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidy(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br":
				b.WriteByte('\n')
			case "p", "div", "li", "h1", "h2", "h3", "h4", "tr":
				lineBreak()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			case "p", "div", "li", "h1", "h2", "h3", "h4", "tr":
				lineBreak()
			}
		}
	}
}

// keepable is a feed's text as Rounds keeps it: a JSON feed, unlike XML,
// can carry NUL and other control characters (see models.CleanText).
func keepable(s string) string {
	s, _ = models.CleanText(s)
	return s
}

// tidy collapses spaces within lines and keeps at most one blank line.
func tidy(s string) string {
	var lines []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			if len(lines) > 0 && !blank {
				lines = append(lines, "")
			}
			blank = true
			continue
		}
		lines = append(lines, line)
		blank = false
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// clip shortens s to at most n runes, at a word where it can.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n]
	cut := string(runes)
	if i := strings.LastIndexAny(cut, " \n"); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// FormatDuration writes a duration as a player shows it: 1:02:03 or 42:07.
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
