package models_test

import (
	"context"
	"strings"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestMentionCandidatesAreVerifiedReadersOfTheBoard(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		modelstest.Verified("pnair", "Priya Nair").Specialty("Oncology").Make(t, store)
		modelstest.Verified("prichards", "Dr. Paul Richards").Specialty("Cardiology").Make(t, store)
		modelstest.Verified("rpriest", "Rosa Priest").Specialty("Cardiology").Make(t, store)
		modelstest.Verified("modpri", "Pritam Moderator").Specialty("Neurology").Moderator().Make(t, store)
		modelstest.Applicant("prisha", "Prisha Applicant").Specialty("Oncology").Make(t, store)
		modelstest.Verified("pri_x", "Underscore Member").Specialty("Oncology").Make(t, store)
		group := &models.Group{Name: "Oncologists", AutoSpecialty: "oncology"}
		if err := store.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		board := modelstest.OpenBoard("oncology", "Oncology").ReadBy(group).Make(t, store)
		names := func(prefix string) string {
			t.Helper()
			found, err := store.MentionCandidates(ctx, board.ID, prefix, models.MentionCandidatesMax)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range found {
				out = append(out, m.Username)
			}
			return strings.Join(out, " ")
		}
		tests := []struct{ prefix, want string }{
			// Username first, then a word of the display name; the
			// cardiologists cannot read the board, the applicant is not
			// verified; moderators read every board.
			{"pri", "pri_x modpri pnair"},
			{"@Priya", "pnair"},
			{"NAIR", "pnair"},
			{"pri_", "pri_x"},
			{"p%", ""},
			{"", ""},
			{"paul", ""},
		}
		for _, tt := range tests {
			if got := names(tt.prefix); got != tt.want {
				t.Errorf("candidates for %q: %q, want %q", tt.prefix, got, tt.want)
			}
		}
	})
}

func TestMembersWithProfilesAreVerifiedOrSuspended(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		modelstest.Verified("pnair", "Priya Nair").Make(t, store)
		modelstest.Verified("away", "Suspended Member").Status(models.StatusSuspended).Make(t, store)
		modelstest.Applicant("prisha", "Prisha Applicant").Make(t, store)
		got, err := store.MembersWithProfiles(ctx, []string{"pnair", "away", "prisha", "nobody"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !got["pnair"] || !got["away"] {
			t.Fatalf("members with profiles: %v, want pnair and away", got)
		}
		all, err := store.UsernamesWithProfiles(ctx)
		if err != nil || len(all) != 2 || !all["pnair"] || !all["away"] {
			t.Fatalf("every member with a profile: %v, %v", all, err)
		}
	})
}
