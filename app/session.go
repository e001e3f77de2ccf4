package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

const (
	localMember  = "member"
	localSession = "session"
	csrfField    = "_csrf"
	csrfHeader   = "X-CSRF-Token"
)

// cookieName gives a cookie the __Host- prefix whenever the site is served
// over https, which pins it to this host, path / and Secure.
func (h *Handler) cookieName(base string) string {
	if h.cfg.Secure() {
		return "__Host-" + base
	}
	return base
}

func (h *Handler) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name: h.cookieName(name), Value: value, Path: "/", Expires: expires,
		Secure: h.cfg.Secure(), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// loadMember is the one place that decides who is asking. Every page reads
// the member it leaves in the context and nothing else, so changing who may
// see what happens here and in the route table alone.
func (h *Handler) loadMember(c *fiber.Ctx) error {
	token := c.Cookies(h.cookieName("rounds_session"))
	if token == "" {
		return c.Next()
	}
	now := h.now().UTC()
	sess, user, err := h.sessionMember(c, hashToken(token), now)
	switch {
	case errors.Is(err, models.ErrNotFound):
		h.setCookie(c, "rounds_session", "", now.Add(-time.Hour))
		return c.Next()
	case err != nil:
		return err
	}
	// A session ends when it idles or ages out, and at once when its
	// member is suspended or rejected.
	ended := now.Sub(sess.LastSeenAt) > h.cfg.SessionIdle || now.Sub(sess.CreatedAt) > h.cfg.SessionMax ||
		user.Status == models.StatusSuspended || user.Status == models.StatusRejected
	if ended {
		if err := h.store.DeleteSession(c.UserContext(), sess.ID); err != nil {
			return err
		}
		h.setCookie(c, "rounds_session", "", now.Add(-time.Hour))
		return c.Next()
	}
	// Recording activity once a minute is enough for the idle timeout and
	// keeps reads from turning into writes.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := h.store.TouchSession(c.UserContext(), sess.ID, now); err != nil {
			return err
		}
		sess.LastSeenAt = now
		h.cache.sessions.change(sess.ID, func(e cachedSession) cachedSession {
			e.sess.LastSeenAt = now
			return e
		})
	}
	c.Locals(localMember, user)
	c.Locals(localSession, sess)
	return c.Next()
}

// sessionMember reads a live session and its member, from the read cache
// when it holds them (see readCache for how long that can be).
func (h *Handler) sessionMember(c *fiber.Ctx, id string, now time.Time) (*models.Session, *models.User, error) {
	stamp := h.cacheStamp()
	if e, ok := h.cache.sessions.get(id, stamp); ok && e.sess.ExpiresAt.After(now) {
		return &e.sess, &e.user, nil
	}
	sess, user, err := h.store.SessionMember(c.UserContext(), id, now)
	if err != nil {
		return nil, nil, err
	}
	h.cache.sessions.put(sess.ID, stamp, cachedSession{sess: *sess, user: *user})
	return sess, user, nil
}

// member is the signed-in member, or nil for a guest.
func member(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localMember).(*models.User)
	return u
}

func currentSession(c *fiber.Ctx) *models.Session {
	s, _ := c.Locals(localSession).(*models.Session)
	return s
}

// startSession signs a member in with a brand-new session ID.
func (h *Handler) startSession(c *fiber.Ctx, user *models.User) error {
	if old := currentSession(c); old != nil {
		if err := h.store.DeleteSession(c.UserContext(), old.ID); err != nil {
			return err
		}
	}
	token, err := randomToken()
	if err != nil {
		return err
	}
	now := h.now().UTC()
	sess := &models.Session{
		ID: hashToken(token), UserID: user.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(h.cfg.SessionMax), UserAgent: truncate(string(c.Request().Header.UserAgent()), 300),
	}
	if err := h.store.CreateSession(c.UserContext(), sess); err != nil {
		return err
	}
	h.setCookie(c, "rounds_session", token, sess.ExpiresAt)
	return nil
}

// csrfToken returns the token forms must send back. It is an HMAC over a
// random per-browser cookie and the session, so it is worthless to another
// browser and changes at sign-in.
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	seed := c.Cookies(h.cookieName("rounds_csrf"))
	if seed == "" {
		if cached, ok := c.Locals("csrf_seed").(string); ok {
			seed = cached
		} else {
			var err error
			if seed, err = randomToken(); err != nil {
				return ""
			}
			h.setCookie(c, "rounds_csrf", seed, h.now().Add(365*24*time.Hour))
			c.Locals("csrf_seed", seed)
		}
	}
	return h.csrfFor(seed, currentSession(c))
}

func (h *Handler) csrfFor(seed string, sess *models.Session) string {
	mac := hmac.New(sha256.New, h.cfg.Secret)
	mac.Write([]byte("csrf\x00" + seed + "\x00"))
	if sess != nil {
		mac.Write([]byte(sess.ID))
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkCSRF guards every state-changing request; none is exempt.
func (h *Handler) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if strings.HasPrefix(c.Path(), unsubscribePrefix) {
		return c.Next() // see unsubscribePrefix
	}
	seed := c.Cookies(h.cookieName("rounds_csrf"))
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = c.FormValue(csrfField)
	}
	want := h.csrfFor(seed, currentSession(c))
	if seed == "" || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return &Error{Status: http.StatusForbidden,
			Message: "This form has expired or did not come from Rounds. Go back, reload the page and send it again."}
	}
	return c.Next()
}

// safeReturn accepts only a path on this site as a place to return to.
func safeReturn(target string) string {
	if target == "" || target[0] != '/' || strings.HasPrefix(target, "//") ||
		strings.ContainsAny(target, "\\\r\n\t") {
		return "/"
	}
	return target
}

// truncate keeps at most n bytes of text sent from elsewhere (a browser's
// User-Agent, a provider's claims), cut between characters, with what
// Rounds cannot keep taken out (see models.CleanText).
func truncate(s string, n int) string {
	s, _ = models.CleanText(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
