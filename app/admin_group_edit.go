package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// adminGroupEdit shows a group's name, rules and hand-listed members.
func (h *Handler) adminGroupEdit(c *fiber.Ctx) error {
	g, err := h.adminGroup(c)
	if err != nil {
		return err
	}
	return h.renderGroupEditForm(c, g, groupFormFrom(g))
}

func (h *Handler) adminGroupUpdate(c *fiber.Ctx) error {
	g, err := h.adminGroup(c)
	if err != nil {
		return err
	}
	f := readGroupForm(c)
	if f.Errors != nil {
		return h.renderGroupEditForm(c, g, f)
	}
	ctx := c.UserContext()
	err = h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.SaveGroup(ctx, f.group(g.ID)); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "group.update",
			SubjectType: "group", SubjectID: g.ID, Reason: f.Name})
	})
	if errors.Is(err, models.ErrTaken) {
		f.Errors.add("name", "Another group is already called "+f.Name+".")
		return h.renderGroupEditForm(c, g, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/groups/%d?saved=1", g.ID), fiber.StatusSeeOther)
}

func (h *Handler) adminGroup(c *fiber.Ctx) (*models.Group, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	g, err := h.store.GroupByID(c.UserContext(), id)
	if err != nil {
		return nil, missing("That group", err)
	}
	return g, nil
}

func (h *Handler) renderGroupEditForm(c *fiber.Ctx, g *models.Group, f *groupForm) error {
	f.GroupID, f.Action, f.Submit = g.ID, fmt.Sprintf("/admin/groups/%d", g.ID), "Save group"
	return h.renderGroupForm(c, "Group: "+g.Name, f)
}
