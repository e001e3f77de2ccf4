package app

import (
	"errors"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type consultPage struct {
	Consult      *models.ConsultView
	Participants []models.ConsultParticipant
	Messages     []models.ConsultMessageView
	// FirstUnread is the first message of others the member had not read
	// when the page was asked for, 0 when none.
	FirstUnread int64
	Form        *composer
	// Add is the add-a-participant field, with its problem if refused.
	Add      string
	AddError string
	Notice   string
	// Images are the messages' images, by message.
	Images map[int64]template.HTML
}

// consultShow shows a consult to one of its participants, with a reply
// form, and records that they have read it.
func (h *Handler) consultShow(c *fiber.Ctx) error {
	v, err := h.consultFor(c)
	if err != nil {
		return err
	}
	// How far the member has read is their own bookkeeping, as a
	// session's last use is; the page still marks what was new to them,
	// from what was loaded before.
	if err := h.store.ReadConsult(c.UserContext(), v.ID, v.Me.UserID); err != nil {
		return err
	}
	form := &composer{}
	fields, err := h.restoreDraft(c, form, models.ConsultDraft(v.ID))
	if err != nil {
		return err
	}
	fillFromDraft(form, fields)
	p := &consultPage{Consult: v, Form: form, Notice: consultNotice(c.Query("done"))}
	return h.renderConsult(c, p)
}

func (h *Handler) renderConsult(c *fiber.Ctx, p *consultPage) error {
	ctx := c.UserContext()
	var err error
	if p.Participants, err = h.store.ConsultParticipants(ctx, p.Consult.ID); err != nil {
		return err
	}
	if p.Messages, err = h.store.ConsultMessages(ctx, p.Consult.ID); err != nil {
		return err
	}
	if p.Images, err = h.consultImagesHTML(ctx, p.Messages); err != nil {
		return err
	}
	if p.Form.Images == nil {
		p.Form.Images = h.newImageTray()
	}
	for _, m := range p.Messages {
		if m.ID > p.Consult.Me.LastReadMessageID && m.AuthorID != p.Consult.Me.UserID {
			p.FirstUnread = m.ID
			break
		}
	}
	p.Form.Action = consultURL(p.Consult.ID) + "/reply"
	p.Form.Place, p.Form.DraftReturn = models.ConsultDraft(p.Consult.ID), consultURL(p.Consult.ID)+"#reply-heading"
	p.Form.Submit = "Send"
	p.Form.BodyLabel = "Your message"
	p.Form.BodyHint = "Markdown. Only the participants read this consult; never include patient identifiers."
	data := h.page(c, p.Consult.Subject)
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	status := p.Form.Errors.status()
	if p.AddError != "" {
		status = fiber.StatusUnprocessableEntity
	}
	c.Status(status)
	return h.views.render(c, "consult_show", data)
}

// consultReply writes a participant's message; a refused one comes back in
// the form with why.
func (h *Handler) consultReply(c *fiber.Ctx) error {
	v, err := h.consultFor(c)
	if err != nil {
		return err
	}
	form := &composer{Body: c.FormValue("body")}
	form.validate()
	form.Errors.addRefused(c)
	p := &consultPage{Consult: v, Form: form}
	if savingDraft(c) {
		form.Place = models.ConsultDraft(v.ID)
		return h.saveDraftForm(c, form, func() error { return h.renderConsult(c, p) })
	}
	guardPHI(c, form, phiField{Name: "body", Label: "your message", Text: form.Body})
	acted, err := h.consultReplyImages(c, form)
	if err != nil {
		return err
	}
	if acted || form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, func() error { return h.renderConsult(c, p) })
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, form, func() error { return h.renderConsult(c, p) })
	}
	content, discard, err := h.postContentWithImages(c, form, form.Body, "")
	if err != nil {
		return err
	}
	m, err := h.store.AddConsultMessage(c.UserContext(), v.ID, v.Me.UserID, content)
	if err != nil {
		discard()
	} else {
		h.postedImages(c.UserContext(), v.Me.UserID, form.Images)
	}
	if errors.Is(err, models.ErrNotParticipant) {
		return errNotFound("That consult", err)
	}
	if err != nil {
		return err
	}
	h.dropDraft(c, models.ConsultDraft(v.ID))
	return c.Redirect(consultURL(v.ID)+"#message-"+itoa(int(m.ID)), fiber.StatusSeeOther)
}
