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
	// OverAnonymousPost says the post was anonymous: the warning is the
	// member's to read, but no moderator sees it on their record.
	OverAnonymousPost bool `gorm:"column:over_anonymous_post"`
	Reason            string
	CreatedAt         time.Time
	SeenAt            *time.Time
}

// SubjectPostAuthor is the audit log's subject for the author of an
// anonymous post, named by the post's id: a moderator's warning or
// suspension over such a post is recorded against "the author of post N",
// never against the account, so the log cannot tell who wrote it. Only an
// audited reveal does.
const SubjectPostAuthor = "post_author"

// authorSubject is how the audit log names the author of post: the
// account, or for an anonymous post the author of the post.
func authorSubject(post *Post) (string, int64) {
	if post.Anonymous {
		return SubjectPostAuthor, post.ID
	}
	return "user", post.AuthorID
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
// read it. A warning over a post they wrote anonymously is recorded
// against the author of that post.
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
		subject, subjectID := "user", userID
		if postID != nil {
			var post Post
			if err := tx.Take(&post, *postID).Error; err != nil {
				return notFound(err, "load post")
			}
			if post.AuthorID == userID {
				subject, subjectID = authorSubject(&post)
				w.OverAnonymousPost = post.Anonymous
			}
		}
		if err := tx.Create(&w).Error; err != nil {
			return fmt.Errorf("insert warning: %w", err)
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderator.ID, Action: "user.warn",
			SubjectType: subject, SubjectID: subjectID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("warn member %d: %w", userID, err)
	}
	return nil
}

// WarnAuthor warns the author of a post, as WarnMember does: for an
// anonymous post, the audit log names the author of the post, not them.
func (s *Store) WarnAuthor(ctx context.Context, moderator *User, postID int64, reason string) error {
	post, err := s.PostByID(ctx, postID)
	if err != nil {
		return err
	}
	return s.WarnMember(ctx, moderator, post.AuthorID, &post.ID, reason)
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

// MemberRecord is what a moderator weighs about a post's author: how long
// they have been here, how much they write, and what moderators have done
// about them before. Their anonymous posts, and what moderators did over
// them, are left out: the record must not tell whom an anonymous post is
// by.
type MemberRecord struct {
	User       User
	Posts      int64
	Hidden     int64
	Deleted    int64
	Upheld     int64 // reports on their posts a moderator acted on
	Dismissed  int64 // reports on their posts found unfounded
	Warnings   []MemberWarning
	Suspension *Suspension
	// SuspendedOverAnonymousPost says the member is suspended over a post
	// they wrote anonymously: why and until when is recorded against the
	// author of that post, and not repeated here.
	SuspendedOverAnonymousPost bool
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
		FROM posts WHERE author_id = ? AND anonymous = ?`, userID, false).Row().Scan(&rec.Posts, &rec.Hidden, &rec.Deleted)
	if err != nil {
		return nil, fmt.Errorf("count posts of member %d: %w", userID, err)
	}
	err = db.Raw(`SELECT
			COALESCE(SUM(CASE WHEN f.resolution = 'dismissed' THEN 0 ELSE 1 END), 0),
			COALESCE(SUM(CASE WHEN f.resolution = 'dismissed' THEN 1 ELSE 0 END), 0)
		FROM flags f JOIN posts p ON p.id = f.post_id
		WHERE p.author_id = ? AND p.anonymous = ? AND f.resolved_at IS NOT NULL
			AND f.resolution <> 'deleted by the author'`, userID, false).
		Row().Scan(&rec.Upheld, &rec.Dismissed)
	if err != nil {
		return nil, fmt.Errorf("count reports on member %d: %w", userID, err)
	}
	err = db.Where("user_id = ? AND over_anonymous_post = ?", userID, false).Order("id DESC").Find(&rec.Warnings).Error
	if err != nil {
		return nil, fmt.Errorf("list warnings of member %d: %w", userID, err)
	}
	if rec.User.Status == StatusSuspended {
		var overPost *int64
		if err := db.Raw(`SELECT suspension_post_id FROM users WHERE id = ?`, userID).Row().Scan(&overPost); err != nil {
			return nil, fmt.Errorf("read the suspension of member %d: %w", userID, err)
		}
		rec.SuspendedOverAnonymousPost = overPost != nil
		if !rec.SuspendedOverAnonymousPost {
			if rec.Suspension, err = s.SuspensionOf(ctx, userID); err != nil {
				return nil, err
			}
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
