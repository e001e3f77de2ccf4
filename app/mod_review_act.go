package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// moderatorReasonMax bounds the reason a moderator gives for a decision:
// reviews, reveals and topic moderation alike; the audit log keeps it.
const moderatorReasonMax = 500

// modReviewAct carries out a moderator's decision on a post or its author
// from the review page. Each is audited by the store in the transaction
// that makes it; an action on the author of an anonymous post is recorded
// against "the author of post N", never the account. A refused form comes
// back with what was typed; only then is the whole review page read.
func (h *Handler) modReviewAct(c *fiber.Ctx) error {
	post, topic, err := h.postAndTopic(c)
	if err != nil {
		return err
	}
	f := reviewForm{Action: c.Params("action"), Reason: strings.TrimSpace(c.FormValue("reason")),
		Length: c.FormValue("length"), Until: strings.TrimSpace(c.FormValue("until")), Confirm: c.FormValue("confirm") != ""}
	done, err := h.reviewDecide(c, post, &f)
	if f.Error != "" {
		p, err := h.reviewPage(c, post, topic)
		if err != nil {
			return err
		}
		p.Form = f
		return h.renderReviewPost(c, p, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	switch f.Action {
	case "warn", "suspend", "unsuspend":
		return c.Redirect(fmt.Sprintf("/mod/review/%d?done=%s", post.ID, f.Action), fiber.StatusSeeOther)
	}
	return c.Redirect("/mod/review?done="+done, fiber.StatusSeeOther)
}

// reviewDecide checks the form and acts; a problem with the form goes in
// f.Error. It returns what was done, for the notice.
func (h *Handler) reviewDecide(c *fiber.Ctx, post *models.Post, f *reviewForm) (string, error) {
	ctx, mod := c.UserContext(), member(c)
	if f.Error = inputRefusal(c); f.Error != "" {
		return "", nil
	}
	need := func(what string) bool {
		switch n := utf8.RuneCountInString(f.Reason); {
		case n < 5 && what != "":
			f.Error = what
		case n > moderatorReasonMax:
			f.Error = fmt.Sprintf("The reason can be at most %d characters; yours has %d.", moderatorReasonMax, n)
		}
		return f.Error == ""
	}
	switch f.Action {
	case "dismiss":
		if !need("") {
			return "", nil
		}
		return "dismiss", h.store.DismissFlags(ctx, post.ID, mod.ID, f.Reason)
	case "hide":
		if !need("Give the reason members and the author will see in place of the post.") {
			return "", nil
		}
		return "hide", h.store.HidePost(ctx, post.ID, mod.ID, f.Reason)
	case "unhide":
		return "unhide", h.store.UnhidePost(ctx, post.ID, mod.ID)
	case "delete":
		if !need("Say why the post is deleted; the audit log keeps it.") {
			return "", nil
		}
		return "delete", h.store.ModeratorDeletePost(ctx, post.ID, mod.ID, f.Reason)
	case "purge":
		if !need("Say why the post is purged (without quoting it); the audit log keeps only this.") {
			return "", nil
		}
		if !f.Confirm {
			f.Error = "Tick the box to confirm: a purge cannot be undone."
			return "", nil
		}
		res, err := h.store.PurgePost(ctx, post.ID, mod.ID, f.Reason)
		if err != nil {
			return "", err
		}
		if res.TopicPurged {
			return "purge-topic", nil
		}
		return "purge", nil
	case "warn":
		if !need("Write the warning: the member reads it as you write it.") {
			return "", nil
		}
		return "warn", h.moderatorRefusal(f, post, h.store.WarnAuthor(ctx, mod, post.ID, f.Reason))
	case "suspend":
		if !need("Give the reason for the suspension: the member is shown it when they try to sign in.") {
			return "", nil
		}
		until, ok := h.suspensionEnd(f)
		if !ok {
			return "", nil
		}
		return "suspend", h.moderatorRefusal(f, post, h.store.SuspendAuthor(ctx, mod, post.ID, until, f.Reason))
	case "unsuspend":
		if !need("") {
			return "", nil
		}
		reason := f.Reason
		if reason == "" {
			reason = "lifted by a moderator"
		}
		return "unsuspend", h.store.LiftAuthorSuspension(ctx, mod.ID, post.ID, reason)
	}
	return "", errNotFound("That action", nil)
}

// suspensionEnd reads how long a suspension lasts: through the last day
// the moderator chose, ending at the midnight after it (UTC), or
// indefinitely (nil).
func (h *Handler) suspensionEnd(f *reviewForm) (*time.Time, bool) {
	switch f.Length {
	case "indefinite":
		return nil, true
	case "until":
		day, err := time.Parse("2006-01-02", f.Until)
		if err != nil {
			f.Error = "Give the last day of the suspension, as YYYY-MM-DD."
			return nil, false
		}
		end := day.AddDate(0, 0, 1)
		if !end.After(h.now().UTC()) {
			f.Error = "The last day of the suspension cannot be in the past."
			return nil, false
		}
		return &end, true
	}
	f.Error = "Choose how long the suspension lasts: until a day, or indefinitely."
	return nil, false
}

// moderatorRefusal turns the store's refusal to let this moderator act on
// this member into a message on the form. For an anonymous post it does
// not say which rule refused, which would say something of the author.
func (h *Handler) moderatorRefusal(f *reviewForm, post *models.Post, err error) error {
	if errors.Is(err, models.ErrNotModeratable) {
		f.Error = "You cannot warn or suspend yourself, a moderator or an administrator, nor a member who is not verified; an administrator can act on moderators."
		if post.Anonymous {
			f.Error = "You cannot warn or suspend the author of this post. Ask an administrator."
		}
		return nil
	}
	return err
}
