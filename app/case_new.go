package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type caseNewPage struct {
	Board    *models.Board
	Form     *caseForm
	AgeBands []models.CaseChoice
	Sexes    []models.CaseChoice
}

func (h *Handler) caseNew(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	if refusal := postRefusal(access); refusal != "" {
		return errForbidden(refusal)
	}
	form := &caseForm{}
	fields, err := h.restoreDraft(c, &form.composer, models.NewCaseDraft(board.ID))
	if err != nil {
		return err
	}
	if fields != nil {
		note := form.Draft
		form = readCaseFormFrom(fields.Get)
		form.Draft = note
	}
	if err := h.offerAnonymity(c, &form.composer, board.ID, access); err != nil {
		return err
	}
	if form.Anonymity != nil && fields != nil {
		form.Anonymous = fields.Get("anonymous") != ""
	}
	return h.renderCaseForm(c, board, form, fiber.StatusOK)
}

func (h *Handler) caseCreate(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	form := readCaseForm(c)
	title, tags, summary, source := form.validate(member(c).ID)
	form.Errors.addRefused(c)
	if err := h.offerAnonymity(c, &form.composer, board.ID, access); err != nil {
		return err
	}
	if savingDraft(c) {
		form.Place = models.NewCaseDraft(board.ID)
		return h.saveDraftForm(c, &form.composer, func() error { return h.renderCaseForm(c, board, form, form.Errors.status()) })
	}
	form.guardPHI(c)
	if refusal := postRefusal(access); refusal != "" {
		form.Errors.add("body", refusal+" Your text is kept below.")
	}
	acted, err := h.composerImages(c, &form.composer)
	if err != nil {
		return err
	}
	if acted {
		imageStep(&form.composer)
	}
	if acted || form.Errors != nil || c.FormValue("preview") != "" {
		if form.Errors == nil && !acted {
			preview, err := h.markdown.Render(source, h.mentionsOfMembers(c.UserContext()))
			if err != nil {
				return err
			}
			form.Preview = cookedHTML(preview.HTML)
		}
		return h.renderCaseForm(c, board, form, form.Errors.status())
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, &form.composer, func() error { return h.renderCaseForm(c, board, form, form.Errors.status()) })
	}
	content, discard, err := h.postContentWithImages(c, &form.composer, source, "", summary.SourceURL)
	if err != nil {
		return err
	}
	topic, _, err := h.store.CreateTopic(c.UserContext(), models.NewTopic{
		BoardID: board.ID, AuthorID: member(c).ID, Kind: models.KindCase, Case: summary,
		Anonymous: form.Anonymous, AnonymityK: h.cfg.AnonymityK,
		Title: title, Tags: tags, PostContent: content,
	})
	if err != nil {
		discard()
		return err
	}
	h.dropDraft(c, models.NewCaseDraft(board.ID))
	h.postedImages(c.UserContext(), member(c).ID, form.Images)
	return c.Redirect(topicURL(topic), fiber.StatusSeeOther)
}

// readCaseForm reads the case form as the member filled it in.
func readCaseForm(c *fiber.Ctx) *caseForm {
	return readCaseFormFrom(func(name string) string { return c.FormValue(name) })
}

// readCaseFormFrom reads the case form's fields from get: the request's,
// or a draft's.
func readCaseFormFrom(get func(string) string) *caseForm {
	return &caseForm{
		composer: composer{Title: get("title"), Tags: get("tags"), Body: get("body")},
		CaseText: models.CaseText{SourceURL: get("source_url"), Presentation: get("presentation"),
			Workup: get("workup"), Question: get("question")},
		AgeBand: get("age_band"), Sex: get("sex"), Attested: get("attest") != "",
	}
}

// guardPHI runs the identifier check over every field of the case a
// member writes, in the form's order.
func (f *caseForm) guardPHI(c *fiber.Ctx) {
	guardPHI(c, &f.composer,
		phiField{Name: "title", Label: "the title", Text: f.Title},
		phiField{Name: "presentation", Label: "the presentation", Text: f.Presentation},
		phiField{Name: "workup", Label: "the work-up", Text: f.Workup},
		phiField{Name: "question", Label: "the question", Text: f.Question},
		phiField{Name: "tags", Label: "the tags", Text: f.Tags},
		phiField{Name: "body", Label: "the discussion", Text: f.Body})
}

func (h *Handler) renderCaseForm(c *fiber.Ctx, board *models.Board, form *caseForm, status int) error {
	form.Action = "/b/" + board.Slug + "/case"
	form.Place, form.DraftReturn, form.MentionBoard = models.NewCaseDraft(board.ID), form.Action, board.Slug
	form.Submit = "Present case"
	form.Cancel = "/b/" + board.Slug
	if form.Images == nil {
		form.Images = h.newImageTray()
	}
	data := h.page(c, "Present a case in "+board.Title)
	data.Page = caseNewPage{Board: board, Form: form, AgeBands: models.CaseAgeBands, Sexes: models.CaseSexes}
	c.Status(status)
	return h.views.render(c, "case_new", data)
}
