package app

import (
	"github.com/gofiber/fiber/v2"
)

// podcastFollow has the member follow a show they have seen discussed, so
// its new episodes are offered to them on /podcasts.
func (h *Handler) podcastFollow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ok, err := h.store.ShowReadableBy(c.UserContext(), member(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound("That show", nil)
	}
	if err := h.store.FollowShow(c.UserContext(), member(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(followReturn(c), fiber.StatusSeeOther)
}

// podcastUnfollow has the member stop following a show.
func (h *Handler) podcastUnfollow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.UnfollowShow(c.UserContext(), member(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(followReturn(c), fiber.StatusSeeOther)
}

// followReturn is the page the form was on: a topic, or the list of shows.
func followReturn(c *fiber.Ctx) string {
	if c.FormValue("return") == "" {
		return "/podcasts"
	}
	return safeReturn(c.FormValue("return"))
}
