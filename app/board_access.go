package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// readableBoard checks that the member may read a board. An unreadable
// board answers exactly as a missing one, named by what, so its existence is
// never confirmed.
func (h *Handler) readableBoard(c *fiber.Ctx, boardID int64, what string) (models.BoardAccess, error) {
	access, err := h.store.BoardAccessFor(c.UserContext(), member(c), boardID)
	if err != nil {
		return access, missing(what, err)
	}
	if !access.Read {
		return access, errNotFound(what, nil)
	}
	return access, nil
}

// postRefusal says why a member who reads a board may not write on it, or
// "" when they may.
func postRefusal(access models.BoardAccess) string {
	switch {
	case access.Archived:
		return "This board is archived: it stays readable but takes no new topics or replies."
	case !access.Post:
		return "Posting on this board is open to some groups only, and you are not in one of them."
	}
	return ""
}

// readableTopic loads the topic named by the route's id and what the
// member may do on its board; a topic on a board they cannot read is not
// found.
func (h *Handler) readableTopic(c *fiber.Ctx) (*models.TopicSummary, models.BoardAccess, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, models.BoardAccess{}, err
	}
	topic, err := h.store.TopicByID(c.UserContext(), id)
	if err != nil {
		return nil, models.BoardAccess{}, missing("That topic", err)
	}
	access, err := h.readableBoard(c, topic.BoardID, "That topic")
	if err != nil {
		return nil, access, err
	}
	if err := hiddenTopic(c, topic); err != nil {
		return nil, access, err
	}
	return topic, access, nil
}

// hiddenTopic refuses a member a topic whose opening post the moderators
// hid: its title and replies are withheld with it until they decide.
func hiddenTopic(c *fiber.Ctx, topic *models.TopicSummary) error {
	if topic.OpenerHidden && !member(c).IsModerator() {
		return &Error{Status: fiber.StatusNotFound,
			Message: "This topic is hidden by the moderators: its opening post was hidden, and the topic with it."}
	}
	return nil
}
