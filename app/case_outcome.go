package app

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/revdiff"
	"rounds/models"
)

// outcomePage is the form where a case's author posts what became of the
// case, or edits it.
type outcomePage struct {
	Topic *models.TopicSummary
	Form  *composer
	// OutcomeOn is the day the form holds, as typed; Today bounds it.
	OutcomeOn string
	Today     string
	Editing   bool
	// Current is the version saved elsewhere while the author edited.
	Current *models.CaseOutcome
}

// outcomeTopic loads the case topic of the route for its author: a topic
// the member cannot read is not found, one that is not a case has no
// outcome, and only the case's author writes it.
func (h *Handler) outcomeTopic(c *fiber.Ctx) (*models.TopicSummary, error) {
	topic, _, err := h.readableTopic(c)
	if err != nil {
		return nil, err
	}
	if topic.Kind != models.KindCase {
		return nil, errNotFound("That case", nil)
	}
	if topic.AuthorID != member(c).ID {
		return nil, errForbidden("Only the author of a case posts its outcome.")
	}
	if topic.Locked {
		return nil, errForbidden("This case is locked by the moderators, so its outcome cannot be posted or changed.")
	}
	return topic, nil
}

// caseOutcomeForm shows the outcome form: empty, dated today in the
// member's time zone, or holding the outcome to edit.
func (h *Handler) caseOutcomeForm(c *fiber.Ctx) error {
	topic, err := h.outcomeTopic(c)
	if err != nil {
		return err
	}
	today := h.now().In(h.memberZone(c)).Format(models.OutcomeDateLayout)
	p := outcomePage{Topic: topic, Form: &composer{}, OutcomeOn: today, Today: today}
	existing, err := h.store.OutcomeOf(c.UserContext(), topic.ID)
	switch {
	case err == nil:
		p.Form.Body, p.Form.Version, p.OutcomeOn, p.Editing = existing.Source, existing.Version, existing.OutcomeOn, true
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	return h.renderOutcomeForm(c, p)
}

func (h *Handler) renderOutcomeForm(c *fiber.Ctx, p outcomePage) error {
	p.Form.Action = fmt.Sprintf("/t/%d/outcome/edit", p.Topic.ID)
	p.Form.Cancel = topicURL(&p.Topic.Topic) + "#case-outcome"
	p.Form.Submit = "Post the outcome"
	title := "Outcome of the case"
	if p.Editing {
		p.Form.Submit, title = "Save the outcome", "Edit the outcome"
	}
	data := h.page(c, title)
	data.Page = p
	c.Status(p.Form.Errors.status())
	return h.views.render(c, "case_outcome", data)
}

// caseOutcomeSave checks the outcome as a post is checked (length, the
// identifier guard, the posting limits) and saves it, or shows the form
// again with everything typed.
func (h *Handler) caseOutcomeSave(c *fiber.Ctx) error {
	topic, err := h.outcomeTopic(c)
	if err != nil {
		return err
	}
	today := h.now().In(h.memberZone(c)).Format(models.OutcomeDateLayout)
	form := &composer{Body: c.FormValue("body")}
	p := outcomePage{Topic: topic, Form: form, OutcomeOn: strings.TrimSpace(c.FormValue("outcome_on")), Today: today}
	if raw := c.FormValue("version"); raw != "" {
		v, err := parseVersion(raw)
		if err != nil {
			form.Errors.add("body", "The form was missing its version; your text is kept, save again.")
		}
		form.Version, p.Editing = v, true
	}
	form.validate()
	if day, err := time.Parse(models.OutcomeDateLayout, p.OutcomeOn); err != nil {
		form.Errors.add("outcome_on", "Give the day of the outcome or follow-up, such as "+today+".")
	} else if p.OutcomeOn > today {
		form.Errors.add("outcome_on", "The day of the outcome cannot be after today ("+today+").")
	} else if day.Year() < 1900 {
		form.Errors.add("outcome_on", "Give the day of the outcome or follow-up, such as "+today+".")
	}
	form.Errors.addRefused(c)
	guardPHI(c, form, phiField{Name: "body", Label: "the outcome", Text: form.Body})
	again := func() error { return h.renderOutcomeForm(c, p) }
	if form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, again)
	}
	content, err := h.postContent(c.UserContext(), form.Body, form.PHI, "")
	if err != nil {
		return err
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, form, again)
	}
	_, err = h.store.SaveOutcome(c.UserContext(), models.OutcomeWrite{TopicID: topic.ID, AuthorID: member(c).ID,
		BaseVersion: form.Version, OutcomeOn: p.OutcomeOn, PostContent: content})
	if errors.Is(err, models.ErrConflict) {
		current, err := h.store.OutcomeOf(c.UserContext(), topic.ID)
		if err != nil {
			return err
		}
		form.Errors.add("body", "The outcome was saved elsewhere while you were writing. The saved version is shown above; "+
			"your text is kept below. Merge what you need and save again.")
		form.Version, p.Editing, p.Current = current.Version, true, current
		return again()
	}
	if err != nil {
		return err
	}
	return c.Redirect(topicURL(&topic.Topic)+"#case-outcome", fiber.StatusSeeOther)
}

