package app

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// mentionPrefixMax is the longest name the suggestions look for: a
// username has at most 40 characters.
const mentionPrefixMax = 40

// mentionCandidate is one member the composer suggests for an @mention.
type mentionCandidate struct {
	Username  string `json:"username"`
	Name      string `json:"name"`
	Specialty string `json:"specialty,omitempty"`
}

// mentionCandidates answers the composer's @ with the verified members
// who may read the board (?q= what follows the @), in JSON. Only a member
// who may read the board asks, with their session; the list is of the
// board's readers, whatever they posted, so it tells nothing of who wrote
// what anonymously.
func (h *Handler) mentionCandidates(c *fiber.Ctx) error {
	board, err := h.store.BoardBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	if _, err := h.readableBoard(c, board.ID, "That board"); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	q := strings.TrimSpace(c.Query("q"))
	out := []mentionCandidate{}
	if q == "" || utf8.RuneCountInString(q) > mentionPrefixMax {
		return c.JSON(out)
	}
	found, err := h.store.MentionCandidates(c.UserContext(), board.ID, q, models.MentionCandidatesMax)
	if err != nil {
		return err
	}
	for _, m := range found {
		out = append(out, mentionCandidate{Username: m.Username, Name: m.DisplayName, Specialty: m.Specialty})
	}
	return c.JSON(out)
}
