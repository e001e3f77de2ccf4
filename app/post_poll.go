package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// pollQuestionMax and pollOptionMax bound a poll's text.
const (
	pollQuestionMax = 300
	pollOptionMax   = 200
)

// pollPage is the form that adds a poll to a post.
type pollPage struct {
	Topic    *models.TopicSummary
	Post     *models.Post
	Question string
	Options  []string // always PollMaxOptions long, blanks included
	Multiple bool
	ClosesAt string
	Zone     string
	Errors   fieldErrors
	PHI      *phiCheck
	CSRF     string
}

// pollPost loads a post the member may add a poll to: their own, readable,
// neither deleted nor hidden.
func (h *Handler) pollPost(c *fiber.Ctx) (*models.Post, *models.TopicSummary, error) {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return nil, nil, err
	}
	if post.IsDeleted() {
		return nil, nil, errNotFound("That post", nil)
	}
	if post.AuthorID != member(c).ID {
		return nil, nil, errForbidden("Only the author of a post can add a poll to it.")
	}
	if post.IsHidden() {
		return nil, nil, errForbidden("This post was hidden by the moderators, so a poll cannot be added to it.")
	}
	return post, topic, nil
}

func (h *Handler) pollNew(c *fiber.Ctx) error {
	post, topic, err := h.pollPost(c)
	if err != nil {
		return err
	}
	return h.renderPollForm(c, &pollPage{Topic: topic, Post: post, Options: make([]string, models.PollMaxOptions)})
}

func (h *Handler) renderPollForm(c *fiber.Ctx, p *pollPage) error {
	p.Zone = h.memberZone(c).String()
	data := h.page(c, "Add a poll")
	data.Page = p
	c.Status(p.Errors.status())
	return h.views.render(c, "poll_new", data)
}

// pollCreate checks a poll as a post's text is checked (the identifier
// guard included) and adds it, or shows the form again with everything
// typed.
func (h *Handler) pollCreate(c *fiber.Ctx) error {
	post, topic, err := h.pollPost(c)
	if err != nil {
		return err
	}
	p := &pollPage{Topic: topic, Post: post, Question: strings.TrimSpace(c.FormValue("question")),
		Multiple: c.FormValue("multiple") != "", ClosesAt: strings.TrimSpace(c.FormValue("closes_at"))}
	raw := c.Context().PostArgs().PeekMulti("option")
	var options []string
	for i, o := range raw {
		if i >= models.PollMaxOptions {
			break
		}
		p.Options = append(p.Options, string(o))
		if label := strings.Join(strings.Fields(string(o)), " "); label != "" {
			options = append(options, label)
		}
	}
	for len(p.Options) < models.PollMaxOptions {
		p.Options = append(p.Options, "")
	}
	switch n := utf8.RuneCountInString(p.Question); {
	case n == 0:
		p.Errors.add("question", "Write the question the poll asks.")
	case n > pollQuestionMax:
		p.Errors.add("question", "The question can be at most "+strconv.Itoa(pollQuestionMax)+" characters; it has "+strconv.Itoa(n)+".")
	}
	seen := map[string]bool{}
	for _, o := range options {
		if utf8.RuneCountInString(o) > pollOptionMax {
			p.Errors.add("options", "Each option can be at most "+strconv.Itoa(pollOptionMax)+" characters.")
		}
		if seen[strings.ToLower(o)] {
			p.Errors.add("options", "Two options say the same thing: “"+o+"”. Give each a different answer.")
		}
		seen[strings.ToLower(o)] = true
	}
	if len(options) < models.PollMinOptions {
		p.Errors.add("options", "Give at least two options to choose from.")
	}
	closes, problem := h.pollClosing(c, p.ClosesAt)
	if problem != "" {
		p.Errors.add("closes_at", problem)
	}
	p.Errors.addRefused(c)
	fields := []phiField{{Name: "question", Label: "the question", Text: p.Question}}
	for _, o := range options {
		fields = append(fields, phiField{Name: "options", Label: "the options", Text: o})
	}
	form := &composer{Errors: p.Errors}
	guardPHI(c, form, fields...)
	p.Errors, p.PHI = form.Errors, form.PHI
	if p.Errors != nil {
		return h.renderPollForm(c, p)
	}
	_, err = h.store.CreatePoll(c.UserContext(), models.NewPoll{PostID: post.ID, AuthorID: member(c).ID, Question: p.Question,
		Options: options, Multiple: p.Multiple, ClosesAt: closes})
	switch {
	case errors.Is(err, models.ErrPollExists):
		p.Errors.add("question", "This post has a poll already: a post holds one poll.")
		return h.renderPollForm(c, p)
	case err != nil:
		return err
	}
	return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
}

