package app

import (
	"errors"
	"testing"
	"time"
	"unsafe"
)

// The stamped cache keeps an entry while the store's count of writes stays
// where it was and for less than readCacheTTL, stores what it read under
// the key keep gives (and only then), keeps no failed read, and starts
// over empty at its bound.
func TestStampedCacheKeepsTheReadCachesRule(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	c := newStampedCache[string, int](2)
	reads, kept := 0, 0
	keep := func(k string) string { kept++; return k }
	read := func(k string, stamp cacheStamp) int {
		t.Helper()
		v, err := c.read(k, stamp, keep, func() (int, error) { reads++; return reads, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	stamp := cacheStamp{changes: 5, at: at}
	if v := read("cardiology", stamp); v != 1 || kept != 1 {
		t.Fatalf("first read = %d, keys kept %d; want 1, 1", v, kept)
	}
	if v := read("cardiology", cacheStamp{changes: 5, at: at.Add(readCacheTTL - time.Millisecond)}); v != 1 || kept != 1 {
		t.Fatalf("within the TTL = %d, keys kept %d; want the kept 1 and no key stored again", v, kept)
	}
	if v := read("cardiology", cacheStamp{changes: 5, at: at.Add(readCacheTTL)}); v != 2 {
		t.Fatalf("at the TTL = %d; want a fresh read", v)
	}
	if v := read("cardiology", cacheStamp{changes: 6, at: at.Add(readCacheTTL)}); v != 3 {
		t.Fatalf("after a write = %d; want a fresh read", v)
	}
	if _, ok := c.get("cardiology", cacheStamp{changes: 6, at: at.Add(readCacheTTL - time.Second)}); ok {
		t.Fatal("an entry read after the clock's now was used: want it refused")
	}

	failed := errors.New("database gone")
	if _, err := c.read("neurology", stamp, keep, func() (int, error) { return 0, failed }); !errors.Is(err, failed) {
		t.Fatalf("failed read: err %v, want %v", err, failed)
	}
	if _, ok := c.get("neurology", stamp); ok {
		t.Fatal("a failed read was kept")
	}

	later := cacheStamp{changes: 6, at: at.Add(readCacheTTL)}
	c.put("neurology", later, 10) // the second entry: at the bound
	c.put("pediatrics", later, 11)
	if _, ok := c.get("cardiology", later); ok {
		t.Fatal("the cache held more than its bound")
	}
	if v, ok := c.get("pediatrics", later); !ok || v != 11 {
		t.Fatalf("after starting over = %d, %v; want 11, true", v, ok)
	}
}

// A board list's key is stored with its own copy of the cursors, which
// Fiber takes from the request's bytes and reuses for the next request.
func TestBoardListKeyKeepsItsOwnCursors(t *testing.T) {
	raw := []byte("1796600000000000-42")
	k := boardListKey{boardID: 3, after: unsafe.String(&raw[0], len(raw))} // as Fiber's strings alias the request
	kept := k.kept()
	copy(raw, "0000000000000000-00")
	if kept.after != "1796600000000000-42" {
		t.Fatalf("kept cursor = %q after the request's bytes changed", kept.after)
	}
}
