package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

func (h *Handler) modTopicLock(c *fiber.Ctx) error {
	return h.modTopicSwitch(c, func(ctx context.Context, topicID, modID int64, reason string) error {
		return h.store.LockTopic(ctx, topicID, modID, true, reason)
	})
}

func (h *Handler) modTopicUnlock(c *fiber.Ctx) error {
	return h.modTopicSwitch(c, func(ctx context.Context, topicID, modID int64, reason string) error {
		return h.store.LockTopic(ctx, topicID, modID, false, reason)
	})
}

func (h *Handler) modTopicPin(c *fiber.Ctx) error {
	return h.modTopicSwitch(c, func(ctx context.Context, topicID, modID int64, _ string) error {
		return h.store.PinTopic(ctx, topicID, modID, true)
	})
}

func (h *Handler) modTopicUnpin(c *fiber.Ctx) error {
	return h.modTopicSwitch(c, func(ctx context.Context, topicID, modID int64, _ string) error {
		return h.store.PinTopic(ctx, topicID, modID, false)
	})
}

// modTopicSwitch runs one of the topic page's moderator buttons and sends
// the moderator back to the topic. Pressing one twice is harmless: the
// store changes and records nothing the second time.
func (h *Handler) modTopicSwitch(c *fiber.Ctx, act func(ctx context.Context, topicID, modID int64, reason string) error) error {
	topic, err := h.modTopic(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if utf8.RuneCountInString(reason) > moderatorReasonMax {
		return &Error{Status: fiber.StatusUnprocessableEntity, Message: fmt.Sprintf("The reason can be at most %d characters.", moderatorReasonMax)}
	}
	if err := act(c.UserContext(), topic.ID, member(c).ID, reason); err != nil {
		return missing("That topic", err)
	}
	return c.Redirect(topicURL(&topic.Topic), fiber.StatusSeeOther)
}

// modTopic loads the topic a moderator acts on. Moderators read every
// board, so only a missing topic is refused.
func (h *Handler) modTopic(c *fiber.Ctx) (*models.TopicSummary, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	topic, err := h.store.TopicByID(c.UserContext(), id)
	if err != nil {
		return nil, missing("That topic", err)
	}
	return topic, nil
}

type topicMovePage struct {
	Topic *models.TopicSummary
	// Boards are the boards the topic can move to: every other board that
	// is not archived.
	Boards []models.Board
	// The form as submitted, kept when it is refused.
	BoardID int64
	Reason  string
	Error   string
	// Field is the field the error is about: "board" or "reason".
	Field string
}

// modTopicMoveForm asks a moderator where a topic should go and why.
func (h *Handler) modTopicMoveForm(c *fiber.Ctx) error {
	p, err := h.topicMoveTarget(c)
	if err != nil {
		return err
	}
	return h.renderTopicMove(c, p, fiber.StatusOK)
}

// modTopicMove moves the topic and sends the moderator to it on its new
// board; a choice the store refuses comes back with what they typed.
func (h *Handler) modTopicMove(c *fiber.Ctx) error {
	p, err := h.topicMoveTarget(c)
	if err != nil {
		return err
	}
	p.Reason = strings.TrimSpace(c.FormValue("reason"))
	p.BoardID, _ = strconv.ParseInt(c.FormValue("board"), 10, 64)
	switch {
	case inputRefusal(c) != "":
		p.Error, p.Field = inputRefusal(c), "reason"
	case p.BoardID == p.Topic.BoardID:
		p.Error = "The topic is already on " + p.Topic.BoardTitle + ". Choose another board."
	case p.BoardID <= 0:
		p.Error = "Choose the board to move the topic to."
	case utf8.RuneCountInString(p.Reason) > moderatorReasonMax:
		p.Error, p.Field = fmt.Sprintf("The reason can be at most %d characters.", moderatorReasonMax), "reason"
	}
	if p.Error == "" {
		err = h.store.MoveTopic(c.UserContext(), p.Topic.ID, p.BoardID, member(c).ID, p.Reason)
		switch {
		case errors.Is(err, models.ErrSameBoard):
			p.Error = "The topic is already on that board. Choose another board."
		case errors.Is(err, models.ErrBoardArchived):
			p.Error = "That board is archived and takes no new topics. Choose another board."
		case errors.Is(err, models.ErrNotFound):
			p.Error = "That board no longer exists. Choose another board."
		case errors.Is(err, models.ErrConflict):
			p.Error = "Someone moved this topic while you were choosing. Check where it is now and choose again."
		case err != nil:
			return err
		}
	}
	if p.Error != "" {
		if p.Field == "" {
			p.Field = "board"
		}
		return h.renderTopicMove(c, p, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect(topicURL(&p.Topic.Topic), fiber.StatusSeeOther)
}

func (h *Handler) topicMoveTarget(c *fiber.Ctx) (*topicMovePage, error) {
	topic, err := h.modTopic(c)
	if err != nil {
		return nil, err
	}
	boards, err := h.store.Boards(c.UserContext())
	if err != nil {
		return nil, err
	}
	p := &topicMovePage{Topic: topic}
	for _, b := range boards {
		if b.ID != topic.BoardID && !b.Archived {
			p.Boards = append(p.Boards, b)
		}
	}
	return p, nil
}

func (h *Handler) renderTopicMove(c *fiber.Ctx, p *topicMovePage, status int) error {
	data := h.page(c, "Move “"+p.Topic.Title+"”")
	data.Page = p
	c.Status(status)
	return h.views.render(c, "mod_topic_move", data)
}
