package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type standingPage struct {
	Warnings []models.MemberWarning
	Hidden   []models.HiddenPost
}

// settingsStanding shows a member what the moderators have told them:
// their warnings and the posts they hid, with the reasons.
func (h *Handler) settingsStanding(c *fiber.Ctx) error {
	ctx, m := c.UserContext(), member(c)
	warnings, err := h.store.MemberWarnings(ctx, m.ID)
	if err != nil {
		return err
	}
	hidden, err := h.store.HiddenPostsBy(ctx, m.ID, 50)
	if err != nil {
		return err
	}
	data := h.page(c, "Your standing")
	data.Page = standingPage{Warnings: warnings, Hidden: hidden}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "settings_standing", data)
}

// settingsStandingRead records that the member read their warnings, which
// takes the notice off every page.
func (h *Handler) settingsStandingRead(c *fiber.Ctx) error {
	if err := h.store.MarkWarningsSeen(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	return c.Redirect("/settings/standing", fiber.StatusSeeOther)
}
