package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type consultSettingsPage struct {
	Blocked []models.BlockedMember
	Name    string
	Error   string
	Notice  string
}

// settingsConsults lists the members the member will not be consulted by,
// with a form to add one.
func (h *Handler) settingsConsults(c *fiber.Ctx) error {
	p := &consultSettingsPage{}
	switch c.Query("done") {
	case "blocked":
		p.Notice = "Blocked. They cannot start a consult with you or add you to one; they are not told."
	case "unblocked":
		p.Notice = "Unblocked. They can consult you again."
	}
	return h.renderConsultSettings(c, p)
}

// settingsConsultBlock stops a member from consulting the member. Consults
// they already share go on; the member can leave them.
func (h *Handler) settingsConsultBlock(c *fiber.Ctx) error {
	me := member(c)
	p := &consultSettingsPage{Name: strings.TrimSpace(c.FormValue("member"))}
	if p.Error = inputRefusal(c); p.Error != "" {
		return h.renderConsultSettings(c, p)
	}
	if p.Name == "" {
		p.Error = "Give the username of the member to block."
		return h.renderConsultSettings(c, p)
	}
	u, err := h.store.MemberToConsult(c.UserContext(), p.Name)
	if errors.Is(err, models.ErrNotFound) {
		p.Error = "No verified member goes by “" + p.Name + "”. Check the username."
		return h.renderConsultSettings(c, p)
	}
	if err != nil {
		return err
	}
	if u.ID == me.ID {
		p.Error = "That is you."
		return h.renderConsultSettings(c, p)
	}
	if err := h.store.BlockConsults(c.UserContext(), me.ID, u.ID); err != nil {
		return err
	}
	return c.Redirect("/settings/consults?done=blocked", fiber.StatusSeeOther)
}

// settingsConsultUnblock lets a blocked member consult the member again.
func (h *Handler) settingsConsultUnblock(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.FormValue("member"), 10, 64)
	if err != nil {
		return errBadRequest("Choose a member to unblock.", err)
	}
	if err := h.store.UnblockConsults(c.UserContext(), member(c).ID, id); err != nil {
		return err
	}
	return c.Redirect("/settings/consults?done=unblocked", fiber.StatusSeeOther)
}

func (h *Handler) renderConsultSettings(c *fiber.Ctx, p *consultSettingsPage) error {
	var err error
	if p.Blocked, err = h.store.ConsultBlocks(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	if p.Error != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	data := h.page(c, "Consults settings")
	data.Page = p
	return h.views.render(c, "settings_consults", data)
}
