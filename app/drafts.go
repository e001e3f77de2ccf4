package app

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/ratelimit"
	"rounds/models"
)

// Drafts: every composer keeps what the member writes on the server, per
// member and place, so that it waits for them on any device. With
// JavaScript the form saves itself as they type and when they leave the
// page (POST /drafts); without it, a "Save draft" button sends the form to
// its own address, whose handler keeps it (saveDraftForm). Posting or
// discarding deletes the draft. Drafts hold text only: the identifier
// check runs when the member posts, and a draft goes nowhere else.

const (
	// draftFieldsMax bounds how many fields a draft keeps.
	draftFieldsMax = 60
	// draftFieldMax bounds every field but the body, which has the
	// post's own limit: the longest other field of a composer takes
	// 8,000 characters.
	draftFieldMax = 8000
)

// draftNote says when the draft shown in a composer was saved.
type draftNote struct{ SavedAt time.Time }

// notDrafted are the fields of a composer form that are not what the
// member wrote.
var notDrafted = map[string]bool{csrfField: true, "draft_place": true, "save_draft": true, "preview": true, "return": true}

// draftFields are the fields of a composer form to keep in its draft.
func draftFields(c *fiber.Ctx) url.Values {
	fields := url.Values{}
	keep := func(k, v string) {
		if !notDrafted[k] {
			fields[k] = append(fields[k], v)
		}
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { keep(string(k), string(v)) })
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		if form, err := c.Request().MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for _, v := range vs {
					keep(k, v)
				}
			}
		}
	}
	return fields
}

// draftProblem is why a draft cannot be kept as it is, "" when it can:
// it is bound by the limits of a post.
func draftProblem(fields url.Values) string {
	if len(fields) > draftFieldsMax {
		return "This form has more fields than a draft keeps."
	}
	for name, values := range fields {
		for _, v := range values {
			n := utf8.RuneCountInString(v)
			if name == "body" && n > bodyMax {
				return "A post can be at most 32,000 characters; this one has " + itoa(n) + ". Shorten it to keep it as a draft."
			}
			if name != "body" && n > draftFieldMax {
				return "A field of this form holds more than a draft keeps (" + itoa(draftFieldMax) + " characters)."
			}
		}
	}
	return ""
}

// draftTooMany is what a member with a full drafts list reads.
var draftTooMany = fmt.Sprintf("You keep %d drafts already: post or discard some on your Drafts page first.", models.DraftsMax)

// keepDraft checks and saves the member's draft at place, returning a
// problem to show for a draft refused.
func (h *Handler) keepDraft(c *fiber.Ctx, place models.DraftPlace, fields url.Values) (*models.Draft, string, error) {
	if problem := draftProblem(fields); problem != "" {
		return nil, problem, nil
	}
	d, err := h.store.SaveDraft(c.UserContext(), member(c).ID, place, fields)
	switch {
	case errors.Is(err, models.ErrTooManyDrafts):
		return nil, draftTooMany, nil
	case errors.Is(err, models.ErrDraftTooLarge):
		return nil, "This draft is larger than Rounds keeps.", nil
	case err != nil:
		return nil, "", err
	}
	return d, "", nil
}

// saveDraftForm keeps the draft of a composer sent with its "Save draft"
// button and shows the form again through render, holding what was typed,
// with the note of the draft or why it could not be kept.
func (h *Handler) saveDraftForm(c *fiber.Ctx, form *composer, render func() error) error {
	form.Errors = nil
	form.Errors.addRefused(c)
	if form.Errors != nil {
		return render()
	}
	if limit := h.takeLimits(c, ratelimit.Draft); limit != nil {
		form.Errors.add("body", limit.message()+" Your text is kept below; the draft was not saved.")
		return h.refuseForm(c, limit, render)
	}
	d, problem, err := h.keepDraft(c, form.Place, draftFields(c))
	if err != nil {
		return err
	}
	if problem != "" {
		form.Errors.add("body", problem+" Your text is kept below.")
		return render()
	}
	form.Draft = &draftNote{SavedAt: d.UpdatedAt}
	form.Notice = "Your draft is saved. It waits for you here, on any device, and under Drafts in the menu."
	return render()
}

