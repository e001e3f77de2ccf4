package app

import (
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// Moderators see of a consult only what a participant reported: the
// message, the few before it, and the reports. They act on it as on a
// post: hide, purge, dismiss, or warn or suspend its author.

type modConsultPage struct {
	Case *models.ConsultCase
	Open bool
	Form reviewForm
	Done string
	// Images are the shown messages' images, by message.
	Images map[int64]template.HTML
}

// modConsultMessage shows a moderator a reported consult message. A message
// nobody reported is not found, whoever asks.
func (h *Handler) modConsultMessage(c *fiber.Ctx) error {
	p, err := h.modConsultCase(c)
	if err != nil {
		return err
	}
	p.Done = consultModNotice(c.Query("done"))
	return h.renderModConsult(c, p, fiber.StatusOK)
}

func (h *Handler) modConsultCase(c *fiber.Ctx) (*modConsultPage, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	cc, err := h.store.ConsultCaseFor(c.UserContext(), id)
	if err != nil {
		return nil, missing("That reported message", err)
	}
	open, err := h.store.OpenConsultReports(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	imgs, err := h.modConsultImages(c.UserContext(), cc)
	if err != nil {
		return nil, err
	}
	return &modConsultPage{Case: cc, Open: open, Images: imgs}, nil
}

func consultModNotice(done string) string {
	switch done {
	case "warn":
		return "The author was warned and the reports closed."
	case "suspend":
		return "The author was suspended and the reports closed."
	}
	return ""
}

// modConsultAct carries out a moderator's decision on a reported consult
// message or its author, audited; a refused form comes back with what was
// typed.
func (h *Handler) modConsultAct(c *fiber.Ctx) error {
	p, err := h.modConsultCase(c)
	if err != nil {
		return err
	}
	f := reviewForm{Action: c.Params("action"), Reason: strings.TrimSpace(c.FormValue("reason")),
		Length: c.FormValue("length"), Until: strings.TrimSpace(c.FormValue("until")), Confirm: c.FormValue("confirm") != ""}
	done, err := h.consultDecide(c, p.Case, &f)
	if f.Error != "" {
		p.Form = f
		return h.renderModConsult(c, p, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if done == models.ConsultActWarn || done == models.ConsultActSuspend {
		return c.Redirect(fmt.Sprintf("/mod/consult-messages/%d?done=%s", p.Case.Message.ID, done), fiber.StatusSeeOther)
	}
	return c.Redirect("/mod/review?done=consult-"+done, fiber.StatusSeeOther)
}

// consultDecide checks the moderator's form and acts; a problem with the
// form goes in f.Error.
func (h *Handler) consultDecide(c *fiber.Ctx, cc *models.ConsultCase, f *reviewForm) (string, error) {
	if f.Error = inputRefusal(c); f.Error != "" {
		return "", nil
	}
	ctx, mod, msg := c.UserContext(), member(c), cc.Message.ID
	reasons := map[string]string{
		models.ConsultActDismiss: "",
		models.ConsultActHide:    "Give the reason the participants will see in place of the message.",
		models.ConsultActPurge:   "Say why the message is purged (without quoting it); the audit log keeps only this.",
		models.ConsultActWarn:    "Write the warning: the member reads it as you write it.",
		models.ConsultActSuspend: "Give the reason for the suspension: the member is shown it when they try to sign in.",
	}
	missingReason, ok := reasons[f.Action]
	if !ok {
		return "", errNotFound("That action", nil)
	}
	if !f.reasonGiven(missingReason) {
		return "", nil
	}
	refused := func(err error) error {
		if errors.Is(err, models.ErrNotModeratable) {
			f.Error = "You cannot warn or suspend yourself, a moderator or an administrator, nor a member who is not verified; an administrator can act on moderators."
			return nil
		}
		return err
	}
	switch f.Action {
	case models.ConsultActPurge:
		if !f.Confirm {
			f.Error = "Tick the box to confirm: a purge cannot be undone."
			return "", nil
		}
		names, err := h.store.ConsultImageNames(ctx, msg)
		if err != nil {
			return "", err
		}
		if err := h.store.ModerateConsultMessage(ctx, mod.ID, msg, f.Action, f.Reason); err != nil {
			return "", err
		}
		h.purgeConsultImages(ctx, names)
		return f.Action, nil
	case models.ConsultActWarn:
		reason := f.Reason + "\n\n(Over one of your messages in a private consult.)"
		if err := refused(h.store.WarnMember(ctx, mod, cc.Message.AuthorID, nil, reason)); err != nil || f.Error != "" {
			return "", err
		}
		return f.Action, h.store.ResolveConsultReports(ctx, mod.ID, msg, f.Action, f.Reason)
	case models.ConsultActSuspend:
		until, ok := h.suspensionEnd(f)
		if !ok {
			return "", nil
		}
		if err := refused(h.store.SuspendMember(ctx, mod, cc.Message.AuthorID, until, f.Reason)); err != nil || f.Error != "" {
			return "", err
		}
		return f.Action, h.store.ResolveConsultReports(ctx, mod.ID, msg, f.Action, f.Reason)
	}
	return f.Action, h.store.ModerateConsultMessage(ctx, mod.ID, msg, f.Action, f.Reason)
}

func (h *Handler) renderModConsult(c *fiber.Ctx, p *modConsultPage, status int) error {
	data := h.page(c, "Review a reported consult message")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return h.views.render(c, "mod_consult", data)
}
