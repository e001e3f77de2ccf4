package modelstest

import (
	"context"
	"testing"

	"rounds/models"
)

// Board is a board a test is about to make, described as Member is:
//
//	board := modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store)
//	closed := modelstest.OpenBoard("nursing", "Nursing").ReadBy(nurses).Make(t, store)
//	wards := modelstest.OpenBoard("wards", "Wards").EmailPolicy(models.EmailTitles).Make(t, store)
//
// Nothing is set that the test did not ask for: no description, groups or
// mail policy unless named.
type Board struct {
	board      models.Board
	read, post []*models.Group
	policy     models.EmailPolicy
}

// OpenBoard begins a board every member may read and post on.
func OpenBoard(slug, title string) Board {
	return Board{board: models.Board{Slug: slug, Title: title}}
}

// Description gives the board a description.
func (b Board) Description(description string) Board {
	b.board.Description = description
	return b
}

// Archived makes the board archived: readable, taking no new posts.
func (b Board) Archived() Board {
	b.board.Archived = true
	return b
}

// Anonymous lets members post anonymously on the board.
func (b Board) Anonymous() Board {
	b.board.AllowAnonymous = true
	return b
}

// ReadBy closes the board to all but the groups' members (and
// moderators). The groups must be saved already.
func (b Board) ReadBy(groups ...*models.Group) Board {
	b.read = groups
	return b
}

// PostBy lets only the groups' members (and moderators) post on the
// board. The groups must be saved already.
func (b Board) PostBy(groups ...*models.Group) Board {
	b.post = groups
	return b
}

// EmailPolicy sets how much of the board's posts mail may carry.
func (b Board) EmailPolicy(policy models.EmailPolicy) Board {
	b.policy = policy
	return b
}

// Make creates the board in the store, made at the store's now.
func (b Board) Make(t testing.TB, store *models.Store) *models.Board {
	t.Helper()
	ctx := context.Background()
	board := b.board
	board.CreatedAt = store.Now()
	if err := store.CreateBoard(ctx, &board); err != nil {
		t.Fatal(err)
	}
	if len(b.read) > 0 || len(b.post) > 0 {
		if err := store.SetBoardGroups(ctx, board.ID, groupIDs(b.read), groupIDs(b.post)); err != nil {
			t.Fatal(err)
		}
	}
	if b.policy != "" {
		if err := store.SetBoardEmailPolicy(ctx, board.ID, b.policy); err != nil {
			t.Fatal(err)
		}
	}
	return &board
}

func groupIDs(groups []*models.Group) []int64 {
	ids := make([]int64, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
}
