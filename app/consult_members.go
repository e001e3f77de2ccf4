package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// consultAdd brings a member into a consult, when the member asking may:
// the starter, or anyone when the starter allowed it.
func (h *Handler) consultAdd(c *fiber.Ctx) error {
	v, err := h.consultFor(c)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("member"))
	p := &consultPage{Consult: v, Form: &composer{}, Add: name}
	refuse := func(problem string) error {
		p.AddError = problem
		return h.renderConsult(c, p)
	}
	if !v.MayAdd() {
		return refuse("Only the member who started this consult can add participants to it.")
	}
	if refused := inputRefusal(c); refused != "" {
		return refuse(refused)
	}
	if name == "" {
		return refuse("Give the username of the colleague to add.")
	}
	u, err := h.store.MemberToConsult(c.UserContext(), name)
	if errors.Is(err, models.ErrNotFound) {
		return refuse(consultRefusal(name))
	}
	if err != nil {
		return err
	}
	err = h.store.AddConsultParticipant(c.UserContext(), v.ID, v.Me.UserID, u.ID)
	if errors.Is(err, models.ErrConsultRefused) {
		return refuse(consultRefusal(name))
	}
	if err != nil {
		problem, err := consultError(err)
		if err != nil {
			return err
		}
		return refuse(problem)
	}
	return c.Redirect(consultURL(v.ID)+"?done=added", fiber.StatusSeeOther)
}

// consultLeave takes the member out of a consult; they go back to their
// list, since the consult is no longer theirs to read.
func (h *Handler) consultLeave(c *fiber.Ctx) error {
	v, err := h.consultFor(c)
	if err != nil {
		return err
	}
	if err := h.store.LeaveConsult(c.UserContext(), v.ID, v.Me.UserID); err != nil {
		return missing("That consult", err)
	}
	return c.Redirect("/consults?done=left", fiber.StatusSeeOther)
}

// consultMute stops the consult's notifications for the member.
func (h *Handler) consultMute(c *fiber.Ctx) error { return h.consultSetMuted(c, true) }

// consultUnmute starts them again.
func (h *Handler) consultUnmute(c *fiber.Ctx) error { return h.consultSetMuted(c, false) }

func (h *Handler) consultSetMuted(c *fiber.Ctx, muted bool) error {
	v, err := h.consultFor(c)
	if err != nil {
		return err
	}
	if err := h.store.MuteConsult(c.UserContext(), v.ID, v.Me.UserID, muted); err != nil {
		return missing("That consult", err)
	}
	done := "unmuted"
	if muted {
		done = "muted"
	}
	return c.Redirect(consultURL(v.ID)+"?done="+done, fiber.StatusSeeOther)
}
