package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type postEditPage struct {
	Topic *models.TopicSummary
	Post  *models.Post
	Form  *composer
	// Current is the version saved by someone else while this member was
	// editing, shown above their own text so they can merge.
	Current *models.Post
	// Redact is a moderator editing identifiers out of someone's post;
	// CaseSummary is its case summary when it opens a case topic.
	Redact      bool
	CaseSummary *models.CaseSummary
}

// ownPost loads a post the member may change: their own, not deleted, and
// not hidden by the moderators unless they are one. change is what the
// member is trying to do ("edited", "deleted"), for the message that says
// why they cannot.
func (h *Handler) ownPost(c *fiber.Ctx, change string) (*models.Post, *models.TopicSummary, error) {
	// Readability first: a post on a closed board is not there at all.
	post, topic, err := h.readablePost(c)
	if err != nil {
		return nil, nil, err
	}
	if post.IsDeleted() {
		return nil, nil, errNotFound("That post", nil)
	}
	if post.AuthorID != member(c).ID {
		return nil, nil, errForbidden("You can only change your own posts.")
	}
	// Editing would put the hidden text back in the author's form, and
	// deleting would let them erase what the moderators acted on.
	if post.IsHidden() && !member(c).IsModerator() {
		return nil, nil, errForbidden("This post was hidden by the moderators, so it can no longer be " + change + ".")
	}
	return post, topic, nil
}

func (h *Handler) postEdit(c *fiber.Ctx) error {
	post, topic, err := h.ownPost(c, "edited")
	if err != nil {
		return err
	}
	form := &composer{Body: post.Source, Version: post.Version, WithTitle: post.Number == 1}
	if form.WithTitle {
		form.Title, form.Tags = topic.Title, strings.Join(topic.Tags, ", ")
	}
	fields, err := h.restoreDraft(c, form, models.EditDraft(post.ID))
	if err != nil {
		return err
	}
	if fields != nil {
		// The draft's version is the one its edit started from, so that
		// a change saved since is caught as any conflicting edit is.
		form.Body = fields.Get("body")
		if form.WithTitle {
			form.Title, form.Tags = fields.Get("title"), fields.Get("tags")
		}
		if v, err := parseVersion(fields.Get("version")); err == nil {
			form.Version = v
		}
	}
	if form.Images, err = h.editImageTray(c.UserContext(), post, false); err != nil {
		return err
	}
	return h.renderPostEdit(c, postEditPage{Topic: topic, Post: post, Form: form})
}

func (h *Handler) renderPostEdit(c *fiber.Ctx, p postEditPage) error {
	p.Form.Action = fmt.Sprintf("/p/%d/edit", p.Post.ID)
	p.Form.Submit = "Save changes"
	p.Form.Cancel = fmt.Sprintf("/p/%d", p.Post.ID)
	p.Form.Place, p.Form.DraftReturn, p.Form.MentionBoard = models.EditDraft(p.Post.ID), p.Form.Action, p.Topic.BoardSlug
	data := h.page(c, "Edit post")
	data.Page = p
	c.Status(p.Form.Errors.status())
	return h.views.render(c, "post_edit", data)
}

func (h *Handler) postUpdate(c *fiber.Ctx) error {
	post, topic, err := h.ownPost(c, "edited")
	if err != nil {
		return err
	}
	saved, err := h.saveEdit(c, postEditPage{Topic: topic, Post: post}, h.renderPostEdit, "")
	if saved == nil || err != nil {
		return err
	}
	h.dropDraft(c, models.EditDraft(post.ID))
	return c.Redirect(fmt.Sprintf("%s#post-%d", topicPageURL(&topic.Topic, pageOfPost(saved.Number)), saved.Number), fiber.StatusSeeOther)
}

