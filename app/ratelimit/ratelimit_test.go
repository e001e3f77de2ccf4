package ratelimit

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rounds/app/config"
	"rounds/models"
	"rounds/models/modelstest"
)

// takeAll tries n events at now and counts those allowed.
func takeAll(t *testing.T, s Store, key string, rule config.RateLimit, now time.Time, n int) (allowed int, lastWait time.Duration) {
	t.Helper()
	for range n {
		ok, wait, err := s.Take(context.Background(), key, rule, now)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			allowed++
		} else {
			lastWait = wait
		}
	}
	return allowed, lastWait
}

// exercise checks a store against the rule's arithmetic; the database
// store's tests run it too.
func exercise(t *testing.T, s Store) {
	rule := config.RateLimit{Name: "post", Limit: 4, Per: time.Minute}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

	// A burst of the whole limit is allowed, the next refused with the
	// time until one event's worth has passed.
	if got, wait := takeAll(t, s, "member:1", rule, now, 6); got != 4 || wait != 15*time.Second {
		t.Fatalf("burst: %d allowed, wait %v; want 4 and 15s", got, wait)
	}
	// Others are not held back by member 1, nor is member 1 under another rule.
	if got, _ := takeAll(t, s, "member:2", rule, now, 1); got != 1 {
		t.Fatal("another key was limited")
	}
	if got, _ := takeAll(t, s, "member:1", config.RateLimit{Name: "search", Limit: 1, Per: time.Minute}, now, 1); got != 1 {
		t.Fatal("another rule was limited")
	}
	// After 15 s one more; after the whole period, a whole burst again.
	if got, _ := takeAll(t, s, "member:1", rule, now.Add(15*time.Second), 2); got != 1 {
		t.Fatalf("after 15s: %d allowed, want 1", got)
	}
	if got, _ := takeAll(t, s, "member:1", rule, now.Add(15*time.Second+time.Minute), 5); got != 4 {
		t.Fatalf("after the period: %d allowed, want 4", got)
	}
	// Refused attempts do not push the wait further out.
	later := now.Add(10 * time.Minute)
	takeAll(t, s, "member:3", rule, later, 4)
	for range 20 {
		takeAll(t, s, "member:3", rule, later.Add(time.Second), 1)
	}
	if got, _ := takeAll(t, s, "member:3", rule, later.Add(15*time.Second), 1); got != 1 {
		t.Fatal("refused attempts extended the wait")
	}
}

func TestMemory(t *testing.T) { exercise(t, NewMemory()) }

// Every action limited here has a default, and every default limits an
// action, so ROUNDS_RATE_LIMITS names the actions this package counts.
func TestEveryActionHasADefault(t *testing.T) {
	actions := []string{Post, PostIP, Flag, SignIn, EmailCode, Search, SearchIP, Fetch, FetchIP, Draft, Mention, Upload}
	defaults := config.DefaultRateLimits()
	for _, name := range actions {
		if _, ok := defaults[name]; !ok {
			t.Errorf("the limit %q has no default in config", name)
		}
	}
	for name := range defaults {
		if !slices.Contains(actions, name) {
			t.Errorf("config has a default for %q, which limits nothing", name)
		}
	}
}

func TestDatabase(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		exercise(t, Database{Store: store})
	})
}

// Two nodes spending one allowance at once never get more than it.
func TestDatabaseUnderConcurrency(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		rule := config.RateLimit{Name: "post", Limit: 5, Per: time.Hour}
		now := store.Now()
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					ok, _, err := Database{Store: store}.Take(context.Background(), "member:9", rule, now)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						allowed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if got := allowed.Load(); got != 5 {
			t.Fatalf("%d of 20 concurrent events allowed, want 5", got)
		}
		if n, err := store.PruneRateLimits(context.Background(), now.Add(2*time.Hour)); err != nil || n != 1 {
			t.Fatalf("pruned %d (%v), want the one row", n, err)
		}
	})
}
