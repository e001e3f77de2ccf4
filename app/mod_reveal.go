package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type revealPage struct {
	Post   *models.Post
	Topic  *models.TopicSummary
	Reason string
	Error  string
	Author *models.User
}

// modRevealForm asks a moderator why they need to know who wrote an
// anonymous post: the answer goes into the audit log with the reveal.
func (h *Handler) modRevealForm(c *fiber.Ctx) error {
	p, err := h.revealTarget(c)
	if err != nil {
		return err
	}
	return h.renderReveal(c, p, fiber.StatusOK)
}

// modReveal shows the author and records who asked, when and why.
func (h *Handler) modReveal(c *fiber.Ctx) error {
	p, err := h.revealTarget(c)
	if err != nil {
		return err
	}
	p.Reason = strings.TrimSpace(c.FormValue("reason"))
	switch n := utf8.RuneCountInString(p.Reason); {
	case inputRefusal(c) != "":
		p.Error = inputRefusal(c)
	case n < 10:
		p.Error = "Say why you need to know who wrote this, in a sentence: it is recorded with the reveal."
	case n > moderatorReasonMax:
		p.Error = fmt.Sprintf("The reason can be at most %d characters.", moderatorReasonMax)
	}
	if p.Error != "" {
		return h.renderReveal(c, p, fiber.StatusUnprocessableEntity)
	}
	p.Author, err = h.store.RevealAuthor(c.UserContext(), p.Post.ID, member(c).ID, p.Reason)
	if errors.Is(err, models.ErrNotAnonymous) {
		return errBadRequest("That post shows its author already.", err)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.renderReveal(c, p, fiber.StatusOK)
}

func (h *Handler) revealTarget(c *fiber.Ctx) (*revealPage, error) {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return nil, err
	}
	if !post.Anonymous {
		return nil, errBadRequest("That post shows its author already.", nil)
	}
	return &revealPage{Post: post, Topic: topic}, nil
}

func (h *Handler) renderReveal(c *fiber.Ctx, p *revealPage, status int) error {
	data := h.page(c, "Reveal the author of an anonymous post")
	data.Page = p
	c.Status(status)
	return h.views.render(c, "mod_reveal", data)
}
