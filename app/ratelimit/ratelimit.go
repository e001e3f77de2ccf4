// Package ratelimit keeps members and addresses from doing one thing too
// often: posting, flagging, signing in, asking for email codes, searching,
// having Rounds fetch a remote address.
// Each rule allows Limit events per Per, all at once if need be, and then
// one more every Per/Limit (the generic cell rate algorithm: one stored
// time per key, no list of events). Counts live in memory on one node, or
// in the database when several nodes share the limits.
package ratelimit

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"rounds/models"
)

// Rule is one limit: Limit events per Per.
type Rule struct {
	Name  string
	Limit int
	Per   time.Duration
}

func (r Rule) String() string { return fmt.Sprintf("%s=%d/%s", r.Name, r.Limit, shortDuration(r.Per)) }

// interval is the time one event uses up.
func (r Rule) interval() time.Duration { return r.Per / time.Duration(r.Limit) }

// next decides one event at now, given the key's theoretical arrival time
// tat (zero for a key never seen): whether it is allowed, the new tat to
// keep, and when refused how long to wait.
func (r Rule) next(tat, now time.Time) (ok bool, newTAT time.Time, retryAfter time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	newTAT = tat.Add(r.interval())
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
	Take(ctx context.Context, key string, rule Rule, now time.Time) (ok bool, retryAfter time.Duration, err error)
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
func (m *Memory) Take(_ context.Context, key string, rule Rule, now time.Time) (bool, time.Duration, error) {
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
	ok, tat, wait := rule.next(m.tat[k], now)
	if ok {
		m.tat[k] = tat
	}
	return ok, wait, nil
}

// Rules are the limits by name.
type Rules map[string]Rule

// Names of the limited actions.
const (
	Post       = "post"       // topics and replies, per member
	PostIP     = "post_ip"    // topics and replies, per address
	Flag       = "flag"       // flags, per member
	SignIn     = "sign_in"    // sign-in attempts, per address
	EmailCode  = "email_code" // work-email codes, per member
	Search     = "search"     // searches, per member
	SearchIP   = "search_ip"  // searches, per address
	Fetch      = "fetch"      // remote addresses read for a member on the request path, per member
	FetchIP    = "fetch_ip"   // the same, per address
	defaultSet = "post=8/1m,post_ip=30/1m,flag=20/1h,sign_in=20/5m,email_code=5/1h,search=60/1m,search_ip=120/1m," +
		"fetch=30/1m,fetch_ip=60/1m"
)

// Defaults are the limits when none are configured: generous for a
// clinician at work, tight for a script.
func Defaults() Rules {
	r := Rules{}
	if err := r.set(defaultSet, false); err != nil {
		panic(err)
	}
	return r
}

// Parse reads limits written as "name=N/duration" separated by commas,
// such as "post=8/1m,search=60/1m", over the defaults. A name not known is
// an error, so a typo does not silently leave a limit at its default.
func Parse(s string) (Rules, error) {
	rules := Defaults()
	if err := rules.set(s, true); err != nil {
		return nil, err
	}
	return rules, nil
}

// set reads s into r; strict refuses names r does not have.
func (r Rules) set(s string, strict bool) error {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		count, per, ok2 := strings.Cut(value, "/")
		if !ok || !ok2 {
			return fmt.Errorf("%q is not name=N/duration, such as post=8/1m", part)
		}
		name = strings.TrimSpace(name)
		if _, known := r[name]; !known && strict {
			return fmt.Errorf("%q: no limit is called %q; the limits are %s", part, name, strings.Join(r.names(), ", "))
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 1 {
			return fmt.Errorf("%q: the count must be a whole number of at least 1", part)
		}
		d, err := time.ParseDuration(strings.TrimSpace(per))
		if err != nil || d < time.Second {
			return fmt.Errorf("%q: the period must be a duration of at least 1s, such as 30s, 1m or 1h", part)
		}
		r[name] = Rule{Name: name, Limit: n, Per: d}
	}
	return nil
}

func (r Rules) names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r Rules) String() string {
	parts := make([]string, 0, len(r))
	for _, n := range r.names() {
		parts = append(parts, r[n].String())
	}
	return strings.Join(parts, ",")
}

func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	s = strings.TrimSuffix(s, "0m")
	if s == "" {
		return "0s"
	}
	return s
}

// Database is a Store shared by every node through the database.
type Database struct{ Store *models.Store }

// Take implements Store.
func (d Database) Take(ctx context.Context, key string, rule Rule, now time.Time) (bool, time.Duration, error) {
	var wait time.Duration
	ok, err := d.Store.TakeRateLimit(ctx, rule.Name, key, func(tat time.Time) (bool, time.Time) {
		ok, next, w := rule.next(tat, now)
		wait = w
		return ok, next
	})
	return ok, wait, err
}
