package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

func (h *Handler) adminGroupNew(c *fiber.Ctx) error {
	return h.renderGroupForm(c, "New group", &groupForm{Action: "/admin/groups/new", Submit: "Create group"})
}

func (h *Handler) adminGroupCreate(c *fiber.Ctx) error {
	f := readGroupForm(c)
	f.Action, f.Submit = "/admin/groups/new", "Create group"
	if f.Errors != nil {
		return h.renderGroupForm(c, "New group", f)
	}
	g := f.group(0)
	g.CreatedAt = h.now().UTC()
	ctx := c.UserContext()
	err := h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.SaveGroup(ctx, g); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "group.create",
			SubjectType: "group", SubjectID: g.ID, Reason: g.Name})
	})
	if errors.Is(err, models.ErrTaken) {
		f.Errors.add("name", "Another group is already called "+f.Name+".")
		return h.renderGroupForm(c, "New group", f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/groups/%d?saved=1", g.ID), fiber.StatusSeeOther)
}
