package models

import (
	"context"
	"fmt"
	"time"
)

// DigestAddress is where a member's digest goes: the address their most
// recently used sign-in provider vouched for, else their confirmed work
// email. ErrNotFound when they have neither.
func (s *Store) DigestAddress(ctx context.Context, userID int64) (string, error) {
	var addrs []string
	err := s.db.WithContext(ctx).Raw(`SELECT email FROM identities WHERE user_id = ? AND email <> '' AND email_verified = TRUE
		ORDER BY last_used_at DESC, id DESC LIMIT 1`, userID).Scan(&addrs).Error
	if err != nil {
		return "", fmt.Errorf("read address of member %d: %w", userID, err)
	}
	if len(addrs) == 0 {
		err = s.db.WithContext(ctx).Raw(`SELECT work_email FROM verifications WHERE user_id = ? AND work_email <> ''
			AND work_email_confirmed_at IS NOT NULL`, userID).Scan(&addrs).Error
		if err != nil {
			return "", fmt.Errorf("read work email of member %d: %w", userID, err)
		}
	}
	if len(addrs) == 0 {
		return "", fmt.Errorf("address of member %d: %w", userID, ErrNotFound)
	}
	return addrs[0], nil
}

// DigestSince is where the content of a member's digest for period p
// starts: where their last sent digest stopped, so nothing falls between
// two digests or shows in both (also when the member changes frequency),
// unless that is more than one period further back than p's own window
// (a long pause is not replayed).
func (s *Store) DigestSince(ctx context.Context, userID int64, p Period) (time.Time, error) {
	m, err := s.DigestMemberFor(ctx, userID, p.Key)
	if err != nil {
		return time.Time{}, err
	}
	return m.Since(p), nil
}

// DigestMember is what sending a member's digest needs to know about them,
// read in one query.
type DigestMember struct {
	User     User
	Settings DigestSettings
	// Address is where the digest goes; empty when there is nowhere (see
	// DigestAddress).
	Address string
	// LastSentEnd is where the last digest sent to them stopped, other
	// than the period asked about.
	LastSentEnd *time.Time
}

// DigestMemberFor reads a member, their digest settings, their address
// and where their last digest other than periodKey's stopped.
func (s *Store) DigestMemberFor(ctx context.Context, userID int64, periodKey string) (*DigestMember, error) {
	var row struct {
		User
		Frequency   *string
		Hour        *int
		Weekday     *int
		TimeZone    *string
		Address     string
		LastSentEnd *time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT u.*, ds.frequency, ds.hour, ds.weekday, ds.time_zone,
			COALESCE(
				(SELECT i.email FROM identities i WHERE i.user_id = u.id AND i.email <> '' AND i.email_verified = TRUE
					ORDER BY i.last_used_at DESC, i.id DESC LIMIT 1),
				(SELECT v.work_email FROM verifications v WHERE v.user_id = u.id AND v.work_email <> ''
					AND v.work_email_confirmed_at IS NOT NULL LIMIT 1),
				'') AS address,
			(SELECT dd.window_end FROM digest_deliveries dd WHERE dd.user_id = u.id AND dd.status = 'sent'
				AND dd.window_end IS NOT NULL AND dd.period <> ? ORDER BY dd.window_end DESC LIMIT 1) AS last_sent_end
		FROM users u LEFT JOIN digest_settings ds ON ds.user_id = u.id
		WHERE u.id = ?`, periodKey, userID).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("read member %d for their digest: %w", userID, err)
	}
	if row.ID == 0 {
		return nil, fmt.Errorf("load user %d: %w", userID, ErrNotFound)
	}
	m := &DigestMember{User: row.User, Settings: DefaultDigestSettings(userID), Address: row.Address}
	if row.Frequency != nil {
		m.Settings.Frequency = DigestFrequency(*row.Frequency)
		m.Settings.Hour, m.Settings.Weekday, m.Settings.TimeZone = *row.Hour, *row.Weekday, *row.TimeZone
	}
	if row.LastSentEnd != nil {
		end := storeTime(*row.LastSentEnd)
		m.LastSentEnd = &end
	}
	return m, nil
}

// Since is where the content of the member's digest for p starts: see
// DigestSince.
func (m *DigestMember) Since(p Period) time.Time {
	floor := p.WindowStart.Add(-p.Due.Sub(p.WindowStart))
	if m.LastSentEnd == nil || m.LastSentEnd.Before(floor) {
		return p.WindowStart
	}
	return *m.LastSentEnd
}
