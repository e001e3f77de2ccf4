package app

import "github.com/gofiber/fiber/v2"

// searchHelp documents the query language search.Parse reads.
func (h *Handler) searchHelp(c *fiber.Ctx) error {
	return h.views.render(c, "search_help", h.page(c, "How to search"))
}