// saveEdit checks and saves the edit form of page.Post. When the form
// cannot be saved it is shown again through render, with everything typed
// kept, and saveEdit returns no post. A non-empty redaction is a
// moderator editing identifiers out, with that reason for the audit log.
func (h *Handler) saveEdit(c *fiber.Ctx, page postEditPage, render func(*fiber.Ctx, postEditPage) error, redaction string) (*models.Post, error) {
	post, topic := page.Post, page.Topic
	form := readEditForm(c, post)
	page.Form = form
	title, tags := form.validate()
	form.Errors.addRefused(c)
	if page.CaseSummary != nil {
		form.Case = readCaseText(c, &form.Errors)
	}
	again := func() error { return render(c, page) }
	if redaction == "" && savingDraft(c) {
		form.Place = models.EditDraft(post.ID)
		if err := h.draftEditImages(c, post, form); err != nil {
			return nil, err
		}
		return nil, h.saveDraftForm(c, form, again)
	}
	guardPHI(c, form, composerFields(form)...)
	acted, err := h.editImages(c, page, form)
	if err != nil {
		return nil, err
	}
	if acted {
		imageStep(form)
	}
	if acted || form.Errors != nil || c.FormValue("preview") != "" {
		return nil, h.renderComposerAgain(c, form, again)
	}
	content, err := h.editContent(c, topic, post, form)
	if err != nil {
		return nil, err
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return nil, h.refuseSave(c, limit, form, again)
	}
	images, discard, err := h.keptEditImages(c.UserContext(), member(c).ID, form.Images)
	if err != nil {
		return nil, err
	}
	edit := models.PostEdit{PostID: post.ID, EditorID: member(c).ID, BaseVersion: form.Version,
		PostContent: content, Redact: redaction != "", Reason: redaction, Case: form.Case, Images: images}
	if form.WithTitle {
		edit.Title, edit.Tags = &title, &tags
	}
	saved, err := h.store.EditPost(c.UserContext(), edit)
	if err != nil {
		discard()
	}
	if errors.Is(err, models.ErrConflict) {
		return nil, h.editConflict(c, &page, again)
	}
	if tooManyImages(err, form) {
		return nil, again()
	}
	if err != nil {
		return nil, err
	}
	h.editedImages(c.UserContext(), member(c).ID, form.Images, images)
	return saved, nil
}

// readEditForm reads the edit form. The version the member started from
// tells a conflicting edit from elsewhere; a form without it keeps the
// text and asks to save again.
func readEditForm(c *fiber.Ctx, post *models.Post) *composer {
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"),
		WithTitle: post.Number == 1}
	if v, err := parseVersion(c.FormValue("version")); err == nil {
		form.Version = v
	} else {
		form.Errors.add("body", "The form was missing its version; your text is kept, save again.")
		form.Version = post.Version
	}
	return form
}

// editContent parses the edited text once, with what the post links
// outside its text (a case's source) and, in a podcast topic, its
// episode's audio for the timestamps.
func (h *Handler) editContent(c *fiber.Ctx, topic *models.TopicSummary, post *models.Post, form *composer) (models.PostContent, error) {
	audio, err := h.episodeAudio(c.UserContext(), &topic.Topic)
	if err != nil {
		return models.PostContent{}, err
	}
	outside, err := h.linksOutsideText(c.UserContext(), &topic.Topic, post)
	if err != nil {
		return models.PostContent{}, err
	}
	return h.postContent(c.UserContext(), form.Body, form.PHI, audio, outside...)
}

// editConflict answers an edit made over a version changed elsewhere: the
// saved version above, the member's text kept below, to merge and save
// again.
func (h *Handler) editConflict(c *fiber.Ctx, page *postEditPage, again func() error) error {
	current, err := h.store.PostByID(c.UserContext(), page.Post.ID)
	if err != nil {
		return err
	}
	page.Form.Errors.add("body", "This post was changed elsewhere while you were editing. The saved version is shown above; "+
		"your text is kept below. Merge what you need and save again.")
	page.Form.Version = current.Version
	page.Current = current
	return again()
}

func parseVersion(raw string) (int, error) {
	var v int
	_, err := fmt.Sscan(raw, &v)
	if err == nil && v < 1 {
		err = errors.New("version below 1")
	}
	return v, err
}
