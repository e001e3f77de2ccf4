package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// adminGroupMemberAdd lists a member in a group by their username.
func (h *Handler) adminGroupMemberAdd(c *fiber.Ctx) error {
	g, err := h.adminGroup(c)
	if err != nil {
		return err
	}
	username := strings.TrimPrefix(strings.TrimSpace(c.FormValue("username")), "@")
	u, err := h.store.UserByUsername(c.UserContext(), username)
	if models.IsNotFound(err) || (err == nil && !u.IsVerified()) {
		f := groupFormFrom(g)
		f.Username = username
		f.Errors.add("username", "No verified member has the username “"+username+"”.")
		return h.renderGroupEditForm(c, g, f)
	}
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	err = h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.AddGroupMember(ctx, g.ID, u.ID); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "group.member_add",
			SubjectType: "group", SubjectID: g.ID, Reason: "@" + u.Username})
	})
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/groups/%d?saved=1", g.ID), fiber.StatusSeeOther)
}

// adminGroupMemberRemove takes a member off a group's list.
func (h *Handler) adminGroupMemberRemove(c *fiber.Ctx) error {
	g, err := h.adminGroup(c)
	if err != nil {
		return err
	}
	userID, err := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	if err != nil {
		return errBadRequest("The form named no member to remove.", err)
	}
	ctx := c.UserContext()
	u, err := h.store.UserByID(ctx, userID)
	if err != nil {
		return missing("That member", err)
	}
	err = h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.RemoveGroupMember(ctx, g.ID, userID); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "group.member_remove",
			SubjectType: "group", SubjectID: g.ID, Reason: "@" + u.Username})
	})
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/groups/%d?saved=1", g.ID), fiber.StatusSeeOther)
}
