package modelstest

import (
	"context"
	"testing"

	"rounds/models"
)

// Member is a member a test is about to make, described the way the test
// tells its story:
//
//	mod := modelstest.Verified("park", "Dr. Lena Park").Moderator().Make(t, store)
//	author := modelstest.Verified("weber", "Jonas Weber, RN").Specialty("Critical Care Nursing").Make(t, store)
//
// Nothing is set that the test did not ask for: no profession, specialty
// or address unless named, since what a member's label or digest shows
// depends on them.
type Member struct {
	user models.User
	// email, when set, is an address a sign-in provider vouched for.
	email string
}

// Verified begins a verified member.
func Verified(username, displayName string) Member {
	return Member{user: models.User{Username: username, DisplayName: displayName, Status: models.StatusVerified}}
}

// Applicant begins an account that has not been verified: what the store
// makes of a new sign-in.
func Applicant(username, displayName string) Member {
	return Member{user: models.User{Username: username, DisplayName: displayName}}
}

// Moderator makes the member a moderator.
func (m Member) Moderator() Member {
	m.user.Role = models.RoleModerator
	return m
}

// Specialty gives the member a specialty.
func (m Member) Specialty(specialty string) Member {
	m.user.Specialty = specialty
	return m
}

// Profession gives the member a profession.
func (m Member) Profession(profession string) Member {
	m.user.Profession = profession
	return m
}

// Status gives the member a status other than verified.
func (m Member) Status(status models.Status) Member {
	m.user.Status = status
	return m
}

// WithEmail links a sign-in identity whose provider vouched for
// username@hospital.test, so mail such as digests can reach the member.
func (m Member) WithEmail() Member {
	m.email = m.user.Username + "@hospital.test"
	return m
}

// Make creates the member in the store.
func (m Member) Make(t testing.TB, store *models.Store) *models.User {
	t.Helper()
	ctx := context.Background()
	u := m.user
	if err := store.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	if m.email != "" {
		if err := store.LinkIdentity(ctx, u.ID, models.Identity{Provider: "test", Issuer: "https://idp.test",
			Subject: u.Username, Email: m.email, EmailVerified: true}); err != nil {
			t.Fatal(err)
		}
	}
	return &u
}
