package app

import (
	"encoding/xml"
	"fmt"
	"mime"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// feedEpisodes is how many of a board's newest podcast topics its podcast
// feed carries.
const feedEpisodes = 50

// feedBoardPodcast is a member's private podcast feed of a board: the
// episodes its podcast topics discuss, for a podcast app. Like the Atom
// feed, the token in the address is the only credential and every failure
// is the same plain 404.
func (h *Handler) feedBoardPodcast(c *fiber.Ctx) error {
	board, err := h.feedBoardOf(c)
	if board == nil {
		return err
	}
	episodes, err := h.store.BoardEpisodes(c.UserContext(), board.ID, feedEpisodes)
	if err != nil {
		return err
	}
	feed, modified := h.boardPodcast(board, episodes, c.Params("token"))
	body, err := xml.Marshal(feed)
	if err != nil {
		return fmt.Errorf("write podcast feed of board %d: %w", board.ID, err)
	}
	return sendFeed(c, body, modified, "application/rss+xml; charset=utf-8")
}

const itunesNS = "http://www.itunes.com/dtds/podcast-1.0.dtd"

// RSS 2.0 with Apple's podcast tags. encoding/xml escapes every value; the
// itunes: names are written as they are, under the namespace the root
// declares.
type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	ITunes  string     `xml:"xmlns:itunes,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string       `xml:"title"`
	Link          string       `xml:"link"`
	Description   string       `xml:"description"`
	Language      string       `xml:"language"`
	LastBuildDate string       `xml:"lastBuildDate"`
	Image         rssImage     `xml:"image"`
	Author        string       `xml:"itunes:author"`
	ITunesImage   itunesImage  `xml:"itunes:image"`
	Explicit      string       `xml:"itunes:explicit"`
	Block         string       `xml:"itunes:block"`
	Items         []rssEpisode `xml:"item"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type itunesImage struct {
	Href string `xml:"href,attr"`
}

type rssEpisode struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	Description string       `xml:"description"`
	GUID        rssGUID      `xml:"guid"`
	PubDate     string       `xml:"pubDate"`
	Enclosure   rssEnclosure `xml:"enclosure"`
	Author      string       `xml:"itunes:author,omitempty"`
	Duration    string       `xml:"itunes:duration,omitempty"`
	Image       *itunesImage `xml:"itunes:image"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// boardPodcast builds the podcast feed of a board and says when it last
// changed. An item's GUID names the topic, so it stays the same whatever
// the show's feed does to the episode.
func (h *Handler) boardPodcast(board *models.Board, episodes []models.BoardEpisode, token string) (*rssFeed, time.Time) {
	base := strings.TrimSuffix(h.cfg.BaseURL.String(), "/")
	tag := "tag:" + h.cfg.BaseURL.Hostname() + ",2026:"
	icon := base + "/"
	if u, err := h.assets.url("img/icon.svg"); err == nil {
		icon = base + u
	}
	boardURL := base + "/b/" + board.Slug
	ch := rssChannel{
		Title:       board.Title + " · Rounds podcasts",
		Link:        boardURL,
		Description: firstNonEmpty(board.Description, "Podcast episodes discussed in "+board.Title+" on Rounds."),
		Language:    "en",
		Image:       rssImage{URL: icon, Title: board.Title + " · Rounds podcasts", Link: boardURL},
		Author:      "Rounds",
		ITunesImage: itunesImage{Href: icon},
		Explicit:    "false",
		// A private feed: directories must not list it.
		Block: "Yes",
	}
	modified := board.CreatedAt
	for i := range episodes {
		e := &episodes[i]
		audio := webURL(e.AudioURL)
		if audio == "" {
			continue
		}
		if e.TopicCreatedAt.After(modified) {
			modified = e.TopicCreatedAt
		}
		published := e.TopicCreatedAt
		if e.PublishedAt != nil {
			published = *e.PublishedAt
		}
		discussion := fmt.Sprintf("%s/t/%d/%s", base, e.TopicID, e.TopicSlug)
		item := rssEpisode{
			Title:       e.Title,
			Link:        discussion,
			Description: episodeNotes(e, discussion),
			GUID:        rssGUID{IsPermaLink: "false", Value: fmt.Sprintf("%stopic-%d", tag, e.TopicID)},
			PubDate:     published.UTC().Format(time.RFC1123Z),
			Enclosure:   rssEnclosure{URL: audio, Length: e.AudioLength, Type: audioType(e.AudioType, audio)},
			Author:      e.ShowAuthor,
		}
		if e.DurationSeconds > 0 {
			item.Duration = strconv.Itoa(e.DurationSeconds)
		}
		if img := firstNonEmpty(webURL(e.ImageURL), webURL(e.ShowImageURL)); img != "" {
			item.Image = &itunesImage{Href: img}
		}
		ch.Items = append(ch.Items, item)
	}
	ch.LastBuildDate = modified.UTC().Format(time.RFC1123Z)
	return &rssFeed{Version: "2.0", ITunes: itunesNS, Channel: ch}, modified
}

// episodeNotes is an item's description: the show, the episode's own
// notes and where the board discusses it.
func episodeNotes(e *models.BoardEpisode, discussion string) string {
	var b strings.Builder
	if e.ShowTitle != "" {
		b.WriteString("From " + e.ShowTitle + ".\n\n")
	}
	if e.Description != "" {
		b.WriteString(e.Description + "\n\n")
	}
	b.WriteString("Discussed on Rounds: “" + e.TopicTitle + "” " + discussion)
	return b.String()
}

// audioType is an enclosure's media type: the one the show gave, or else
// the one its file name suggests.
func audioType(given, audio string) string {
	if strings.Contains(given, "/") {
		return given
	}
	if u, err := url.Parse(audio); err == nil {
		if t := mime.TypeByExtension(path.Ext(u.Path)); strings.HasPrefix(t, "audio/") {
			t, _, _ = strings.Cut(t, ";")
			return t
		}
	}
	return "audio/mpeg"
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
