package app

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// readingListPage is Latest, New or Unread: topics across every board the
// member may read, by last activity.
type readingListPage struct {
	List    string
	Heading string
	Topics  []models.ReadingTopic
	// TopicsHTML is the list as HTML (renderReadingList).
	TopicsHTML   template.HTML
	Newer, Older string
	// NewSince is when topics start to count as new to the member, as the
	// New list says, and its day as the date field takes it.
	NewSince     time.Time
	NewSinceDate string
	// Problem says why the date chosen for New was refused; Since is what
	// was typed.
	Problem string
	Since   string
}

// Tabs are the three lists, for the links between them.
func (p readingListPage) Tabs() []readingTab {
	return []readingTab{
		{"/latest", "Latest", p.List == models.ListLatest},
		{"/new", "New", p.List == models.ListNew},
		{"/unread", "Unread", p.List == models.ListUnread},
	}
}

type readingTab struct {
	URL, Label string
	Current    bool
}

func (h *Handler) latest(c *fiber.Ctx) error {
	return h.readingList(c, models.ListLatest, "Latest", nil)
}

func (h *Handler) newTopics(c *fiber.Ctx) error {
	return h.readingList(c, models.ListNew, "New topics", nil)
}

func (h *Handler) unread(c *fiber.Ctx) error {
	return h.readingList(c, models.ListUnread, "Unread", nil)
}

// readingList shows one page of a reading list. The positions the member
// reached a moment ago are written first, so the list agrees with what
// they just read.
func (h *Handler) readingList(c *fiber.Ctx, list, heading string, refused *readingListPage) error {
	ctx := c.UserContext()
	page, err := topicPageOf(c)
	if err != nil {
		return err
	}
	p := readingListPage{List: list, Heading: heading}
	if list == models.ListLatest {
		if p.Topics, p.Newer, p.Older, err = h.latestList(c, page); err != nil {
			return err
		}
	} else {
		// New and Unread choose their topics by what the member read, so
		// the positions they reached a moment ago are written first.
		if err := h.reads.flushMember(ctx, member(c).ID); err != nil {
			h.log.Warn("record reading positions", "request_id", requestID(c), "err", err)
		}
		topics, more, err := h.store.ReadingList(ctx, list, page)
		if err != nil {
			return err
		}
		p.Topics = topics
		if len(topics) > 0 {
			ends := []models.TopicSummary{topics[0].TopicSummary, topics[len(topics)-1].TopicSummary}
			first := page.After == nil && (page.Before == nil || !more)
			p.Newer, p.Older = topicCursors(ends, page, first, more)
		}
	}
	if refused != nil {
		p.Problem, p.Since = refused.Problem, refused.Since
	}
	if list == models.ListNew {
		if p.NewSince, err = h.store.NewSince(ctx, member(c).ID); err != nil {
			return err
		}
		p.NewSinceDate = p.NewSince.In(h.memberZone(c)).Format(time.DateOnly)
		if p.Since == "" {
			p.Since = p.NewSinceDate
		}
	}
	if len(p.Topics) > 0 {
		p.TopicsHTML = renderReadingList(p.Topics, h.now())
	}
	data := h.page(c, heading)
	data.Page = p
	if refused != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return h.views.render(c, "reading_list", data)
}

// latestList is a page of Latest: the topics as every reader with the same
// boards and kind sees them (cached, spanningList), then how far this
// member read each, their positions gathered in memory included, as the
// board page adds them. Latest lists topics whatever the member read, so
// nothing needs writing first.
func (h *Handler) latestList(c *fiber.Ctx, page models.TopicPage) (topics []models.ReadingTopic, newer, older string, err error) {
	key := boardListKey{list: "latest", after: c.Query("after"), before: c.Query("before")}
	if page.After == nil {
		key.after = ""
	}
	if page.After != nil || page.Before == nil {
		key.before = ""
	}
	list, err := h.spanningList(c, key, func() (*boardList, error) {
		topics, more, err := h.store.LatestTopics(c.UserContext(), page)
		if err != nil {
			return nil, err
		}
		first := page.After == nil && (page.Before == nil || !more)
		l := &boardList{topics: topics, more: more}
		l.newer, l.older = topicCursors(topics, page, first, more)
		return l, nil
	})
	if err != nil {
		return nil, "", "", err
	}
	reads, err := h.boardReading(c, list)
	if err != nil {
		return nil, "", "", err
	}
	topics = make([]models.ReadingTopic, len(list.topics))
	for i := range list.topics {
		t := &list.topics[i]
		topics[i].TopicSummary = *t
		if reads != nil {
			topics[i].LastRead = reads.positions[t.ID]
			topics[i].New = topics[i].LastRead == 0 && t.CreatedAt.After(reads.since) && t.AuthorID != reads.memberID
		}
	}
	return topics, list.newer, list.older, nil
}

// newSinceSave has topics count as new from the day the member chose, in
// their time zone, or from now for "Dismiss new".
func (h *Handler) newSinceSave(c *fiber.Ctx) error {
	m := member(c)
	since := h.now()
	if c.FormValue("dismiss") == "" {
		typed := strings.TrimSpace(c.FormValue("since"))
		day, err := time.ParseInLocation(time.DateOnly, typed, h.memberZone(c))
		problem := ""
		switch {
		case typed == "":
			problem = "Choose the day from which topics count as new."
		case err != nil:
			problem = "Give the day as the field asks, for example 2026-03-01."
		case day.After(since):
			problem = "That day is still to come: choose today or a day before."
		case day.Before(since.AddDate(-5, 0, 0)):
			problem = "Choose a day within the last five years."
		}
		if problem != "" {
			return h.readingList(c, models.ListNew, "New topics", &readingListPage{Problem: problem, Since: typed})
		}
		since = day
	}
	if err := h.store.SetNewSince(c.UserContext(), m.ID, since); err != nil {
		return err
	}
	return c.Redirect("/new", fiber.StatusSeeOther)
}

// markAllRead marks every topic the member opened as read, and every topic
// so far as no longer new.
func (h *Handler) markAllRead(c *fiber.Ctx) error {
	ctx := c.UserContext()
	// Positions gathered in memory are older than this mark: written
	// first, they cannot move anything back (positions only move forward).
	if err := h.reads.flushMember(ctx, member(c).ID); err != nil {
		h.log.Warn("record reading positions", "request_id", requestID(c), "err", err)
	}
	if err := h.store.MarkAllRead(ctx, member(c).ID); err != nil {
		return err
	}
	return c.Redirect(safeReturn(c.FormValue("return", "/unread")), fiber.StatusSeeOther)
}

// boardMarkRead marks every topic of a board the member may read as read.
func (h *Handler) boardMarkRead(c *fiber.Ctx) error {
	ctx := c.UserContext()
	board, err := h.store.BoardBySlug(ctx, c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	if _, err := h.readableBoard(c, board.ID, "That board"); err != nil {
		return err
	}
	if err := h.reads.flushMember(ctx, member(c).ID); err != nil {
		h.log.Warn("record reading positions", "request_id", requestID(c), "err", err)
	}
	if err := h.store.MarkBoardRead(ctx, member(c).ID, board.ID); err != nil {
		return err
	}
	return c.Redirect("/b/"+board.Slug, fiber.StatusSeeOther)
}
