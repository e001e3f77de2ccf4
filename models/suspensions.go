package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

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
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return suspend(tx, moderator, userID, nil, until, reason, s.Now())
	})
	if err != nil {
		return fmt.Errorf("suspend member %d: %w", userID, err)
	}
	return nil
}

// SuspendAuthor suspends the author of a post, as SuspendMember does. Over
// an anonymous post, the audit log names the author of the post, both now
// and when the suspension ends, never the account.
func (s *Store) SuspendAuthor(ctx context.Context, moderator *User, postID int64, until *time.Time, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		return suspend(tx, moderator, post.AuthorID, &post, until, reason, s.Now())
	})
	if err != nil {
		return fmt.Errorf("suspend the author of post %d: %w", postID, err)
	}
	return nil
}

// suspend suspends a member, over post when one is given.
func suspend(tx *gorm.DB, moderator *User, userID int64, post *Post, until *time.Time, reason string, now time.Time) error {
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
	subject, subjectID := "user", userID
	var overPost any // the anonymous post the suspension is over, if any
	if post != nil {
		subject, subjectID = authorSubject(post)
		if post.Anonymous {
			overPost = post.ID
		}
	}
	err := tx.Exec(`UPDATE users SET status = ?, suspended_until = ?, suspension_reason = ?, suspension_post_id = ?,
		updated_at = ? WHERE id = ?`, StatusSuspended, end, reason, overPost, now, userID).Error
	if err != nil {
		return fmt.Errorf("suspend: %w", err)
	}
	if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID).Error; err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return recordAudit(tx, &AuditEvent{ActorID: &moderator.ID, Action: "user.suspend",
		SubjectType: subject, SubjectID: subjectID, Reason: suspensionNote(until, reason), CreatedAt: now})
}

// AuthorSuspendedOver says whether the author of a post is suspended over
// that very post, so its review page may offer to lift it without saying
// anything else about the author of an anonymous post.
func (s *Store) AuthorSuspendedOver(ctx context.Context, postID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM users u JOIN posts p ON p.author_id = u.id
		WHERE p.id = ? AND u.status = ? AND u.suspension_post_id = p.id`, postID, StatusSuspended).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("check the suspension of the author of post %d: %w", postID, err)
	}
	return n > 0, nil
}

// LiftAuthorSuspension lifts the suspension of the author of a post.
func (s *Store) LiftAuthorSuspension(ctx context.Context, moderatorID int64, postID int64, reason string) error {
	post, err := s.PostByID(ctx, postID)
	if err != nil {
		return err
	}
	return s.LiftSuspension(ctx, &moderatorID, post.AuthorID, reason)
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

// liftSuspension lets a member back in. The end of a suspension over an
// anonymous post is recorded, as the suspension was, against the author
// of the post.
func liftSuspension(tx *gorm.DB, moderatorID *int64, userID int64, reason string, now time.Time) error {
	var overPost *int64
	err := tx.Raw(`SELECT suspension_post_id FROM users WHERE id = ? AND status = ?`, userID, StatusSuspended).
		Row().Scan(&overPost)
	if errors.Is(err, errNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read suspension: %w", err)
	}
	res := tx.Exec(`UPDATE users SET status = ?, suspended_until = NULL, suspension_reason = '', suspension_post_id = NULL,
		updated_at = ? WHERE id = ? AND status = ?`, StatusVerified, now, userID, StatusSuspended)
	if res.Error != nil {
		return fmt.Errorf("lift suspension: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	subject, subjectID := "user", userID
	if overPost != nil {
		subject, subjectID = SubjectPostAuthor, *overPost
	}
	return recordAudit(tx, &AuditEvent{ActorID: moderatorID, Action: "user.unsuspend",
		SubjectType: subject, SubjectID: subjectID, Reason: reason, CreatedAt: now})
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
