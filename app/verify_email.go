package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/ratelimit"
	"rounds/app/verify"
	"rounds/models"
)

// verifyEmailSend mails a one-time code to the application's work email.
func (h *Handler) verifyEmailSend(c *fiber.Ctx) error {
	m := member(c)
	v, err := h.store.VerificationByUser(c.UserContext(), m.ID)
	if errors.Is(err, models.ErrNotFound) {
		return c.Redirect("/verify", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	if v.WorkEmailConfirmedAt != nil || !v.Open() {
		return c.Redirect("/verify", fiber.StatusSeeOther)
	}
	code, err := verify.NewCode()
	if err != nil {
		return err
	}
	now := h.now().UTC()
	// The limit is counted in the codes themselves, so every node sees
	// the same count; ROUNDS_RATE_LIMITS sets it as email_code.
	limit := h.cfg.RateLimits[ratelimit.EmailCode]
	err = h.store.IssueEmailCode(c.UserContext(), &models.EmailCode{UserID: m.ID, Email: v.WorkEmail,
		CodeHash: verify.HashCode(m.ID, code), ExpiresAt: now.Add(verify.CodeTTL), CreatedAt: now},
		now.Add(-limit.Per), limit.Limit)
	if errors.Is(err, models.ErrRateLimited) {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, int((limit.Per/time.Duration(limit.Limit)).Seconds()))))
		return h.renderVerifyStatus(c, v, emailStep{Error: fmt.Sprintf("You have asked for %d codes in the last %s, the most we send. "+
			"Wait a while and ask again; a code already sent still works for 15 minutes.", limit.Limit, strings.TrimPrefix(spanWords(limit.Per), "1 "))},
			fiber.StatusTooManyRequests)
	}
	if err != nil {
		return err
	}
	if err := h.sendCode(c, v.WorkEmail, code); err != nil {
		return &Error{Status: fiber.StatusBadGateway, Err: err,
			Message: "We could not send the code just now. Please try again in a few minutes."}
	}
	return h.renderVerifyStatus(c, v, emailStep{Notice: "We sent a 6-digit code to " + v.WorkEmail +
		". It works for 15 minutes."}, fiber.StatusOK)
}

// verifyEmailConfirm checks the code the member typed.
func (h *Handler) verifyEmailConfirm(c *fiber.Ctx) error {
	m := member(c)
	ctx := c.UserContext()
	v, err := h.store.VerificationByUser(ctx, m.ID)
	if errors.Is(err, models.ErrNotFound) {
		return c.Redirect("/verify", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	typed := c.FormValue("code")
	outcome, err := h.store.ConfirmEmailCode(ctx, m.ID, verify.CodeMatcher(m.ID, typed), h.now().UTC(), verify.CodeMaxAttempts)
	if err != nil {
		return err
	}
	if outcome != models.CodeConfirmed {
		return h.renderVerifyStatus(c, v, emailStep{Error: codeProblems[outcome], Code: typed}, fiber.StatusUnprocessableEntity)
	}
	if v, err = h.store.VerificationByUser(ctx, m.ID); err != nil {
		return err
	}
	if err := h.weighEvidence(c, v); err != nil {
		return err
	}
	return c.Redirect("/verify", fiber.StatusSeeOther)
}

var codeProblems = map[models.CodeOutcome]string{
	models.CodeWrong:   "That is not the code we sent. Check it and try again; after 5 wrong tries a code stops working.",
	models.CodeVoid:    "This code has had 5 wrong tries and no longer works. Ask for a new one.",
	models.CodeExpired: "There is no code waiting: it expired (codes work for 15 minutes) or was already used. Ask for a new one.",
}
