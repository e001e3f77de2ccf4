// Package verify holds the rules of clinician verification, apart from
// HTTP: what an application must contain, the one-time codes that confirm a
// work email, the evidence gathered for moderators, and the short list of
// evidence strong enough to verify a member without a moderator.
package verify

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"rounds/app/npi"
)

// Profession is one choice on the application.
type Profession struct {
	Value string
	Label string
}

// Professions are the licensed professions Rounds verifies.
var Professions = []Profession{
	{"physician", "Physician"},
	{"nurse_practitioner", "Nurse practitioner"},
	{"physician_assistant", "Physician assistant"},
	{"nurse", "Nurse"},
	{"pharmacist", "Pharmacist"},
	{"other", "Other licensed clinician"},
}

// Application is what a member fills in, kept exactly as typed so a refused
// form can show it again.
type Application struct {
	FullName       string
	Profession     string
	Specialty      string
	NPI            string
	LicenseCountry string
	LicenseState   string
	LicenseNumber  string
	Institution    string
	WorkEmail      string
}

// countryCode is an ISO 3166 alpha-2 code, and also the shape of a US state.
var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Clean trims every field and normalizes codes and the email.
func (a *Application) Clean() {
	for _, f := range []*string{&a.FullName, &a.Profession, &a.Specialty, &a.NPI, &a.LicenseCountry,
		&a.LicenseState, &a.LicenseNumber, &a.Institution, &a.WorkEmail} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	a.LicenseCountry = strings.ToUpper(a.LicenseCountry)
	a.LicenseState = strings.ToUpper(a.LicenseState)
	a.WorkEmail = strings.ToLower(a.WorkEmail)
	a.NPI = npi.Normalize(a.NPI)
}

// Validate returns a message per field that is wrong, nil when none is.
// The NPI is required in the US only, where every prescriber has one.
func (a *Application) Validate() map[string]string {
	errs := map[string]string{}
	need := func(field, value, what string, max int) {
		switch n := utf8.RuneCountInString(value); {
		case n == 0:
			errs[field] = "Please give your " + what + "."
		case n > max:
			errs[field] = "This is too long; keep it under " + itoa(max) + " characters."
		}
	}
	need("full_name", a.FullName, "full name as on your license", 100)
	need("specialty", a.Specialty, "specialty or field of practice", 100)
	need("license_number", a.LicenseNumber, "license number", 40)
	need("institution", a.Institution, "institution or practice", 200)
	if !knownProfession(a.Profession) {
		errs["profession"] = "Choose your profession from the list."
	}
	if !countryCode.MatchString(a.LicenseCountry) {
		errs["license_country"] = "Give the two-letter country code of your license, such as US, GB or CA."
	}
	if a.LicenseCountry == "US" && !countryCode.MatchString(a.LicenseState) {
		errs["license_state"] = "Give the two-letter state of your US license, such as NY."
	} else if utf8.RuneCountInString(a.LicenseState) > 60 {
		errs["license_state"] = "This is too long; keep it under 60 characters."
	}
	switch {
	case a.NPI == "" && a.LicenseCountry == "US":
		errs["npi"] = "Clinicians licensed in the US need to give their NPI."
	case a.NPI != "":
		if err := npi.Check(a.NPI); err != nil {
			errs["npi"] = "This is not a valid NPI: " + err.Error() + "."
		}
	}
	if addr, err := mail.ParseAddress(a.WorkEmail); err != nil || addr.Address != a.WorkEmail || len(a.WorkEmail) > 200 {
		errs["work_email"] = "Give the email address you use at work, such as name@hospital.org."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// ValidProfession says whether p is one of the Professions.
func ValidProfession(p string) bool { return knownProfession(p) }

func knownProfession(p string) bool {
	for _, known := range Professions {
		if known.Value == p {
			return true
		}
	}
	return false
}

// LastName is the last word of a full name, for comparing with the NPI
// registry.
func LastName(fullName string) string {
	words := strings.Fields(fullName)
	if len(words) == 0 {
		return ""
	}
	return words[len(words)-1]
}

// EmailDomain is the part of an address after the @, lower-cased.
func EmailDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(email[at+1:])
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
