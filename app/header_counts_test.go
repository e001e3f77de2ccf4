package app_test

import (
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// Moderators see in the header how many applications for verification
// wait for them, as they see the reported posts; members see no such
// count, and a decided application leaves it.
func TestHeaderCountsApplicationsWaitingForModerators(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		member := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		m, peer := a.Browser(t), a.Browser(t)
		m.SignIn(mod)
		peer.SignIn(member)
		waiting := `Verifications <span class="unread-count">2<span class="visually-hidden"> waiting</span>`

		mustNotContain(t, m.Get("/"), `Verifications <span class="unread-count">`)
		var first int64
		for i, name := range []string{"newcomer", "another"} {
			applicant := a.PendingMember(t, name)
			v := &models.Verification{UserID: applicant.ID, FullName: "Dr. New Comer", Profession: "physician",
				Specialty: "Nephrology", Institution: "St Mary's"}
			if err := a.Store.SubmitVerification(t.Context(), v); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = v.ID
			}
		}
		// One who has signed in but not yet applied is not waiting.
		a.PendingMember(t, "undecided")

		mustContain(t, m.Get("/"), waiting)
		mustNotContain(t, peer.Get("/"), "Verifications", "unread-count")

		_, err := a.Store.DecideVerification(t.Context(), models.Decision{VerificationID: first, ModeratorID: mod.ID,
			Status: models.VerificationApproved})
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, m.Get("/"), `Verifications <span class="unread-count">1<span class="visually-hidden"> waiting</span>`)
	})
}
