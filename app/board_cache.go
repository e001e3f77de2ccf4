package app

import (
	"sync"
	"time"

	"rounds/models"
)

// boardListKey is everything a page of a board's topic list depends on:
// the board, the page (its cursor, as the link gave it) and whether the
// reader sees topics whose opening post is hidden (moderators do).
type boardListKey struct {
	boardID       int64
	after, before string
	seesHidden    bool
}

// boardList is a page of a board's topics as every reader of the same kind
// sees it: the lists and the links to the pages around it. Nothing in it
// depends on who reads it otherwise; the board page adds the reader's own
// parts (what they have read of each topic, the digest switch, whether
// they may post) and writes the rows.
// Entries are never changed once stored.
type boardList struct {
	stamp          cacheStamp
	pinned, topics []models.TopicSummary
	newer, older   string
}

// boardListCache keeps pages of boards' topic lists under the read cache's
// rule: an entry is used only while the store's count of this node's
// writes has not moved since it was read, and for at most readCacheTTL.
type boardListCache struct {
	mu    sync.Mutex
	lists map[boardListKey]*boardList
}

func newBoardListCache() *boardListCache {
	return &boardListCache{lists: map[boardListKey]*boardList{}}
}

func (c *boardListCache) get(k boardListKey, changes uint64, now time.Time) (*boardList, bool) {
	c.mu.Lock()
	e, ok := c.lists[k]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) {
		return nil, false
	}
	return e, true
}

func (c *boardListCache) put(k boardListKey, e *boardList) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.lists) >= readCacheSize/10 {
		c.lists = map[boardListKey]*boardList{}
	}
	c.lists[k] = e
}
