package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/notify"
)

// The notification emails' unsubscribe links live under unsubscribePrefix
// too, so they share its exemption from the CSRF check: the signed token
// in the address names the member and the kinds of email, and stopping
// those is all it can do.

type unsubscribeEmailPage struct {
	Token string
	What  string // "replies and mentions"
	Done  bool
}

// unsubscribeEmailShow asks for a click before stopping anything: a link
// opened by a mail scanner must change nothing.
func (h *Handler) unsubscribeEmailShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	_, kinds, err := h.unsubscribes.Parse(c.Params("token"))
	if err != nil {
		return errUnknownEmailUnsubscribe(err)
	}
	data := h.page(c, "Stop these emails")
	data.Page = unsubscribeEmailPage{Token: c.Params("token"), What: notify.KindsInWords(kinds)}
	return h.views.render(c, "unsubscribe_email", data)
}

// unsubscribeEmail turns the token's kinds of email off, from the page's
// button or a mail client's one-click POST (RFC 8058), whose body is
// List-Unsubscribe=One-Click; both send that.
func (h *Handler) unsubscribeEmail(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	memberID, kinds, err := h.unsubscribes.Parse(c.Params("token"))
	if err != nil {
		return errUnknownEmailUnsubscribe(err)
	}
	if c.FormValue("List-Unsubscribe") != "One-Click" {
		return errBadRequest("This unsubscribe request is incomplete. Open the link in the email again and press the button.", nil)
	}
	if err := h.store.StopEmails(c.UserContext(), memberID, kinds); err != nil {
		return err
	}
	h.log.Info("notification emails stopped by unsubscribe link", "kinds", kinds, "request_id", requestID(c))
	data := h.page(c, "Unsubscribed")
	data.Page = unsubscribeEmailPage{What: notify.KindsInWords(kinds), Done: true}
	return h.views.render(c, "unsubscribe_email", data)
}

func errUnknownEmailUnsubscribe(err error) *Error {
	return &Error{Status: fiber.StatusNotFound, Err: err,
		Message: "That unsubscribe link is not valid. Sign in and choose what comes by email under Settings, Digest email."}
}
