package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

// applicationForm is the verification application as typed, with a
// message per refused field and the moderator's question, if any.
type applicationForm struct {
	verify.Application
	Errors      map[string]string
	Question    string
	Professions []verify.Profession
}

// formFrom fills the form from a stored application, or leaves it empty.
func formFrom(v *models.Verification) *applicationForm {
	f := &applicationForm{Professions: verify.Professions}
	if v == nil {
		return f
	}
	f.Application = verify.Application{FullName: v.FullName, Profession: v.Profession, Specialty: v.Specialty,
		NPI: v.NPI, LicenseCountry: v.LicenseCountry, LicenseState: v.LicenseState, LicenseNumber: v.LicenseNumber,
		Institution: v.Institution, WorkEmail: v.WorkEmail}
	if v.Status == models.VerificationMoreInfo {
		f.Question = v.DecisionReason
	}
	return f
}

// formFromRequest reads the form exactly as sent.
func formFromRequest(c *fiber.Ctx) *applicationForm {
	return &applicationForm{Professions: verify.Professions, Application: verify.Application{
		FullName: c.FormValue("full_name"), Profession: c.FormValue("profession"), Specialty: c.FormValue("specialty"),
		NPI: c.FormValue("npi"), LicenseCountry: c.FormValue("license_country"), LicenseState: c.FormValue("license_state"),
		LicenseNumber: c.FormValue("license_number"), Institution: c.FormValue("institution"), WorkEmail: c.FormValue("work_email"),
	}}
}

// verification is the cleaned application as the store keeps it.
func verificationFrom(userID int64, a verify.Application) *models.Verification {
	return &models.Verification{UserID: userID, FullName: a.FullName, Profession: a.Profession, Specialty: a.Specialty,
		NPI: a.NPI, LicenseCountry: a.LicenseCountry, LicenseState: a.LicenseState, LicenseNumber: a.LicenseNumber,
		Institution: a.Institution, WorkEmail: a.WorkEmail}
}

// fieldView is one text input of the application form.
type fieldView struct {
	Name, Label, Value, Hint, Type, Error string
}

func verifyField(f *applicationForm, name, label, value, hint, typ string) fieldView {
	return fieldView{Name: name, Label: label, Value: value, Hint: hint, Type: typ, Error: f.Errors[name]}
}
