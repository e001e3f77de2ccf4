package app

import (
	"errors"
	"fmt"
	"slices"

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

// applyReactions marks the reactions the member gave (reacted, by post)
// and gives them the buttons to react to the posts they may react to:
// others' posts, neither deleted nor hidden. The items' counts are shared
// with the cache, so each is copied before it is marked.
func (h *Handler) applyReactions(c *fiber.Ctx, items []postItem, reacted map[int64][]models.ReactionKind) {
	csrf := ""
	for i := range items {
		it := &items[i]
		if mine := reacted[it.ID]; len(mine) > 0 && len(it.Reactions) > 0 {
			it.Reactions = slices.Clone(it.Reactions)
			for j := range it.Reactions {
				it.Reactions[j].Mine = slices.Contains(mine, it.Reactions[j].Kind)
			}
		}
		if !it.Mine && !it.Deleted && !it.Hidden {
			if csrf == "" {
				csrf = h.csrfToken(c)
			}
			it.ReactCSRF = csrf
		}
	}
}
