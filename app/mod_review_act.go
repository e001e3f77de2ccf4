package app

import (
	"context"
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
	action, done, err := h.reviewDecide(c, post, &f)
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
	if action.onAuthor {
		return c.Redirect(fmt.Sprintf("/mod/review/%d?done=%s", post.ID, f.Action), fiber.StatusSeeOther)
	}
	return c.Redirect("/mod/review?done="+done, fiber.StatusSeeOther)
}

// reviewAction is one decision a moderator can take from the review page.
type reviewAction struct {
	// reason is what the form asks for when the reason is missing or
	// shorter than five characters; "" when a reason is optional.
	reason string
	// noReason marks an action that reads no reason at all, so none is
	// checked.
	noReason bool
	// onAuthor marks an action on the post's author rather than the
	// post: the moderator goes back to the post's review page, which
	// shows the author's record, rather than to the queue.
	onAuthor bool
	// act carries the decision out once the form is in order. It returns
	// what was done, for the queue's notice, and may still refuse the form
	// through f.Error.
	act func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error)
}

// reviewActions are the decisions the review page offers, by the name in
// their address.
var reviewActions = map[string]reviewAction{
	"dismiss": {act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
		return "dismiss", h.store.DismissFlags(ctx, post.ID, mod.ID, f.Reason)
	}},
	"hide": {reason: "Give the reason members and the author will see in place of the post.",
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			return "hide", h.store.HidePost(ctx, post.ID, mod.ID, f.Reason)
		}},
	"unhide": {noReason: true,
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, _ *reviewForm) (string, error) {
			return "unhide", h.store.UnhidePost(ctx, post.ID, mod.ID)
		}},
	"delete": {reason: "Say why the post is deleted; the audit log keeps it.",
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			return "delete", h.store.ModeratorDeletePost(ctx, post.ID, mod.ID, f.Reason)
		}},
	"purge": {reason: "Say why the post is purged (without quoting it); the audit log keeps only this.",
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			if !f.Confirm {
				f.Error = "Tick the box to confirm: a purge cannot be undone."
				return "", nil
			}
			res, err := h.store.PurgePost(ctx, post.ID, mod.ID, f.Reason)
			if err == nil {
				h.deleteImageBlobs(ctx, res.Images)
			}
			if err != nil || !res.TopicPurged {
				return "purge", err
			}
			return "purge-topic", nil
		}},
	"warn": {reason: "Write the warning: the member reads it as you write it.", onAuthor: true,
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			return "warn", h.moderatorRefusal(f, post, h.store.WarnAuthor(ctx, mod, post.ID, f.Reason))
		}},
	"suspend": {reason: "Give the reason for the suspension: the member is shown it when they try to sign in.", onAuthor: true,
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			until, ok := h.suspensionEnd(f)
			if !ok {
				return "", nil
			}
			return "suspend", h.moderatorRefusal(f, post, h.store.SuspendAuthor(ctx, mod, post.ID, until, f.Reason))
		}},
	"unsuspend": {onAuthor: true,
		act: func(h *Handler, ctx context.Context, mod *models.User, post *models.Post, f *reviewForm) (string, error) {
			reason := f.Reason
			if reason == "" {
				reason = "lifted by a moderator"
			}
			return "unsuspend", h.store.LiftAuthorSuspension(ctx, mod.ID, post.ID, reason)
		}},
}

// reviewDecide checks the form and acts; a problem with the form goes in
// f.Error. It returns the action and what was done, for the notice.
func (h *Handler) reviewDecide(c *fiber.Ctx, post *models.Post, f *reviewForm) (reviewAction, string, error) {
	if f.Error = inputRefusal(c); f.Error != "" {
		return reviewAction{}, "", nil
	}
	action, ok := reviewActions[f.Action]
	if !ok {
		return action, "", errNotFound("That action", nil)
	}
	if !action.noReason && !f.reasonGiven(action.reason) {
		return action, "", nil
	}
	done, err := action.act(h, c.UserContext(), member(c), post, f)
	return action, done, err
}

// reasonGiven checks the moderator's reason: required (at least five
// characters) when missing says what to write, and never longer than the
// audit log keeps. A problem goes in f.Error.
func (f *reviewForm) reasonGiven(missing string) bool {
	switch n := utf8.RuneCountInString(f.Reason); {
	case n < 5 && missing != "":
		f.Error = missing
	case n > moderatorReasonMax:
		f.Error = fmt.Sprintf("The reason can be at most %d characters; yours has %d.", moderatorReasonMax, n)
	}
	return f.Error == ""
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
