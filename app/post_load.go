package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// postAndTopic loads the post named by the route's :id and its topic; a
// missing one is a 404. Whether the member may see them is the caller's
// to decide.
func (h *Handler) postAndTopic(c *fiber.Ctx) (*models.Post, *models.TopicSummary, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, nil, err
	}
	post, err := h.store.PostByID(c.UserContext(), id)
	if err != nil {
		return nil, nil, missing("That post", err)
	}
	topic, err := h.store.TopicByID(c.UserContext(), post.TopicID)
	if err != nil {
		return nil, nil, missing("That topic", err)
	}
	return post, topic, nil
}
