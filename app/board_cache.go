package app

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// boardListKey is everything a page of a board's topic list depends on:
// the board, the page (its cursor, as the link gave it) and whether the
// reader sees topics whose opening post is hidden (moderators do). The
// lists that span boards (Latest, a tag's) are kept here too, with list
// naming which ("latest", or "tag:" and the tag) and scope the boards the
// reader may read (boardScope): they depend on the reader through nothing
// else.
type boardListKey struct {
	boardID       int64
	list, scope   string
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
	// more says more topics follow (the tag page's link to older ones).
	more bool
}

// boardListCache keeps pages of boards' topic lists under the read cache's
// rule: an entry is used only while the store's count of this node's
// writes has not moved since it was read, and for at most readCacheTTL.
type boardListCache struct {
	mu    sync.Mutex
	lists map[boardListKey]*boardList
	// boards are the boards of board pages by slug, under the same rule:
	// a board's title, description and settings change only by a write.
	boards map[string]cachedBoard
	// since is each member's NewSince, under the same rule: it changes
	// only by the member choosing a date or marking all read, both writes.
	since map[int64]cachedSince
}

type cachedSince struct {
	stamp cacheStamp
	since time.Time
}

type cachedBoard struct {
	stamp cacheStamp
	board *models.Board
}

func newBoardListCache() *boardListCache {
	return &boardListCache{lists: map[boardListKey]*boardList{}, boards: map[string]cachedBoard{},
		since: map[int64]cachedSince{}}
}

// newSince is when topics start to count as new to the member (the
// store's NewSince), from the cache when it holds it.
func (h *Handler) newSince(c *fiber.Ctx, memberID int64) (time.Time, error) {
	stamp := h.cacheStamp()
	lc := h.boardLists
	lc.mu.Lock()
	e, ok := lc.since[memberID]
	lc.mu.Unlock()
	if ok && e.stamp.fresh(stamp.changes, stamp.at) {
		return e.since, nil
	}
	since, err := h.store.NewSince(c.UserContext(), memberID)
	if err != nil {
		return since, err
	}
	lc.mu.Lock()
	if len(lc.since) >= readCacheSize {
		lc.since = map[int64]cachedSince{}
	}
	lc.since[memberID] = cachedSince{stamp: stamp, since: since}
	lc.mu.Unlock()
	return since, nil
}

// board is the board of a board page, from the cache when it holds it.
// Entries are never changed once stored: callers must not change it.
func (h *Handler) boardOfPage(c *fiber.Ctx, slug string) (*models.Board, error) {
	stamp := h.cacheStamp()
	lc := h.boardLists
	lc.mu.Lock()
	e, ok := lc.boards[slug]
	lc.mu.Unlock()
	if ok && e.stamp.fresh(stamp.changes, stamp.at) {
		return e.board, nil
	}
	board, err := h.store.BoardBySlug(c.UserContext(), slug)
	if err != nil {
		return nil, err
	}
	lc.mu.Lock()
	if len(lc.boards) >= readCacheSize/10 {
		lc.boards = map[string]cachedBoard{}
	}
	lc.boards[strings.Clone(slug)] = cachedBoard{stamp: stamp, board: board}
	lc.mu.Unlock()
	return board, nil
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

// boardScope names the set of boards the reader may read (from the read
// cache's search scope, read with the same condition as the lists use), so
// that the lists spanning boards are kept per set of boards rather than per
// member: readers who may read the same boards see the same list.
func (h *Handler) boardScope(c *fiber.Ctx) (string, error) {
	scope, err := h.searchScope(c)
	if err != nil {
		return "", err
	}
	ids := make([]int64, 0, len(scope.Boards))
	for _, id := range scope.Boards {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	return b.String(), nil
}

// spanningList is a page of a list that spans boards (Latest, a tag's) as
// the reader's kind and boards see it: from the cache when it holds it,
// else read.
func (h *Handler) spanningList(c *fiber.Ctx, key boardListKey, read func() (*boardList, error)) (*boardList, error) {
	m := member(c)
	key.seesHidden = m == nil || m.IsModerator()
	var err error
	if key.scope, err = h.boardScope(c); err != nil {
		return nil, err
	}
	stamp := h.cacheStamp()
	if list, ok := h.boardLists.get(key, stamp.changes, stamp.at); ok {
		return list, nil
	}
	key.after, key.before = strings.Clone(key.after), strings.Clone(key.before) // Fiber's are the request's bytes
	list, err := read()
	if err != nil {
		return nil, err
	}
	list.stamp = stamp
	h.boardLists.put(key, list)
	return list, nil
}
