package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

// queuedVerification is one row of the moderators' queue.
type queuedVerification struct {
	V        models.Verification
	Evidence verify.Evidence
}

// modVerifications is the moderators' queue, oldest application first.
func (h *Handler) modVerifications(c *fiber.Ctx) error {
	vs, err := h.store.VerificationQueue(c.UserContext(), 200)
	if err != nil {
		return err
	}
	rows := make([]queuedVerification, 0, len(vs))
	for _, v := range vs {
		e, err := verify.Decode(v.Evidence)
		if err != nil {
			return err
		}
		rows = append(rows, queuedVerification{V: v, Evidence: e})
	}
	data := h.page(c, "Verifications")
	data.Page = rows
	return h.views.render(c, "mod_verifications", data)
}
