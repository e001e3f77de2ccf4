package app

import (
	"slices"
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
// pages read (GET), the topic a topic page shows. An entry remembers the store's
// count of writes when it was read (models.Store.Changes) and is used only
// while that count has not moved, so any write this node makes (signing
// out, a suspension, a role changed, a notification, a report, an
// application, a board's groups) is seen by the very next request. Entries
// from before a write are never stored after it: the count is taken before
// the database is read.
type readCache struct {
	mu       sync.Mutex
	sessions map[string]cachedSession
	counts   map[int64]cachedCounts
	access   map[accessKey]cachedAccess
	topics   map[int64]cachedTopic
	scopes   map[int64]cachedScope
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

type cachedSession struct {
	stamp cacheStamp
	sess  models.Session
	user  models.User
}

type cachedCounts struct {
	stamp  cacheStamp
	role   models.Role
	status models.Status
	counts models.MemberCounts
}

type accessKey struct {
	userID, boardID int64
}

type cachedAccess struct {
	stamp  cacheStamp
	role   models.Role
	status models.Status
	access models.BoardAccess
}

func newReadCache() *readCache {
	return &readCache{
		sessions: map[string]cachedSession{},
		counts:   map[int64]cachedCounts{},
		access:   map[accessKey]cachedAccess{},
		topics:   map[int64]cachedTopic{},
		scopes:   map[int64]cachedScope{},
	}
}

// session returns copies of a cached session and its member, so a handler
// changing them changes nothing for the next request.
func (c *readCache) session(id string, changes uint64, now time.Time) (*models.Session, *models.User, bool) {
	c.mu.Lock()
	e, ok := c.sessions[id]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) {
		return nil, nil, false
	}
	sess, user := e.sess, e.user
	return &sess, &user, true
}

func (c *readCache) putSession(stamp cacheStamp, sess *models.Session, user *models.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sessions) >= readCacheSize {
		c.sessions = map[string]cachedSession{}
	}
	c.sessions[sess.ID] = cachedSession{stamp: stamp, sess: *sess, user: *user}
}

// sessionSeen records that a cached session's activity was written.
func (c *readCache) sessionSeen(id string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.sessions[id]; ok {
		e.sess.LastSeenAt = at
		c.sessions[id] = e
	}
}

func (c *readCache) memberCounts(u *models.User, changes uint64, now time.Time) (models.MemberCounts, bool) {
	c.mu.Lock()
	e, ok := c.counts[u.ID]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) || e.role != u.Role || e.status != u.Status {
		return models.MemberCounts{}, false
	}
	return e.counts, true
}

func (c *readCache) putCounts(stamp cacheStamp, u *models.User, n models.MemberCounts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.counts) >= readCacheSize {
		c.counts = map[int64]cachedCounts{}
	}
	c.counts[u.ID] = cachedCounts{stamp: stamp, role: u.Role, status: u.Status, counts: n}
}

// boardAccess is keyed by member (0 for a visitor not signed in) and
// board; the member's role and status are checked too, as the access
// depends on them.
func (c *readCache) boardAccess(u *models.User, boardID int64, changes uint64, now time.Time) (models.BoardAccess, bool) {
	key, role, status := accessKeyOf(u, boardID)
	c.mu.Lock()
	e, ok := c.access[key]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) || e.role != role || e.status != status {
		return models.BoardAccess{}, false
	}
	return e.access, true
}

func (c *readCache) putAccess(stamp cacheStamp, u *models.User, boardID int64, a models.BoardAccess) {
	key, role, status := accessKeyOf(u, boardID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.access) >= readCacheSize {
		c.access = map[accessKey]cachedAccess{}
	}
	c.access[key] = cachedAccess{stamp: stamp, role: role, status: status, access: a}
}

type cachedTopic struct {
	stamp cacheStamp
	topic models.TopicSummary
}

// topic returns a copy of a cached topic (the same for every reader: who
// may read it is checked after, on its board's access).
func (c *readCache) topic(id int64, changes uint64, now time.Time) (*models.TopicSummary, bool) {
	c.mu.Lock()
	e, ok := c.topics[id]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) {
		return nil, false
	}
	t := e.topic
	t.Tags = slices.Clone(t.Tags)
	return &t, true
}

func (c *readCache) putTopic(stamp cacheStamp, t *models.TopicSummary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.topics) >= readCacheSize {
		c.topics = map[int64]cachedTopic{}
	}
	e := cachedTopic{stamp: stamp, topic: *t}
	e.topic.Tags = slices.Clone(t.Tags)
	c.topics[t.ID] = e
}

type cachedScope struct {
	stamp  cacheStamp
	role   models.Role
	status models.Status
	scope  search.Scope
}

// searchScope is the boards a member (0: a visitor) may search. The
// scope's map is shared by every request that gets it: it is only read.
func (c *readCache) searchScope(u *models.User, changes uint64, now time.Time) (search.Scope, bool) {
	key, role, status := accessKeyOf(u, 0)
	c.mu.Lock()
	e, ok := c.scopes[key.userID]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) || e.role != role || e.status != status {
		return search.Scope{}, false
	}
	return e.scope, true
}

func (c *readCache) putSearchScope(stamp cacheStamp, u *models.User, scope search.Scope) {
	key, role, status := accessKeyOf(u, 0)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.scopes) >= readCacheSize {
		c.scopes = map[int64]cachedScope{}
	}
	c.scopes[key.userID] = cachedScope{stamp: stamp, role: role, status: status, scope: scope}
}

func accessKeyOf(u *models.User, boardID int64) (accessKey, models.Role, models.Status) {
	if u == nil {
		return accessKey{boardID: boardID}, "", ""
	}
	return accessKey{userID: u.ID, boardID: boardID}, u.Role, u.Status
}

// stamp is taken before the database is read, so what is read is never
// stored as newer than it is.
func (h *Handler) cacheStamp() cacheStamp {
	return cacheStamp{changes: h.store.Changes(), at: h.now()}
}
