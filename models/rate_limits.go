package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// TakeRateLimit decides one event under a rate limit shared by every node:
// decide gets the key's stored time (zero when it has none) and returns
// whether the event is allowed and, if so, the time to store. The row is
// locked while decide runs, so two nodes cannot both spend the last of an
// allowance.
func (s *Store) TakeRateLimit(ctx context.Context, rule, key string, decide func(tat time.Time) (bool, time.Time)) (bool, error) {
	var ok bool
	// Counting a visitor's requests changes nothing the caches hold.
	err := s.db.WithContext(keepCaches(ctx)).Transaction(func(tx *gorm.DB) error {
		// Make sure the row exists, so it can be locked; a zero time is a
		// key never seen.
		if err := tx.Exec(`INSERT INTO rate_limits (rule, key, tat) VALUES (?, ?, ?) ON CONFLICT (rule, key) DO NOTHING`,
			rule, key, time.Unix(0, 0).UTC()).Error; err != nil {
			return err
		}
		lock := ""
		if s.engine == Postgres {
			lock = " FOR UPDATE"
		}
		var tats []time.Time
		if err := tx.Raw(`SELECT tat FROM rate_limits WHERE rule = ? AND key = ?`+lock, rule, key).Scan(&tats).Error; err != nil {
			return err
		}
		var tat time.Time
		if len(tats) == 1 && tats[0].Unix() > 0 {
			tat = tats[0]
		}
		var next time.Time
		if ok, next = decide(tat); !ok {
			return nil
		}
		return tx.Exec(`UPDATE rate_limits SET tat = ? WHERE rule = ? AND key = ?`, storeTime(next), rule, key).Error
	})
	if err != nil {
		return false, fmt.Errorf("rate limit %s: %w", rule, err)
	}
	return ok, nil
}

// PruneRateLimits deletes the rows whose time has passed: they hold
// nothing a missing row does not.
func (s *Store) PruneRateLimits(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE tat < ?`, storeTime(now))
	if res.Error != nil {
		return 0, fmt.Errorf("prune rate limits: %w", res.Error)
	}
	return res.RowsAffected, nil
}
