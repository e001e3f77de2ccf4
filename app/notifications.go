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
}

type notificationItem struct {
	models.NotificationView
	URL string
}

// notifications lists the member's replies and mentions, newest first.
func (h *Handler) notifications(c *fiber.Ctx) error {
	views, err := h.store.Notifications(c.UserContext(), member(c), notificationsShown)
	if err != nil {
		return err
	}
	p := notificationsPage{Items: make([]notificationItem, len(views))}
	for i, v := range views {
		p.Items[i] = notificationItem{NotificationView: v, URL: fmt.Sprintf("/notifications/%d", v.ID)}
		if v.ReadAt == nil {
			p.Unread++
		}
	}
	data := h.page(c, "Notifications")
	data.Page = p
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, "notifications", data)
}

// notificationOpen marks a notification read and goes to its post, which
// checks again that the member may read it.
func (h *Handler) notificationOpen(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := h.store.ReadNotification(c.UserContext(), member(c).ID, id)
	if err != nil {
		return missing("That notification", err)
	}
	if n.PostID == nil {
		return c.Redirect(fmt.Sprintf("/t/%d", n.TopicID), fiber.StatusSeeOther)
	}
	return c.Redirect(fmt.Sprintf("/p/%d", *n.PostID), fiber.StatusSeeOther)
}

// notificationsReadAll marks every notification read.
func (h *Handler) notificationsReadAll(c *fiber.Ctx) error {
	if err := h.store.ReadAllNotifications(c.UserContext(), member(c).ID); err != nil {
		return err
	}
	return c.Redirect("/notifications", fiber.StatusSeeOther)
}
