package models

import (
	"context"
	"fmt"
	"time"
)

// DueDigest is a member whose current period has no digest yet.
type DueDigest struct {
	UserID int64
	Period Period
}

// hasAddressSQL is true when the member aliased u has somewhere to send a
// digest: an address a sign-in provider vouched for, or a confirmed work
// email.
const hasAddressSQL = `(EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id AND i.email <> '' AND i.email_verified = TRUE)
	OR EXISTS (SELECT 1 FROM verifications v WHERE v.user_id = u.id AND v.work_email <> '' AND v.work_email_confirmed_at IS NOT NULL))`

// DueMembers lists the verified members with an address who take digests,
// whose scheduled hour (and weekday) has come in their own time zone, and
// whose current period has no delivery row yet, in member order.
func (s *Store) DueMembers(ctx context.Context, now time.Time) ([]DueDigest, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT u.id, COALESCE(ds.frequency, 'weekly'), COALESCE(ds.hour, 7),
			COALESCE(ds.weekday, 1), COALESCE(ds.time_zone, 'UTC')
		FROM users u LEFT JOIN digest_settings ds ON ds.user_id = u.id
		WHERE u.status = ? AND COALESCE(ds.frequency, 'weekly') <> 'never' AND `+hasAddressSQL+`
		ORDER BY u.id`, StatusVerified).Rows()
	if err != nil {
		return nil, fmt.Errorf("list members taking digests: %w", err)
	}
	var due []DueDigest
	earliest := now
	for rows.Next() {
		var ds DigestSettings
		var freq string
		if err := rows.Scan(&ds.UserID, &freq, &ds.Hour, &ds.Weekday, &ds.TimeZone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list members taking digests: %w", err)
		}
		ds.Frequency = DigestFrequency(freq)
		p, ok := DigestPeriod(ds, now)
		if !ok {
			continue // a zone the database no longer knows; Validate kept it out of new settings
		}
		if p.Due.Before(earliest) {
			earliest = p.Due
		}
		due = append(due, DueDigest{UserID: ds.UserID, Period: p})
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("list members taking digests: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	// A period's row is claimed at or after its moment, so the rows that
	// can match are the ones claimed since the earliest of them.
	type key struct {
		user   int64
		period string
	}
	claimed := map[key]bool{}
	drows, err := s.db.WithContext(ctx).Raw(`SELECT user_id, period FROM digest_deliveries WHERE claimed_at >= ?`,
		storeTime(earliest)).Rows()
	if err != nil {
		return nil, fmt.Errorf("list recent digest deliveries: %w", err)
	}
	for drows.Next() {
		var k key
		if err := drows.Scan(&k.user, &k.period); err != nil {
			drows.Close()
			return nil, fmt.Errorf("list recent digest deliveries: %w", err)
		}
		claimed[k] = true
	}
	err = drows.Err()
	drows.Close()
	if err != nil {
		return nil, fmt.Errorf("list recent digest deliveries: %w", err)
	}
	out := due[:0]
	for _, d := range due {
		if !claimed[key{d.UserID, d.Period.Key}] {
			out = append(out, d)
		}
	}
	return out, nil
}
