package models

import (
	"context"
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
