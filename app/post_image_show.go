package app

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"rounds/app/blob"
	"rounds/app/images"
	"rounds/models"
)

// mediaPrefix is where posts' images are served.
const mediaPrefix = "/media/"

// imageSizes are the sizes served of a post's image, with the file
// extension a download is named by.
var imageSizes = map[string]bool{string(images.Thumb): true, string(images.Page): true, string(images.Full): true, "dicom": true}

// mediaURL is the address of one size of a post's image.
func mediaURL(name, size string) string { return mediaPrefix + name + "/" + size }

// postImageShow serves one size of a post's image to whoever may read the
// post: its board readable, the post not deleted, and not hidden unless
// the reader moderates. Anything else is not found, whatever the address.
func (h *Handler) postImageShow(c *fiber.Ctx) error {
	size := c.Params("size")
	if !imageSizes[size] {
		return errNotFound("That image", nil)
	}
	ctx := c.UserContext()
	img, err := h.store.PostImageByName(ctx, c.Params("name"))
	if errors.Is(err, models.ErrNotFound) {
		return h.consultImageShow(c, c.Params("name"), size)
	}
	if err != nil {
		return missing("That image", err)
	}
	post, err := h.store.PostByID(ctx, img.PostID)
	if err != nil {
		return missing("That image", err)
	}
	topic, err := h.store.TopicByID(ctx, post.TopicID)
	if err != nil {
		return missing("That image", err)
	}
	if _, err := h.topicReadable(c, topic, "That image"); err != nil {
		return err
	}
	if post.IsDeleted() || (post.IsHidden() && !member(c).IsModerator()) {
		return errNotFound("That image", nil)
	}
	// The address never changes what it holds: the reader's browser may
	// keep it, no shared cache may.
	return h.sendImage(c, *img, size, "image-"+strconv.FormatInt(img.ID, 10)+".dcm", "private, max-age=86400")
}

// sendImage sends one size of a stored image, a post's or a consult
// message's, to a reader the caller has let see it: inline in the type it
// was stored in, its DICOM file as a download named dicomFile, and not
// found when it has no such size. cacheControl says how long the reader's
// browser may keep it.
func (h *Handler) sendImage(c *fiber.Ctx, img models.PostImage, size, dicomFile, cacheControl string) error {
	if size == "dicom" && !img.DICOM {
		return errNotFound("That image", nil)
	}
	data, err := blob.ReadAll(c.UserContext(), h.blobs, models.ImageBlobPrefix(img.Name)+size)
	if errors.Is(err, blob.ErrNotFound) {
		return errNotFound("That image", err)
	}
	if err != nil {
		return err
	}
	ctype, disposition := img.ContentType, "inline"
	if size == "dicom" {
		ctype, disposition = "application/dicom", `attachment; filename="`+dicomFile+`"`
	}
	serveImage(c, ctype, disposition)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	return c.Send(data)
}

// serveImage sets the headers every image Rounds serves from its own
// store carries: a type from the store, never sniffed, and a policy that
// lets nothing run should a browser take it for a page.
func serveImage(c *fiber.Ctx, ctype, disposition string) {
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, disposition)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Content-Security-Policy", imageCSP)
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// imagesLink is what a feed or an email shows of a post's images: never
// the images, which only Rounds serves, to members who may read the post,
// but a link to the post; "" when it has none.
func imagesLink(n int, postURL string) string {
	if n == 0 {
		return ""
	}
	what := "1 image: open the post on Rounds to see it."
	if n > 1 {
		what = strconv.Itoa(n) + " images: open the post on Rounds to see them."
	}
	return `<p><a href="` + urlText(postURL) + `">` + what + `</a></p>`
}

// deleteImageBlobs deletes every size of images no post refers to any
// more. The rows are gone already, so what fails to go here can no longer
// be served; it is logged for the operator.
func (h *Handler) deleteImageBlobs(ctx context.Context, names []string) {
	for _, name := range names {
		if _, err := h.blobs.DeleteAll(ctx, models.ImageBlobPrefix(name)); err != nil {
			h.log.Error("delete a purged post's image", "image", name, "err", err)
		}
	}
}
