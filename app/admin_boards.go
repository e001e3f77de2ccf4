package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type adminBoardsPage struct {
	Boards []models.Board
}

// adminBoards lists every board, archived ones too, for administrators.
func (h *Handler) adminBoards(c *fiber.Ctx) error {
	boards, err := h.store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	data := h.page(c, "Boards")
	data.Page = adminBoardsPage{Boards: boards}
	return h.views.render(c, "admin_boards", data)
}
