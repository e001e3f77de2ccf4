package app

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// adminBoardEdit shows a board's settings and the groups that may read and
// post on it.
func (h *Handler) adminBoardEdit(c *fiber.Ctx) error {
	board, err := h.adminBoard(c)
	if err != nil {
		return err
	}
	rights, err := h.store.BoardGroups(c.UserContext(), board.ID)
	if err != nil {
		return err
	}
	policy, err := h.store.BoardEmailPolicy(c.UserContext(), board.ID)
	if err != nil {
		return err
	}
	f := &boardForm{Title: board.Title, Slug: board.Slug, Description: board.Description,
		Position: strconv.Itoa(board.Position), Archived: board.Archived, AllowAnonymous: board.AllowAnonymous,
		EmailPolicy: string(policy), Read: map[int64]bool{}, Post: map[int64]bool{}}
	for _, r := range rights {
		f.Read[r.GroupID], f.Post[r.GroupID] = r.CanRead, r.CanPost
	}
	return h.renderBoardEditForm(c, board, f)
}

func (h *Handler) adminBoardUpdate(c *fiber.Ctx) error {
	board, err := h.adminBoard(c)
	if err != nil {
		return err
	}
	f := readBoardForm(c)
	if f.Errors != nil {
		return h.renderBoardEditForm(c, board, f)
	}
	updated := *board // the page keeps the saved title if this is refused
	f.apply(&updated)
	// The fields and the groups are saved together or not at all.
	ctx := c.UserContext()
	err = h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.UpdateBoard(ctx, &updated); err != nil {
			return err
		}
		if err := tx.SetBoardEmailPolicy(ctx, board.ID, models.EmailPolicy(f.EmailPolicy)); err != nil {
			return err
		}
		if err := tx.SetBoardGroups(ctx, board.ID, idList(f.Read), idList(f.Post)); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "board.update",
			SubjectType: "board", SubjectID: board.ID, Reason: f.summary()})
	})
	if errors.Is(err, models.ErrTaken) {
		f.Errors.add("slug", "Another board already has the address /b/"+f.Slug+".")
		return h.renderBoardEditForm(c, board, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/boards/%d?saved=1", board.ID), fiber.StatusSeeOther)
}

func (h *Handler) adminBoard(c *fiber.Ctx) (*models.Board, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	board, err := h.store.BoardByID(c.UserContext(), id)
	if err != nil {
		return nil, missing("That board", err)
	}
	return board, nil
}

func (h *Handler) renderBoardEditForm(c *fiber.Ctx, board *models.Board, f *boardForm) error {
	f.Action, f.Submit = fmt.Sprintf("/admin/boards/%d", board.ID), "Save board"
	return h.renderBoardForm(c, "Board: "+board.Title, f)
}
