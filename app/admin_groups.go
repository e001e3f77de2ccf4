package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type adminGroupsPage struct {
	Groups []models.Group
}

// adminGroups lists the groups that boards can be opened to.
func (h *Handler) adminGroups(c *fiber.Ctx) error {
	groups, err := h.store.Groups(c.UserContext())
	if err != nil {
		return err
	}
	data := h.page(c, "Groups")
	data.Page = adminGroupsPage{Groups: groups}
	return h.views.render(c, "admin_groups", data)
}