// outcomeCard is a case's outcome as the topic page shows it, under the
// case summary.
type outcomeCard struct {
	Cooked     template.HTML
	Day        string
	DayISO     string
	Edited     bool
	Updated    string
	UpdatedISO string
	// Posted says there is an outcome; without one, the card only
	// offers the case's author to post it (CanWrite).
	Posted   bool
	CanWrite bool
	FormURL  string
	// HistoryURL lists the outcome's versions once it was edited.
	HistoryURL string
}

// topicOutcome loads the outcome card of a case topic: the outcome when
// posted, and the link to post or edit it for the case's author; nil when
// there is nothing to show.
func (h *Handler) topicOutcome(c *fiber.Ctx, topic *models.TopicSummary) (*outcomeCard, error) {
	if topic.Kind != models.KindCase {
		return nil, nil
	}
	card := &outcomeCard{CanWrite: member(c).ID == topic.AuthorID && !topic.Locked,
		FormURL: fmt.Sprintf("/t/%d/outcome/edit", topic.ID)}
	if topic.HasOutcome {
		o, err := h.store.OutcomeOf(c.UserContext(), topic.ID)
		if err != nil {
			return nil, err
		}
		card.Posted, card.Cooked, card.Edited = true, cookedHTML(o.Cooked), o.IsEdited()
		card.Day, card.DayISO = outcomeDay(o.OutcomeOn), o.OutcomeOn
		if card.Edited {
			card.Updated, card.UpdatedISO = stampTime(o.UpdatedAt), isoTime(o.UpdatedAt)
			if m := member(c); m.ID == topic.AuthorID || m.IsModerator() {
				card.HistoryURL = fmt.Sprintf("/t/%d/outcome/history", topic.ID)
			}
		}
	}
	if !card.Posted && !card.CanWrite {
		return nil, nil
	}
	return card, nil
}

// outcomeDay writes an outcome's day as members read dates: 1 March 2026.
func outcomeDay(day string) string {
	t, err := time.Parse(models.OutcomeDateLayout, day)
	if err != nil {
		return day
	}
	return t.Format("2 January 2006")
}

type outcomeHistoryPage struct {
	Topic     *models.TopicSummary
	Revisions []outcomeRevision
}

type outcomeRevision struct {
	Version  int
	Day      string
	Saved    string
	SavedISO string
	Source   string
	// Changes compares the text with the version before; nil for the
	// first.
	Changes *revdiff.Diff
}

// caseOutcomeHistory lists every version of a case's outcome, newest
// first, each with what changed since the one before, to its author and
// to moderators, as a post's history is.
func (h *Handler) caseOutcomeHistory(c *fiber.Ctx) error {
	topic, _, err := h.readableTopic(c)
	if err != nil {
		return err
	}
	if topic.Kind != models.KindCase || !topic.HasOutcome {
		return errNotFound("That outcome", nil)
	}
	if m := member(c); m.ID != topic.AuthorID && !m.IsModerator() {
		return errForbidden("Only the author and moderators can see the versions of an outcome.")
	}
	revs, err := h.store.OutcomeRevisions(c.UserContext(), topic.ID)
	if err != nil {
		return err
	}
	p := outcomeHistoryPage{Topic: topic}
	for i, r := range revs {
		v := outcomeRevision{Version: r.Version, Day: outcomeDay(r.OutcomeOn), Saved: stampTime(r.CreatedAt),
			SavedISO: isoTime(r.CreatedAt), Source: r.Source}
		if i+1 < len(revs) {
			d := revdiff.Compare(revs[i+1].Source, r.Source)
			v.Changes = &d
		}
		p.Revisions = append(p.Revisions, v)
	}
	data := h.page(c, "Versions of the outcome")
	data.Page = p
	return h.views.render(c, "case_outcome_history", data)
}
