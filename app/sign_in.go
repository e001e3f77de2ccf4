package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/auth"
	"rounds/models"
)

// loginAttemptTTL is how long a member has at their provider before the
// attempt expires.
const loginAttemptTTL = 10 * time.Minute

type signInPage struct {
	Providers []*auth.Provider
	Members   []models.User // the demo's members, in the demo only
	Return    string
}

func (h *Handler) signInForm(c *fiber.Ctx) error {
	if member(c) != nil {
		return c.Redirect(safeReturn(c.Query("return")), fiber.StatusSeeOther)
	}
	p := signInPage{Providers: h.providers, Return: safeReturn(c.Query("return"))}
	if h.demo {
		var err error
		if p.Members, err = h.store.VerifiedUsers(c.UserContext(), 100); err != nil {
			return err
		}
	}
	h.allowSignInForms(c)
	data := h.page(c, "Sign in")
	data.Page = p
	return h.views.render(c, "sign_in", data)
}

// allowSignInForms lets this page's forms lead to the sign-in providers.
func (h *Handler) allowSignInForms(c *fiber.Ctx) {
	var origins []string
	providers := h.providers
	if h.demoProvider != nil {
		providers = append(slices.Clone(providers), h.demoProvider)
	}
	self := h.cfg.BaseURL.Scheme + "://" + h.cfg.BaseURL.Host
	for _, p := range providers {
		for _, o := range p.Origins() {
			// 'self' already covers a provider on the site itself, as
			// the demo's is.
			if o != "" && o != self && !slices.Contains(origins, o) {
				origins = append(origins, o)
			}
		}
	}
	c.Set("Content-Security-Policy", cspFormAction(origins))
}

// browserID names the browser that starts a sign-in: the hash of its CSRF
// cookie, which the sign-in form has just required.
func (h *Handler) browserID(c *fiber.Ctx) string {
	seed := c.Cookies(h.cookieName("rounds_csrf"))
	if seed == "" {
		return ""
	}
	return hashToken(seed)
}

// authStart leaves for the provider. It is a POST (from the sign-in page,
// CSRF-checked) because it records the attempt.
func (h *Handler) authStart(c *fiber.Ctx) error {
	p := auth.Find(h.providers, c.Params("provider"))
	if p == nil {
		return errNotFound("That sign-in provider", nil)
	}
	return h.beginSignIn(c, p, c.FormValue("return"), "")
}

