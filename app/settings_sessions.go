package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type sessionsPage struct {
	Sessions []sessionRow
}

type sessionRow struct {
	models.Session
	Current bool
	// Browser is the session's browser and system, such as "Firefox on
	// macOS", read from its User-Agent.
	Browser string
}

// settingsSessions lists where the member is signed in.
func (h *Handler) settingsSessions(c *fiber.Ctx) error {
	sessions, err := h.store.SessionsOf(c.UserContext(), member(c).ID, h.now().UTC())
	if err != nil {
		return err
	}
	current := currentSession(c)
	rows := make([]sessionRow, len(sessions))
	for i, s := range sessions {
		rows[i] = sessionRow{Session: s, Current: current != nil && s.ID == current.ID, Browser: browserOn(s.UserAgent)}
	}
	data := h.page(c, "Your sessions")
	data.Page = sessionsPage{Sessions: rows}
	return h.views.render(c, "settings_sessions", data)
}

// settingsSessionEnd signs the member out of one session, or of every
// other one.
func (h *Handler) settingsSessionEnd(c *fiber.Ctx) error {
	ctx, m, current := c.UserContext(), member(c), currentSession(c)
	if c.FormValue("others") != "" {
		sessions, err := h.store.SessionsOf(ctx, m.ID, h.now().UTC())
		if err != nil {
			return err
		}
		for _, s := range sessions {
			if current == nil || s.ID != current.ID {
				if err := h.store.EndSessionOf(ctx, m.ID, s.ID); err != nil && !models.IsNotFound(err) {
					return err
				}
			}
		}
		return c.Redirect("/settings/sessions", fiber.StatusSeeOther)
	}
	if err := h.store.EndSessionOf(ctx, m.ID, c.FormValue("id")); err != nil {
		return missing("That session", err)
	}
	return c.Redirect("/settings/sessions", fiber.StatusSeeOther)
}
