package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type topicNewPage struct {
	Board *models.Board
	Form  *composer
}

func (h *Handler) topicNew(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	if refusal := postRefusal(access); refusal != "" {
		return errForbidden(refusal)
	}
	form := &composer{}
	if err := h.offerAnonymity(c, form, board.ID, access); err != nil {
		return err
	}
	fields, err := h.restoreDraft(c, form, models.NewTopicDraft(board.ID))
	if err != nil {
		return err
	}
	fillFromDraft(form, fields)
	return h.renderTopicForm(c, board, form, fiber.StatusOK)
}

func (h *Handler) renderTopicForm(c *fiber.Ctx, board *models.Board, form *composer, status int) error {
	form.Action = "/b/" + board.Slug + "/new"
	form.Place, form.DraftReturn, form.MentionBoard = models.NewTopicDraft(board.ID), form.Action, board.Slug
	form.WithTitle, form.OfferPoll = true, true
	form.Submit = "Start topic"
	form.Cancel = "/b/" + board.Slug
	if form.Images == nil {
		form.Images = h.newImageTray()
	}
	data := h.page(c, "New topic in "+board.Title)
	data.Page = topicNewPage{Board: board, Form: form}
	c.Status(status)
	return h.views.render(c, "topic_new", data)
}

func (h *Handler) topicCreate(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"), WithTitle: true,
		AddPoll: c.FormValue("add_poll") != ""}
	title, tags := form.validate()
	form.Errors.addRefused(c)
	if err := h.offerAnonymity(c, form, board.ID, access); err != nil {
		return err
	}
	if savingDraft(c) {
		form.Place = models.NewTopicDraft(board.ID)
		return h.saveDraftForm(c, form, func() error { return h.renderTopicForm(c, board, form, form.Errors.status()) })
	}
	guardPHI(c, form, composerFields(form)...)
	if refusal := postRefusal(access); refusal != "" {
		form.Errors.add("body", refusal+" Your text is kept below.")
	}
	acted, err := h.composerImages(c, form)
	if err != nil {
		return err
	}
	if acted {
		imageStep(form)
	}
	if acted || form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, func() error {
			return h.renderTopicForm(c, board, form, form.Errors.status())
		})
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, form, func() error { return h.renderTopicForm(c, board, form, form.Errors.status()) })
	}
	content, discard, err := h.postContentWithImages(c, form, form.Body, "")
	if err != nil {
		return err
	}
	topic, opening, err := h.store.CreateTopic(c.UserContext(), models.NewTopic{
		BoardID: board.ID, AuthorID: member(c).ID, Kind: models.KindDiscussion,
		Anonymous: form.Anonymous, AnonymityK: h.cfg.AnonymityK,
		Title: title, Tags: tags, PostContent: content,
	})
	if err != nil {
		discard()
		return err
	}
	h.dropDraft(c, models.NewTopicDraft(board.ID))
	h.postedImages(c.UserContext(), member(c).ID, form.Images)
	if form.AddPoll {
		return c.Redirect(fmt.Sprintf("/p/%d/poll", opening.ID), fiber.StatusSeeOther)
	}
	return c.Redirect(topicURL(topic), fiber.StatusSeeOther)
}
