package app

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

// profileForm is the member's own profile as typed.
type profileForm struct {
	models.ProfileEdit
	Username    string
	Professions []verify.Profession
	// Waiting is the change of name, profession or specialty still with
	// the moderators; Refused the latest one they turned down, with why.
	Waiting *models.ProfileChange
	Refused *models.ProfileChange
	Saved   string // "saved" or "waiting", after a save
	Errors  fieldErrors
}

// settingsProfile shows the member's profile for editing: a waiting change
// shows in the fields, what peers see now beside it.
func (h *Handler) settingsProfile(c *fiber.Ctx) error {
	u, err := h.store.UserByID(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	f := &profileForm{ProfileEdit: models.ProfileEdit{DisplayName: u.DisplayName, Credentials: u.Credentials,
		Profession: u.Profession, Specialty: u.Specialty, Institution: u.Institution, ShowInstitution: u.ShowInstitution}}
	switch c.Query("saved") {
	case "saved", "waiting":
		f.Saved = c.Query("saved")
	}
	return h.renderProfileForm(c, u, f)
}

// settingsProfileSave saves credentials and the institution at once, and
// sends a changed name, profession or specialty to the moderators.
func (h *Handler) settingsProfileSave(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u, err := h.store.UserByID(ctx, member(c).ID)
	if err != nil {
		return err
	}
	clean := func(name string) string { return strings.Join(strings.Fields(c.FormValue(name)), " ") }
	f := &profileForm{ProfileEdit: models.ProfileEdit{DisplayName: clean("display_name"), Credentials: clean("credentials"),
		Profession: c.FormValue("profession"), Specialty: clean("specialty"), Institution: clean("institution"),
		ShowInstitution: c.FormValue("show_institution") != ""}}
	length := func(field, value, what string, least, most int) {
		switch n := utf8.RuneCountInString(value); {
		case n < least:
			f.Errors.add(field, "Give your "+what+".")
		case n > most:
			f.Errors.add(field, "Keep your "+what+" under "+itoa(most+1)+" characters.")
		}
	}
	length("display_name", f.DisplayName, "name", 2, 100)
	length("credentials", f.Credentials, "credentials", 0, 60)
	if !verify.ValidProfession(f.Profession) {
		f.Errors.add("profession", "Choose your profession from the list.")
	}
	length("specialty", f.Specialty, "specialty or field of practice", 1, 100)
	length("institution", f.Institution, "institution", 0, 200)
	if f.ShowInstitution && f.Institution == "" {
		f.Errors.add("institution", "Give your institution, or untick the box to show none.")
	}
	f.Errors.addRefused(c)
	if f.Errors != nil {
		return h.renderProfileForm(c, u, f)
	}
	waiting, err := h.store.UpdateProfile(ctx, u.ID, f.ProfileEdit)
	if err != nil {
		return err
	}
	if waiting {
		return c.Redirect("/settings/profile?saved=waiting", fiber.StatusSeeOther)
	}
	return c.Redirect("/settings/profile?saved=saved", fiber.StatusSeeOther)
}

func (h *Handler) renderProfileForm(c *fiber.Ctx, u *models.User, f *profileForm) error {
	changes, err := h.store.ProfileChangesOf(c.UserContext(), u.ID, 1)
	if err != nil {
		return err
	}
	if len(changes) > 0 {
		switch last := &changes[0]; last.Status {
		case models.ProfileChangePending:
			f.Waiting = last
			if c.Method() == fiber.MethodGet {
				f.DisplayName, f.Profession, f.Specialty = last.DisplayName, last.Profession, last.Specialty
			}
		case models.ProfileChangeRejected:
			f.Refused = last
		}
	}
	f.Username, f.Professions = u.Username, verify.Professions
	c.Status(f.Errors.status())
	data := h.page(c, "Your profile")
	data.Page = f
	return h.views.render(c, "settings_profile", data)
}
