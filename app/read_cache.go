package app

import (
	"sync"
	"time"

	"rounds/models"
	"rounds/search"
)

// readCacheTTL bounds how long an entry of the read cache is trusted. On
// one node every write empties the cache at once (see readCache); a write
// on another node, such as signing out, a suspension or a new
// notification, reaches this node's pages within this bound.
const readCacheTTL = 3 * time.Second

// readCacheSize caps the entries of each kind; past it the kind starts
// over empty, which costs a database read per entry and nothing else.
const readCacheSize = 20000

// readCache keeps, for a few seconds, what every page asks the database
// whatever the page: who a session belongs to, the counts in the header,
// what a member may do on a board and the boards they may search; and, for
// pages read (GET), the topic a topic page shows. Each kind is a
// stampedCache, so an entry is used only while the store's count of writes
// (models.Store.Changes) has not moved since it was read: any write this
// node makes (signing out, a suspension, a role changed, a notification, a
// report, an application, a board's groups) is seen by the very next
// request. Entries from before a write are never stored after it: the
// count is taken before the database is read.
type readCache struct {
	sessions *stampedCache[string, cachedSession]
	counts   *stampedCache[memberKey, models.MemberCounts]
	access   *stampedCache[accessKey, models.BoardAccess]
	// topics are kept as values so that each reader gets its own copy
	// (topicByID).
	topics *stampedCache[int64, models.TopicSummary]
	// scopes' maps are shared by every request that gets them: they are
	// only read.
	scopes *stampedCache[memberKey, search.Scope]
}

func newReadCache() *readCache {
	return &readCache{
		sessions: newStampedCache[string, cachedSession](readCacheSize),
		counts:   newStampedCache[memberKey, models.MemberCounts](readCacheSize),
		access:   newStampedCache[accessKey, models.BoardAccess](readCacheSize),
		topics:   newStampedCache[int64, models.TopicSummary](readCacheSize),
		scopes:   newStampedCache[memberKey, search.Scope](readCacheSize),
	}
}

type cacheStamp struct {
	changes uint64
	at      time.Time
}

// fresh says whether an entry stamped s may still be used at now, with the
// store's write count at changes.
func (s cacheStamp) fresh(changes uint64, now time.Time) bool {
	age := now.Sub(s.at)
	return s.changes == changes && age >= 0 && age < readCacheTTL
}

// stamp is taken before the database is read, so what is read is never
// stored as newer than it is.
func (h *Handler) cacheStamp() cacheStamp {
	return cacheStamp{changes: h.store.Changes(), at: h.now()}
}

// cachedSession is a session and its member as kept: values, so that each
// request gets copies it may change (sessionMember).
type cachedSession struct {
	sess models.Session
	user models.User
}

// memberKey names the member what is kept depends on (id 0: a visitor not
// signed in) with their role and status, as that too depends on them: a
// member whose role or status is not what it was when the entry was read
// finds no entry.
type memberKey struct {
	id     int64
	role   models.Role
	status models.Status
}

func memberKeyOf(u *models.User) memberKey {
	if u == nil {
		return memberKey{}
	}
	return memberKey{id: u.ID, role: u.Role, status: u.Status}
}

type accessKey struct {
	member  memberKey
	boardID int64
}

// stampedCache keeps values read from the database under the read cache's
// rule (cacheStamp.fresh): an entry is used only while the store's count of
// this node's writes has not moved since it was read, and for at most
// readCacheTTL. Past bound entries the map starts over empty, which costs a
// database read per entry and nothing else. Values are shared by every
// request that gets them: callers must not change them.
type stampedCache[K comparable, V any] struct {
	mu      sync.Mutex
	bound   int
	entries map[K]stamped[V]
}

// stamped is a value with the stamp taken before it was read.
type stamped[V any] struct {
	stamp cacheStamp
	value V
}

func newStampedCache[K comparable, V any](bound int) *stampedCache[K, V] {
	return &stampedCache[K, V]{bound: bound, entries: map[K]stamped[V]{}}
}

// get is the value kept under k if it is still fresh at now.
func (c *stampedCache[K, V]) get(k K, now cacheStamp) (V, bool) {
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(now.changes, now.at) {
		var zero V
		return zero, false
	}
	return e.value, true
}

func (c *stampedCache[K, V]) put(k K, stamp cacheStamp, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.bound {
		c.entries = map[K]stamped[V]{}
	}
	c.entries[k] = stamped[V]{stamp: stamp, value: v}
}

// read is the value under k: from the cache while it is fresh, else read
// and kept, stamped with stamp, which the caller takes before anything is
// read so that nothing is kept as newer than it is. A key holding the
// request's bytes (Fiber reuses them for the next request) is stored as
// keep makes it; keep is nil for keys that hold none.
func (c *stampedCache[K, V]) read(k K, stamp cacheStamp, keep func(K) K, read func() (V, error)) (V, error) {
	if v, ok := c.get(k, stamp); ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	if keep != nil {
		k = keep(k)
	}
	c.put(k, stamp, v)
	return v, nil
}

// change replaces the value kept under k by what f makes of it, keeping
// its stamp: for a write that leaves the store's count of changes where it
// was (a session's last activity) but that the kept copy must show.
func (c *stampedCache[K, V]) change(k K, f func(V) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		e.value = f(e.value)
		c.entries[k] = e
	}
}
