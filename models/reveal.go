package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ErrNotAnonymous says a post to be revealed shows its author anyway.
var ErrNotAnonymous = errors.New("the post is not anonymous")

// RevealAuthor tells a moderator who wrote an anonymous post, and records
// that they asked, and why, in the audit log in the same transaction: no
// reveal goes unrecorded.
func (s *Store) RevealAuthor(ctx context.Context, postID, moderatorID int64, reason string) (*User, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errors.New("reveal author: a reason is required")
	}
	var author User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		if !post.Anonymous {
			return ErrNotAnonymous
		}
		if err := tx.Take(&author, post.AuthorID).Error; err != nil {
			return notFound(err, "load author")
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "post.reveal_author",
			SubjectType: "post", SubjectID: postID, Reason: reason})
	})
	if err != nil {
		return nil, fmt.Errorf("reveal author of post %d: %w", postID, err)
	}
	return &author, nil
}
