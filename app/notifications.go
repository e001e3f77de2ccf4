package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// notificationsShown is how many of the newest notifications the list has.
const notificationsShown = 50

type notificationsPage struct {
	Items  []notificationItem
	Unread int
	// Consults counts the member's consults with new messages.
	Consults int64
}

type notificationItem struct {
	models.NotificationView
	// URL is the post; Action marks the notification read on the way
	// there, by POST, since no GET changes a member's data.
	URL, Action string
}

// notifications lists the member's replies and mentions, newest first.
func (h *Handler) notifications(c *fiber.Ctx) error {
	views, err := h.store.Notifications(c.UserContext(), member(c), notificationsShown)
	if err != nil {
		return err
	}
	p := notificationsPage{Items: make([]notificationItem, len(views))}
	for i, v := range views {
		p.Items[i] = notificationItem{NotificationView: v, URL: fmt.Sprintf("/p/%d", v.PostID),
			Action: fmt.Sprintf("/notifications/%d", v.ID)}
		if v.ReadAt == nil {
			p.Unread++
		}
	}
	// Consults keep their own unread marks; the page points to them
	// without a word of what they hold.
	if p.Consults, err = h.store.UnreadConsults(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	data := h.page(c, "Notifications")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "notifications", data)
}

// notificationShow goes to a notification's post, which checks again that
// the member may read it. It marks nothing read: a link from another site
// must not change a member's notifications.
func (h *Handler) notificationShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := h.store.NotificationOf(c.UserContext(), member(c).ID, id)
	if err != nil {
		return missing("That notification", err)
	}
	return c.Redirect(notificationTarget(n), fiber.StatusSeeOther)
}

// notificationOpen marks a notification read and goes to its post.
func (h *Handler) notificationOpen(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := h.store.ReadNotification(c.UserContext(), member(c).ID, id)
	if err != nil {
		return missing("That notification", err)
	}
	return c.Redirect(notificationTarget(n), fiber.StatusSeeOther)
}

func notificationTarget(n *models.Notification) string {
	if n.PostID == nil {
		return fmt.Sprintf("/t/%d", n.TopicID)
	}
	return fmt.Sprintf("/p/%d", *n.PostID)
}

// notificationsReadAll marks every notification read.
func (h *Handler) notificationsReadAll(c *fiber.Ctx) error {
	if err := h.store.ReadAllNotifications(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	return c.Redirect("/notifications", fiber.StatusSeeOther)
}
