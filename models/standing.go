package models

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A member's standing with the moderators: who may warn or suspend whom,
// how the audit log names the author of an anonymous post, and the record
// a moderator weighs before acting. Warnings are in warnings.go,
// suspensions in suspensions.go.

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
