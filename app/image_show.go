package app

import (
	"github.com/gofiber/fiber/v2"
)

// imageCSP is the image responses' own policy: nothing loads, nothing runs,
// should a browser ever take one for a page.
const imageCSP = "default-src 'none'; sandbox"

// imageShow serves a remote image through the image proxy, to members who
// may read posts: from its cache, or fetched now within the member's fetch
// limits. Only addresses Rounds signed are fetched.
func (h *Handler) imageShow(c *fiber.Ctx) error {
	remote, ok := h.images.Remote(c.Params("signature"), c.Params("address"))
	if !ok {
		return errNotFound("That image", nil)
	}
	img, err := h.images.Cached(remote)
	if img == nil && err == nil {
		if limit := h.takeLimits(c, fetching...); limit != nil {
			return limit
		}
		img, err = h.images.Fetch(c.UserContext(), remote)
	}
	c.Set("Content-Security-Policy", imageCSP)
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
	if err != nil {
		// The page shows the image's alt text; a reader can do nothing
		// about it, so the cause is only logged.
		h.log.Info("image not served", "request_id", requestID(c), "err", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(fiber.StatusBadGateway).SendString("That image could not be loaded from its site.\n")
	}
	c.Set(fiber.HeaderContentType, img.Type)
	c.Set(fiber.HeaderContentDisposition, "inline")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	return c.Send(img.Body)
}
