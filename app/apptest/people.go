package apptest

import (
	"testing"

	"rounds/models"
)

// Person is someone the tests' stories come back to, always with the same
// name and specialty, so that a test says who is in it rather than how
// they are made:
//
//	okafor, mod := a.Member(t, apptest.Okafor), a.Member(t, apptest.Park)
//	m := a.SignedIn(t, mod)
type Person struct {
	Username    string
	DisplayName string
	Specialty   string
	// Moderates makes them a moderator.
	Moderates bool
}

// The people of the tests: a cardiologist who often opens topics, a nurse
// who often replies, an emergency physician who reports, two
// nephrologists who read, and two moderators.
var (
	Okafor = Person{Username: "okafor", DisplayName: "Dr. Amara Okafor", Specialty: "Cardiology"}
	Weber  = Person{Username: "weber", DisplayName: "Jonas Weber, RN", Specialty: "Critical Care Nursing"}
	Byrne  = Person{Username: "byrne", DisplayName: "Siobhan Byrne", Specialty: "Emergency Medicine"}
	Chen   = Person{Username: "chen", DisplayName: "Dr. Wei Chen", Specialty: "Nephrology"}
	Patel  = Person{Username: "patel", DisplayName: "Dr. Ravi Patel", Specialty: "Nephrology"}
	Park   = Person{Username: "park", DisplayName: "Dr. Lena Park", Specialty: "Internal Medicine", Moderates: true}
	Silva  = Person{Username: "silva", DisplayName: "Dr. Ana Silva", Specialty: "Geriatrics", Moderates: true}
)

// In is the person with another specialty, for a story about what an
// anonymous label shows; "" for none.
func (p Person) In(specialty string) Person {
	p.Specialty = specialty
	return p
}

// Member makes the person a verified clinician of the site, as
// VerifiedMember does, and a moderator when they moderate, as Moderator
// does.
func (a *App) Member(t testing.TB, p Person) *models.User {
	t.Helper()
	if p.Moderates {
		return a.Moderator(t, p.Username, p.DisplayName, p.Specialty)
	}
	return a.VerifiedMember(t, p.Username, p.DisplayName, p.Specialty)
}

// SignedIn is a new browser signed in as u.
func (a *App) SignedIn(t testing.TB, u *models.User) *Browser {
	t.Helper()
	b := a.Browser(t)
	b.SignIn(u)
	return b
}
