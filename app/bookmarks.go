package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/digest"
	"rounds/models"
)

// bookmarksPerPage is how many bookmarks the list shows at a time.
const bookmarksPerPage = 30

// reminderLayout is how a datetime-local field writes a time.
const reminderLayout = "2006-01-02T15:04"

// reminderChoices are the reminder times a member can pick in one click,
// besides a time of their own.
var reminderChoices = []struct{ Value, Label string }{
	{"", "No reminder"},
	{"hour", "In an hour"},
	{"tomorrow", "Tomorrow at 8:00"},
	{"3days", "In three days, at 8:00"},
	{"week", "In a week, at 8:00"},
	{"custom", "At a time I choose"},
}

type bookmarkPage struct {
	Post     *models.Post
	Topic    *models.TopicSummary
	Bookmark *models.Bookmark
	Note     string
	Remind   string
	At       string
	// Zone is the member's time zone, read once per request.
	Zone    *time.Location
	Choices []struct{ Value, Label string }
	Errors  fieldErrors
}

// bookmarkForm shows the member's bookmark on a post, or offers to keep
// it, with a note and a reminder.
func (h *Handler) bookmarkForm(c *fiber.Ctx) error {
	p, err := h.bookmarkTarget(c)
	if err != nil {
		return err
	}
	if b := p.Bookmark; b != nil {
		p.Note = b.Note
		if b.ReminderPending() {
			p.Remind, p.At = "custom", b.RemindAt.In(p.Zone).Format(reminderLayout)
		}
	}
	return h.renderBookmark(c, p)
}

// bookmarkSave keeps the post for the member, or changes their note and
// reminder. A refused form keeps what was typed.
func (h *Handler) bookmarkSave(c *fiber.Ctx) error {
	p, err := h.bookmarkTarget(c)
	if err != nil {
		return err
	}
	p.Note = strings.TrimSpace(c.FormValue("note"))
	p.Remind, p.At = c.FormValue("remind"), strings.TrimSpace(c.FormValue("at"))
	if n := utf8.RuneCountInString(p.Note); n > models.BookmarkNoteMax {
		p.Errors.add("note", fmt.Sprintf("The note can be at most %d characters; yours has %d.", models.BookmarkNoteMax, n))
	}
	remindAt, problem := h.reminderTime(p.Zone, p.Remind, p.At)
	if problem != "" {
		p.Errors.add("remind", problem)
	}
	p.Errors.addRefused(c)
	if p.Errors != nil {
		return h.renderBookmark(c, p)
	}
	if _, err := h.store.SaveBookmark(c.UserContext(), member(c).ID, p.Post.ID, p.Note, remindAt); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/p/%d", p.Post.ID), fiber.StatusSeeOther)
}

// bookmarkRemove drops the member's bookmark on a post. It needs no more
// than the bookmark: a post the member can no longer read can still leave
// their list.
func (h *Handler) bookmarkRemove(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteBookmark(c.UserContext(), member(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(safeReturn(c.FormValue("return", "/bookmarks")), fiber.StatusSeeOther)
}

// bookmarkTarget loads the post of the route's :id, which the member must
// be able to read, and their bookmark on it, if any.
func (h *Handler) bookmarkTarget(c *fiber.Ctx) (*bookmarkPage, error) {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return nil, err
	}
	if post.IsDeleted() || post.IsHidden() && !member(c).IsModerator() {
		return nil, errNotFound("That post", nil)
	}
	p := &bookmarkPage{Post: post, Topic: topic, Choices: reminderChoices, Zone: h.memberZone(c)}
	b, err := h.store.BookmarkOn(c.UserContext(), member(c).ID, post.ID)
	switch {
	case err == nil:
		p.Bookmark = b
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	return p, nil
}

// memberZone is the time zone the member reads times in: the one of their
// digest settings, UTC by default.
func (h *Handler) memberZone(c *fiber.Ctx) *time.Location {
	ds, err := h.store.DigestSettingsFor(c.UserContext(), member(c).ID)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(ds.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// reminderTime reads the reminder a member chose, in their time zone loc: nil
// for none, or a problem to show under the field.
func (h *Handler) reminderTime(loc *time.Location, choice, at string) (*time.Time, string) {
	now := h.store.Now().In(loc)
	morning := func(days int) time.Time {
		d := now.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, loc)
	}
	var t time.Time
	switch choice {
	case "":
		return nil, ""
	case "hour":
		t = now.Add(time.Hour)
	case "tomorrow":
		t = morning(1)
	case "3days":
		t = morning(3)
	case "week":
		t = morning(7)
	case "custom":
		if at == "" {
			return nil, "Choose the day and time of the reminder."
		}
		var err error
		t, err = time.ParseInLocation(reminderLayout, at, loc)
		if err != nil {
			return nil, "Give the reminder's day and time as the field asks, for example 2030-04-01 at 08:00."
		}
		if !t.After(now) {
			return nil, "That time has passed: choose a time to come."
		}
		if t.After(now.AddDate(2, 0, 0)) {
			return nil, "A reminder can be at most two years ahead."
		}
	default:
		return nil, "Choose when to be reminded."
	}
	t = t.UTC().Truncate(time.Minute)
	return &t, ""
}

func (h *Handler) renderBookmark(c *fiber.Ctx, p *bookmarkPage) error {
	data := h.page(c, "Bookmark a post")
	data.Page = p
	c.Status(p.Errors.status())
	return h.views.render(c, "bookmark", data)
}

// bookmarkExcerptLength is how many characters of each post the list
// shows.
const bookmarkExcerptLength = 200

type bookmarkItem struct {
	models.BookmarkView
	Excerpt string
}

type bookmarksPage struct {
	Items []bookmarkItem
	Zone  *time.Location
	Page  int
	More  bool
	Prev  string
	Next  string
}

// bookmarks lists the member's bookmarks, the most recent first.
func (h *Handler) bookmarks(c *fiber.Ctx) error {
	page := c.QueryInt("page", 1)
	if page < 1 {
		page = 1
	}
	items, more, err := h.store.Bookmarks(c.UserContext(), member(c), (page-1)*bookmarksPerPage, bookmarksPerPage)
	if err != nil {
		return err
	}
	p := &bookmarksPage{Items: make([]bookmarkItem, len(items)), Zone: h.memberZone(c), Page: page, More: more}
	for i := range items {
		p.Items[i] = bookmarkItem{BookmarkView: items[i], Excerpt: digest.Excerpt(items[i].Cooked, bookmarkExcerptLength)}
	}
	if page > 1 {
		p.Prev = fmt.Sprintf("/bookmarks?page=%d", page-1)
	}
	if more {
		p.Next = fmt.Sprintf("/bookmarks?page=%d", page+1)
	}
	data := h.page(c, "Bookmarks")
	data.Page = p
	return h.views.render(c, "bookmarks", data)
}
