package app

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

// groupForm is the administrators' form for a group, with its hand-listed
// members on the edit page. It holds what was typed.
type groupForm struct {
	Action         string
	Submit         string
	GroupID        int64
	Name           string
	Description    string
	AutoProfession string
	AutoSpecialty  string
	Professions    []verify.Profession
	Members        []models.GroupMember
	Username       string // the member to add, as typed
	Errors         fieldErrors
	Saved          bool
}

func groupFormFrom(g *models.Group) *groupForm {
	return &groupForm{GroupID: g.ID, Name: g.Name, Description: g.Description,
		AutoProfession: g.AutoProfession, AutoSpecialty: g.AutoSpecialty}
}

// readGroupForm takes the submitted fields and checks them.
func readGroupForm(c *fiber.Ctx) *groupForm {
	f := &groupForm{Name: strings.Join(strings.Fields(c.FormValue("name")), " "),
		Description:    strings.TrimSpace(c.FormValue("description")),
		AutoProfession: c.FormValue("auto_profession"), AutoSpecialty: strings.TrimSpace(c.FormValue("auto_specialty"))}
	if n := utf8.RuneCountInString(f.Name); n < 2 || n > 60 {
		f.Errors.add("name", "A group name has 2 to 60 characters.")
	}
	if utf8.RuneCountInString(f.Description) > 500 {
		f.Errors.add("description", "The description can be at most 500 characters.")
	}
	if f.AutoProfession != "" && !verify.ValidProfession(f.AutoProfession) {
		f.Errors.add("auto_profession", "Choose one of the listed professions, or none.")
	}
	if utf8.RuneCountInString(f.AutoSpecialty) > 100 {
		f.Errors.add("auto_specialty", "A specialty can be at most 100 characters.")
	}
	f.Errors.addRefused(c)
	return f
}

func (f *groupForm) group(id int64) *models.Group {
	return &models.Group{ID: id, Name: f.Name, Description: f.Description,
		AutoProfession: f.AutoProfession, AutoSpecialty: f.AutoSpecialty}
}

// renderGroupForm shows the form, and on the edit page the members.
func (h *Handler) renderGroupForm(c *fiber.Ctx, title string, f *groupForm) error {
	f.Professions = verify.Professions
	if f.GroupID != 0 {
		members, err := h.store.GroupMembers(c.UserContext(), f.GroupID)
		if err != nil {
			return err
		}
		f.Members = members
	}
	f.Saved = c.Method() == fiber.MethodGet && c.Query("saved") != ""
	c.Status(f.Errors.status())
	data := h.page(c, title)
	data.Page = f
	return h.views.render(c, "admin_group_form", data)
}
