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
	if err := h.store.AddGroupMember(c.UserContext(), g.ID, u.ID); err != nil {
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
	if err := h.store.RemoveGroupMember(c.UserContext(), g.ID, userID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/groups/%d?saved=1", g.ID), fiber.StatusSeeOther)
}
