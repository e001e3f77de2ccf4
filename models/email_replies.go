package models

import (
	"context"
	"fmt"
	"strings"
)

// EmailReplyPost is the post a member's reply by email with this
// Message-ID became, 0 when none did: a mail server that delivers a
// message again must not post it twice.
func (s *Store) EmailReplyPost(ctx context.Context, userID int64, messageID string) (int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT post_id FROM email_replies WHERE user_id = ? AND message_id = ?`,
		userID, messageID).Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("look up reply by email %q of member %d: %w", messageID, userID, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// CreateEmailReply writes a reply that came by email, as CreateReply
// does, and records its Message-ID with it in the same transaction. When
// the same message is being posted at the same moment by another
// delivery, one of the two fails on the record and posts nothing.
func (s *Store) CreateEmailReply(ctx context.Context, nr NewReply, messageID string) (*Post, error) {
	var post *Post
	err := s.InTransaction(ctx, func(tx *Store) error {
		var err error
		if post, err = tx.CreateReply(ctx, nr); err != nil {
			return err
		}
		if messageID == "" {
			return nil
		}
		return tx.db.WithContext(ctx).Exec(`INSERT INTO email_replies (user_id, message_id, post_id, created_at) VALUES (?, ?, ?, ?)`,
			nr.AuthorID, messageID, post.ID, s.Now()).Error
	})
	if err != nil {
		return nil, fmt.Errorf("post reply by email: %w", err)
	}
	return post, nil
}

// MemberHasAddress says whether addr is one of the member's own
// addresses: one a sign-in provider vouched for, or their confirmed work
// email. A reply by email is posted only from such an address.
func (s *Store) MemberHasAddress(ctx context.Context, userID int64, addr string) (bool, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM identities WHERE user_id = ? AND LOWER(email) = ? AND email_verified = TRUE) +
		(SELECT COUNT(*) FROM verifications WHERE user_id = ? AND LOWER(work_email) = ? AND work_email_confirmed_at IS NOT NULL)`,
		userID, addr, userID, addr).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("check address of member %d: %w", userID, err)
	}
	return n > 0, nil
}
