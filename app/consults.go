package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// consultsListed is how many consults the list shows: the most recently
// active.
const consultsListed = 200

type consultsPage struct {
	Consults []models.ConsultSummary
	Notice   string
}

// consults lists the member's consults, the most recently active first,
// each marked when it holds messages they have not read.
func (h *Handler) consults(c *fiber.Ctx) error {
	list, err := h.store.Consults(c.UserContext(), member(c).ID, consultsListed)
	if err != nil {
		return err
	}
	data := h.page(c, "Consults")
	data.Page = consultsPage{Consults: list, Notice: consultNotice(c.Query("done"))}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "consults", data)
}

// consultNotice says what the member just did, by the name in the address
// they were sent back to.
func consultNotice(done string) string {
	switch done {
	case "left":
		return "You left the consult. You will not read it or hear of it again unless someone adds you back."
	case "muted":
		return "The consult is muted: you will not be notified of its new messages."
	case "unmuted":
		return "You will be notified of the consult's new messages again."
	case "added":
		return "Added to the consult. They can read all of it, from the first message."
	case "reported":
		return "Thank you: the moderators will look at the message you reported, and at the few before it. Nothing else of the consult is shown to them."
	}
	return ""
}

// consultFor loads the consult of the route's :id for the member, who must
// take part in it: to anyone else it does not exist.
func (h *Handler) consultFor(c *fiber.Ctx) (*models.ConsultView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := h.store.ConsultFor(c.UserContext(), member(c).ID, id)
	if err != nil {
		return nil, missing("That consult", err)
	}
	return v, nil
}

// consultRefusal is what a member is told when someone cannot be brought
// into a consult: the same words whether they are not a verified member,
// block the member, or do not exist, so nobody learns who blocks them.
func consultRefusal(name string) string {
	return fmt.Sprintf("You cannot consult “%s”. Check the username; some members do not take consults from everyone.", name)
}

// consultError turns a store's refusal into words for the form, or passes
// any other failure on.
func consultError(err error) (string, error) {
	switch {
	case errors.Is(err, models.ErrConsultFull):
		return fmt.Sprintf("A consult can have at most %d participants.", models.ConsultMembersMax), nil
	case errors.Is(err, models.ErrConsultClosed):
		return "Only the member who started this consult can add participants to it.", nil
	case errors.Is(err, models.ErrAlreadyParticipant):
		return "They already take part in this consult.", nil
	case errors.Is(err, models.ErrNotParticipant):
		return "", errNotFound("That consult", err)
	}
	return "", err
}

// consultURL is the address of a consult's page.
func consultURL(id int64) string { return fmt.Sprintf("/consults/%d", id) }
