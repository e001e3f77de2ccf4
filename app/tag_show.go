package app

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type tagPage struct {
	Tag    string
	Topics []models.TopicSummary
	Older  int64
	// TopicsHTML is the list as HTML (renderTagList).
	TopicsHTML template.HTML
}

func (h *Handler) tagShow(c *fiber.Ctx) error {
	tag := strings.ToLower(c.Params("tag"))
	if !tagPattern.MatchString(tag) {
		return errNotFound("That tag", nil)
	}
	before := int64(c.QueryInt("before", 0))
	if before < 0 {
		return errBadRequest("That page link is damaged; start again from the tag.", nil)
	}
	key := boardListKey{list: "tag:" + tag, before: strconv.FormatInt(before, 10)}
	list, err := h.spanningList(c, key, func() (*boardList, error) {
		topics, more, err := h.store.TopicsWithTag(c.UserContext(), member(c), tag, before, topicsPerPage)
		return &boardList{topics: topics, more: more}, err
	})
	if err != nil {
		return err
	}
	topics, more := list.topics, list.more
	if len(topics) == 0 && before == 0 {
		return errNotFound("No topic carries that tag, so the tag page", nil)
	}
	p := tagPage{Tag: tag, Topics: topics}
	if len(topics) > 0 {
		p.TopicsHTML = renderTagList(topics, h.now())
	}
	if more {
		p.Older = topics[len(topics)-1].ID
	}
	data := h.page(c, "Tagged "+tag)
	data.Page = p
	return h.views.render(c, "tag_show", data)
}
