package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestBoardAccessByGroup(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		user := func(name, profession, specialty string, role models.Role) *models.User {
			u := &models.User{Username: name, DisplayName: name, Profession: profession, Specialty: specialty,
				Role: role, Status: models.StatusVerified}
			if err := store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		board := func(slug string) *models.Board { return modelstest.OpenBoard(slug, slug).Make(t, store) }
		doctor := user("doctor", "physician", "Cardiology", models.RoleMember)
		nurse := user("nurse", "nurse", "Oncology", models.RoleMember)
		listed := user("listed", "pharmacist", "", models.RoleMember)
		mod := user("mod", "physician", "Neurology", models.RoleModerator)
		open, closed, postOnly := board("open"), board("closed"), board("post-only")

		nursing := &models.Group{Name: "Nursing", AutoProfession: "nurse"}
		cardio := &models.Group{Name: "Cardiology", AutoSpecialty: "cardiology"}
		for _, g := range []*models.Group{nursing, cardio} {
			if err := store.SaveGroup(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.SaveGroup(ctx, &models.Group{Name: "NURSING"}); !errors.Is(err, models.ErrTaken) {
			t.Fatalf("duplicate group name: %v, want ErrTaken", err)
		}
		if err := store.AddGroupMember(ctx, nursing.ID, listed.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.AddGroupMember(ctx, nursing.ID, listed.ID); err != nil {
			t.Fatalf("adding twice: %v", err)
		}
		if err := store.SetBoardGroups(ctx, closed.ID, []int64{nursing.ID}, nil); err != nil {
			t.Fatal(err)
		}
		if err := store.SetBoardGroups(ctx, postOnly.ID, nil, []int64{cardio.ID}); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			user       *models.User
			board      *models.Board
			read, post bool
		}{
			{doctor, open, true, true},
			{doctor, closed, false, false},
			{nurse, closed, true, true},
			{listed, closed, true, true},
			{mod, closed, true, true},
			{doctor, postOnly, true, true},
			{nurse, postOnly, true, false},
			{mod, postOnly, true, false},
		}
		for _, tt := range tests {
			got, err := store.BoardAccessFor(ctx, tt.user, tt.board.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Read != tt.read || got.Post != tt.post {
				t.Errorf("%s on %s: read %v post %v, want %v %v", tt.user.Username, tt.board.Slug, got.Read, got.Post, tt.read, tt.post)
			}
		}
		if _, err := store.BoardAccessFor(ctx, doctor, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("missing board: %v, want ErrNotFound", err)
		}
		boards, err := store.ReadableBoards(ctx, doctor)
		if err != nil {
			t.Fatal(err)
		}
		if len(boards) != 2 {
			t.Fatalf("doctor reads %d boards, want open and post-only", len(boards))
		}

		closed.Slug = "open"
		if err := store.UpdateBoard(ctx, closed); !errors.Is(err, models.ErrTaken) {
			t.Fatalf("duplicate slug: %v, want ErrTaken", err)
		}
		closed.Slug, closed.Archived = "closed", true
		if err := store.UpdateBoard(ctx, closed); err != nil {
			t.Fatal(err)
		}
		got, err := store.BoardAccessFor(ctx, nurse, closed.ID)
		if err != nil || !got.Archived || got.CanStartOrReply() {
			t.Fatalf("archived board: %+v, %v", got, err)
		}
	})
}
