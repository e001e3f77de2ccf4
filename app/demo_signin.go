package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

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
	data := h.page(c, "Sign in to the demo")
	data.Page = demoSignInPage{Members: members, Return: safeReturn(c.Query("return"))}
	return h.views.render(c, "demo_signin", data)
}

func (h *Handler) demoSignIn(c *fiber.Ctx) error {
	user, err := h.store.UserByUsername(c.UserContext(), c.FormValue("username"))
	if err != nil {
		return errBadRequest("That demo member does not exist; pick one from the list.", err)
	}
	if err := h.startSession(c, user); err != nil {
		return err
	}
	return c.Redirect(safeReturn(c.FormValue("return")), fiber.StatusSeeOther)
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
