package app

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

const topicsPerPage = 30

type boardPage struct {
	Board  *models.Board
	Pinned []models.TopicSummary
	Topics []models.TopicSummary
	Newer  string // cursor for the page before, empty on the first page
	Older  string // cursor for the page after, empty on the last page
	// Refusal says why this member cannot start a topic here, if they cannot.
	Refusal string
	// Level is the member's digest switch for the board.
	Level *levelControl
	// PinnedHTML and TopicsHTML are the two lists as HTML (renderTopicList).
	PinnedHTML, TopicsHTML template.HTML
}

// boardShow lists a board's topics, most recently active first, a page
// at a time from a cursor, with its pinned topics on the first page.
func (h *Handler) boardShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	board, err := h.store.BoardBySlug(ctx, c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	access, err := h.readableBoard(c, board.ID, "That board")
	if err != nil {
		return err
	}
	page, err := topicPageOf(c)
	if err != nil {
		return err
	}
	topics, more, err := h.store.TopicsInBoard(ctx, board.ID, page)
	if err != nil {
		return err
	}
	p := boardPage{Board: board, Topics: topics, Refusal: postRefusal(access)}
	if member(c).IsVerified() {
		if p.Level, err = h.boardLevelControl(c, board.ID, board.Slug); err != nil {
			return err
		}
	}
	first := page.After == nil && (page.Before == nil || !more)
	if first {
		if p.Pinned, err = h.store.PinnedTopics(ctx, member(c), board.ID); err != nil {
			return err
		}
	}
	p.Newer, p.Older = topicCursors(topics, page, first, more)
	reads, err := h.boardReading(c, p.Pinned, p.Topics)
	if err != nil {
		return err
	}
	now := h.now()
	if len(p.Pinned) > 0 {
		p.PinnedHTML = renderTopicList(p.Pinned, reads, now)
	}
	if len(p.Topics) > 0 {
		p.TopicsHTML = renderTopicList(p.Topics, reads, now)
	}
	data := h.page(c, board.Title)
	data.Page = p
	return h.views.render(c, "board_show", data)
}

// topicPageOf reads which page of a board's topics the link asks for:
// those after a cursor (older), before one (newer), or the first.
func topicPageOf(c *fiber.Ctx) (models.TopicPage, error) {
	page := models.TopicPage{Limit: topicsPerPage, Viewer: member(c)}
	if raw := c.Query("after"); raw != "" {
		cur, err := models.ParseTopicCursor(raw)
		if err != nil {
			return page, errBadRequest("That page link is damaged; start again from the board.", err)
		}
		page.After = &cur
	} else if raw := c.Query("before"); raw != "" {
		cur, err := models.ParseTopicCursor(raw)
		if err != nil {
			return page, errBadRequest("That page link is damaged; start again from the board.", err)
		}
		page.Before = &cur
	}
	return page, nil
}

// topicCursors are the links from a page of topics to the newer page
// (none from the first) and the older one (none when there are no more).
func topicCursors(topics []models.TopicSummary, page models.TopicPage, first, more bool) (newer, older string) {
	if len(topics) == 0 {
		return "", ""
	}
	head, tail := topics[0], topics[len(topics)-1]
	if !first {
		newer = models.TopicCursor{BumpedAt: head.BumpedAt, ID: head.ID}.String()
	}
	if more || page.Before != nil {
		older = models.TopicCursor{BumpedAt: tail.BumpedAt, ID: tail.ID}.String()
	}
	return newer, older
}

// boardReading reads how far the member has read the listed topics, so
// each row says what is new; nil for anyone but a verified member.
func (h *Handler) boardReading(c *fiber.Ctx, lists ...[]models.TopicSummary) (*boardReading, error) {
	m := member(c)
	if !m.IsVerified() {
		return nil, nil
	}
	var ids []int64
	for _, topics := range lists {
		for i := range topics {
			ids = append(ids, topics[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ctx := c.UserContext()
	r := &boardReading{memberID: m.ID}
	var err error
	if r.positions, err = h.reads.positionsAmong(ctx, m.ID, ids); err != nil {
		return nil, err
	}
	if r.since, err = h.store.NewSince(ctx, m.ID); err != nil {
		return nil, err
	}
	return r, nil
}
