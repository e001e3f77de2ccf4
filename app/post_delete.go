package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type postDeletePage struct {
	Topic *models.TopicSummary
	Post  *models.Post
}

// postDeleteConfirm asks before deleting, so the action itself is a POST
// and works without JavaScript.
func (h *Handler) postDeleteConfirm(c *fiber.Ctx) error {
	post, topic, err := h.ownPost(c, "deleted")
	if err != nil {
		return err
	}
	data := h.page(c, "Delete post")
	data.Page = postDeletePage{Topic: topic, Post: post}
	return h.views.render(c, "post_delete", data)
}

func (h *Handler) postDelete(c *fiber.Ctx) error {
	post, topic, err := h.ownPost(c, "deleted")
	if err != nil {
		return err
	}
	if err := h.store.DeletePost(c.UserContext(), post.ID, member(c).ID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("%s#post-%d", topicPageURL(&topic.Topic, pageOfPost(post.Number)), post.Number), fiber.StatusSeeOther)
}
