package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

func (h *Handler) replyCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	topic, access, err := h.readableTopic(c)
	if err != nil {
		return err
	}
	form := &composer{Body: c.FormValue("body"), AddPoll: c.FormValue("add_poll") != ""}
	form.validate()
	form.Errors.addRefused(c)
	if err := h.offerAnonymity(c, form, topic.BoardID, access); err != nil {
		return err
	}
	if savingDraft(c) {
		form.Place = models.ReplyDraft(topic.ID)
		return h.saveDraftForm(c, form, func() error { return h.replyFormAgain(c, topic, access, form) })
	}
	guardPHI(c, form, composerFields(form)...)
	if topic.Locked {
		form.Errors.add("body", "This topic is locked, so it takes no new replies. Your text is kept below.")
	} else if refusal := postRefusal(access); refusal != "" {
		form.Errors.add("body", refusal+" Your text is kept below.")
	}
	acted, err := h.composerImages(c, form)
	if err != nil {
		return err
	}
	if acted {
		imageStep(form)
	}
	if acted || form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, func() error {
			return h.replyFormAgain(c, topic, access, form)
		})
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, form, func() error { return h.replyFormAgain(c, topic, access, form) })
	}
	audio, err := h.episodeAudio(ctx, &topic.Topic)
	if err != nil {
		return err
	}
	content, discard, err := h.postContentWithImages(c, form, form.Body, audio)
	if err != nil {
		return err
	}
	post, err := h.store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: member(c).ID, PostContent: content,
		Anonymous: form.Anonymous, AnonymityK: h.cfg.AnonymityK, DropDraft: true})
	if err != nil {
		discard()
	}
	if errors.Is(err, models.ErrLocked) {
		topic.Locked = true
		form.Errors.add("body", "This topic was locked while you were writing, so it takes no new replies. Your text is kept below.")
		return h.replyFormAgain(c, topic, access, form)
	}
	if err != nil {
		return err
	}
	h.postedImages(ctx, member(c).ID, form.Images)
	if form.AddPoll {
		return c.Redirect(fmt.Sprintf("/p/%d/poll", post.ID), fiber.StatusSeeOther)
	}
	return c.Redirect(fmt.Sprintf("%s#post-%d", topicPageURL(&topic.Topic, pageOfPost(post.Number)), post.Number), fiber.StatusSeeOther)
}

// replyFormAgain shows the last page of the topic with the reply form
// holding what the member wrote.
func (h *Handler) replyFormAgain(c *fiber.Ctx, topic *models.TopicSummary, access models.BoardAccess, form *composer) error {
	page := max(pageOfPost(topic.PostCount), 1)
	c.Status(form.Errors.status())
	refusal := postRefusal(access)
	if topic.Locked {
		refusal = "" // the lock says it all
	}
	if topic.Locked || refusal != "" {
		// The topic page hides the composer where no reply is taken; keep
		// the text on screen anyway.
		data := h.page(c, topic.Title)
		data.Page = lockedReply{Topic: topic, Form: form, Refusal: refusal}
		return h.views.render(c, "reply_locked", data)
	}
	return h.renderTopic(c, topic, access, page, form)
}

type lockedReply struct {
	Topic   *models.TopicSummary
	Form    *composer
	Refusal string // why the board takes no reply; empty when the topic is locked
}
