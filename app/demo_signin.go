package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/demoidp"
	"rounds/models"
)

type demoSignInPage struct {
	Members []models.User
	Return  string
}

// demoSignInForm lets a visitor to the demo act as one of its members. It
// is routed only when the server runs as `rounds demo`.
func (h *Handler) demoSignInForm(c *fiber.Ctx) error {
	members, err := h.store.VerifiedUsers(c.UserContext(), 100)
	if err != nil {
		return err
	}
	h.allowSignInForms(c)
	data := h.page(c, "Sign in to the demo")
	data.Page = demoSignInPage{Members: members, Return: safeReturn(c.Query("return"))}
	return h.views.render(c, "demo_signin", data)
}

// demoApplicant is the picker's identity for someone new: the demo's
// provider signs them in, and Rounds makes them a pending applicant.
const demoApplicant = "applicant"

// demoSignIn signs in as the picked identity through the demo's own
// OpenID Connect provider, by the same code flow as production.
func (h *Handler) demoSignIn(c *fiber.Ctx) error {
	username := c.FormValue("username")
	if username != demoApplicant {
		user, err := h.store.UserByUsername(c.UserContext(), username)
		if err != nil {
			return errBadRequest("That demo member does not exist; pick one from the list.", err)
		}
		// The invented members hold an account at the demo's provider,
		// whose issuer is new at every start.
		err = h.store.LinkIdentity(c.UserContext(), user.ID, models.Identity{Provider: h.demoProvider.Name,
			Issuer: h.demoIssuer, Subject: demoidp.Subject(username), Email: demoidp.Email(username), EmailVerified: true})
		if err != nil {
			return err
		}
	}
	return h.beginSignIn(c, h.demoProvider, c.FormValue("return"), username)
}

func (h *Handler) signOut(c *fiber.Ctx) error {
	if sess := currentSession(c); sess != nil {
		if err := h.store.DeleteSession(c.UserContext(), sess.ID); err != nil {
			return err
		}
	}
	h.setCookie(c, "rounds_session", "", h.now().Add(-time.Hour))
	return c.Redirect("/", fiber.StatusSeeOther)
}
