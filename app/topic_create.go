package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type topicNewPage struct {
	Board *models.Board
	Form  *composer
}

func (h *Handler) topicNew(c *fiber.Ctx) error {
	board, err := h.store.BoardBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	return h.renderTopicForm(c, board, &composer{}, fiber.StatusOK)
}

func (h *Handler) renderTopicForm(c *fiber.Ctx, board *models.Board, form *composer, status int) error {
	form.Action = "/b/" + board.Slug + "/new"
	form.WithTitle = true
	form.Submit = "Start topic"
	form.Cancel = "/b/" + board.Slug
	data := h.page(c, "New topic in "+board.Title)
	data.Page = topicNewPage{Board: board, Form: form}
	c.Status(status)
	return h.views.render(c, "topic_new", data)
}

func (h *Handler) topicCreate(c *fiber.Ctx) error {
	board, err := h.store.BoardBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"), WithTitle: true}
	title, tags := form.validate()
	if form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, func() error {
			return h.renderTopicForm(c, board, form, statusFor(form))
		})
	}
	cooked, err := h.markdown.Render(form.Body)
	if err != nil {
		return err
	}
	topic, _, err := h.store.CreateTopic(c.UserContext(), models.NewTopic{
		BoardID: board.ID, AuthorID: member(c).ID, Kind: models.KindDiscussion,
		Title: title, Tags: tags, Source: form.Body, Cooked: cooked,
	})
	if err != nil {
		return err
	}
	return c.Redirect(topicURL(topic), fiber.StatusSeeOther)
}

// renderComposerAgain shows a form once more with the member's text, its
// problems and, when asked for, a preview.
func (h *Handler) renderComposerAgain(c *fiber.Ctx, form *composer, render func() error) error {
	if form.Errors == nil && form.Body != "" {
		cooked, err := h.markdown.Render(form.Body)
		if err != nil {
			return err
		}
		form.Preview = cookedHTML(cooked)
	}
	return render()
}

func statusFor(form *composer) int {
	if form.Errors != nil {
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusOK
}
