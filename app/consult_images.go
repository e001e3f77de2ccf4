package app

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// A consult message's images go through the composer's staging,
// redaction, text check and attestation as a post's do, and are served at
// the same /media addresses, to the consult's current participants only
// (a message hidden by the moderators keeps its images from them too),
// and to moderators only while a report shows them the message.

// consultImageShow serves one size of a consult message's image, or says
// it is not found to anyone who may not see the message.
func (h *Handler) consultImageShow(c *fiber.Ctx, name, size string) error {
	ctx := c.UserContext()
	img, err := h.store.ConsultImageByName(ctx, name)
	if err != nil {
		return missing("That image", err)
	}
	msg, _, err := h.store.ConsultMessageFor(ctx, member(c).ID, img.MessageID)
	switch {
	case err == nil:
		if msg.Hidden() {
			return errNotFound("That image", nil)
		}
	case errors.Is(err, models.ErrNotFound) && member(c).IsModerator():
		cc, err := h.store.ReportedCaseShowing(ctx, img.MessageID)
		if err != nil {
			return missing("That image", err)
		}
		// The review shows the reported message even hidden, and of the
		// messages before it only those the participants still see.
		if cc.Message.ID != img.MessageID && !slices.ContainsFunc(cc.Before, func(m models.ConsultMessageView) bool {
			return m.ID == img.MessageID && !m.Hidden()
		}) {
			return errNotFound("That image", nil)
		}
	default:
		return missing("That image", err)
	}
	// Who takes part in a consult changes: the browser asks again each
	// time, and keeps nothing on disk.
	return h.sendImage(c, img.PostImage(), size, "consult-image.dcm", "private, no-store")
}

// consultImagesHTML writes the images of the messages a page shows, by
// message; a hidden message's are left out.
func (h *Handler) consultImagesHTML(ctx context.Context, msgs []models.ConsultMessageView) (map[int64]template.HTML, error) {
	var ids []int64
	for _, m := range msgs {
		if !m.Hidden() {
			ids = append(ids, m.ID)
		}
	}
	return h.consultImagesOf(ctx, ids)
}

// modConsultImages writes the images a moderator reviewing a report sees:
// the reported message's, unless purged, and those of the messages before
// it that the participants still see.
func (h *Handler) modConsultImages(ctx context.Context, cc *models.ConsultCase) (map[int64]template.HTML, error) {
	imgs, err := h.consultImagesHTML(ctx, cc.Before)
	if err != nil || cc.Message.PurgedAt != nil {
		return imgs, err
	}
	own, err := h.consultImagesOf(ctx, []int64{cc.Message.ID})
	if err != nil {
		return nil, err
	}
	maps.Copy(imgs, own)
	return imgs, nil
}

// consultImagesOf writes the images of the messages, by message.
func (h *Handler) consultImagesOf(ctx context.Context, ids []int64) (map[int64]template.HTML, error) {
	imgs, err := h.store.ImagesOfConsultMessages(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]template.HTML{}
	for id, list := range imgs {
		shown := make([]models.PostImage, len(list))
		for i, img := range list {
			shown[i] = img.PostImage()
		}
		var b strings.Builder
		writeImages(&b, shown)
		out[id] = template.HTML(b.String())
	}
	return out, nil
}

// consultReplyImages does the image step of a consult's reply form, as
// composerImages does a post's.
func (h *Handler) consultReplyImages(c *fiber.Ctx, form *composer) (bool, error) {
	acted, err := h.composerImages(c, form)
	if acted {
		imageStep(form)
	}
	return acted, err
}

// purgeConsultImages deletes every size of a purged message's images,
// named before the purge removed their rows.
func (h *Handler) purgeConsultImages(ctx context.Context, names []string) {
	h.deleteImageBlobs(context.WithoutCancel(ctx), names)
}
