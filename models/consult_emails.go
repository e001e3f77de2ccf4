package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ConsultEmailReply is the consult message a member's reply by email with
// this Message-ID became, nil when none did: a mail server that delivers
// a message again must not write it twice.
func (s *Store) ConsultEmailReply(ctx context.Context, userID int64, messageID string) (*ConsultMessage, error) {
	var ms []ConsultMessage
	err := s.db.WithContext(ctx).Raw(`SELECT m.* FROM consult_email_replies r JOIN consult_messages m ON m.id = r.consult_message_id
		WHERE r.user_id = ? AND r.message_id = ?`, userID, messageID).Scan(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("look up consult reply by email %q of member %d: %w", messageID, userID, err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	return &ms[0], nil
}

// AddConsultEmailMessage writes a participant's message that came by
// email, as AddConsultMessage does, and records its Message-ID with it in
// the same transaction: of two deliveries of one message at the same
// moment, one fails on the record and writes nothing. Anyone but a
// current participant gets ErrNotParticipant.
func (s *Store) AddConsultEmailMessage(ctx context.Context, consultID, authorID int64, content PostContent, messageID string) (*ConsultMessage, error) {
	var m *ConsultMessage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := participant(tx, consultID, authorID); err != nil {
			return err
		}
		var err error
		if m, err = addConsultMessage(tx, consultID, authorID, content, s.Now()); err != nil {
			return err
		}
		if messageID == "" {
			return nil
		}
		return tx.Exec(`INSERT INTO consult_email_replies (user_id, message_id, consult_message_id, created_at) VALUES (?, ?, ?, ?)`,
			authorID, messageID, m.ID, storeTime(s.Now())).Error
	})
	if err != nil {
		return nil, fmt.Errorf("write in consult %d by email: %w", consultID, err)
	}
	return m, nil
}
