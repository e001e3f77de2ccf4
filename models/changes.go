package models

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

// changes counts the writes this process has made through the store. Caches
// of what the database says (the app's session and header-count caches)
// keep an entry only while the count stays where it was when the entry was
// read, so any write on this node, whatever it touched, makes them read the
// database again. Writes on other nodes are not seen here: those caches
// also give their entries a short lifetime.
type changes struct{ n atomic.Uint64 }

// Changes is how many writes this process has made through the store so far.
func (s *Store) Changes() uint64 { return s.changes.n.Load() }

// NoteChange counts a write the store cannot see finish, such as a
// transaction's commit: the app calls it after each request that may have
// written.
func (s *Store) NoteChange() { s.changes.n.Add(1) }

type keepCachesKey struct{}

// keepCaches marks the writes made with ctx as not changing what the
// caches hold: bookkeeping such as a session's last activity or a rate
// limit's counter, which would otherwise empty the caches on every read.
func keepCaches(ctx context.Context) context.Context {
	return context.WithValue(ctx, keepCachesKey{}, true)
}

// countChanges has every create, update, delete and raw statement run
// through GORM count as a change once it has run.
func countChanges(db *gorm.DB, c *changes) error {
	count := func(tx *gorm.DB) {
		if ctx := tx.Statement.Context; ctx != nil && ctx.Value(keepCachesKey{}) != nil {
			return
		}
		c.n.Add(1)
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("rounds:count_change", count),
		cb.Update().After("gorm:update").Register("rounds:count_change", count),
		cb.Delete().After("gorm:delete").Register("rounds:count_change", count),
		cb.Raw().After("gorm:raw").Register("rounds:count_change", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
