package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// NotificationEmail is one notification as an email tells it: what
// happened, in which topic and board, and, for the board's email policy
// to decide, the post's HTML. The actor of an anonymous post is only the
// post's label. A consult message (Kind EmailConsult) has no topic: it
// names its consult, ConsultID and ConsultSubject, and its message,
// ConsultMessageID, whose HTML is Cooked; consults are private to their
// participants, who alone get these, so EmailPolicy is EmailFull.
type NotificationEmail struct {
	ID          int64
	Kind        string
	TopicID     int64
	TopicTitle  string
	TopicSlug   string
	BoardID     int64
	BoardTitle  string
	BoardSlug   string
	EmailPolicy EmailPolicy
	PostID      int64
	PostNumber  int
	Cooked      string
	ActorName   string
	Anonymous   bool
	AnonymousAs string
	CreatedAt   time.Time

	ConsultID        int64
	ConsultSubject   string
	ConsultMessageID int64
}

// IsConsult says whether the notification is of a consult message.
func (n *NotificationEmail) IsConsult() bool { return n.ConsultID != 0 }

// Path is where on the site the notification leads: the post, or the
// message in its consult.
func (n *NotificationEmail) Path() string {
	if n.IsConsult() {
		return "/consults/" + strconv.FormatInt(n.ConsultID, 10) + "#message-" + strconv.FormatInt(n.ConsultMessageID, 10)
	}
	return "/p/" + strconv.FormatInt(n.PostID, 10)
}

// Actor is who the notification is from, as the member may know them.
func (n *NotificationEmail) Actor() string {
	if n.Anonymous {
		return AnonymousAuthor(n.AnonymousAs)
	}
	return n.ActorName
}

// notificationEmailHorizon is how far back the right-away email looks: a
// notification older than this when it is first seen (the email job was
// stopped for a day) stays on the notifications page.
const notificationEmailHorizon = 24 * time.Hour

// unhandled is the condition that the right-away email has not dealt with
// notification n since it was made (or, for reactions, moved up).
const unhandled = `NOT EXISTS (SELECT 1 FROM notification_emails e WHERE e.notification_id = n.id AND e.handled_at >= n.created_at)`

// consultUnhandled is unhandled for a consult notification n.
const consultUnhandled = `NOT EXISTS (SELECT 1 FROM consult_notification_emails e WHERE e.notification_id = n.id)`

// NotificationEmailsDue lists, oldest first and at most limit, the members
// with notifications of the email kinds the right-away email has not
// dealt with, the oldest of them made at least window before now: one
// email per member per window carries everything new.
func (s *Store) NotificationEmailsDue(ctx context.Context, now time.Time, window time.Duration, limit int) ([]int64, error) {
	var ids []int64
	since := storeTime(now.Add(-notificationEmailHorizon))
	err := s.db.WithContext(ctx).Raw(`SELECT x.user_id FROM (
			SELECT n.user_id, n.created_at FROM notifications n
			WHERE n.created_at > ? AND n.created_at <= ? AND n.kind IN ? AND `+unhandled+`
			UNION ALL
			SELECT n.user_id, n.created_at FROM consult_notifications n
			WHERE n.created_at > ? AND n.created_at <= ? AND `+consultUnhandled+`
		) x GROUP BY x.user_id HAVING MIN(x.created_at) <= ? ORDER BY MIN(x.created_at), x.user_id LIMIT ?`,
		since, storeTime(now), EmailKinds, since, storeTime(now), storeTime(now.Add(-window)), limit).
		Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("find members due notification emails: %w", err)
	}
	return ids, nil
}

// PendingNotifications are what a member's right-away email may carry:
// Items, the visible notifications of the given kinds, oldest first, and
// IDs and ConsultIDs, every notification and consult notification it
// deals with, sent or not.
type PendingNotifications struct {
	Items      []NotificationEmail
	IDs        []int64
	ConsultIDs []int64
}

// PendingNotificationEmails reads the notifications made up to until that
// the right-away email has not dealt with: of kinds, only those the member
// may still read (the post neither hidden nor deleted, the board readable
// to them now, the topic's opening post shown) and, of consult messages,
// only those of consults they still take part in and have not muted.
func (s *Store) PendingNotificationEmails(ctx context.Context, u *User, kinds []string, until time.Time) (*PendingNotifications, error) {
	since := storeTime(until.Add(-notificationEmailHorizon))
	p := &PendingNotifications{}
	// One query for both kinds of notification: the sender runs this for
	// every member due an email.
	var rows []struct {
		ID      int64
		Consult bool
	}
	err := s.db.WithContext(ctx).Raw(`SELECT n.id, FALSE AS consult FROM notifications n WHERE n.user_id = ? AND n.created_at > ?
		AND n.created_at <= ? AND n.kind IN ? AND `+unhandled+`
		UNION ALL
		SELECT n.id, TRUE AS consult FROM consult_notifications n WHERE n.user_id = ? AND n.created_at > ?
		AND n.created_at <= ? AND `+consultUnhandled+` ORDER BY 1`,
		u.ID, since, storeTime(until), EmailKinds, u.ID, since, storeTime(until)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read pending notifications of member %d: %w", u.ID, err)
	}
	for _, r := range rows {
		if r.Consult {
			p.ConsultIDs = append(p.ConsultIDs, r.ID)
		} else {
			p.IDs = append(p.IDs, r.ID)
		}
	}
	if len(p.ConsultIDs) == 0 {
		// Nothing new in a consult: no need to look.
		kinds = slices.DeleteFunc(slices.Clone(kinds), func(k string) bool { return k == EmailConsult })
	}
	if len(p.IDs)+len(p.ConsultIDs) == 0 || len(kinds) == 0 || !u.IsVerified() {
		return p, nil
	}
	p.Items, err = s.notificationEmails(ctx, u, kinds, since, until, true)
	return p, err
}

