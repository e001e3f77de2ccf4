package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// verifyApply saves an application, new or edited, gathers its evidence and
// verifies the member at once when the evidence is strong enough.
func (h *Handler) verifyApply(c *fiber.Ctx) error {
	m := member(c)
	if m.IsVerified() {
		return c.Redirect("/verify", fiber.StatusSeeOther)
	}
	form := formFromRequest(c)
	clean := form.Application
	clean.Clean()
	problems := fieldErrors(clean.Validate())
	problems.addRefused(c)
	if form.Errors = problems; form.Errors != nil {
		if old, err := h.store.VerificationByUser(c.UserContext(), m.ID); err == nil {
			form.Question = formFrom(old).Question
		}
		return h.renderVerifyForm(c, form, fiber.StatusUnprocessableEntity)
	}
	v := verificationFrom(m.ID, clean)
	err := h.store.SubmitVerification(c.UserContext(), v)
	if errors.Is(err, models.ErrConflict) {
		return c.Redirect("/verify", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	if err := h.weighEvidence(c, v); err != nil {
		return err
	}
	return c.Redirect("/verify", fiber.StatusSeeOther)
}
