package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// unsubscribePrefix is where every digest's unsubscribe link points. Its
// POST is the one form Rounds takes without a CSRF token: mail clients
// send it by themselves (RFC 8058 one-click), and the random token in the
// address is proof enough for the one thing it does, stopping digests.
const unsubscribePrefix = "/unsubscribe/"

type unsubscribePage struct {
	Token string
	Done  bool
}

// unsubscribeShow asks for a click before unsubscribing: a link opened by
// a mail scanner must not turn anyone's digest off.
func (h *Handler) unsubscribeShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	known, err := h.store.UnsubscribeTokenKnown(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if !known {
		return errUnknownUnsubscribe(nil)
	}
	data := h.page(c, "Unsubscribe from digests")
	data.Page = unsubscribePage{Token: c.Params("token")}
	return h.views.render(c, "unsubscribe", data)
}

// unsubscribe stops the member's digests, from the page's button or from a
// mail client's one-click POST of List-Unsubscribe=One-Click.
func (h *Handler) unsubscribe(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	if _, err := h.store.UnsubscribeByToken(c.UserContext(), c.Params("token")); err != nil {
		if models.IsNotFound(err) {
			return errUnknownUnsubscribe(err)
		}
		return err
	}
	h.log.Info("digests stopped by unsubscribe link", "request_id", requestID(c))
	data := h.page(c, "Unsubscribed")
	data.Page = unsubscribePage{Done: true}
	return h.views.render(c, "unsubscribe", data)
}

func errUnknownUnsubscribe(err error) *Error {
	return &Error{Status: fiber.StatusNotFound, Err: err,
		Message: "That unsubscribe link is not valid or has expired. Sign in and choose “Never” under Settings, Digest email."}
}
