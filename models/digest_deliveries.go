package models

import (
	"context"
	"fmt"
	"time"
)

// Delivery states.
const (
	DeliveryClaimed = "claimed"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliveryEmpty   = "empty"
)

// DigestDelivery is the record of one member's digest for one period.
type DigestDelivery struct {
	ID          int64
	UserID      int64
	Period      string
	Status      string
	ClaimToken  string
	Attempts    int
	Items       int
	MessageID   string
	Error       string
	WindowStart *time.Time
	WindowEnd   *time.Time
	ClaimedAt   time.Time
	SentAt      *time.Time
}

// DigestDeliveries lists a member's digest records, newest first.
func (s *Store) DigestDeliveries(ctx context.Context, userID int64, limit int) ([]DigestDelivery, error) {
	var rows []DigestDelivery
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("claimed_at DESC, id DESC").
		Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list digests of member %d: %w", userID, err)
	}
	return rows, nil
}
