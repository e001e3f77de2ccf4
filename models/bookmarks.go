package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// BookmarkNoteMax bounds the note a member keeps with a bookmark.
const BookmarkNoteMax = 200

// NotifyReminder is the notification a bookmark's reminder becomes.
const NotifyReminder = "reminder"

// A Bookmark is a post a member keeps to come back to, with a note of
// their own and, if they ask, a reminder at a chosen time. Bookmarks are
// private: no one else sees them, nor that they exist.
type Bookmark struct {
	ID     int64
	UserID int64
	PostID int64
	Note   string
	// RemindAt is when the member asked to be reminded; RemindedAt when
	// the reminder was sent. A reminder is sent once.
	RemindAt   *time.Time
	RemindedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ReminderPending says whether a reminder is set and not yet sent.
func (b *Bookmark) ReminderPending() bool { return b.RemindAt != nil && b.RemindedAt == nil }

// ErrBookmarkNote is a note longer than BookmarkNoteMax.
var ErrBookmarkNote = errors.New("bookmark note too long")

// SaveBookmark keeps a post for the member, or changes the note and the
// reminder of the bookmark they have on it. A new reminder time is sent
// afresh. Whether the member may read the post is the caller's to check.
func (s *Store) SaveBookmark(ctx context.Context, userID, postID int64, note string, remindAt *time.Time) (*Bookmark, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > BookmarkNoteMax {
		return nil, ErrBookmarkNote
	}
	now := s.Now()
	var b Bookmark
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("user_id = ? AND post_id = ?", userID, postID).Take(&b).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			b = Bookmark{UserID: userID, PostID: postID, Note: note, RemindAt: remindAt, CreatedAt: now, UpdatedAt: now}
			return tx.Create(&b).Error
		case err != nil:
			return err
		}
		if !sameTime(b.RemindAt, remindAt) {
			b.RemindedAt = nil
		}
		b.Note, b.RemindAt, b.UpdatedAt = note, remindAt, now
		return tx.Model(&b).Select("note", "remind_at", "reminded_at", "updated_at").Updates(&b).Error
	})
	if err != nil {
		return nil, fmt.Errorf("save bookmark of member %d on post %d: %w", userID, postID, err)
	}
	return &b, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// BookmarkOn loads the member's bookmark on a post; none is ErrNotFound.
func (s *Store) BookmarkOn(ctx context.Context, userID, postID int64) (*Bookmark, error) {
	var b Bookmark
	err := s.db.WithContext(ctx).Where("user_id = ? AND post_id = ?", userID, postID).Take(&b).Error
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("load bookmark of member %d on post %d", userID, postID))
	}
	return &b, nil
}

// DeleteBookmark removes the member's bookmark on a post, if they have one.
func (s *Store) DeleteBookmark(ctx context.Context, userID, postID int64) error {
	err := s.db.WithContext(ctx).Where("user_id = ? AND post_id = ?", userID, postID).Delete(&Bookmark{}).Error
	if err != nil {
		return fmt.Errorf("delete bookmark of member %d on post %d: %w", userID, postID, err)
	}
	return nil
}

