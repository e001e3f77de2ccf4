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
	// Message is the one message shown, decoded; Raw is its file as
	// written, for an administrator who needs the headers.
	Message *mail.OutboxMessage
	Raw     string
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

// adminOutboxMessage shows one message as its reader would: the text part
// decoded, and the HTML part in a sandboxed frame (adminOutboxHTML).
func (h *Handler) adminOutboxMessage(c *fiber.Ctx) error {
	name := c.Params("name")
	raw, msg, err := h.outboxMessage(name)
	if err != nil {
		return err
	}
	data := h.page(c, "Outgoing mail")
	data.Page = outboxPage{SMTP: h.cfg.SMTPURL != nil, Name: name, Message: msg, Raw: string(raw)}
	return h.views.render(c, "admin_outbox", data)
}

// adminOutboxHTML is a message's HTML part, as mail clients get it. As for
// the digest preview, its own policy lets in inline styles and nothing
// else, and only this site may frame it.
func (h *Handler) adminOutboxHTML(c *fiber.Ctx) error {
	_, msg, err := h.outboxMessage(c.Params("name"))
	if err != nil {
		return err
	}
	if msg.HTML == "" {
		return errNotFound("An HTML version of that message", nil)
	}
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	c.Set("X-Frame-Options", "SAMEORIGIN")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(msg.HTML)
}

// outboxMessage reads and decodes one message of the outbox.
func (h *Handler) outboxMessage(name string) ([]byte, *mail.OutboxMessage, error) {
	raw, err := h.mailer.ReadOutbox(name)
	if errors.Is(err, mail.ErrNotInOutbox) {
		return nil, nil, errNotFound("That message", err)
	}
	if err != nil {
		return nil, nil, err
	}
	msg, err := mail.ParseOutbox(raw)
	if err != nil {
		// A file the page cannot take apart is still shown as written.
		h.log.Warn("outbox message not readable", "name", name, "err", err)
		return raw, &mail.OutboxMessage{}, nil
	}
	return raw, msg, nil
}
