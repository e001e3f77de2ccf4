package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"rounds/app/seed"
	"rounds/app/verify"
	"rounds/models"
)

// verifyPage is the verification page: the application form while there is
// none or a moderator asked for more, otherwise the applicant's status.
type verifyPage struct {
	Form         *applicationForm // nil on the status page
	Verification *models.Verification
	Evidence     verify.Evidence
	Email        emailStep
	Domains      []string
	// MailReader, in the demo, is who can read the code on the Mail page,
	// as no mail leaves the demo.
	MailReader string
}

// emailStep is the work-email confirmation on the status page.
type emailStep struct {
	Notice string
	Error  string
	Code   string // what was typed, kept when it was refused
}

func (h *Handler) verifyShow(c *fiber.Ctx) error {
	m := member(c)
	v, err := h.store.VerificationByUser(c.UserContext(), m.ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	editing := v == nil || v.Status == models.VerificationMoreInfo ||
		(v.Status == models.VerificationSubmitted && c.Query("edit") != "")
	if editing && !m.IsVerified() {
		return h.renderVerifyForm(c, formFrom(v), fiber.StatusOK)
	}
	return h.renderVerifyStatus(c, v, emailStep{}, fiber.StatusOK)
}

func (h *Handler) renderVerifyForm(c *fiber.Ctx, form *applicationForm, status int) error {
	data := h.page(c, "Verification")
	data.Page = verifyPage{Form: form, Domains: h.cfg.VerifyEmailDomains}
	c.Status(status)
	return h.views.render(c, "verify", data)
}

func (h *Handler) renderVerifyStatus(c *fiber.Ctx, v *models.Verification, email emailStep, status int) error {
	p := verifyPage{Verification: v, Email: email, Domains: h.cfg.VerifyEmailDomains}
	if h.demo && h.cfg.SMTPURL == nil {
		p.MailReader = seed.DemoAdministrator().DisplayName
	}
	if v != nil {
		var err error
		if p.Evidence, err = verify.Decode(v.Evidence); err != nil {
			return err
		}
	}
	data := h.page(c, "Verification")
	data.Page = p
	c.Status(status)
	return h.views.render(c, "verify", data)
}
