package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/app/phi"
	"rounds/models"
)

// modRedactForm gives a moderator a post's text to edit identifiers out
// of, with what the identifier check finds in it marked.
func (h *Handler) modRedactForm(c *fiber.Ctx) error {
	page, err := h.redactTarget(c)
	if err != nil {
		return err
	}
	post, topic := page.Post, page.Topic
	form := &composer{Body: post.Source, Version: post.Version, WithTitle: post.Number == 1}
	if form.WithTitle {
		form.Title, form.Tags = topic.Title, strings.Join(topic.Tags, ", ")
	}
	if cs := page.CaseSummary; cs != nil {
		form.Case = &models.CaseText{SourceURL: cs.SourceURL, Presentation: cs.Presentation, Workup: cs.Workup, Question: cs.Question}
	}
	form.PHI = checkPHI("", composerFields(form)...)
	if form.Images, err = h.editImageTray(c.UserContext(), post, true); err != nil {
		return err
	}
	page.Form = form
	return h.renderModRedact(c, page)
}

// modRedact saves the moderator's edit as a new version and erases the
// text of every earlier one, which still holds the identifiers; the post
// is shown again and its reports close. The identifier check still
// guards the new text.
func (h *Handler) modRedact(c *fiber.Ctx) error {
	page, err := h.redactTarget(c)
	if err != nil {
		return err
	}
	texts := []string{page.Post.Source}
	if page.Post.Number == 1 {
		texts = append(texts, page.Topic.Title)
	}
	if cs := page.CaseSummary; cs != nil {
		texts = append(texts, cs.SourceURL, cs.Presentation, cs.Workup, cs.Question)
	}
	saved, err := h.saveEdit(c, page, h.renderModRedact, redactionNote(texts...))
	if saved == nil || err != nil {
		return err
	}
	return c.Redirect("/mod/review?done=redact", fiber.StatusSeeOther)
}

func (h *Handler) redactTarget(c *fiber.Ctx) (postEditPage, error) {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return postEditPage{}, err
	}
	if post.IsDeleted() {
		return postEditPage{}, errNotFound("That post", nil)
	}
	page := postEditPage{Topic: topic, Post: post, Redact: true}
	if topic.Kind == models.KindCase && post.Number == 1 {
		if page.CaseSummary, err = h.store.CaseSummaryFor(c.UserContext(), topic.ID); err != nil {
			return postEditPage{}, err
		}
	}
	return page, nil
}

func (h *Handler) renderModRedact(c *fiber.Ctx, p postEditPage) error {
	p.Form.Action = fmt.Sprintf("/mod/review/%d/redact", p.Post.ID)
	p.Form.Submit = "Save and erase earlier versions"
	p.Form.Cancel = fmt.Sprintf("/mod/review/%d", p.Post.ID)
	data := h.page(c, "Edit out identifiers")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(p.Form.Errors.status())
	return h.views.render(c, "post_edit", data)
}

// redactionNote is the audit log's reason for a redaction: the kinds of
// identifier the check found in the texts before the edit, never the
// identifiers.
func redactionNote(texts ...string) string {
	var kinds []string
	for _, t := range texts {
		for _, f := range phi.Scan(t) {
			label := phiTypeLabel(f.Type)
			if !slices.Contains(kinds, label) {
				kinds = append(kinds, label)
			}
		}
	}
	if len(kinds) == 0 {
		return "edited out patient identifiers"
	}
	return "edited out patient identifiers: " + strings.Join(kinds, ", ")
}