// savingDraft says whether a composer was sent with its "Save draft"
// button.
func savingDraft(c *fiber.Ctx) bool { return c.FormValue("save_draft") != "" }

// restoreDraft reads the member's draft at a place, the form's, if they
// have one, marking the form with its note. It returns the draft's fields, nil
// when there is none.
func (h *Handler) restoreDraft(c *fiber.Ctx, form *composer, place models.DraftPlace) (url.Values, error) {
	form.Place = place
	d, err := h.store.DraftAt(c.UserContext(), member(c).ID, place)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return restoredDraft(form, place, d), nil
}

// restoredDraft is restoreDraft with the draft (nil for none) already read.
func restoredDraft(form *composer, place models.DraftPlace, d *models.Draft) url.Values {
	form.Place = place
	if d == nil {
		return nil
	}
	form.Draft = &draftNote{SavedAt: d.UpdatedAt}
	return d.Values()
}

// fillFromDraft puts a draft's title, tags, body and anonymity choice in
// a composer.
func fillFromDraft(form *composer, fields url.Values) {
	if fields == nil {
		return
	}
	form.Title, form.Tags, form.Body = fields.Get("title"), fields.Get("tags"), fields.Get("body")
	if form.Anonymity != nil {
		form.Anonymous = fields.Get("anonymous") != ""
	}
}

// dropDraft deletes the member's draft at a place once what it held is
// posted. The post is saved by then, so a failure is logged, not shown:
// the draft is swept with the others.
func (h *Handler) dropDraft(c *fiber.Ctx, place models.DraftPlace) {
	if err := h.store.DeleteDraft(c.UserContext(), member(c).ID, place); err != nil {
		h.log.Error("delete a posted draft", "place", place.String(), "err", err, "request_id", requestID(c))
	}
}

// draftSaved is the answer to a draft the composer saved as the member
// typed.
type draftSaved struct {
	SavedAt string `json:"saved_at"`
	Note    string `json:"note"`
}

type draftRefused struct {
	Error string `json:"error"`
}

// draftSave keeps the draft the composer sends as the member types, or as
// they leave the page, and answers in JSON.
func (h *Handler) draftSave(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	// Refused characters are the member's to take out, whatever else is
	// wrong: the composer keeps the text and says so.
	if refusal := inputRefusal(c); refusal != "" {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(draftRefused{
			"Draft not saved: the text holds " + refusedCharacters + ". Take them out and it is saved again."})
	}
	place, err := models.ParseDraftPlace(c.FormValue("draft_place"))
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(draftRefused{"This form does not say where its draft belongs."})
	}
	if err := h.draftPlaceOpen(c, place); err != nil {
		return err
	}
	if limit := h.takeLimits(c, ratelimit.Draft); limit != nil {
		c.Set(fiber.HeaderRetryAfter, limit.retryAfter())
		return c.Status(fiber.StatusTooManyRequests).JSON(draftRefused{"Draft not saved: " + limit.message()})
	}
	d, problem, err := h.keepDraft(c, place, draftFields(c))
	if err != nil {
		return err
	}
	if problem != "" {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(draftRefused{"Draft not saved: " + problem})
	}
	return c.JSON(draftSaved{SavedAt: d.UpdatedAt.UTC().Format(time.RFC3339), Note: draftSavedWords(d.UpdatedAt)})
}

