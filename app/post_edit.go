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
	return h.renderPostEdit(c, postEditPage{Topic: topic, Post: post, Form: form})
}

func (h *Handler) renderPostEdit(c *fiber.Ctx, p postEditPage) error {
	p.Form.Action = fmt.Sprintf("/p/%d/edit", p.Post.ID)
	p.Form.Submit = "Save changes"
	p.Form.Cancel = fmt.Sprintf("/p/%d", p.Post.ID)
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
	return c.Redirect(fmt.Sprintf("%s#post-%d", topicPageURL(&topic.Topic, pageOfPost(saved.Number)), saved.Number), fiber.StatusSeeOther)
}

// saveEdit checks and saves the edit form of page.Post. When the form
// cannot be saved it is shown again through render, with everything typed
// kept, and saveEdit returns no post. A non-empty redaction is a
// moderator editing identifiers out, with that reason for the audit log.
func (h *Handler) saveEdit(c *fiber.Ctx, page postEditPage, render func(*fiber.Ctx, postEditPage) error, redaction string) (*models.Post, error) {
	post, topic := page.Post, page.Topic
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"),
		WithTitle: post.Number == 1}
	page.Form = form
	if v, convErr := parseVersion(c.FormValue("version")); convErr == nil {
		form.Version = v
	} else {
		form.Errors.add("body", "The form was missing its version; your text is kept, save again.")
		form.Version = post.Version
	}
	title, tags := form.validate()
	form.Errors.addRefused(c)
	if page.CaseSummary != nil {
		form.Case = readCaseText(c, &form.Errors)
	}
	guardPHI(c, form, composerFields(form)...)
	again := func() error { return render(c, page) }
	if form.Errors != nil || c.FormValue("preview") != "" {
		return nil, h.renderComposerAgain(c, form, again)
	}
	audio, err := h.episodeAudio(c.UserContext(), &topic.Topic)
	if err != nil {
		return nil, err
	}
	outside, err := h.linksOutsideText(c.UserContext(), &topic.Topic, post)
	if err != nil {
		return nil, err
	}
	content, err := h.postContent(form.Body, form.PHI, audio, outside...)
	if err != nil {
		return nil, err
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return nil, h.refuseSave(c, limit, form, again)
	}
	edit := models.PostEdit{PostID: post.ID, EditorID: member(c).ID, BaseVersion: form.Version,
		PostContent: content, Redact: redaction != "", Reason: redaction}
	if form.WithTitle {
		edit.Title, edit.Tags = &title, &tags
	}
	edit.Case = form.Case
	saved, err := h.store.EditPost(c.UserContext(), edit)
	if errors.Is(err, models.ErrConflict) {
		current, loadErr := h.store.PostByID(c.UserContext(), post.ID)
		if loadErr != nil {
			return nil, loadErr
		}
		form.Errors.add("body", "This post was changed elsewhere while you were editing. The saved version is shown above; "+
			"your text is kept below. Merge what you need and save again.")
		form.Version = current.Version
		page.Current = current
		return nil, again()
	}
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func parseVersion(raw string) (int, error) {
	var v int
	_, err := fmt.Sscan(raw, &v)
	if err == nil && v < 1 {
		err = errors.New("version below 1")
	}
	return v, err
}
