package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// readableBoard checks that the member may read a board. An unreadable
// board answers exactly as a missing one, named by what, so its existence is
// never confirmed.
func (h *Handler) readableBoard(c *fiber.Ctx, boardID int64, what string) (models.BoardAccess, error) {
	access, err := h.store.BoardAccessFor(c.UserContext(), member(c), boardID)
	if err != nil {
		return access, missing(what, err)
	}
	if !access.Read {
		return access, errNotFound(what, nil)
	}
	return access, nil
}

// postRefusal says why a member who reads a board may not write on it, or
// "" when they may.
func postRefusal(access models.BoardAccess) string {
	switch {
	case access.Archived:
		return "This board is archived: it stays readable but takes no new topics or replies."
	case !access.Post:
		return "Posting on this board is open to some groups only, and you are not in one of them."
	}
	return ""
}
