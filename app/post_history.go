package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type postHistoryPage struct {
	Topic     *models.TopicSummary
	Post      *models.Post
	Revisions []models.RevisionView
}

// postHistory shows every version of a post to its author, and to
// moderators, who alone still see the history of a deleted post.
func (h *Handler) postHistory(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	post, err := h.store.PostByID(ctx, id)
	if err != nil {
		return missing("That post", err)
	}
	topic, err := h.store.TopicByID(ctx, post.TopicID)
	if err != nil {
		return missing("That topic", err)
	}
	if _, err := h.readableBoard(c, topic.BoardID, "That post"); err != nil {
		return err
	}
	m := member(c)
	switch {
	case m.IsModerator():
	case post.IsDeleted():
		return errNotFound("That post", nil)
	case post.AuthorID != m.ID:
		return errForbidden("Only the author and moderators can see the history of a post.")
	}
	revs, err := h.store.PostRevisions(ctx, post.ID)
	if err != nil {
		return err
	}
	data := h.page(c, "History of a post")
	data.Page = postHistoryPage{Topic: topic, Post: post, Revisions: revs}
	return h.views.render(c, "post_history", data)
}
