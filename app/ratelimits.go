package app

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/config"
	"rounds/app/ratelimit"
)

// limitError is a request refused by a rate limit.
type limitError struct {
	rule config.RateLimit
	wait time.Duration
}

func (e *limitError) Error() string {
	return fmt.Sprintf("rate limit %s: retry in %s", e.rule, e.wait.Round(time.Second))
}

// limitWords say what each limit counts, for the page that refuses.
var limitWords = map[string]string{
	ratelimit.Post:      "posted",
	ratelimit.PostIP:    "posted from this network",
	ratelimit.Flag:      "flagged posts",
	ratelimit.SignIn:    "tried to sign in from this network",
	ratelimit.EmailCode: "asked for email codes",
	ratelimit.Search:    "searched",
	ratelimit.SearchIP:  "searched from this network",
	ratelimit.Fetch:     "asked Rounds to fetch a link or image",
	ratelimit.FetchIP:   "asked Rounds to fetch a link or image from this network",
	ratelimit.Draft:     "saved drafts",
	ratelimit.Mention:   "looked up members to mention",
	ratelimit.Upload:    "uploaded or blacked out images",
}

// message is what the refused visitor reads.
func (e *limitError) message() string {
	what := limitWords[e.rule.Name]
	if what == "" {
		what = "done this"
	}
	return fmt.Sprintf("You have %s %d times in %s, which is as often as Rounds allows. Please wait %s and try again.",
		what, e.rule.Limit, spanWords(e.rule.Per), spanWords(e.wait))
}

// retryAfter is the Retry-After header's whole seconds, rounded up.
func (e *limitError) retryAfter() string {
	return strconv.Itoa(max(1, int(math.Ceil(e.wait.Seconds()))))
}

// limited runs next only within the named limits, refusing with the
// error page. Limits per address count the visitor's address; the others
// count the member (or, for a visitor not signed in, the address).
// Posting is limited where a form is saved instead (takePostingLimit), so
// previews and refused forms do not count.
func (h *Handler) limited(next fiber.Handler, names ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if limit := h.takeLimits(c, names...); limit != nil {
			return limit
		}
		return next(c)
	}
}

// takeLimits counts one event under each named limit and returns the
// first that refuses it, nil when all allow it.
func (h *Handler) takeLimits(c *fiber.Ctx, names ...string) *limitError {
	m := member(c)
	for _, name := range names {
		rule, ok := h.cfg.RateLimits[name]
		if !ok {
			continue
		}
		key := "ip:" + h.clientIP(c)
		if m != nil && !strings.HasSuffix(name, "_ip") && name != ratelimit.SignIn {
			key = "member:" + strconv.FormatInt(m.ID, 10)
		}
		allowed, wait, err := h.limiter.Take(c.UserContext(), key, rule, h.now())
		if err != nil {
			// A limit that cannot be counted lets the request through:
			// refusing every post because a counter failed is worse.
			h.log.Error("rate limit unavailable", "rule", name, "request_id", requestID(c), "err", err)
			continue
		}
		if !allowed {
			return &limitError{rule: rule, wait: wait}
		}
	}
	return nil
}

// clientIP is the visitor's address: the connection's, or, when that is a
// trusted proxy, the nearest address in X-Forwarded-For that is not one
// (read from the right, since a visitor can write anything on the left).
func (h *Handler) clientIP(c *fiber.Ctx) string {
	remote := c.Context().RemoteIP().String()
	if len(h.cfg.TrustedProxies) == 0 {
		return remote
	}
	if addr, err := netip.ParseAddr(remote); err != nil || !h.trustedProxy(addr.Unmap()) {
		return remote
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		addr, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if addr = addr.Unmap(); !h.trustedProxy(addr) {
			return addr.String()
		}
	}
	return remote
}

func (h *Handler) trustedProxy(addr netip.Addr) bool {
	for _, p := range h.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// fetching are the limits on the remote addresses Rounds reads while a
// member waits: a shared podcast link, an image not in the image cache.
var fetching = []string{ratelimit.Fetch, ratelimit.FetchIP}

// posting are the limits on saving a topic, a reply or an edit.
var posting = []string{ratelimit.Post, ratelimit.PostIP}

// takePostingLimit counts a save (a topic, reply or edit about to be
// written) against the member's and the address's posting limits; nil
// means go ahead. Previews and refused forms never get here, so they do
// not count; moderators are not limited.
func (h *Handler) takePostingLimit(c *fiber.Ctx) *limitError {
	if member(c).IsModerator() {
		return nil
	}
	return h.takeLimits(c, posting...)
}

// refuseSave shows a composer again, holding everything typed, as refused
// by a posting limit.
func (h *Handler) refuseSave(c *fiber.Ctx, limit *limitError, form *composer, render func() error) error {
	form.Errors.add("body", limit.message()+" Your text is kept below; nothing was saved.")
	return h.refuseForm(c, limit, render)
}

// refuseForm shows a form again through render, holding everything typed
// and the limit's message the caller put on it: status 429 with
// Retry-After.
func (h *Handler) refuseForm(c *fiber.Ctx, limit *limitError, render func() error) error {
	h.log.Info("rate limit refused a form", "rule", limit.rule.Name, "request_id", requestID(c))
	if err := render(); err != nil {
		return err
	}
	c.Set(fiber.HeaderRetryAfter, limit.retryAfter())
	c.Status(fiber.StatusTooManyRequests)
	return nil
}
