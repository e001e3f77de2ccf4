package app

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/app/mail"
	"rounds/models"
)

// sendCode mails a work-email code. The code is in the text only, never in
// the subject, which shows in notifications and on lock screens.
func (h *Handler) sendCode(c *fiber.Ctx, to, code string) error {
	return h.mailer.Send(c.UserContext(), mail.Message{
		To:      []string{to},
		Subject: "Confirm your work email for Rounds",
		Text: "Your Rounds confirmation code is " + code + ".\n\n" +
			"Enter it on " + h.cfg.BaseURL.String() + "/verify within 15 minutes.\n" +
			"If you did not ask for it, ignore this email; nothing happens without the code.\n",
	})
}

// tellApplicant mails a decision to the applicant's confirmed work email,
// or failing that to an address a sign-in provider verified. The decision
// stands whether or not the mail goes out: the status page shows it too.
func (h *Handler) tellApplicant(c *fiber.Ctx, v *models.Verification) {
	to := h.applicantAddress(c.UserContext(), v)
	if to == "" {
		return
	}
	var text string
	switch v.Status {
	case models.VerificationApproved:
		text = "You are verified on Rounds. Welcome: you can now read and post at " + h.cfg.BaseURL.String() + "/\n"
	case models.VerificationRejected:
		text = "A moderator did not approve your verification on Rounds.\n\nTheir reason: " + v.DecisionReason + "\n"
	case models.VerificationMoreInfo:
		text = "A moderator needs more information to verify you on Rounds.\n\nTheir question: " + v.DecisionReason +
			"\n\nAnswer by editing your application at " + h.cfg.BaseURL.String() + "/verify\n"
	default:
		return
	}
	err := h.mailer.Send(c.UserContext(), mail.Message{To: []string{to}, Subject: "Your Rounds verification", Text: text})
	if err != nil {
		h.log.Warn("decision mail not sent", "verification_id", v.ID, "err", err)
	}
}

func (h *Handler) applicantAddress(ctx context.Context, v *models.Verification) string {
	if v.WorkEmailConfirmedAt != nil {
		return v.WorkEmail
	}
	identities, err := h.store.IdentitiesOf(ctx, v.UserID)
	if err != nil {
		h.log.Warn("decision mail: identities", "verification_id", v.ID, "err", err)
		return ""
	}
	for _, id := range identities {
		if id.EmailVerified && strings.Contains(id.Email, "@") {
			return id.Email
		}
	}
	return ""
}
