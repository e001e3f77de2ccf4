package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MemberWarning is a moderator's warning to a member about their conduct,
// usually about one post.
type MemberWarning struct {
	ID          int64
	UserID      int64
	ModeratorID int64
	PostID      *int64
	Reason      string
	CreatedAt   time.Time
	SeenAt      *time.Time
}

// ErrNotModeratable is a moderator acting on themselves, or on a member
// whose role only an administrator may act on.
var ErrNotModeratable = errors.New("this member cannot be moderated by this moderator")

// mayModerate says whether actor may warn or suspend target: never
// themselves, and moderators and administrators only by an administrator.
func mayModerate(actor, target *User) bool {
	if actor.ID == target.ID {
		return false
	}
	if target.Role == RoleModerator || target.Role == RoleAdmin {
		return actor.Role == RoleAdmin
	}
	return true
}

// WarnMember records a moderator's warning, shown to the member until they
// read it.
func (s *Store) WarnMember(ctx context.Context, moderator *User, userID int64, postID *int64, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var target User
		if err := tx.Take(&target, userID).Error; err != nil {
			return notFound(err, "load member")
		}
		if !mayModerate(moderator, &target) {
			return ErrNotModeratable
		}
		w := MemberWarning{UserID: userID, ModeratorID: moderator.ID, PostID: postID, Reason: reason, CreatedAt: now}
		if err := tx.Create(&w).Error; err != nil {
			return fmt.Errorf("insert warning: %w", err)
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderator.ID, Action: "user.warn",
			SubjectType: "user", SubjectID: userID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("warn member %d: %w", userID, err)
	}
	return nil
}

// MemberWarnings lists every warning a member was given, newest first.
func (s *Store) MemberWarnings(ctx context.Context, userID int64) ([]MemberWarning, error) {
	var out []MemberWarning
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list warnings of member %d: %w", userID, err)
	}
	return out, nil
}

// MarkWarningsSeen records that the member read their warnings.
func (s *Store) MarkWarningsSeen(ctx context.Context, userID int64) error {
	err := s.db.WithContext(ctx).Model(&MemberWarning{}).Where("user_id = ? AND seen_at IS NULL", userID).
		Update("seen_at", s.Now()).Error
	if err != nil {
		return fmt.Errorf("mark warnings of member %d seen: %w", userID, err)
	}
	return nil
}

// Suspension is where a suspended member stands: until when (nil for
// indefinitely) and why.
type Suspension struct {
	Until  *time.Time
	Reason string
}

// SuspensionOf reads a member's suspension; ErrNotFound when they are not
// suspended.
func (s *Store) SuspensionOf(ctx context.Context, userID int64) (*Suspension, error) {
	var row struct {
		Status           Status
		SuspendedUntil   *time.Time
		SuspensionReason string
	}
	err := s.db.WithContext(ctx).Table("users").Select("status, suspended_until, suspension_reason").
		Where("id = ?", userID).Take(&row).Error
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("load member %d", userID))
	}
	if row.Status != StatusSuspended {
		return nil, fmt.Errorf("member %d is not suspended: %w", userID, ErrNotFound)
	}
	return &Suspension{Until: row.SuspendedUntil, Reason: row.SuspensionReason}, nil
}

// SuspendMember keeps a verified member out until a time, or indefinitely
// when until is nil, for a reason they are shown when they try to sign in.
// Their sessions end in the same transaction.
func (s *Store) SuspendMember(ctx context.Context, moderator *User, userID int64, until *time.Time, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var target User
		if err := tx.Take(&target, userID).Error; err != nil {
			return notFound(err, "load member")
		}
		if !mayModerate(moderator, &target) {
			return ErrNotModeratable
		}
		if target.Status != StatusVerified && target.Status != StatusSuspended {
			return fmt.Errorf("member is %s, not verified: %w", target.Status, ErrNotModeratable)
		}
		var end any
		if until != nil {
			end = storeTime(*until)
		}
		err := tx.Exec(`UPDATE users SET status = ?, suspended_until = ?, suspension_reason = ?, updated_at = ? WHERE id = ?`,
			StatusSuspended, end, reason, now, userID).Error
		if err != nil {
			return fmt.Errorf("suspend: %w", err)
		}
		if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderator.ID, Action: "user.suspend",
			SubjectType: "user", SubjectID: userID, Reason: suspensionNote(until, reason), CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("suspend member %d: %w", userID, err)
	}
	return nil
}

// suspensionNote is the audit log's reason for a suspension: its length
// first, so the log says at a glance how long.
func suspensionNote(until *time.Time, reason string) string {
	if until == nil {
		return "indefinitely: " + reason
	}
	return "until " + until.UTC().Format("2006-01-02 15:04 UTC") + ": " + reason
}

