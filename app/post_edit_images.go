package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// An edit's images. The edit form lists the post's images with their
// descriptions: the author may change a description, remove an image, or
// add new ones through the composer's staging, redaction, text check and
// attestation. Nothing changes before the edit is saved: a removed image
// is only left out of the form, and its every size is deleted from the
// blob store once the edit has committed. A moderator editing identifiers
// out of a post may remove its images too, and add none.

// postedImage is one of the post's images as the edit form shows it.
type postedImage struct {
	ID     int64
	Name   string
	Alt    string
	Width  int
	Height int
	Error  string
}

// ThumbURL is the image's thumbnail, served to whoever may read the post.
func (p *postedImage) ThumbURL() string { return mediaURL(p.Name, "thumb") }

// FullURL is the image's full view.
func (p *postedImage) FullURL() string { return mediaURL(p.Name, "full") }

// Label names a posted image on the form.
func (p *postedImage) Label(i int) string { return "Posted image " + strconv.Itoa(i+1) }

// LabelLower is Label inside a sentence.
func (p *postedImage) LabelLower(i int) string { return "posted image " + strconv.Itoa(i+1) }

// editImageTray is the edit form's images as the post has them.
func (h *Handler) editImageTray(ctx context.Context, post *models.Post, redact bool) (*imageTray, error) {
	imgs, err := h.store.ImagesOfPosts(ctx, []int64{post.ID})
	if err != nil {
		return nil, err
	}
	tray := h.newImageTray()
	tray.Editing, tray.NoUploads = true, redact
	for _, img := range imgs[post.ID] {
		tray.Posted = append(tray.Posted, &postedImage{ID: img.ID, Name: img.Name, Alt: img.Alt, Width: img.Width, Height: img.Height})
	}
	return tray, nil
}

// readPostedImages reads which of the post's images the edit form keeps,
// with the descriptions typed; a form that does not list them (a draft's,
// say) keeps them all as they are.
func readPostedImages(c *fiber.Ctx, tray *imageTray) {
	if c.FormValue("posted_images") == "" {
		return
	}
	listed := formValues(c, "posted_image")
	var kept []*postedImage
	for _, p := range tray.Posted {
		if slices.Contains(listed, strconv.FormatInt(p.ID, 10)) {
			p.Alt = strings.TrimSpace(c.FormValue("alt-posted-" + strconv.FormatInt(p.ID, 10)))
			kept = append(kept, p)
		}
	}
	tray.Posted = kept
}

// draftEditImages keeps the edit form's images as they were sent when
// its draft is saved: a draft keeps the text, and the form shown again
// keeps the images kept, removed and staged.
func (h *Handler) draftEditImages(c *fiber.Ctx, post *models.Post, form *composer) error {
	tray, err := h.editImageTray(c.UserContext(), post, false)
	if err != nil {
		return err
	}
	readPostedImages(c, tray)
	staged, _, err := h.readImageTray(c)
	if err != nil {
		return err
	}
	tray.Images, tray.Attested = staged.Images, staged.Attested
	for _, img := range tray.Images {
		if img.Boxes == "" {
			img.Boxes = suggestedBoxes(img.State)
		}
	}
	form.Images = tray
	return nil
}

// editImages does the image step of an edit form, as composerImages does
// a new post's, and says whether it did one: then the form is shown again
// rather than saved.
func (h *Handler) editImages(c *fiber.Ctx, page postEditPage, form *composer) (bool, error) {
	tray, err := h.editImageTray(c.UserContext(), page.Post, page.Redact)
	if err != nil {
		return false, err
	}
	readPostedImages(c, tray)
	form.Images = tray
	acted := false
	if !page.Redact {
		if acted, err = h.composerImages(c, form); err != nil {
			return false, err
		}
	}
	if id := c.FormValue("remove_posted"); id != "" {
		acted = true
		if i := slices.IndexFunc(form.Images.Posted, func(p *postedImage) bool { return strconv.FormatInt(p.ID, 10) == id }); i >= 0 {
			form.Images.Posted = slices.Delete(form.Images.Posted, i, i+1)
			form.Images.Notice = "The image will be removed, with every size of it, when you save. Until then the post keeps it; cancel to keep it."
		}
	}
	if acted || c.FormValue("preview") != "" {
		return acted, nil
	}
	for i, p := range form.Images.Posted {
		if msg := checkAlt(form, p.Label(i), p.Alt); msg != "" {
			p.Error = msg
		}
	}
	return false, nil
}

// keptEditImages renders the edit's new images into the blob store and
// says what the edit does to the post's images; discard deletes the new
// ones again should the edit not be saved.
func (h *Handler) keptEditImages(ctx context.Context, memberID int64, tray *imageTray) (*models.ImageEdit, func(), error) {
	var staged *imageTray
	if len(tray.Images) > 0 {
		staged = tray
	}
	added, discard, err := h.keptImages(ctx, memberID, staged)
	if err != nil {
		return nil, discard, err
	}
	edit := &models.ImageEdit{Added: added}
	for _, p := range tray.Posted {
		edit.Keep = append(edit.Keep, models.PostImage{ID: p.ID, Alt: p.Alt})
	}
	return edit, discard, nil
}

// editedImages finishes an edit's images once it has committed: the
// staged uploads are let go of, and every size of the removed images
// deleted.
func (h *Handler) editedImages(ctx context.Context, memberID int64, tray *imageTray, edit *models.ImageEdit) {
	h.postedImages(ctx, memberID, tray)
	h.deleteImageBlobs(context.WithoutCancel(ctx), edit.Removed)
}

// tooManyImages tells an edit refused for its number of images.
func tooManyImages(err error, form *composer) bool {
	if !errors.Is(err, models.ErrTooManyImages) {
		return false
	}
	addImageProblem(form, fmt.Sprintf("A post takes at most %d images: remove some before adding more.", models.MaxPostImages))
	return true
}