// BookmarkedAmong says which of the given posts the member has bookmarked:
// the topic page marks them.
func (s *Store) BookmarkedAmong(ctx context.Context, userID int64, postIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(postIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := s.db.WithContext(ctx).Model(&Bookmark{}).Where("user_id = ? AND post_id IN ?", userID, postIDs).
		Pluck("post_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("find bookmarks of member %d: %w", userID, err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// BookmarkView is a bookmark as the member's list shows it.
type BookmarkView struct {
	Bookmark
	TopicID     int64
	TopicTitle  string
	TopicSlug   string
	BoardTitle  string
	PostNumber  int
	AuthorName  string
	Anonymous   bool
	AnonymousAs string
	// Cooked is the post's HTML, for an excerpt; empty when the post is
	// no longer there to read.
	Cooked string
	// Gone says the post was deleted or hidden since it was kept.
	Gone bool
}

// Author is who wrote the post, as the member may know them.
func (v *BookmarkView) Author() string {
	if v.Anonymous {
		return AnonymousAuthor(v.AnonymousAs)
	}
	return v.AuthorName
}

// Bookmarks lists one page of the member's bookmarks, the most recently
// kept first, and whether more follow. Only bookmarks of posts in topics
// the member may still read are listed; a post deleted or hidden since is
// listed as gone, without its text, so the member can remove it.
func (s *Store) Bookmarks(ctx context.Context, u *User, offset, limit int) ([]BookmarkView, bool, error) {
	cond, args := readable(u)
	q := s.db.WithContext(ctx).Table("bookmarks k").
		Joins("JOIN posts p ON p.id = k.post_id").
		Joins("JOIN topics t ON t.id = p.topic_id").
		Joins("JOIN boards b ON b.id = t.board_id").
		Joins(openingPostJoin(s.engine)).
		Joins("JOIN users a ON a.id = p.author_id").
		Where("k.user_id = ?", u.ID).Where(cond, args...)
	if !seesHidden(u) {
		q = q.Where(openerShown)
	}
	// Moderators read hidden posts where they sit; nobody a deleted one.
	gone := "p.deleted_at IS NOT NULL OR p.hidden_at IS NOT NULL"
	if u.IsModerator() {
		gone = "p.deleted_at IS NOT NULL"
	}
	var out []BookmarkView
	err := q.Select(`k.id, k.user_id, k.post_id, k.note, k.remind_at, k.reminded_at, k.created_at, k.updated_at,
			t.id AS topic_id, t.title AS topic_title, t.slug AS topic_slug, b.title AS board_title,
			p.number AS post_number, ` + shownAuthor("p", "a.display_name") + ` AS author_name,
			p.anonymous, p.anonymous_as,
			CASE WHEN ` + gone + ` THEN '' ELSE p.cooked END AS cooked,
			CASE WHEN ` + gone + ` THEN 1 ELSE 0 END AS gone`).
		Order("k.created_at DESC, k.id DESC").Offset(offset).Limit(limit + 1).Scan(&out).Error
	if err != nil {
		return nil, false, fmt.Errorf("list bookmarks of member %d: %w", u.ID, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// SendDueReminders turns the reminders due at now into notifications,
// at most limit of them, and returns how many it sent. A reminder of a
// post the member can no longer read (its board closed to them, or the
// post deleted or hidden) is dropped without a notification, which would
// carry the topic's title past its readers.
func (s *Store) SendDueReminders(ctx context.Context, now time.Time, limit int) (int, error) {
	var due []Bookmark
	err := s.db.WithContext(ctx).Where("remind_at IS NOT NULL AND remind_at <= ? AND reminded_at IS NULL", now).
		Order("remind_at, id").Limit(limit).Find(&due).Error
	if err != nil {
		return 0, fmt.Errorf("find due reminders: %w", err)
	}
	sent := 0
	for _, b := range due {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// Claimed first, so two nodes never send one reminder twice.
			res := tx.Model(&Bookmark{}).Where("id = ? AND reminded_at IS NULL", b.ID).Update("reminded_at", now)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			ok, topicID, err := reminderReadable(tx, b.UserID, b.PostID)
			if err != nil || !ok {
				return err
			}
			n := Notification{UserID: b.UserID, Kind: NotifyReminder, TopicID: topicID, PostID: &b.PostID, CreatedAt: now}
			if err := tx.Create(&n).Error; err != nil {
				return err
			}
			sent++
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("send reminder of bookmark %d: %w", b.ID, err)
		}
	}
	return sent, nil
}

// reminderReadable says whether a member may still read a bookmarked post,
// and its topic.
func reminderReadable(tx *gorm.DB, userID, postID int64) (bool, int64, error) {
	var u User
	if err := tx.Take(&u, userID).Error; err != nil {
		return false, 0, err
	}
	if !u.IsVerified() {
		return false, 0, nil
	}
	var row struct {
		TopicID int64
		BoardID int64
		Deleted bool
		Hidden  bool
	}
	err := tx.Table("posts p").Joins("JOIN topics t ON t.id = p.topic_id").
		Joins(openingPostJoinSQL).
		Select(`t.id AS topic_id, t.board_id, CASE WHEN p.deleted_at IS NULL THEN 0 ELSE 1 END AS deleted,
			CASE WHEN p.hidden_at IS NULL AND `+openerShown+` THEN 0 ELSE 1 END AS hidden`).
		Where("p.id = ?", postID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	// Moderators see hidden posts and topics; nobody reads a deleted one.
	if row.Deleted || row.Hidden && !u.IsModerator() {
		return false, 0, nil
	}
	ok, err := canReadBoard(tx, &u, row.BoardID)
	return ok, row.TopicID, err
}
