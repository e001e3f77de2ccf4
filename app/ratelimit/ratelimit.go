// Package ratelimit keeps members and addresses from doing one thing too
// often: posting, flagging, signing in, asking for email codes, searching,
// having Rounds fetch a remote address.
// Each rule allows Limit events per Per, all at once if need be, and then
// one more every Per/Limit (the generic cell rate algorithm: one stored
// time per key, no list of events). Counts live in memory on one node, or
// in the database or Redis when several nodes share the limits. The rules
// themselves are settings: config reads them from ROUNDS_RATE_LIMITS.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"rounds/app/config"
	"rounds/models"
)

// interval is the time one event under r uses up.
func interval(r config.RateLimit) time.Duration { return r.Per / time.Duration(r.Limit) }

// next decides one event under r at now, given the key's theoretical
// arrival time tat (zero for a key never seen): whether it is allowed, the
// new tat to keep, and when refused how long to wait.
func next(r config.RateLimit, tat, now time.Time) (ok bool, newTAT time.Time, retryAfter time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	newTAT = tat.Add(interval(r))
	allowAt := newTAT.Add(-r.Per)
	if now.Before(allowAt) {
		return false, tat, allowAt.Sub(now)
	}
	return true, newTAT, 0
}

// Store keeps the state of every key.
type Store interface {
	// Take counts one event for key under rule at now if the rule allows
	// it, and otherwise says how long to wait.
	Take(ctx context.Context, key string, rule config.RateLimit, now time.Time) (ok bool, retryAfter time.Duration, err error)
}

// Memory is a Store for one node.
type Memory struct {
	mu    sync.Mutex
	tat   map[string]time.Time
	sweep time.Time
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{tat: map[string]time.Time{}} }

// Take implements Store.
func (m *Memory) Take(_ context.Context, key string, rule config.RateLimit, now time.Time) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Keys whose time has passed hold nothing a fresh key would not: drop
	// them now and then so the map stays the size of the recent traffic.
	if now.Sub(m.sweep) > time.Minute {
		for k, t := range m.tat {
			if t.Before(now) {
				delete(m.tat, k)
			}
		}
		m.sweep = now
	}
	k := rule.Name + "\x00" + key
	ok, tat, wait := next(rule, m.tat[k], now)
	if ok {
		m.tat[k] = tat
	}
	return ok, wait, nil
}

// Names of the limited actions, as ROUNDS_RATE_LIMITS names them; each has
// a default in config.DefaultRateLimits.
const (
	Post      = "post"       // topics and replies, per member
	PostIP    = "post_ip"    // topics and replies, per address
	Flag      = "flag"       // flags, per member
	SignIn    = "sign_in"    // sign-in attempts, per address
	EmailCode = "email_code" // work-email codes, per member
	Search    = "search"     // searches, per member
	SearchIP  = "search_ip"  // searches, per address
	Fetch     = "fetch"      // remote addresses read for a member on the request path, per member
	FetchIP   = "fetch_ip"   // the same, per address
	Draft     = "draft"      // drafts saved as a member types, per member
	Mention   = "mention"    // members looked up for an @mention, per member
	Upload    = "upload"     // images uploaded or blacked out in a composer, per member
)

// Database is a Store shared by every node through the database.
type Database struct{ Store *models.Store }

// Take implements Store.
func (d Database) Take(ctx context.Context, key string, rule config.RateLimit, now time.Time) (bool, time.Duration, error) {
	var wait time.Duration
	ok, err := d.Store.TakeRateLimit(ctx, rule.Name, key, func(tat time.Time) (bool, time.Time) {
		ok, newTAT, w := next(rule, tat, now)
		wait = w
		return ok, newTAT
	})
	return ok, wait, err
}