// draftSavedWords is the note of a saved draft.
func draftSavedWords(t time.Time) string {
	return "Draft saved at " + t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// draftPlaceOpen checks that the member may write at a place, answering
// as the place's own pages do when they may not.
func (h *Handler) draftPlaceOpen(c *fiber.Ctx, place models.DraftPlace) error {
	ctx := c.UserContext()
	switch place.Kind {
	case models.DraftTopic, models.DraftCase:
		if _, err := h.store.BoardByID(ctx, place.ID); err != nil {
			return missing("That board", err)
		}
		_, err := h.readableBoard(c, place.ID, "That board")
		return err
	case models.DraftReply:
		topic, err := h.store.TopicByID(ctx, place.ID)
		if err != nil {
			return missing("That topic", err)
		}
		_, err = h.topicReadable(c, topic, "That topic")
		return err
	case models.DraftEdit:
		post, err := h.store.PostByID(ctx, place.ID)
		if err != nil {
			return missing("That post", err)
		}
		topic, err := h.store.TopicByID(ctx, post.TopicID)
		if err != nil {
			return missing("That post", err)
		}
		if _, err := h.topicReadable(c, topic, "That post"); err != nil {
			return err
		}
		if post.IsDeleted() {
			return errNotFound("That post", nil)
		}
		if post.AuthorID != member(c).ID || post.IsHidden() && !member(c).IsModerator() {
			return errForbidden("You can only change your own posts.")
		}
		return nil
	case models.DraftNewConsult:
		// Each member's own form; nobody keeps a draft in another's.
		if place.ID != member(c).ID {
			return errNotFound("That form", nil)
		}
		return nil
	case models.DraftConsult:
		// Only a participant keeps a draft in a consult; to anyone else it
		// does not exist.
		if _, err := h.store.ConsultFor(ctx, member(c).ID, place.ID); err != nil {
			return missing("That consult", err)
		}
		return nil
	}
	return errBadRequest("This form does not say where its draft belongs.", nil)
}

// draftDiscard deletes the member's draft at a place and goes back to
// where they were: the composer, empty again, or their drafts. It needs
// no more than the draft: one whose place closed to them can still go.
func (h *Handler) draftDiscard(c *fiber.Ctx) error {
	place, err := models.ParseDraftPlace(c.FormValue("draft_place"))
	if err != nil {
		return errBadRequest("This form does not say which draft to discard.", nil)
	}
	if err := h.store.DeleteDraft(c.UserContext(), member(c).ID, place); err != nil {
		return err
	}
	return c.Redirect(safeReturn(c.FormValue("return", "/drafts")), fiber.StatusSeeOther)
}

// draftExcerptLength is how many characters of each draft the list shows.
const draftExcerptLength = 200

// draftItem is a draft as the member's list shows it.
type draftItem struct {
	models.DraftView
	Place    string
	Heading  string
	Title    string
	Excerpt  string
	Continue string
}

type draftsPage struct {
	Items []draftItem
}

// drafts lists the member's drafts, the most recently saved first, with
// where each belongs and a link to go on with it.
func (h *Handler) drafts(c *fiber.Ctx) error {
	views, err := h.store.Drafts(c.UserContext(), member(c))
	if err != nil {
		return err
	}
	p := &draftsPage{Items: make([]draftItem, len(views))}
	for i, d := range views {
		p.Items[i] = describeDraft(d)
	}
	data := h.page(c, "Drafts")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "drafts", data)
}

// describeDraft says where a draft belongs and where to go on with it.
func describeDraft(d models.DraftView) draftItem {
	w := d.Where
	fields := d.Values()
	item := draftItem{DraftView: d, Place: d.Place().String(), Title: strings.Join(strings.Fields(fields.Get("title")), " ")}
	topic := &models.Topic{ID: w.TopicID, Slug: w.TopicSlug}
	switch d.PlaceKind {
	case models.DraftTopic:
		item.Heading, item.Continue = "New topic in "+w.BoardTitle, "/b/"+w.BoardSlug+"/new"
	case models.DraftCase:
		item.Heading, item.Continue = "New case in "+w.BoardTitle, "/b/"+w.BoardSlug+"/case"
	case models.DraftReply:
		item.Heading, item.Continue = "Reply to “"+w.TopicTitle+"”", topicURL(topic)+"#reply-heading"
	case models.DraftEdit:
		item.Heading, item.Continue = fmt.Sprintf("Edit of post #%d in “%s”", w.PostNumber, w.TopicTitle), fmt.Sprintf("/p/%d/edit", w.PostID)
	case models.DraftNewConsult:
		item.Heading, item.Continue = "New consult", "/consults/new"
		item.Title = strings.Join(strings.Fields(fields.Get("subject")), " ")
	case models.DraftConsult:
		item.Heading, item.Continue = "Message in the consult “"+w.ConsultSubject+"”", consultURL(w.ConsultID)+"#reply-heading"
	}
	body := strings.Join(strings.Fields(fields.Get("body")), " ")
	if body == "" {
		body = strings.Join(strings.Fields(fields.Get("presentation")), " ")
	}
	if r := []rune(body); len(r) > draftExcerptLength {
		body = string(r[:draftExcerptLength]) + "…"
	}
	item.Excerpt = body
	return item
}