// pollClosing reads the optional closing time, given in the member's
// time zone: nil for none, or a problem to show under the field.
func (h *Handler) pollClosing(c *fiber.Ctx, at string) (*time.Time, string) {
	if at == "" {
		return nil, ""
	}
	loc := h.memberZone(c)
	t, err := time.ParseInLocation(reminderLayout, at, loc)
	if err != nil {
		return nil, "Give the closing day and time as the field asks, for example 2030-04-01 at 18:00, or leave it empty."
	}
	now := h.now()
	if !t.After(now) {
		return nil, "That time has passed: choose a closing time to come, or leave it empty."
	}
	if t.After(now.AddDate(1, 0, 0)) {
		return nil, "A poll can stay open at most a year."
	}
	t = t.UTC()
	return &t, ""
}

// pollVote records the member's vote in the poll of a post they may read.
func (h *Handler) pollVote(c *fiber.Ctx) error {
	post, _, err := h.readablePost(c)
	if err != nil {
		return err
	}
	if post.IsDeleted() || post.IsHidden() {
		return errNotFound("That poll", nil)
	}
	var choices []int64
	for _, raw := range c.Context().PostArgs().PeekMulti("option") {
		id, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return &Error{Status: fiber.StatusUnprocessableEntity, Message: "Choose one of the poll's options."}
		}
		choices = append(choices, id)
	}
	err = h.store.Vote(c.UserContext(), post.ID, member(c).ID, choices)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return errNotFound("That poll", nil)
	case errors.Is(err, models.ErrPollClosed):
		return &Error{Status: fiber.StatusConflict, Message: "This poll has closed: it takes no more votes, and its results are shown under the post."}
	case errors.Is(err, models.ErrInvalidVote):
		return &Error{Status: fiber.StatusUnprocessableEntity, Message: "Choose one of the poll's options (or, where the poll allows it, several) and vote again."}
	case err != nil:
		return err
	}
	return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
}

// pollItem is a post's poll as one reader sees it. The counts are only
// filled in once the reader may see them: after voting, or once closed.
type pollItem struct {
	Question    string
	Multiple    bool
	Closed      bool
	ClosesISO   string
	ClosesFull  string
	ShowResults bool
	Voted       bool
	Voters      int
	Options     []pollOptionItem
	// VoteCSRF, set when the reader may vote, makes the poll a form.
	VoteCSRF string
}

type pollOptionItem struct {
	ID      int64
	Label   string
	Votes   int
	Percent int
	Mine    bool
}

// attachPolls gives the page's shown posts their polls, as the member
// sees them; the posts of others, deleted or hidden, show none. The
// author of a post with no poll is offered to add one.
func (h *Handler) attachPolls(c *fiber.Ctx, m *models.User, topic *models.TopicSummary, items []postItem) error {
	if !m.IsVerified() {
		return nil
	}
	var polls map[int64]*models.Poll
	if topic.HasPolls {
		ids := make([]int64, 0, len(items))
		for i := range items {
			if !items[i].Deleted && !items[i].Hidden {
				ids = append(ids, items[i].ID)
			}
		}
		var err error
		if polls, err = h.store.PollsOn(c.UserContext(), m.ID, ids); err != nil {
			return err
		}
	}
	csrf := ""
	for i := range items {
		it := &items[i]
		if it.Deleted || it.Hidden {
			continue
		}
		p := polls[it.ID]
		if p == nil {
			it.PollAddable = it.Mine
			continue
		}
		item := &pollItem{Question: p.Question, Multiple: p.Multiple, Closed: p.Closed, Voted: p.Voted,
			ShowResults: p.Voted || p.Closed}
		if p.ClosesAt != nil {
			item.ClosesISO, item.ClosesFull = isoTime(*p.ClosesAt), stampTime(*p.ClosesAt)
		}
		if item.ShowResults {
			item.Voters = p.Voters
		}
		for _, o := range p.Options {
			oi := pollOptionItem{ID: o.ID, Label: o.Label, Mine: o.Mine}
			if item.ShowResults {
				oi.Votes = o.Votes
				if p.Voters > 0 {
					oi.Percent = o.Votes * 100 / p.Voters
				}
			}
			item.Options = append(item.Options, oi)
		}
		if !p.Closed {
			if csrf == "" {
				csrf = h.csrfToken(c)
			}
			item.VoteCSRF = csrf
		}
		it.Poll = item
	}
	return nil
}

