package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestSearchMembersFilters(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		mk := func(u *models.User) *models.User {
			t.Helper()
			if err := store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		okafor := mk(&models.User{Username: "okafor", DisplayName: "Dr. Amara Okafor", Profession: "physician", Specialty: "Cardiology", Status: models.StatusVerified})
		mk(&models.User{Username: "weber", DisplayName: "Jonas Weber, RN", Profession: "nurse", Specialty: "Critical Care Nursing", Status: models.StatusVerified})
		mk(&models.User{Username: "park", DisplayName: "Dr. Lena Park", Profession: "physician", Specialty: "Internal Medicine", Status: models.StatusVerified, Role: models.RoleModerator})
		mk(&models.User{Username: "new_comer", DisplayName: "New 100% Comer"})
		v := &models.Verification{UserID: okafor.ID, FullName: okafor.DisplayName, Profession: "physician", Specialty: "Cardiology"}
		if err := store.SubmitVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, Status: models.VerificationApproved,
			Method: models.VerifiedByWorkEmail}); err != nil {
			t.Fatal(err)
		}
		names := func(f models.MemberFilter) string {
			t.Helper()
			rows, _, err := store.SearchMembers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.Username)
			}
			return strings.Join(out, ",")
		}
		for _, c := range []struct {
			name string
			f    models.MemberFilter
			want string
		}{
			{"everyone, newest first", models.MemberFilter{}, "new_comer,park,weber,okafor"},
			{"part of a name, any case", models.MemberFilter{Query: "dR. "}, "park,okafor"},
			{"a LIKE wildcard taken literally", models.MemberFilter{Query: "100%"}, "new_comer"},
			{"an underscore taken literally", models.MemberFilter{Query: "n_w"}, ""},
			{"status", models.MemberFilter{Status: models.StatusPending}, "new_comer"},
			{"role", models.MemberFilter{Role: models.RoleModerator}, "park"},
			{"profession", models.MemberFilter{Profession: "physician"}, "park,okafor"},
			{"specialty, part and any case", models.MemberFilter{Specialty: "CARE"}, "weber"},
			{"how they were verified", models.MemberFilter{Method: models.VerifiedByWorkEmail}, "okafor"},
			{"several at once", models.MemberFilter{Profession: "physician", Status: models.StatusVerified, Role: models.RoleMember}, "okafor"},
		} {
			if got := names(c.f); got != c.want {
				t.Errorf("%s: %q, want %q", c.name, got, c.want)
			}
		}
		// Pages go back by id.
		first, more, err := store.SearchMembers(ctx, models.MemberFilter{Limit: 3})
		if err != nil || len(first) != 3 || !more {
			t.Fatalf("first page %d rows, more %v, err %v", len(first), more, err)
		}
		if got := names(models.MemberFilter{Limit: 3, Before: first[2].ID}); got != "okafor" {
			t.Fatalf("second page %q", got)
		}
	})
}

func TestMemberAdministrationIsAudited(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		admin := &models.User{Username: "root", DisplayName: "Dr. Sam Root", Status: models.StatusVerified, Role: models.RoleAdmin}
		mod := &models.User{Username: "park", DisplayName: "Dr. Lena Park", Status: models.StatusVerified, Role: models.RoleModerator}
		for _, u := range []*models.User{admin, mod} {
			if err := store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		now := store.Now()
		for _, id := range []string{"a", "b"} {
			if err := store.CreateSession(ctx, &models.Session{ID: id, UserID: f.author.ID, CreatedAt: now, LastSeenAt: now,
				ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.ChangeRole(ctx, admin, admin.ID, models.RoleMember, ""); !errors.Is(err, models.ErrOwnRole) {
			t.Fatalf("an administrator's own role: %v", err)
		}
		if n, err := store.EndMemberSessions(ctx, admin, f.author.ID, "a"); err != nil || n != 1 {
			t.Fatalf("end one session: %d, %v", n, err)
		}
		if n, err := store.EndMemberSessions(ctx, admin, f.author.ID, "a"); err != nil || n != 0 {
			t.Fatalf("end it again: %d, %v", n, err)
		}
		if err := store.ChangeRole(ctx, admin, f.author.ID, models.RoleModerator, "joins the team"); err != nil {
			t.Fatal(err)
		}
		sessions, err := store.SessionsOf(ctx, f.author.ID, now)
		if err != nil || len(sessions) != 0 {
			t.Fatalf("a role change leaves sessions %v, %v", sessions, err)
		}
		// A moderator cannot lift an administrator's suspension of another
		// moderator; the administrator can.
		if err := store.SuspendMember(ctx, admin, f.author.ID, nil, "cooling off"); err != nil {
			t.Fatal(err)
		}
		if err := store.LiftMemberSuspension(ctx, mod, f.author.ID, "back"); !errors.Is(err, models.ErrNotModeratable) {
			t.Fatalf("a moderator lifting a moderator's suspension: %v", err)
		}
		if err := store.LiftMemberSuspension(ctx, admin, f.author.ID, "back"); err != nil {
			t.Fatal(err)
		}
		events, err := store.AuditEventsFor(ctx, "user", f.author.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			got = append(got, e.Action+" by "+e.ActorName+": "+e.Reason)
		}
		want := []string{
			"user.sessions_end by Dr. Sam Root: one session ended (1)",
			"user.role by Dr. Sam Root: role member → moderator: joins the team",
			"user.suspend by Dr. Sam Root: indefinitely: cooling off",
			"user.unsuspend by Dr. Sam Root: back",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		history, err := store.VerificationHistoryOf(ctx, f.author.ID)
		if err != nil || history.Application != nil || len(history.Changes) != 0 {
			t.Fatalf("history of a member who never applied: %+v, %v", history, err)
		}
	})
}
