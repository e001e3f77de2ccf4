package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/ratelimit"
	"rounds/models"
)

// flagNoteMax bounds the note a member adds to a report.
const flagNoteMax = 1000

type postFlagPage struct {
	Post    *models.Post
	Topic   *models.TopicSummary
	Reasons []models.FlagReason
	Reason  models.FlagReason
	Note    string
	Errors  fieldErrors
	// Open is the member's report still waiting for the moderators.
	Open *models.Flag
	// TopicHidden says the topic is hidden from members (its opening
	// post is, perhaps by this very report): the thank-you page then
	// names neither it nor its title.
	TopicHidden bool
}

// postFlagForm asks a member why a post needs the moderators, or says
// that their report on it is waiting.
func (h *Handler) postFlagForm(c *fiber.Ctx) error {
	p, err := h.flagTarget(c)
	if err != nil {
		return err
	}
	return h.renderPostFlag(c, p)
}

// postFlag records a member's report. A report that the post identifies a
// patient hides it from members until a moderator has looked when the
// identifier check agrees, the reporter's earlier such reports were
// upheld, or another member reported it too; otherwise it waits at the top
// of the moderators' queue. Either way the reporter is thanked.
func (h *Handler) postFlag(c *fiber.Ctx) error {
	p, err := h.flagTarget(c)
	if err != nil {
		return err
	}
	if p.Open != nil {
		return c.Redirect(fmt.Sprintf("/p/%d/flag", p.Post.ID), fiber.StatusSeeOther)
	}
	if p.readForm(c); p.Errors != nil {
		return h.renderPostFlag(c, p)
	}
	if limit := h.takeLimits(c, ratelimit.Flag); limit != nil {
		p.Errors.add("reason", limit.message()+" Nothing was sent.")
		return h.refuseForm(c, limit, func() error { return h.renderPostFlag(c, p) })
	}
	found := false
	if p.Reason == models.FlagPHI {
		fields, _, err := h.postPHIFields(c.UserContext(), p.Post, p.Topic)
		if err != nil {
			return err
		}
		found = checkPHI("", fields...) != nil
	}
	_, err = h.store.FlagPost(c.UserContext(), models.NewFlag{PostID: p.Post.ID, ReporterID: member(c).ID,
		Reason: p.Reason, Note: p.Note, IdentifierFound: found})
	switch {
	case errors.Is(err, models.ErrAlreadyFlagged):
		// A second tab or a double click: the first report stands.
	case errors.Is(err, models.ErrOwnPost):
		return errForbidden("This is your own post: edit or delete it instead of reporting it.")
	case err != nil:
		return missing("That post", err)
	}
	return c.Redirect(fmt.Sprintf("/p/%d/flag", p.Post.ID), fiber.StatusSeeOther)
}

// readForm reads the report form into p, and what is wrong with it into
// p.Errors: a reason from the list, a note that says what to look at when
// the reason is "other", and never a note longer than flagNoteMax.
func (p *postFlagPage) readForm(c *fiber.Ctx) {
	p.Reason, p.Note = readReport(c, &p.Errors, "post")
}

// readReport reads a report's reason and note from the form, and adds to
// errs what is wrong with them; what names the thing reported ("post",
// "message"). Posts and consult messages are reported with the same form.
func readReport(c *fiber.Ctx, errs *fieldErrors, what string) (models.FlagReason, string) {
	reason := models.FlagReason(c.FormValue("reason"))
	note := strings.TrimSpace(c.FormValue("note"))
	switch {
	case !reason.Valid():
		errs.add("reason", "Choose what is wrong with the "+what+".")
	case reason == models.FlagOther && utf8.RuneCountInString(note) < 5:
		errs.add("note", "Say in a few words what the moderators should look at.")
	}
	if n := utf8.RuneCountInString(note); n > flagNoteMax {
		errs.add("note", fmt.Sprintf("The note can be at most %d characters; yours has %d.", flagNoteMax, n))
	}
	errs.addRefused(c)
	return reason, note
}

// flagTarget loads a post the member may report: one they can read,
// written by someone else, not deleted. A member whose report is still
// open keeps their thank-you page even when the topic has been hidden
// meanwhile, by their report or another: they never land on a 404 for
// having reported.
func (h *Handler) flagTarget(c *fiber.Ctx) (*postFlagPage, error) {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	if _, err := h.readableBoard(c, topic.BoardID, "That post"); err != nil {
		return nil, err
	}
	if post.IsDeleted() {
		return nil, errNotFound("That post", nil)
	}
	if post.AuthorID == member(c).ID {
		return nil, errForbidden("This is your own post: edit or delete it instead of reporting it.")
	}
	p := &postFlagPage{Post: post, Topic: topic, Reasons: models.FlagReasons,
		TopicHidden: topic.OpenerHidden && !member(c).IsModerator()}
	open, err := h.store.OpenFlagBy(ctx, post.ID, member(c).ID)
	switch {
	case err == nil:
		p.Open = open
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	if p.TopicHidden && p.Open == nil {
		// As topicReadable answers: nothing of a hidden topic is shown.
		_, err := h.topicReadable(c, topic, "That post")
		return nil, err
	}
	return p, nil
}

func (h *Handler) renderPostFlag(c *fiber.Ctx, p *postFlagPage) error {
	data := h.page(c, "Report a post")
	data.Page = p
	c.Status(p.Errors.status())
	return h.views.render(c, "post_flag", data)
}