// LiftSuspension lets a suspended member back in. moderatorID is nil when
// Rounds lifts a suspension that ran out. Lifting twice changes nothing.
func (s *Store) LiftSuspension(ctx context.Context, moderatorID *int64, userID int64, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return liftSuspension(tx, moderatorID, userID, reason, s.Now())
	})
	if err != nil {
		return fmt.Errorf("lift suspension of member %d: %w", userID, err)
	}
	return nil
}

func liftSuspension(tx *gorm.DB, moderatorID *int64, userID int64, reason string, now time.Time) error {
	res := tx.Exec(`UPDATE users SET status = ?, suspended_until = NULL, suspension_reason = '', updated_at = ?
		WHERE id = ? AND status = ?`, StatusVerified, now, userID, StatusSuspended)
	if res.Error != nil {
		return fmt.Errorf("lift suspension: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	return recordAudit(tx, &AuditEvent{ActorID: moderatorID, Action: "user.unsuspend",
		SubjectType: "user", SubjectID: userID, Reason: reason, CreatedAt: now})
}

// LiftEndedSuspensions lets back every member whose suspension ran out by
// now, and says how many.
func (s *Store) LiftEndedSuspensions(ctx context.Context, now time.Time) (int, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&User{}).
		Where("status = ? AND suspended_until IS NOT NULL AND suspended_until <= ?", StatusSuspended, storeTime(now)).
		Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("list ended suspensions: %w", err)
	}
	for _, id := range ids {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return liftSuspension(tx, nil, id, "the suspension ended", storeTime(now))
		})
		if err != nil {
			return 0, fmt.Errorf("lift suspension of member %d: %w", id, err)
		}
	}
	return len(ids), nil
}

// MemberRecord is what a moderator weighs about a post's author: how long
// they have been here, how much they write, and what moderators have done
// about them before.
type MemberRecord struct {
	User       User
	Posts      int64
	Hidden     int64
	Deleted    int64
	Upheld     int64 // reports on their posts a moderator acted on
	Dismissed  int64 // reports on their posts found unfounded
	Warnings   []MemberWarning
	Suspension *Suspension
	// History is every moderation event about the member, newest first.
	History []AuditEntry
}

// MemberRecordOf gathers a member's record for the review queue.
func (s *Store) MemberRecordOf(ctx context.Context, userID int64) (*MemberRecord, error) {
	db := s.db.WithContext(ctx)
	var rec MemberRecord
	if err := db.Take(&rec.User, userID).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load member %d", userID))
	}
	err := db.Raw(`SELECT COUNT(*) AS posts,
			COALESCE(SUM(CASE WHEN hidden_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS hidden,
			COALESCE(SUM(CASE WHEN deleted_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deleted
		FROM posts WHERE author_id = ?`, userID).Row().Scan(&rec.Posts, &rec.Hidden, &rec.Deleted)
	if err != nil {
		return nil, fmt.Errorf("count posts of member %d: %w", userID, err)
	}
	err = db.Raw(`SELECT
			COALESCE(SUM(CASE WHEN f.resolution = 'dismissed' THEN 0 ELSE 1 END), 0),
			COALESCE(SUM(CASE WHEN f.resolution = 'dismissed' THEN 1 ELSE 0 END), 0)
		FROM flags f JOIN posts p ON p.id = f.post_id
		WHERE p.author_id = ? AND f.resolved_at IS NOT NULL AND f.resolution <> 'deleted by the author'`, userID).
		Row().Scan(&rec.Upheld, &rec.Dismissed)
	if err != nil {
		return nil, fmt.Errorf("count reports on member %d: %w", userID, err)
	}
	if rec.Warnings, err = s.MemberWarnings(ctx, userID); err != nil {
		return nil, err
	}
	if rec.User.Status == StatusSuspended {
		if rec.Suspension, err = s.SuspensionOf(ctx, userID); err != nil {
			return nil, err
		}
	}
	rec.History, _, err = s.AuditLog(ctx, AuditFilter{SubjectType: "user", SubjectID: userID, Limit: 50})
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// HiddenPost is one of a member's posts the moderators hid, with why.
type HiddenPost struct {
	PostID       int64
	PostNumber   int
	TopicTitle   string
	HiddenAt     time.Time
	HiddenReason string
}

// HiddenPostsBy lists a member's hidden posts, newest hide first.
func (s *Store) HiddenPostsBy(ctx context.Context, userID int64, limit int) ([]HiddenPost, error) {
	var out []HiddenPost
	err := s.db.WithContext(ctx).Raw(`SELECT p.id AS post_id, p.number AS post_number, t.title AS topic_title,
			p.hidden_at, p.hidden_reason
		FROM posts p JOIN topics t ON t.id = p.topic_id
		WHERE p.author_id = ? AND p.hidden_at IS NOT NULL AND p.deleted_at IS NULL
		ORDER BY p.hidden_at DESC LIMIT ?`, userID, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list hidden posts of member %d: %w", userID, err)
	}
	return out, nil
}