// DigestNotifications are the notifications of the given kinds made after
// since and at or before until that the member may still read, oldest
// first, for the digest's "Replies and mentions".
func (s *Store) DigestNotifications(ctx context.Context, u *User, kinds []string, since, until time.Time) ([]NotificationEmail, error) {
	if len(kinds) == 0 || !u.IsVerified() {
		return nil, nil
	}
	return s.notificationEmails(ctx, u, kinds, since, until, false)
}

func (s *Store) notificationEmails(ctx context.Context, u *User, kinds []string, since, until time.Time, pending bool) ([]NotificationEmail, error) {
	q := s.visibleNotifications(ctx, u).
		Joins("LEFT JOIN users a ON a.id = n.actor_id").
		Where("n.kind IN ? AND n.created_at > ? AND n.created_at <= ?", kinds, storeTime(since), storeTime(until))
	if pending {
		q = q.Where(unhandled)
	}
	var out []NotificationEmail
	err := q.Select(`n.id, n.kind, n.topic_id, t.title AS topic_title, t.slug AS topic_slug, b.id AS board_id,
			b.title AS board_title, b.slug AS board_slug, b.email_policy, p.id AS post_id, p.number AS post_number, p.cooked,
			` + shownAuthor("p", "COALESCE(a.display_name, '')") + ` AS actor_name, p.anonymous, p.anonymous_as, n.created_at`).
		Order("n.created_at, n.id").Limit(500).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read notifications of member %d for email: %w", u.ID, err)
	}
	for i := range out {
		if !out[i].EmailPolicy.Valid() {
			out[i].EmailPolicy = EmailCounts // the strictest, should a policy ever be unknown
		}
	}
	if slices.Contains(kinds, EmailConsult) {
		consults, err := s.consultNotificationEmails(ctx, u, since, until, pending)
		if err != nil {
			return nil, err
		}
		out = append(out, consults...)
		slices.SortStableFunc(out, func(a, b NotificationEmail) int { return a.CreatedAt.Compare(b.CreatedAt) })
	}
	return out, nil
}

// consultNotificationEmails reads the member's consult notifications for
// email: only of consults they take part in now and have not muted (a
// notification made before they left or muted stays on the site), of
// messages neither hidden nor purged.
func (s *Store) consultNotificationEmails(ctx context.Context, u *User, since, until time.Time, pending bool) ([]NotificationEmail, error) {
	q := s.db.WithContext(ctx).Table("consult_notifications n").
		Joins("JOIN consult_members me ON me.consult_id = n.consult_id AND me.user_id = n.user_id AND me.left_at IS NULL AND NOT me.muted").
		Joins("JOIN consults c ON c.id = n.consult_id").
		Joins("JOIN consult_messages m ON m.id = n.message_id AND m.consult_id = n.consult_id AND m.hidden_at IS NULL AND m.purged_at IS NULL").
		Joins("LEFT JOIN users a ON a.id = m.author_id").
		Where("n.user_id = ? AND n.created_at > ? AND n.created_at <= ?", u.ID, storeTime(since), storeTime(until))
	if pending {
		q = q.Where(consultUnhandled)
	}
	var out []NotificationEmail
	err := q.Select(`n.id, n.consult_id, c.subject AS consult_subject, m.id AS consult_message_id, m.cooked,
			COALESCE(a.display_name, '') AS actor_name, n.created_at`).
		Order("n.created_at, n.id").Limit(500).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read consult notifications of member %d for email: %w", u.ID, err)
	}
	for i := range out {
		out[i].Kind, out[i].EmailPolicy = EmailConsult, EmailFull
	}
	return out, nil
}

// EmailedNotifications are notifications of one member the right-away
// email dealt with, in the message MessageID ("" when nothing was sent).
type EmailedNotifications struct {
	UserID     int64
	IDs        []int64
	ConsultIDs []int64
	MessageID  string
}

// MarkNotificationsEmailed records, in one transaction, that the
// right-away email dealt with the notifications of one or more members.
func (s *Store) MarkNotificationsEmailed(ctx context.Context, marks []EmailedNotifications, at time.Time) error {
	err := s.InTransaction(ctx, func(tx *Store) error {
		for _, m := range marks {
			for _, id := range m.IDs {
				if err := tx.db.WithContext(ctx).Exec(`INSERT INTO notification_emails (notification_id, user_id, handled_at, message_id)
					VALUES (?, ?, ?, ?) ON CONFLICT (notification_id) DO UPDATE SET handled_at = excluded.handled_at,
					message_id = excluded.message_id`, id, m.UserID, storeTime(at), m.MessageID).Error; err != nil {
					return err
				}
			}
			for _, id := range m.ConsultIDs {
				if err := tx.db.WithContext(ctx).Exec(`INSERT INTO consult_notification_emails (notification_id, user_id, handled_at, message_id)
					VALUES (?, ?, ?, ?) ON CONFLICT (notification_id) DO UPDATE SET handled_at = excluded.handled_at,
					message_id = excluded.message_id`, id, m.UserID, storeTime(at), m.MessageID).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark the notifications of %d members emailed: %w", len(marks), err)
	}
	return nil
}

// Sentence says what happened, for an email: "Dr. Chen replied to your
// topic", "Anonymous nephrologist mentioned you".
func (n *NotificationEmail) Sentence() string {
	who := n.Actor()
	if who == "" {
		who = "A colleague"
	}
	switch n.Kind {
	case NotifyReply:
		return who + " replied to your topic"
	case NotifyMention:
		return who + " mentioned you"
	case EmailConsult:
		return who + " wrote in a consult"
	case NotifyReaction:
		return "Colleagues reacted to your post"
	}
	return who + " posted"
}
