package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// readableBoard checks that the member may read a board. An unreadable
// board answers exactly as a missing one, named by what, so its existence is
// never confirmed.
func (h *Handler) readableBoard(c *fiber.Ctx, boardID int64, what string) (models.BoardAccess, error) {
	access, err := h.boardAccess(c, boardID)
	if err != nil {
		return access, missing(what, err)
	}
	if !access.Read {
		return access, errNotFound(what, nil)
	}
	return access, nil
}

// boardAccess is what the member may do on a board, from the read cache
// when it holds it.
func (h *Handler) boardAccess(c *fiber.Ctx, boardID int64) (models.BoardAccess, error) {
	u := member(c)
	return h.cache.access.read(accessKey{member: memberKeyOf(u), boardID: boardID}, h.cacheStamp(), nil, func() (models.BoardAccess, error) {
		return h.store.BoardAccessFor(c.UserContext(), u, boardID)
	})
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
	return h.readableTopicRead(c, id, nil)
}

// readableTopicRead is readableTopic for the topic id, given what topicShow
// read for its page (reads; nil for nothing, see topicByIDRead).
func (h *Handler) readableTopicRead(c *fiber.Ctx, id int64, reads *topicPageReads) (*models.TopicSummary, models.BoardAccess, error) {
	topic, err := h.topicByIDRead(c, id, reads)
	if err != nil {
		return nil, models.BoardAccess{}, missing("That topic", err)
	}
	access, err := h.topicReadable(c, topic, "That topic")
	if err != nil {
		return nil, access, err
	}
	return topic, access, nil
}

// topicByID loads a topic, from the read cache when it holds it and the
// request only reads (a form posted reads the topic as it is now).
func (h *Handler) topicByID(c *fiber.Ctx, id int64) (*models.TopicSummary, error) {
	return h.topicByIDRead(c, id, nil)
}

// topicByIDRead is topicByID given what topicShow read for the page
// (reads; nil for nothing): the topic read there is taken, and kept under
// the stamp taken before it was read.
func (h *Handler) topicByIDRead(c *fiber.Ctx, id int64, reads *topicPageReads) (*models.TopicSummary, error) {
	read := reads != nil && reads.Topic != nil
	if c.Method() != fiber.MethodGet {
		if read {
			return reads.Topic, nil
		}
		return h.store.TopicByID(c.UserContext(), id)
	}
	stamp := h.cacheStamp()
	if read {
		stamp = reads.stamp
	}
	t, err := h.cache.topics.read(id, stamp, nil, func() (models.TopicSummary, error) {
		if read {
			return *reads.Topic, nil
		}
		t, err := h.store.TopicByID(c.UserContext(), id)
		if err != nil {
			return models.TopicSummary{}, err
		}
		return *t, nil
	})
	if err != nil {
		return nil, err
	}
	// t is the reader's own copy but for its tags, which the kept value
	// shares.
	t.Tags = slices.Clone(t.Tags)
	return &t, nil
}

// readablePost loads the post named by the route's id and its topic, when
// the member may read them; otherwise it answers as topicReadable does.
func (h *Handler) readablePost(c *fiber.Ctx) (*models.Post, *models.TopicSummary, error) {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return nil, nil, err
	}
	if _, err := h.topicReadable(c, topic, "That post"); err != nil {
		return nil, nil, err
	}
	return post, topic, nil
}

// topicReadable checks that the member may read a topic: its board, named
// by what when they cannot, and, unless they moderate, an opening post not
// hidden, since the title and replies are withheld with a hidden one.
func (h *Handler) topicReadable(c *fiber.Ctx, topic *models.TopicSummary, what string) (models.BoardAccess, error) {
	access, err := h.readableBoard(c, topic.BoardID, what)
	if err != nil {
		return access, err
	}
	if topic.OpenerHidden && !member(c).IsModerator() {
		return access, &Error{Status: fiber.StatusNotFound,
			Message: "This topic is hidden by the moderators: its opening post was hidden, and the topic with it."}
	}
	return access, nil
}
