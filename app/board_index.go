package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type boardIndexPage struct {
	Boards []models.Board
}

func (h *Handler) boardIndex(c *fiber.Ctx) error {
	boards, err := h.store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	data := h.page(c, "Boards")
	data.Page = boardIndexPage{Boards: boards}
	return h.views.render(c, "board_index", data)
}
