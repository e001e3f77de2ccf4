package app

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows only our own scripts, styles, fonts and
// images (remote images of posts, preview cards and podcast artwork come
// through the image proxy), and audio over https (the episode player of a
// podcast topic).
var contentSecurityPolicy = cspFormAction(nil)

// cspFormAction is the policy with forms allowed to go, besides this site,
// to the given origins. Browsers hold a form's redirects to form-action
// too, so a sign-in form must name the providers it sends members to.
func cspFormAction(origins []string) string {
	action := "'self'"
	for _, o := range origins {
		action += " " + o
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; " +
		"img-src 'self'; media-src https: 'self'; font-src 'self'; connect-src 'self'; form-action " + action + "; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
}

// securityHeaders runs first so every response carries them: pages, error
// pages and static files alike. It also gives the request its ID.
// handleError sets them on the answers the server makes before any
// middleware runs.
func (h *Handler) securityHeaders(c *fiber.Ctx) error {
	h.setSecurityHeaders(c)
	giveRequestID(c)
	return c.Next()
}

func (h *Handler) setSecurityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	if h.cfg.Secure() {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

const localRequestID = "request_id"

func giveRequestID(c *fiber.Ctx) {
	id := newRequestID()
	c.Locals(localRequestID, id)
	c.Set("X-Request-ID", id)
}

func newRequestID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "unknown"
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// requestLog writes one line per request when info logging is on.
func (h *Handler) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if !h.log.Enabled(c.UserContext(), slog.LevelInfo) {
		return err
	}
	status := c.Response().StatusCode()
	if err != nil {
		status, _ = classify(err, 0) // only the status is logged
	}
	h.log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("method", c.Method()),
		slog.String("path", c.Path()),
		slog.Int("status", status),
		slog.Duration("elapsed", time.Since(start)),
		slog.String("request_id", requestID(c)))
	return err
}

// noteWrites counts every request that may have written, once it is done
// and its transactions committed, as a change (models.Store.NoteChange), so
// the read cache drops what it read before. A GET or HEAD is a read; the
// few writes a read makes are counted by the store as they happen.
func (h *Handler) noteWrites(c *fiber.Ctx) error {
	err := c.Next()
	switch {
	case reading(c), c.Method() == fiber.MethodOptions, readingOnly(c):
	default:
		h.store.NoteChange()
	}
	return err
}

type onlyReadingKey struct{}

// onlyReading marks a POST that only noted how far its member read (see
// readBatcher): it changes nothing the read cache or the search index
// hold, so it neither empties the one nor wakes the other, as a member's
// scrolling would otherwise do every few seconds.
func onlyReading(c *fiber.Ctx) { c.Locals(onlyReadingKey{}, true) }

func readingOnly(c *fiber.Ctx) bool {
	only, _ := c.Locals(onlyReadingKey{}).(bool)
	return only
}

// wakeSearch has the search index catch up as soon as a change has been
// written, so a member finds their own post at once rather than at the
// next poll. A change is any request other than a read that succeeded.
func (h *Handler) wakeSearch(c *fiber.Ctx) error {
	err := c.Next()
	if err != nil || reading(c) || readingOnly(c) {
		return err
	}
	if c.Response().StatusCode() < fiber.StatusBadRequest {
		h.search.Wake()
	}
	return nil
}
