package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type digestPreviewPage struct {
	Subject string
	Text    string
	Empty   bool
	Next    string
	Never   bool
}

// digestPreview chooses the content of the member's next digest, as the
// sender would if it ran now, without sending or recording anything. The
// email's HTML is shown from digestPreviewEmail in a sandboxed frame.
func (h *Handler) digestPreview(c *fiber.Ctx) error {
	ds, err := h.store.DigestSettingsFor(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	preview, err := h.digests.Preview(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	p := digestPreviewPage{Subject: preview.Subject, Text: preview.Text, Empty: preview.Empty,
		Next: nextDigest(ds, h.now()), Never: ds.Frequency == models.DigestNever}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := h.page(c, "Preview of your next digest")
	data.Page = p
	return h.views.render(c, "settings_digest_preview", data)
}

// digestPreviewEmail is the HTML part of the preview, as mail clients get
// it. Its own policy lets in the email's inline styles and nothing else,
// and only this site may frame it.
func (h *Handler) digestPreviewEmail(c *fiber.Ctx) error {
	preview, err := h.digests.Preview(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	if preview.Empty {
		return errNotFound("A digest to preview", nil)
	}
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	c.Set("X-Frame-Options", "SAMEORIGIN")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(preview.HTML)
}
