package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/digest"
	"rounds/models"
)

// reviewQueueSize is how many reported posts the queue shows at once; a
// moderator works from the top, the longest waiting.
const reviewQueueSize = 100

type reviewQueuePage struct {
	Items []reviewQueueItem
	// Consults are the reported messages of private consults: the queue
	// names only their author and the count of reports.
	Consults []models.ReportedConsultMessage
	// Done says what the moderator just did, for the notice at the top.
	Done string
}

type reviewQueueItem struct {
	models.ReviewItem
	// Excerpt is the start of the post as text, read from its HTML, so
	// the queue shows what members read rather than markdown.
	Excerpt string
}

// reviewExcerptLength is how many characters of each post the queue
// shows.
const reviewExcerptLength = 240

// modReview lists the reported posts: those reported as identifying a
// patient first, marked urgent while members can still read them, then
// the rest, each the longest waiting first.
func (h *Handler) modReview(c *fiber.Ctx) error {
	items, err := h.store.ReviewQueue(c.UserContext(), reviewQueueSize)
	if err != nil {
		return err
	}
	p := reviewQueuePage{Items: make([]reviewQueueItem, len(items)), Done: doneNotice(c.Query("done"))}
	if p.Consults, err = h.store.ConsultReportQueue(c.UserContext(), reviewQueueSize); err != nil {
		return err
	}
	for i := range items {
		p.Items[i] = reviewQueueItem{ReviewItem: items[i], Excerpt: digest.Excerpt(items[i].Cooked, reviewExcerptLength)}
	}
	data := h.page(c, "Review reported posts")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "mod_review", data)
}

// doneNotice is the notice after a moderator's action, by the action's
// name in the address it sent them back to.
func doneNotice(done string) string {
	switch done {
	case "dismiss":
		return "The reports were dismissed; a post hidden by a report is shown again."
	case "hide":
		return "The post is hidden from members, with your reason in its place."
	case "redact":
		return "The identifiers were edited out and erased from the post's earlier versions; the post is shown again."
	case "unhide":
		return "The post is shown to members again."
	case "delete":
		return "The post was deleted."
	case "purge":
		return "The post was purged: nothing of it is left but the audit entry."
	case "purge-topic":
		return "The topic was purged with all its posts: nothing of it is left but the audit entry."
	case "warn":
		return "The warning was sent; the member sees it on their next visit."
	case "suspend":
		return "The member is suspended and signed out everywhere."
	case "unsuspend":
		return "The suspension was lifted."
	case "consult-dismiss":
		return "The reports of the consult message were dismissed."
	case "consult-hide":
		return "The consult message is hidden from its participants, with your reason in its place."
	case "consult-purge":
		return "The consult message was purged: nothing of it is left but the audit entry."
	}
	return ""
}
