package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// postShow is a post's permanent link: it sends the reader to the page of
// the topic where the post sits.
func (h *Handler) postShow(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("%s#post-%d", topicPageURL(&topic.Topic, pageOfPost(post.Number)), post.Number), fiber.StatusFound)
}
