package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"rounds/app/mail"
)

type outboxPage struct {
	SMTP     bool
	Messages []mail.OutboxEntry
	Name     string
	Raw      string
}

// adminOutbox lists the mail Rounds wrote to files because no SMTP server
// is configured, as in the demo: there the work-email codes arrive here.
func (h *Handler) adminOutbox(c *fiber.Ctx) error {
	messages, err := h.mailer.Outbox(200)
	if err != nil {
		return err
	}
	data := h.page(c, "Outgoing mail")
	data.Page = outboxPage{SMTP: h.cfg.SMTPURL != nil, Messages: messages}
	return h.views.render(c, "admin_outbox", data)
}

// adminOutboxMessage shows one message as it would have been sent.
func (h *Handler) adminOutboxMessage(c *fiber.Ctx) error {
	name := c.Params("name")
	raw, err := h.mailer.ReadOutbox(name)
	if errors.Is(err, mail.ErrNotInOutbox) {
		return errNotFound("That message", err)
	}
	if err != nil {
		return err
	}
	data := h.page(c, "Outgoing mail")
	data.Page = outboxPage{SMTP: h.cfg.SMTPURL != nil, Name: name, Raw: string(raw)}
	return h.views.render(c, "admin_outbox", data)
}
