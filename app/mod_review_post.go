package app

import (
	"errors"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type reviewPostPage struct {
	Post   *models.Post
	Topic  *models.TopicSummary
	Byline string
	Cooked template.HTML
	// Case is the case summary the post opens, if it does.
	Case *caseCard
	// PHI is what the identifier check finds in the post now; Confirmed
	// is what its author confirmed identifies no patient.
	PHI       []phiNote
	Confirmed []phiNote
	Flags     []models.FlagView
	OpenFlags int
	Revisions []models.RevisionView
	Events    []models.AuditEntry
	// Record is the author's record; nil for an anonymous post, whose
	// author stays unknown until a moderator reveals them.
	Record *models.MemberRecord
	// SuspendedHere says the author of an anonymous post is suspended
	// over this very post, so the page may offer to lift it.
	SuspendedHere bool
	Done          string
	// Form is the action form that was refused, with what was typed.
	Form reviewForm
}

// reviewForm is a moderator's action on the review page as they filled
// it in.
type reviewForm struct {
	Action  string
	Reason  string
	Length  string // "until" or "indefinite", for a suspension
	Until   string // YYYY-MM-DD
	Confirm bool
	Error   string
}

// modReviewPost shows a moderator everything about one post that they
// need to decide: the reports, the post with its identifier findings, its
// history, its author's record and what moderators did about it before.
func (h *Handler) modReviewPost(c *fiber.Ctx) error {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return err
	}
	p, err := h.reviewPage(c, post, topic)
	if err != nil {
		return err
	}
	p.Done = doneNotice(c.Query("done"))
	return h.renderReviewPost(c, p, fiber.StatusOK)
}

// reviewPage gathers what the review page shows of a post.
func (h *Handler) reviewPage(c *fiber.Ctx, post *models.Post, topic *models.TopicSummary) (*reviewPostPage, error) {
	ctx := c.UserContext()
	var err error
	p := &reviewPostPage{Post: post, Topic: topic, Cooked: cookedHTML(post.Cooked)}
	var fields []phiField
	if fields, p.Case, err = h.postPHIFields(ctx, post, topic); err != nil {
		return nil, err
	}
	if check := checkPHI("", fields...); check != nil {
		p.PHI = check.Notes
	}
	p.Confirmed = confirmedNotes(post.PHIConfirmed)
	if p.Flags, err = h.store.FlagsOnPost(ctx, post.ID); err != nil {
		return nil, err
	}
	for _, f := range p.Flags {
		if f.ResolvedAt == nil {
			p.OpenFlags++
		}
	}
	if p.Revisions, err = h.store.PostRevisions(ctx, post.ID); err != nil {
		return nil, err
	}
	anonymizeEditors(post, p.Revisions)
	if p.Events, err = h.store.AuditEventsFor(ctx, "post", post.ID); err != nil {
		return nil, err
	}
	if post.Anonymous {
		// Nothing of the author is read: the page names them by the
		// post's label, as members see it.
		p.Byline = models.AnonymousAuthor(post.AnonymousAs)
		p.SuspendedHere, err = h.store.AuthorSuspendedOver(ctx, post.ID)
		return p, err
	}
	author, err := h.store.UserByID(ctx, post.AuthorID)
	if err != nil {
		return nil, err
	}
	p.Byline = author.DisplayName
	if p.Record, err = h.store.MemberRecordOf(ctx, author.ID); err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	return p, nil
}

func (h *Handler) renderReviewPost(c *fiber.Ctx, p *reviewPostPage, status int) error {
	data := h.page(c, "Review a post")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return h.views.render(c, "mod_review_post", data)
}
