package app

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// feedTopics is how many of a board's newest topics its feed carries.
const feedTopics = 30

// feedBoard is a member's private Atom feed of a board's new topics. The
// token in the address is the only credential: no cookie, session or CSRF
// token is read or set. Whatever fails, an unknown token, a member no
// longer verified, a missing or closed board, the answer is the same plain
// 404, so the address reveals nothing about what exists.
func (h *Handler) feedBoard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	board, err := h.feedBoardOf(c)
	if board == nil {
		return err
	}
	topics, err := h.store.NewestTopics(ctx, board.ID, feedTopics)
	if err != nil {
		return err
	}
	feed := h.boardFeed(board, topics, c.Params("token"))
	body, err := xml.Marshal(feed)
	if err != nil {
		return fmt.Errorf("write feed of board %d: %w", board.ID, err)
	}
	return sendFeed(c, body, feed.modified, "application/atom+xml; charset=utf-8")
}

// sendFeed answers with a feed document, or 304 Not Modified when the
// reader already has it: its ETag is a hash of the body, so a reader
// polling an unchanged feed downloads nothing.
func sendFeed(c *fiber.Ctx, body []byte, modified time.Time, contentType string) error {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	modified = modified.UTC().Truncate(time.Second)
	c.Set(fiber.HeaderLastModified, modified.Format(http.TimeFormat))
	c.Set(fiber.HeaderETag, etag)
	if notModified(c, etag, modified) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(append([]byte(xml.Header), body...))
}

// feedBoardOf checks the address of a private feed, on every request: the
// token must be live, its member still verified and the board one they may
// read now. It returns the board; when it is nil, the plain 404 has been
// sent (and err is nil) or err says what broke.
func (h *Handler) feedBoardOf(c *fiber.Ctx) (*models.Board, error) {
	ctx := c.UserContext()
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Robots-Tag", "noindex")
	c.Set("Referrer-Policy", "no-referrer")
	u, err := h.store.FeedTokenUser(ctx, c.Params("token"))
	if err != nil {
		return nil, feedMissing(c, err)
	}
	if !u.IsVerified() {
		return nil, feedMissing(c, nil)
	}
	board, err := h.store.BoardBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, feedMissing(c, err)
	}
	access, err := h.store.BoardAccessFor(ctx, u, board.ID)
	if err != nil {
		return nil, feedMissing(c, err)
	}
	if !access.Read {
		return nil, feedMissing(c, nil)
	}
	return board, nil
}

// feedMissing answers 404 in plain text, and passes on failures that are
// not a missing thing.
func feedMissing(c *fiber.Ctx, err error) error {
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Status(fiber.StatusNotFound).SendString("Not found.\n")
}

// notModified says whether the reader's copy is current: If-None-Match
// wins when sent, as RFC 9110 asks, since it also catches changes that move
// no timestamp, such as a post shown again.
func notModified(c *fiber.Ctx, etag string, modified time.Time) bool {
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" {
		for _, tag := range strings.Split(match, ",") {
			if tag = strings.TrimSpace(tag); tag == etag || tag == "W/"+etag || tag == "*" {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(c.Get(fiber.HeaderIfModifiedSince))
	return err == nil && !modified.After(since)
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Base     string      `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`

	modified time.Time
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Link      atomLink     `xml:"link"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Author    atomAuthor   `xml:"author"`
	Content   *atomContent `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	HTML string `xml:",chardata"`
}

// boardFeed builds the feed of a board's newest topics. Entry IDs name the
// topic by number, so a retitled topic is the same entry.
func (h *Handler) boardFeed(board *models.Board, topics []models.FeedTopic, token string) *atomFeed {
	base := strings.TrimSuffix(h.cfg.BaseURL.String(), "/")
	tag := "tag:" + h.cfg.BaseURL.Hostname() + ",2026:"
	f := &atomFeed{
		Base:     base + "/",
		ID:       fmt.Sprintf("%sboard-%d", tag, board.ID),
		Title:    board.Title + " · Rounds",
		Subtitle: board.Description,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/feeds/" + token + "/b/" + board.Slug + ".atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/b/" + board.Slug},
		},
		modified: board.CreatedAt,
	}
	for i := range topics {
		t := &topics[i]
		updated := t.Updated()
		if updated.After(f.modified) {
			f.modified = updated
		}
		e := atomEntry{
			ID:        fmt.Sprintf("%stopic-%d", tag, t.ID),
			Title:     t.Title,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s/t/%d/%s", base, t.ID, t.Slug)},
			Published: t.CreatedAt.UTC().Format(time.RFC3339),
			Updated:   updated.UTC().Format(time.RFC3339),
			Author:    atomAuthor{Name: t.Byline()},
		}
		// A hidden or deleted opening post comes back empty: title only. Images
		// stay behind Rounds' permission check: the entry links to them.
		if t.OpeningCooked != "" {
			e.Content = &atomContent{Type: "html", HTML: t.OpeningCooked + imagesLink(t.OpeningImages, e.Link.Href)}
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = f.modified.UTC().Format(time.RFC3339)
	return f
}
