package app

import (
	"html/template"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// preview renders the composer's markdown exactly as saving would, for the
// live preview. It writes nothing.
func (h *Handler) preview(c *fiber.Ctx) error {
	body := c.FormValue("body")
	if utf8.RuneCountInString(body) > bodyMax {
		return errBadRequest("A post can be at most 32,000 characters.", nil)
	}
	rendered, err := h.markdown.Render(body, h.mentionsOfMembers(c.UserContext()))
	if err != nil {
		return err
	}
	// The identifier check runs on what is typed, title included when
	// the form has one; the preview only shows what it found.
	check := checkPHI("", phiField{Name: "title", Label: "the title", Text: c.FormValue("title")},
		phiField{Name: "body", Label: "your post", Text: body})
	if check != nil {
		check.Live = true
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.renderFragment(c, "topic_new", "live_preview", livePreview{Cooked: cookedHTML(rendered.HTML), PHI: check})
}

// livePreview is the composer's preview: the post as it would look, with
// what the identifier check found above it.
type livePreview struct {
	Cooked template.HTML
	PHI    *phiCheck
}