// writePoll writes a post's poll: the question, then either the form to
// vote or, once the reader voted or the poll closed, the results (counts
// only, the reader's own choice marked in words), with the form to change
// the vote folded below while the poll is open.
func writePoll(b *strings.Builder, id string, p *pollItem) {
	esc := htmlText
	writeStrings(b, `  <section class="poll" aria-labelledby="poll-`, id, `">`, "\n")
	writeStrings(b, `    <h3 class="poll-question" id="poll-`, id, `"><span class="poll-kind">Poll:</span> `, esc(p.Question), `</h3>`, "\n")
	b.WriteString(`    <p class="poll-status muted">`)
	if p.Multiple {
		b.WriteString(`Choose one or more.`)
	} else {
		b.WriteString(`Choose one.`)
	}
	switch {
	case p.Closed:
		writeStrings(b, ` Closed <time datetime="`, p.ClosesISO, `">`, p.ClosesFull, `</time>.`)
	case p.ClosesISO != "":
		writeStrings(b, ` Closes <time datetime="`, p.ClosesISO, `">`, p.ClosesFull, `</time>.`)
	}
	if p.ShowResults {
		writeStrings(b, ` `, plural(p.Voters, "member", "members"), ` voted; votes are anonymous.`)
	} else {
		b.WriteString(` Results show once you vote; votes are anonymous.`)
	}
	b.WriteString("</p>\n")
	if p.ShowResults {
		writeStrings(b, `    <ul class="poll-results">`, "\n")
		for _, o := range p.Options {
			pct := strconv.Itoa(o.Percent)
			b.WriteString(`      <li class="poll-result`)
			if o.Mine {
				b.WriteString(` mine`)
			}
			writeStrings(b, `"><span class="poll-label">`, esc(o.Label), `</span>`)
			if o.Mine {
				b.WriteString(` <strong class="poll-mine">(your choice)</strong>`)
			}
			writeStrings(b, ` <span class="poll-count">`, plural(o.Votes, "vote", "votes"), `, `, pct, `%</span>`,
				`<meter class="poll-meter" min="0" max="100" value="`, pct, `">`, pct, `%</meter></li>`, "\n")
		}
		b.WriteString("    </ul>\n")
	}
	if p.VoteCSRF != "" {
		indent := "    "
		if p.ShowResults {
			writeStrings(b, `    <details class="poll-change"><summary>Change your vote</summary>`, "\n")
			indent = "      "
		}
		kind := "radio"
		if p.Multiple {
			kind = "checkbox"
		}
		writeStrings(b, indent, `<form method="post" action="/p/`, id, `/poll/vote" class="poll-form"><input type="hidden" name="_csrf" value="`, esc(p.VoteCSRF), `">`,
			`<fieldset><legend class="visually-hidden">`, esc(p.Question), `</legend>`)
		for _, o := range p.Options {
			oid := strconv.FormatInt(o.ID, 10)
			writeStrings(b, `<label class="poll-option"><input type="`, kind, `" name="option" value="`, oid, `"`)
			if o.Mine {
				b.WriteString(` checked`)
			}
			if !p.Multiple {
				b.WriteString(` required`)
			}
			writeStrings(b, `> `, esc(o.Label), `</label>`)
		}
		writeStrings(b, `</fieldset><button type="submit" class="button small">Vote</button></form>`, "\n")
		if p.ShowResults {
			b.WriteString("    </details>\n")
		}
	}
	b.WriteString("  </section>\n")
}
