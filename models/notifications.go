package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Kinds of notification.
const (
	NotifyReply   = "reply"   // someone replied to the member's topic
	NotifyMention = "mention" // someone wrote @username
)

// Notification tells a member of a reply to their topic or a mention.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string
	TopicID   int64
	PostID    *int64
	ActorID   *int64
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotificationView is a notification as the member's list shows it. The
// actor of an anonymous post is only the post's label.
type NotificationView struct {
	ID          int64
	Kind        string
	TopicID     int64
	TopicTitle  string
	TopicSlug   string
	PostID      int64
	PostNumber  int
	ActorName   string
	Anonymous   bool
	AnonymousAs string
	CreatedAt   time.Time
	ReadAt      *time.Time
}

// Actor is who the notification is from, as the member may know them.
func (n *NotificationView) Actor() string {
	if n.Anonymous {
		return AnonymousAuthor(n.AnonymousAs)
	}
	return n.ActorName
}

// notifyPost tells, inside the post's transaction, the topic's author of a
// reply and every mentioned member of the mention. Nobody is told of their
// own post, nobody twice for one post (a mention outranks a reply), and
// only verified members who may read the topic's board hear of it: a
// notification never carries a title past the board's readers.
func notifyPost(tx *gorm.DB, post *Post, boardID, topicAuthorID int64, mentions []string, now time.Time) error {
	var replyTo int64 // the topic's author, told of a reply
	if post.Number > 1 {
		replyTo = topicAuthorID
	}
	if replyTo == 0 && len(mentions) == 0 {
		return nil
	}
	// Who is told, in one query: the topic's author and the mentioned
	// members, other than the post's author, verified, who may read the
	// board (moderators read every board).
	var found []struct {
		ID       int64
		Username string
	}
	q := tx.Table("users u").Select("u.id, u.username").
		Joins("JOIN boards b ON b.id = ?", boardID).
		Where("u.id <> ? AND u.status = ?", post.AuthorID, StatusVerified).
		Where("u.role IN ? OR "+permittedSQLFor("can_read", "u"), []Role{RoleModerator, RoleAdmin})
	switch {
	case replyTo != 0 && len(mentions) > 0:
		q = q.Where("u.id = ? OR u.username IN ?", replyTo, mentions)
	case replyTo != 0:
		q = q.Where("u.id = ?", replyTo)
	default:
		q = q.Where("u.username IN ?", mentions)
	}
	if err := q.Order("u.id").Scan(&found).Error; err != nil {
		return fmt.Errorf("find members to notify of post %d: %w", post.ID, err)
	}
	if len(found) == 0 {
		return nil
	}
	mentioned := make(map[string]bool, len(mentions))
	for _, m := range mentions {
		mentioned[m] = true
	}
	notes := make([]Notification, 0, len(found))
	for _, u := range found {
		kind := NotifyReply
		if mentioned[u.Username] { // a mention outranks a reply
			kind = NotifyMention
		}
		n := Notification{UserID: u.ID, Kind: kind, TopicID: post.TopicID, PostID: &post.ID, CreatedAt: now}
		if !post.Anonymous {
			// An anonymous post's notifications name no one, not even
			// in the database.
			n.ActorID = &post.AuthorID
		}
		notes = append(notes, n)
	}
	if err := tx.Create(&notes).Error; err != nil {
		return fmt.Errorf("notify members of post %d: %w", post.ID, err)
	}
	return nil
}

// canReadBoard says, inside a transaction, whether a member may read a board.
func canReadBoard(tx *gorm.DB, u *User, boardID int64) (bool, error) {
	cond, args := readable(u)
	var n int64
	err := tx.Table("boards b").Where("b.id = ?", boardID).Where(cond, args...).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check member %d reads board %d: %w", u.ID, boardID, err)
	}
	return n > 0, nil
}

// visibleNotifications selects a member's notifications whose post is
// still there to read: not deleted, not hidden, in a board the member may
// still read.
func (s *Store) visibleNotifications(ctx context.Context, u *User) *gorm.DB {
	cond, args := readable(u)
	q := s.db.WithContext(ctx).Table("notifications n").
		Joins("JOIN topics t ON t.id = n.topic_id").
		Joins("JOIN boards b ON b.id = t.board_id").
		Joins("JOIN posts p ON p.id = n.post_id").
		Joins(openingPostJoin(s.engine)).
		Where("n.user_id = ? AND p.deleted_at IS NULL AND p.hidden_at IS NULL", u.ID).
		Where(cond, args...)
	if !seesHidden(u) {
		q = q.Where(openerShown)
	}
	return q
}

// Notifications lists a member's notifications, newest first, at most
// limit, with what the list shows of each.
func (s *Store) Notifications(ctx context.Context, u *User, limit int) ([]NotificationView, error) {
	var out []NotificationView
	err := s.visibleNotifications(ctx, u).
		Joins("LEFT JOIN users a ON a.id = n.actor_id").
		Select(`n.id, n.kind, n.topic_id, t.title AS topic_title, t.slug AS topic_slug, p.id AS post_id,
			p.number AS post_number, ` + shownAuthor("p", "COALESCE(a.display_name, '')") + ` AS actor_name,
			p.anonymous, p.anonymous_as, n.created_at, n.read_at`).
		Order("n.id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list notifications of member %d: %w", u.ID, err)
	}
	return out, nil
}

// NotificationOf loads one of the member's notifications; another
// member's is ErrNotFound.
func (s *Store) NotificationOf(ctx context.Context, userID, id int64) (*Notification, error) {
	var n Notification
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&n).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load notification %d", id))
	}
	return &n, nil
}

// ReadNotification marks one of the member's notifications read and
// returns it; another member's is ErrNotFound.
func (s *Store) ReadNotification(ctx context.Context, userID, id int64) (*Notification, error) {
	n, err := s.NotificationOf(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if n.ReadAt == nil {
		now := s.Now()
		if err := s.db.WithContext(ctx).Model(n).Update("read_at", now).Error; err != nil {
			return nil, fmt.Errorf("mark notification %d read: %w", id, err)
		}
		n.ReadAt = &now
	}
	return n, nil
}

// ReadAllNotifications marks every notification of the member read.
func (s *Store) ReadAllNotifications(ctx context.Context, userID int64) error {
	err := s.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).
		Update("read_at", s.Now()).Error
	if err != nil {
		return fmt.Errorf("mark notifications of member %d read: %w", userID, err)
	}
	return nil
}
