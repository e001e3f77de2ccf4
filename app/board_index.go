package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type boardIndexPage struct {
	Boards []models.Board
}

// home is the boards for a member, the verification form for a pending
// account, and the landing page for everyone else.
func (h *Handler) home(c *fiber.Ctx) error {
	switch m := member(c); {
	case m.IsVerified():
		return h.boardIndex(c)
	case m != nil:
		return c.Redirect("/verify", fiber.StatusSeeOther)
	}
	data := h.page(c, "")
	return h.views.render(c, "landing", data)
}

func (h *Handler) boardIndex(c *fiber.Ctx) error {
	boards, err := h.store.ReadableBoards(c.UserContext(), member(c))
	if err != nil {
		return err
	}
	data := h.page(c, "Boards")
	data.Page = boardIndexPage{Boards: boards}
	return h.views.render(c, "board_index", data)
}
