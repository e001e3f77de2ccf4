package app

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// preview renders the composer's markdown exactly as saving would, for the
// live preview. It writes nothing.
func (h *Handler) preview(c *fiber.Ctx) error {
	body := c.FormValue("body")
	if utf8.RuneCountInString(body) > bodyMax {
		return errBadRequest("A post can be at most 32,000 characters.", nil)
	}
	cooked, err := h.markdown.Render(body)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.renderFragment(c, "topic_new", "preview", cookedHTML(cooked))
}
