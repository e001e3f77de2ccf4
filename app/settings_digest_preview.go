package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/digest"
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
	subject, text, _, ds, err := h.previewDigest(c)
	if err != nil {
		return err
	}
	p := digestPreviewPage{Subject: subject, Text: text, Empty: subject == "", Next: nextDigest(ds, h.now()),
		Never: ds.Frequency == models.DigestNever}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := h.page(c, "Preview of your next digest")
	data.Page = p
	return h.views.render(c, "settings_digest_preview", data)
}

// digestPreviewEmail is the HTML part of the preview, as mail clients get
// it. Its own policy lets in the email's inline styles and nothing else,
// and only this site may frame it.
func (h *Handler) digestPreviewEmail(c *fiber.Ctx) error {
	_, _, html, _, err := h.previewDigest(c)
	if err != nil {
		return err
	}
	if html == "" {
		return errNotFound("A digest to preview", nil)
	}
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	c.Set("X-Frame-Options", "SAMEORIGIN")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(html)
}

// previewDigest renders what the member's next digest would carry now; an
// empty subject means there is nothing new to send. A member who takes no
// digest sees what a weekly one would hold.
func (h *Handler) previewDigest(c *fiber.Ctx) (subject, text, html string, ds models.DigestSettings, err error) {
	ctx, m, now := c.UserContext(), member(c), h.now()
	if ds, err = h.store.DigestSettingsFor(ctx, m.ID); err != nil {
		return
	}
	asSent := ds
	if asSent.Frequency == models.DigestNever {
		asSent.Frequency = models.DigestWeekly
	}
	period, ok := models.DigestPeriod(asSent, now)
	if !ok {
		asSent.TimeZone = "UTC"
		period, _ = models.DigestPeriod(asSent, now)
	}
	since, err := h.store.DigestSince(ctx, m.ID, period)
	if err != nil {
		return
	}
	d, err := h.store.DigestContent(ctx, m.ID, since, now, 0)
	if err != nil || d.Empty() {
		return
	}
	subject, text, html, err = h.digests.Render(d, digest.Envelope{Period: period, Frequency: asSent.Frequency,
		Location: asSent.Location(), UnsubscribeToken: "preview"})
	return
}
