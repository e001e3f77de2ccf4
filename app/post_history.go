package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type postHistoryPage struct {
	Topic     *models.TopicSummary
	Post      *models.Post
	Revisions []models.RevisionView
	// Withheld is a hidden post seen by its author: the page says why it
	// was hidden and shows no content.
	Withheld bool
}

// postHistory shows every version of a post to its author, and to
// moderators, who alone still see the history of a deleted post and the
// content of a hidden one.
func (h *Handler) postHistory(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m := member(c)
	switch {
	case m.IsModerator():
	case post.IsDeleted():
		return errNotFound("That post", nil)
	case post.AuthorID != m.ID:
		return errForbidden("Only the author and moderators can see the history of a post.")
	}
	p := postHistoryPage{Topic: topic, Post: post, Withheld: post.IsHidden() && !m.IsModerator()}
	if !p.Withheld {
		if p.Revisions, err = h.store.PostRevisions(ctx, post.ID); err != nil {
			return err
		}
		anonymizeEditors(post, p.Revisions)
	}
	data := h.page(c, "History of a post")
	data.Page = p
	return h.views.render(c, "post_history", data)
}
