package ratelimit

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rounds/app/config"
	"rounds/models/testenv"
)

// testRedis connects to the Redis server ROUNDS_TEST_REDIS_URL names,
// with keys under a prefix of this test's own, so runs never see each
// other's counts.
func testRedis(t *testing.T) *Redis {
	t.Helper()
	url := os.Getenv("ROUNDS_TEST_REDIS_URL")
	if url == "" {
		t.Skip("ROUNDS_TEST_REDIS_URL is not set: no Redis to test against")
	}
	r, err := NewRedis(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	r.prefix = fmt.Sprintf("rounds:test:%s:%d:", t.Name(), time.Now().UnixNano())
	return r
}

func TestRedis(t *testing.T) { exercise(t, testRedis(t)) }

// Nodes spending one allowance at once through Redis never get more than
// it, and the key expires once its time has passed.
func TestRedisUnderConcurrency(t *testing.T) {
	first := testRedis(t)
	second := testRedis(t)
	second.prefix = first.prefix // two nodes, one Redis
	rule := config.RateLimit{Name: "post", Limit: 5, Per: time.Hour}
	now := testenv.Start()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 {
		node := first
		if i%2 == 1 {
			node = second
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				ok, _, err := node.Take(context.Background(), "member:9", rule, now)
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
	ttl, err := first.client.PTTL(context.Background(), first.prefix+"post:member:9").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 0 || ttl > time.Hour {
		t.Fatalf("the key lives %v, want until its time has passed (at most an hour)", ttl)
	}
}

func TestRedisUnreachable(t *testing.T) {
	// Nothing listens on port 1: the store refuses to start.
	if _, err := NewRedis(context.Background(), "redis://127.0.0.1:1/0"); err == nil {
		t.Fatal("a store without a Redis server started")
	}
	if _, err := NewRedis(context.Background(), "http://127.0.0.1:6379"); err == nil {
		t.Fatal("a store with an http address started")
	}
}
