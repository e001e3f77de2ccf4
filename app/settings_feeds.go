package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type feedsPage struct {
	Active   bool
	Created  *time.Time
	LastUsed *time.Time
	// Addresses are filled only right after a token is made: only its hash
	// is kept, so it cannot be shown again.
	Addresses []feedAddress
}

type feedAddress struct {
	Board models.Board
	URL   string
	// PodcastURL is the board's podcast feed, for a podcast app.
	PodcastURL string
}

// settingsFeeds explains private feeds and says whether the member has one.
func (h *Handler) settingsFeeds(c *fiber.Ctx) error {
	return h.renderFeeds(c, "")
}

// settingsFeedCreate makes a new feed token, turning off the old one, and
// shows its addresses this once. It renders rather than redirects: the
// token must not travel in a URL or a cookie to a page that shows it later.
func (h *Handler) settingsFeedCreate(c *fiber.Ctx) error {
	token, err := h.store.CreateFeedToken(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.renderFeeds(c, token)
}

// settingsFeedRevoke turns off every feed address of the member.
func (h *Handler) settingsFeedRevoke(c *fiber.Ctx) error {
	if err := h.store.RevokeFeedTokens(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	return c.Redirect("/settings/feeds", fiber.StatusSeeOther)
}

func (h *Handler) renderFeeds(c *fiber.Ctx, token string) error {
	ctx, m := c.UserContext(), member(c)
	var p feedsPage
	var err error
	if p.Created, p.LastUsed, p.Active, err = h.store.FeedTokenStatus(ctx, m.ID); err != nil {
		return err
	}
	if token != "" {
		boards, err := h.store.ReadableBoards(ctx, m)
		if err != nil {
			return err
		}
		base := strings.TrimSuffix(h.cfg.BaseURL.String(), "/")
		for _, b := range boards {
			p.Addresses = append(p.Addresses, feedAddress{Board: b, URL: base + "/feeds/" + token + "/b/" + b.Slug + ".atom",
				PodcastURL: base + "/feeds/" + token + "/b/" + b.Slug + "/podcast.rss"})
		}
	}
	data := h.page(c, "Private feeds")
	data.Page = p
	return h.views.render(c, "settings_feeds", data)
}
