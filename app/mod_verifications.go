package app

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

// queuedVerification is one row of the moderators' queue.
type queuedVerification struct {
	V        models.Verification
	Evidence verify.Evidence
}

// verificationQueue is the moderators' queue: applications, and verified
// members' changes of what their verification rested on.
type verificationQueue struct {
	Applications []queuedVerification
	Changes      []models.QueuedProfileChange
	// Change is a refused decision on a change, with what was typed.
	Change *changeDecision
	Done   string
}

// changeDecision is a moderator's decision on a profile change as typed.
type changeDecision struct {
	ID     int64
	Reason string
	Error  string
}

// modVerifications is the moderators' queue, oldest application first.
func (h *Handler) modVerifications(c *fiber.Ctx) error {
	return h.renderVerificationQueue(c, nil)
}

func (h *Handler) renderVerificationQueue(c *fiber.Ctx, change *changeDecision) error {
	vs, err := h.store.VerificationQueue(c.UserContext(), 200)
	if err != nil {
		return err
	}
	q := verificationQueue{Applications: make([]queuedVerification, 0, len(vs)), Change: change}
	for _, v := range vs {
		e, err := verify.Decode(v.Evidence)
		if err != nil {
			return err
		}
		q.Applications = append(q.Applications, queuedVerification{V: v, Evidence: e})
	}
	if q.Changes, err = h.store.ProfileChangeQueue(c.UserContext(), 200); err != nil {
		return err
	}
	switch c.Query("done") {
	case "approved", "rejected":
		q.Done = c.Query("done")
	}
	if change != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	data := h.page(c, "Verifications")
	data.Page = q
	return h.views.render(c, "mod_verifications", data)
}

// modProfileChangeDecide approves or turns down a member's change of the
// name, profession or specialty their verification rested on; the store
// audits the decision with it. Turning one down needs a reason, which the
// member reads.
func (h *Handler) modProfileChangeDecide(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d := &changeDecision{ID: id, Reason: strings.TrimSpace(c.FormValue("reason"))}
	approve := c.FormValue("decision") == "approve"
	switch {
	case inputRefusal(c) != "":
		d.Error = inputRefusal(c)
	case c.FormValue("decision") != "approve" && c.FormValue("decision") != "reject":
		d.Error = "Choose to approve or turn down the change."
	case !approve && d.Reason == "":
		d.Error = "Give a reason: the member will read it."
	case utf8.RuneCountInString(d.Reason) > moderatorReasonMax:
		d.Error = "Keep the reason under 500 characters."
	}
	if d.Error == "" {
		_, err = h.store.DecideProfileChange(c.UserContext(), member(c), id, approve, d.Reason)
		switch {
		case errors.Is(err, models.ErrNotModeratable):
			d.Error = "Another moderator must decide a change of your own profile."
		case errors.Is(err, models.ErrConflict):
			d.Error = "This change has already been decided or withdrawn."
		case err != nil:
			return missing("That change", err)
		}
	}
	if d.Error != "" {
		return h.renderVerificationQueue(c, d)
	}
	done := "rejected"
	if approve {
		done = "approved"
	}
	return c.Redirect("/mod/verifications?done="+done, fiber.StatusSeeOther)
}
