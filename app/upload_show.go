package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/app/blob"
)

// uploadShow shows a member their own staged upload as it would be
// posted: faces blurred, boxes black, at the page size. Nobody else's
// ticket is found, nor an expired one; the upload as sent is never
// served.
func (h *Handler) uploadShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	m := member(c)
	ticket := c.Params("ticket")
	staged, err := h.store.StagedImages(ctx, m.ID, []string{ticket})
	if err != nil {
		return err
	}
	if len(staged) == 0 {
		return errNotFound("That upload", nil)
	}
	var state stagedState
	if err := json.Unmarshal([]byte(staged[0].State), &state); err != nil {
		return fmt.Errorf("read staged image: %w", err)
	}
	data, err := h.staged(ctx, m.ID, ticket)
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrExpired) {
		return errNotFound("That upload", err)
	}
	if err != nil {
		return err
	}
	out, err := h.uploads.Render(ctx, bytes.NewReader(data), state.source(), state.edits())
	if err != nil {
		return err
	}
	page := out.Renditions[1]
	serveImage(c, page.ContentType, "inline")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(page.Data)
}
