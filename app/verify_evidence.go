package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"rounds/app/auth"
	"rounds/app/verify"
	"rounds/models"
)

// weighEvidence gathers and stores the evidence for an application, and
// approves it at once when verify's rules say the evidence is enough.
func (h *Handler) weighEvidence(c *fiber.Ctx, v *models.Verification) error {
	ctx := c.UserContext()
	identities, err := h.store.IdentitiesOf(ctx, v.UserID)
	if err != nil {
		return err
	}
	var trusted []string
	for _, id := range identities {
		if p := auth.Find(h.providers, id.Provider); p != nil && p.Trusted {
			trusted = append(trusted, p.Label)
		}
	}
	e, err := verify.Gather(ctx, h.store, v, h.cfg.VerifyEmailDomains, trusted, h.now())
	if err != nil {
		return err
	}
	raw, err := e.Encode()
	if err != nil {
		return err
	}
	if err := h.store.SetVerificationEvidence(ctx, v.ID, raw); err != nil {
		return err
	}
	ok, rule := e.AutoVerifies()
	if !ok {
		return nil
	}
	decided, err := h.store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, Status: models.VerificationApproved, Reason: rule,
		Method: verificationMethod(e)})
	if errors.Is(err, models.ErrConflict) {
		return nil
	}
	if err != nil {
		return err
	}
	h.log.Info("member verified automatically", "user_id", v.UserID, "verification_id", v.ID)
	h.tellApplicant(c, decided)
	return nil
}

// verificationMethod names the kind of evidence that verified a member
// without a moderator, for their profile.
func verificationMethod(e verify.Evidence) string {
	if e.TrustedProvider != "" {
		return models.VerifiedByInstitution
	}
	return models.VerifiedByWorkEmail
}
