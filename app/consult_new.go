package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// consultForm is the form that starts a consult: whom to consult, the
// subject, the first message through the shared composer, and whether the
// others may add participants.
type consultForm struct {
	To           string
	Subject      string
	OthersMayAdd bool
	Form         *composer
}

// consultNew shows the form that starts a consult; ?to=username fills in
// whom to consult, as a profile's "Consult" link does.
func (h *Handler) consultNew(c *fiber.Ctx) error {
	f := &consultForm{Form: &composer{}}
	fields, err := h.restoreDraft(c, f.Form, models.NewConsultDraft(member(c).ID))
	if err != nil {
		return err
	}
	if fields != nil {
		f.To, f.Subject, f.OthersMayAdd = fields.Get("to"), fields.Get("subject"), fields.Get("others_may_add") != ""
		fillFromDraft(f.Form, fields)
	}
	// A profile's link names whom to consult, unless the draft already
	// names someone: what the member wrote is not readdressed.
	if to := strings.TrimSpace(c.Query("to")); to != "" && strings.TrimSpace(f.To) == "" {
		f.To = to
	}
	return h.renderConsultNew(c, f)
}

func (h *Handler) renderConsultNew(c *fiber.Ctx, f *consultForm) error {
	f.Form.Action = "/consults/new"
	f.Form.Submit = "Start consult"
	f.Form.BodyLabel = "First message"
	f.Form.Cancel = "/consults"
	f.Form.Place, f.Form.DraftReturn = models.NewConsultDraft(member(c).ID), "/consults/new"
	f.Form.BodyHint = "Markdown: **bold**, *italic*, lists and [links](https://…). Only the participants read a consult, but never include patient identifiers."
	if f.Form.Images == nil {
		f.Form.Images = h.newImageTray()
	}
	data := h.page(c, "New consult")
	data.Page = f
	c.Status(f.Form.Errors.status())
	return h.views.render(c, "consult_new", data)
}

// consultCreate starts a consult. A refused form comes back with all that
// was typed and why; nothing is written until every participant can be
// consulted.
func (h *Handler) consultCreate(c *fiber.Ctx) error {
	me := member(c)
	f := &consultForm{To: c.FormValue("to"), Subject: c.FormValue("subject"), OthersMayAdd: c.FormValue("others_may_add") != "",
		Form: &composer{Body: c.FormValue("body")}}
	if savingDraft(c) {
		f.Form.Place = models.NewConsultDraft(me.ID)
		return h.saveDraftForm(c, f.Form, func() error { return h.renderConsultNew(c, f) })
	}
	f.Form.validate()
	subject := strings.Join(strings.Fields(f.Subject), " ")
	switch n := utf8.RuneCountInString(subject); {
	case n == 0:
		f.Form.Errors.add("subject", "Give the consult a subject.")
	case n > models.ConsultSubjectMax:
		f.Form.Errors.add("subject", fmt.Sprintf("The subject can be at most %d characters; it has %d.", models.ConsultSubjectMax, n))
	}
	ids, problem, err := h.consultees(c, me, f.To)
	if err != nil {
		return err
	}
	if problem != "" {
		f.Form.Errors.add("to", problem)
	}
	f.Form.Errors.addRefused(c)
	guardPHI(c, f.Form, phiField{Name: "subject", Label: "the subject", Text: f.Subject},
		phiField{Name: "body", Label: "your message", Text: f.Form.Body})
	acted, err := h.consultReplyImages(c, f.Form)
	if err != nil {
		return err
	}
	if acted || f.Form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, f.Form, func() error { return h.renderConsultNew(c, f) })
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, f.Form, func() error { return h.renderConsultNew(c, f) })
	}
	content, discard, err := h.postContentWithImages(c, f.Form, f.Form.Body, "")
	if err != nil {
		return err
	}
	consult, err := h.store.StartConsult(c.UserContext(), models.NewConsult{StarterID: me.ID, Subject: subject,
		OthersMayAdd: f.OthersMayAdd, MemberIDs: ids, PostContent: content})
	if err != nil {
		discard()
	} else {
		h.postedImages(c.UserContext(), me.ID, f.Form.Images)
	}
	switch {
	case errors.Is(err, models.ErrConsultRefused):
		// Someone blocked the member or left Rounds while they wrote.
		f.Form.Errors.add("to", "One of the members you chose cannot be consulted any more. Your text is kept below.")
		return h.renderConsultNew(c, f)
	case err != nil:
		return err
	}
	h.dropDraft(c, models.NewConsultDraft(me.ID))
	return c.Redirect(consultURL(consult.ID), fiber.StatusSeeOther)
}

// consultees reads the members to consult, by username or display name,
// separated by commas: their ids, or a problem to show under the field.
func (h *Handler) consultees(c *fiber.Ctx, me *models.User, to string) ([]int64, string, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, name := range strings.Split(to, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		u, err := h.store.MemberToConsult(c.UserContext(), name)
		if errors.Is(err, models.ErrNotFound) {
			return nil, consultRefusal(name), nil
		}
		if err != nil {
			return nil, "", err
		}
		if u.ID == me.ID {
			return nil, "You take part in your consults already: choose the colleagues to consult.", nil
		}
		if err := h.store.MayConsult(c.UserContext(), me.ID, u.ID); errors.Is(err, models.ErrConsultRefused) {
			return nil, consultRefusal(name), nil
		} else if err != nil {
			return nil, "", err
		}
		if !seen[u.ID] {
			seen[u.ID] = true
			ids = append(ids, u.ID)
		}
	}
	switch {
	case len(ids) == 0:
		return nil, "Choose at least one colleague to consult, by username.", nil
	case len(ids)+1 > models.ConsultMembersMax:
		return nil, fmt.Sprintf("A consult can have at most %d participants.", models.ConsultMembersMax), nil
	}
	return ids, "", nil
}
