package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// topicRead records how far the member has read a topic, as the topic
// page's script reports the posts that came into view (public/js/reading.js).
// The position joins the reading batcher, so the request writes nothing
// itself, and a position past the topic's last post is taken as its last.
func (h *Handler) topicRead(c *fiber.Ctx) error {
	topic, _, err := h.readableTopic(c)
	if err != nil {
		return err
	}
	number, err := strconv.Atoi(c.FormValue("number"))
	if err != nil || number < 1 {
		return errBadRequest("A reading position is a post number, 1 or more.", err)
	}
	h.reads.record(member(c).ID, topic.ID, min(number, topic.PostCount), h.now())
	onlyReading(c)
	return c.SendStatus(fiber.StatusNoContent)
}