// beginSignIn records a single-use attempt bound to this browser and sends
// the browser to the provider. loginHint, when set, tells the provider who
// is signing in (the demo's provider uses it to pick the identity).
func (h *Handler) beginSignIn(c *fiber.Ctx, p *auth.Provider, returnTo, loginHint string) error {
	start, err := p.Begin()
	if err != nil {
		h.log.Error("sign-in provider unavailable", "provider", p.Name, "err", err)
		return &Error{Status: http.StatusBadGateway, Err: err,
			Message: "We could not reach " + p.Label + " to sign you in. Please try again in a minute."}
	}
	now := h.now().UTC()
	err = h.store.CreateLoginAttempt(c.UserContext(), &models.LoginAttempt{
		ID: hashToken(start.State), Browser: h.browserID(c), Provider: p.Name,
		Nonce: start.Nonce, Verifier: start.Verifier, ReturnTo: safeReturn(returnTo),
		CreatedAt: now, ExpiresAt: now.Add(loginAttemptTTL),
	})
	if err != nil {
		return err
	}
	target := start.URL
	if loginHint != "" {
		target += "&login_hint=" + url.QueryEscape(loginHint)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

var errSignInAgain = &Error{Status: http.StatusBadRequest,
	Message: "This sign-in has expired, was already used, or was started in another browser. Please sign in again."}

// authCallback is where the provider sends the browser back. It is the one
// GET that changes state, as the protocol requires; the attempt it
// completes is single-use and bound to the browser that started it.
func (h *Handler) authCallback(c *fiber.Ctx) error {
	p := auth.Find(h.providers, c.Params("provider"))
	if p == nil && h.demoProvider != nil && c.Params("provider") == h.demoProvider.Name {
		p = h.demoProvider
	}
	if p == nil {
		return errNotFound("That sign-in provider", nil)
	}
	attempt, err := h.takeLoginAttempt(c, p)
	if err != nil {
		return err
	}
	claims, err := p.Finish(c.UserContext(), c.Query("code"), attempt.Verifier, attempt.Nonce)
	if err != nil {
		h.log.Warn("sign-in rejected", "provider", p.Name, "err", err)
		return &Error{Status: http.StatusBadRequest, Err: err,
			Message: "We could not confirm your sign-in with " + p.Label + ". Please sign in again."}
	}
	user, err := h.signInMember(c, p, claims)
	if err != nil {
		return err
	}
	if user.Status == models.StatusSuspended {
		if err := h.suspendedSignIn(c, user); err != nil {
			return err
		}
	}
	if user.Status == models.StatusRejected {
		return errForbidden("This account cannot sign in. Contact the moderators if you think this is wrong.")
	}
	if err := h.startSession(c, user); err != nil {
		return err
	}
	return c.Redirect(safeReturn(attempt.ReturnTo), fiber.StatusSeeOther)
}

// takeLoginAttempt takes, once, the sign-in attempt the provider's answer
// completes: it must name an attempt started with this provider in this
// browser and not yet expired. A provider that refused to sign the member
// in says so instead.
func (h *Handler) takeLoginAttempt(c *fiber.Ctx, p *auth.Provider) (*models.LoginAttempt, error) {
	if reason := c.Query("error"); reason != "" {
		return nil, &Error{Status: http.StatusBadRequest, Err: fmt.Errorf("provider error %q: %s", reason, c.Query("error_description")),
			Message: p.Label + " did not sign you in (" + truncate(reason, 60) + "). You can try again."}
	}
	state := c.Query("state")
	if state == "" {
		return nil, errSignInAgain
	}
	attempt, err := h.store.TakeLoginAttempt(c.UserContext(), hashToken(state), h.now().UTC())
	if errors.Is(err, models.ErrNotFound) {
		return nil, errSignInAgain
	}
	if err != nil {
		return nil, err
	}
	if attempt.Provider != p.Name || attempt.Browser == "" || attempt.Browser != h.browserID(c) {
		return nil, errSignInAgain
	}
	return attempt, nil
}

// signInMember finds or creates the member behind a provider identity. A
// new member is pending, unless the provider is trusted to sign in only
// clinicians; an address on ROUNDS_ADMIN_EMAILS, verified by the provider,
// makes them an admin.
func (h *Handler) signInMember(c *fiber.Ctx, p *auth.Provider, claims *auth.Claims) (*models.User, error) {
	ctx := c.UserContext()
	admin := claims.EmailVerified && claims.Email != "" && h.isAdminEmail(claims.Email)
	fresh := models.User{DisplayName: displayName(claims), Status: models.StatusPending, Role: models.RoleMember}
	if p.Trusted || admin {
		fresh.Status = models.StatusVerified
	}
	if admin {
		fresh.Role = models.RoleAdmin
	}
	identity := models.Identity{Provider: p.Name, Issuer: claims.Issuer, Subject: claims.Subject,
		Email: claims.Email, EmailVerified: claims.EmailVerified}
	var user *models.User
	for try := 0; ; try++ {
		var err error
		if fresh.Username, err = h.freeUsername(c, claims, try); err != nil {
			return nil, err
		}
		var created bool
		user, created, err = h.store.SignIn(ctx, identity, fresh)
		if err == nil {
			if created {
				h.log.Info("new member", "user_id", user.ID, "provider", p.Name, "status", user.Status, "role", user.Role)
			}
			break
		}
		// Two sign-ins may race for a username; try another.
		if try >= 3 {
			return nil, err
		}
	}
	if admin && user.Role != models.RoleAdmin {
		if err := h.store.SetRole(ctx, user.ID, models.RoleAdmin); err != nil {
			return nil, err
		}
		user.Role = models.RoleAdmin
	}
	return user, nil
}

func (h *Handler) isAdminEmail(email string) bool {
	for _, a := range h.cfg.AdminEmails {
		if a == email {
			return true
		}
	}
	return false
}

func displayName(c *auth.Claims) string {
	if c.Name != "" {
		return truncate(c.Name, 100)
	}
	if local, _, ok := strings.Cut(c.Email, "@"); ok && local != "" {
		return truncate(local, 100)
	}
	return "New member"
}

var usernameJunk = regexp.MustCompile(`[^a-z0-9_]+`)

// freeUsername proposes a username from the member's name or email, with a
// number added when it is taken.
func (h *Handler) freeUsername(c *fiber.Ctx, claims *auth.Claims, try int) (string, error) {
	base := strings.ToLower(claims.Name)
	if base == "" {
		base, _, _ = strings.Cut(claims.Email, "@")
	}
	base = strings.Trim(usernameJunk.ReplaceAllString(strings.ReplaceAll(strings.ToLower(base), " ", "_"), ""), "_")
	if len(base) < 3 {
		base = "member"
	}
	if len(base) > 24 {
		base = base[:24]
	}
	for n := try; n < try+50; n++ {
		name := base
		if n > 0 {
			name = fmt.Sprintf("%s%d", base, n+1)
		}
		taken, err := h.store.UsernameTaken(c.UserContext(), name)
		if err != nil {
			return "", err
		}
		if !taken {
			return name, nil
		}
	}
	suffix, err := randomToken()
	if err != nil {
		return "", err
	}
	return base + "_" + hashToken(suffix)[:6], nil
}

// suspendedSignIn tells a suspended member why they cannot sign in and
// until when. A suspension that has run out is lifted there and then, and
// the member signs in as usual.
func (h *Handler) suspendedSignIn(c *fiber.Ctx, user *models.User) error {
	ctx := c.UserContext()
	s, err := h.store.SuspensionOf(ctx, user.ID)
	if err != nil {
		return err
	}
	if s.Until != nil && !s.Until.After(h.now()) {
		if err := h.store.LiftSuspension(ctx, nil, user.ID, "the suspension ended"); err != nil {
			return err
		}
		user.Status = models.StatusVerified
		return nil
	}
	msg := "Your account is suspended indefinitely."
	if s.Until != nil {
		msg = "Your account is suspended until " + stampTime(*s.Until) + "."
	}
	if s.Reason != "" {
		msg += " The moderators gave this reason: " + s.Reason
	}
	return errForbidden(msg + " Contact the moderators if you think this is wrong.")
}
