package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// react gives or takes back the member's reaction to a post they may
// read, then goes back to the post.
func (h *Handler) react(c *fiber.Ctx) error {
	post, _, err := h.readablePost(c)
	if err != nil {
		return err
	}
	if post.IsDeleted() || post.IsHidden() {
		return errNotFound("That post", nil)
	}
	kind := models.ReactionKind(c.FormValue("kind"))
	if !kind.Valid() {
		return &Error{Status: fiber.StatusUnprocessableEntity, Message: "Choose Helpful, Agree or Thanks."}
	}
	if _, err := h.store.ToggleReaction(c.UserContext(), member(c).ID, post.ID, kind); err != nil {
		if errors.Is(err, models.ErrOwnPost) {
			return errForbidden("This is your own post: only others can react to it.")
		}
		return err
	}
	return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
}

type reactionsPage struct {
	Post     *models.Post
	Topic    *models.TopicSummary
	Reactors []models.Reactor
}

// reactions lists who gave each reaction to a post the member may read.
func (h *Handler) reactions(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	if post.IsDeleted() || post.IsHidden() && !member(c).IsModerator() {
		return errNotFound("That post", nil)
	}
	reactors, err := h.store.ReactorsOf(c.UserContext(), post.ID)
	if err != nil {
		return err
	}
	data := h.page(c, "Reactions")
	data.Page = &reactionsPage{Post: post, Topic: topic, Reactors: reactors}
	return h.views.render(c, "reactions", data)
}

// attachReactions gives each shown post its reaction counts, and the
// buttons to react to the posts the member may react to: others' posts,
// neither deleted nor hidden.
func (h *Handler) attachReactions(c *fiber.Ctx, m *models.User, items []postItem) error {
	if !m.IsVerified() {
		return nil
	}
	ids := make([]int64, 0, len(items))
	for i := range items {
		if !items[i].Deleted && !items[i].Withheld {
			ids = append(ids, items[i].ID)
		}
	}
	counts, err := h.store.ReactionsOn(c.UserContext(), m.ID, ids)
	if err != nil {
		return err
	}
	csrf := ""
	for i := range items {
		it := &items[i]
		it.Reactions = counts[it.ID]
		if !it.Mine && !it.Deleted && !it.Hidden {
			if csrf == "" {
				csrf = h.csrfToken(c)
			}
			it.ReactCSRF = csrf
		}
	}
	return nil
}
