package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/npi"
	"rounds/app/verify"
	"rounds/models"
)

// modVerificationPage shows one application with its evidence: as stored
// when submitted, and the NPI registry as it stands now.
type modVerificationPage struct {
	V         *models.Verification
	Applicant *models.User
	Evidence  verify.Evidence
	Registry  *npi.Finding
	History   []models.AuditEntry
	Form      *decisionForm
}

func (h *Handler) modVerification(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.store.VerificationByID(c.UserContext(), id)
	if err != nil {
		return missing("That application", err)
	}
	return h.renderModVerification(c, v, &decisionForm{}, fiber.StatusOK)
}

func (h *Handler) renderModVerification(c *fiber.Ctx, v *models.Verification, form *decisionForm, status int) error {
	ctx := c.UserContext()
	p := modVerificationPage{V: v, Form: form}
	var err error
	if p.Applicant, err = h.store.UserByID(ctx, v.UserID); err != nil {
		return err
	}
	if p.Evidence, err = verify.Decode(v.Evidence); err != nil {
		return err
	}
	if v.NPI != "" {
		f, err := npi.Evidence(ctx, h.store, v.NPI, verify.LastName(v.FullName), v.LicenseState)
		if err != nil {
			return err
		}
		p.Registry = &f
	}
	if p.History, err = h.store.AuditEventsFor(ctx, "verification", v.ID); err != nil {
		return err
	}
	data := h.page(c, "Application from "+v.FullName)
	data.Page = p
	c.Status(status)
	return h.views.render(c, "mod_verification", data)
}
