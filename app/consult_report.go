package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"rounds/app/ratelimit"
	"rounds/models"
)

type consultReportPage struct {
	Consult *models.ConsultView
	Message *models.ConsultMessageView
	Reasons []models.FlagReason
	Reason  models.FlagReason
	Note    string
	Errors  fieldErrors
	// Open is the member's report still waiting for the moderators.
	Open *models.ConsultReport
}

// consultReportForm asks a participant why a message of a consult needs
// the moderators, and says what the moderators will see of it.
func (h *Handler) consultReportForm(c *fiber.Ctx) error {
	p, err := h.consultReportTarget(c)
	if err != nil {
		return err
	}
	return h.renderConsultReport(c, p)
}

// consultReport records a participant's report of a message.
func (h *Handler) consultReport(c *fiber.Ctx) error {
	p, err := h.consultReportTarget(c)
	if err != nil {
		return err
	}
	if p.Open != nil {
		return c.Redirect(consultURL(p.Consult.ID)+"?done=reported", fiber.StatusSeeOther)
	}
	if p.Reason, p.Note = readReport(c, &p.Errors, "message"); p.Errors != nil {
		return h.renderConsultReport(c, p)
	}
	if limit := h.takeLimits(c, ratelimit.Flag); limit != nil {
		p.Errors.add("reason", limit.message()+" Nothing was sent.")
		return h.refuseForm(c, limit, func() error { return h.renderConsultReport(c, p) })
	}
	err = h.store.ReportConsultMessage(c.UserContext(), p.Message.ID, member(c).ID, p.Reason, p.Note)
	switch {
	case errors.Is(err, models.ErrAlreadyReported):
		// A second tab or a double click: the first report stands.
	case errors.Is(err, models.ErrOwnPost):
		return errForbidden("This is your own message: you cannot report it.")
	case err != nil:
		return missing("That message", err)
	}
	return c.Redirect(consultURL(p.Consult.ID)+"?done=reported", fiber.StatusSeeOther)
}

// consultReportTarget loads a message a participant may report: someone
// else's, in a consult they take part in.
func (h *Handler) consultReportTarget(c *fiber.Ctx) (*consultReportPage, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	me := member(c)
	m, v, err := h.store.ConsultMessageFor(c.UserContext(), me.ID, id)
	if err != nil {
		return nil, missing("That message", err)
	}
	if m.AuthorID == me.ID {
		return nil, errForbidden("This is your own message: you cannot report it.")
	}
	p := &consultReportPage{Consult: v, Message: m, Reasons: models.FlagReasons}
	open, err := h.store.OpenConsultReportBy(c.UserContext(), m.ID, me.ID)
	switch {
	case err == nil:
		p.Open = open
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	return p, nil
}

func (h *Handler) renderConsultReport(c *fiber.Ctx, p *consultReportPage) error {
	data := h.page(c, "Report a message")
	data.Page = p
	c.Status(p.Errors.status())
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "consult_report", data)
}
