package app

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// decisionForm is a moderator's decision as typed.
type decisionForm struct {
	Decision string
	Reason   string
	Errors   map[string]string
}

var decisions = map[string]models.VerificationStatus{
	"approve": models.VerificationApproved, "reject": models.VerificationRejected, "more_info": models.VerificationMoreInfo,
}

// verifyDecide approves, rejects or asks for more, tells the applicant, and
// leaves the decision in the audit log (the store writes both at once).
func (h *Handler) verifyDecide(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.store.VerificationByID(c.UserContext(), id)
	if err != nil {
		return missing("That application", err)
	}
	form := &decisionForm{Decision: c.FormValue("decision"), Reason: strings.TrimSpace(c.FormValue("reason"))}
	status, known := decisions[form.Decision]
	switch {
	case inputRefusal(c) != "":
		form.Errors = map[string]string{"reason": inputRefusal(c)}
	case !known:
		form.Errors = map[string]string{"decision": "Choose to approve, reject, or ask for more information."}
	case status != models.VerificationApproved && form.Reason == "":
		form.Errors = map[string]string{"reason": "Give a reason: the applicant will read it."}
	case utf8.RuneCountInString(form.Reason) > 2000:
		form.Errors = map[string]string{"reason": "Keep the reason under 2,000 characters."}
	}
	if form.Errors != nil {
		return h.renderModVerification(c, v, form, fiber.StatusUnprocessableEntity)
	}
	decided, err := h.store.DecideVerification(c.UserContext(), models.Decision{
		VerificationID: v.ID, ModeratorID: member(c).ID, Status: status, Reason: form.Reason})
	if errors.Is(err, models.ErrConflict) {
		form.Errors = map[string]string{"decision": "This application has already been decided; see its history below."}
		return h.renderModVerification(c, v, form, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	h.tellApplicant(c, decided)
	return c.Redirect("/mod/verifications", fiber.StatusSeeOther)
}
