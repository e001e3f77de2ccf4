package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

func (h *Handler) adminBoardNew(c *fiber.Ctx) error {
	return h.renderBoardForm(c, "New board", &boardForm{Action: "/admin/boards/new", Submit: "Create board",
		EmailPolicy: string(models.EmailFull)})
}

func (h *Handler) adminBoardCreate(c *fiber.Ctx) error {
	f := readBoardForm(c)
	f.Action, f.Submit = "/admin/boards/new", "Create board"
	if f.Errors != nil {
		return h.renderBoardForm(c, "New board", f)
	}
	board := &models.Board{CreatedAt: h.now().UTC()}
	f.apply(board)
	ctx := c.UserContext()
	err := h.store.InTransaction(ctx, func(tx *models.Store) error {
		if err := tx.CreateBoard(ctx, board); err != nil {
			return err
		}
		if err := tx.SetBoardEmailPolicy(ctx, board.ID, models.EmailPolicy(f.EmailPolicy)); err != nil {
			return err
		}
		if err := tx.SetBoardGroups(ctx, board.ID, idList(f.Read), idList(f.Post)); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, &models.AuditEvent{ActorID: &member(c).ID, Action: "board.create",
			SubjectType: "board", SubjectID: board.ID, Reason: f.summary()})
	})
	if errors.Is(err, models.ErrTaken) {
		f.Errors.add("slug", "Another board already has the address /b/"+f.Slug+".")
		return h.renderBoardForm(c, "New board", f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/boards/%d?saved=1", board.ID), fiber.StatusSeeOther)
}
