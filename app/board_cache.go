package app

import (
	"slices"
	"strconv"
	"strings"
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

// kept is the key as stored: its cursors are the request's bytes.
func (k boardListKey) kept() boardListKey {
	k.after, k.before = strings.Clone(k.after), strings.Clone(k.before)
	return k
}

// boardList is a page of a board's topics as every reader of the same kind
// sees it: the lists and the links to the pages around it. Nothing in it
// depends on who reads it otherwise; the board page adds the reader's own
// parts (what they have read of each topic, the digest switch, whether
// they may post) and writes the rows.
// Entries are never changed once stored.
type boardList struct {
	pinned, topics []models.TopicSummary
	newer, older   string
	// more says more topics follow (the tag page's link to older ones).
	more bool
}

// boardListCache keeps what the list pages read, under the read cache's
// rule (stampedCache).
type boardListCache struct {
	lists *stampedCache[boardListKey, *boardList]
	// boards are the boards of board pages by slug: a board's title,
	// description and settings change only by a write.
	boards *stampedCache[string, *models.Board]
	// since is each member's NewSince: it changes only by the member
	// choosing a date or marking all read, both writes.
	since *stampedCache[int64, time.Time]
	// levels are members' digest switches on boards: a member changes one
	// only by a write.
	levels *stampedCache[memberBoard, models.SubscriptionLevel]
	// positions are how far a member has read a cached list's topics, as
	// stored: written only by a flush of the positions gathered in memory,
	// which readBatcher counts (positionsKey), or by the member marking
	// what they read, a write.
	positions *stampedCache[positionsKey, map[int64]int]
	// profiles and profilePosts are members' profiles and pages of their
	// posts as viewers alike see them (profileKey): a profile changes only
	// by a write.
	profiles     *stampedCache[profileKey, *models.Profile]
	profilePosts *stampedCache[profilePostsKey, profilePosts]
}

type memberBoard struct{ memberID, boardID int64 }

// positionsKey names a member's stored positions in the topics of one
// list as the cache holds it (a new read of the list is a new list), as
// they stood after the written'th flush of positions.
type positionsKey struct {
	memberID int64
	list     *boardList
	written  uint64
}

func newBoardListCache() *boardListCache {
	return &boardListCache{
		lists:  newStampedCache[boardListKey, *boardList](readCacheSize / 10),
		boards: newStampedCache[string, *models.Board](readCacheSize / 10),
		since:  newStampedCache[int64, time.Time](readCacheSize),
		levels: newStampedCache[memberBoard, models.SubscriptionLevel](readCacheSize),
		// Each entry holds a list's worth of positions and its key keeps
		// the list alive: fewer of them.
		positions:    newStampedCache[positionsKey, map[int64]int](readCacheSize / 10),
		profiles:     newStampedCache[profileKey, *models.Profile](readCacheSize / 10),
		profilePosts: newStampedCache[profilePostsKey, profilePosts](readCacheSize / 10),
	}
}

// newSince is when topics start to count as new to the member (the
// store's NewSince), from the cache when it holds it.
func (h *Handler) newSince(c *fiber.Ctx, memberID int64) (time.Time, error) {
	return h.boardLists.since.read(memberID, h.cacheStamp(), nil, func() (time.Time, error) {
		return h.store.NewSince(c.UserContext(), memberID)
	})
}

// boardOfPage is the board of a board page, from the cache when it holds
// it. Entries are never changed once stored: callers must not change it.
func (h *Handler) boardOfPage(c *fiber.Ctx, slug string) (*models.Board, error) {
	return h.boardLists.boards.read(slug, h.cacheStamp(), strings.Clone, func() (*models.Board, error) {
		return h.store.BoardBySlug(c.UserContext(), slug)
	})
}

// boardLevel is the member's digest switch on a board, from the cache
// when it holds it.
func (h *Handler) boardLevel(c *fiber.Ctx, memberID, boardID int64) (models.SubscriptionLevel, error) {
	return h.boardLists.levels.read(memberBoard{memberID, boardID}, h.cacheStamp(), nil, func() (models.SubscriptionLevel, error) {
		return h.store.BoardLevel(c.UserContext(), memberID, boardID)
	})
}

// listPositions is how far the member has read the topics of a list: the
// stored positions, from the cache when it holds them, moved on by those
// gathered in memory since.
func (h *Handler) listPositions(c *fiber.Ctx, memberID int64, list *boardList) (map[int64]int, error) {
	ids := make([]int64, 0, len(list.pinned)+len(list.topics))
	for _, topics := range [][]models.TopicSummary{list.pinned, list.topics} {
		for i := range topics {
			ids = append(ids, topics[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// The count of flushes is read before the positions, as the stamp is:
	// a flush after it makes the entry one that is never asked for again.
	key := positionsKey{memberID: memberID, list: list, written: h.reads.flushes()}
	stored, err := h.boardLists.positions.read(key, h.cacheStamp(), nil, func() (map[int64]int, error) {
		return h.store.ReadPositionsAmong(c.UserContext(), memberID, ids)
	})
	if err != nil {
		return nil, err
	}
	return h.reads.aheadAmong(memberID, ids, stored), nil
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
	return h.boardLists.lists.read(key, h.cacheStamp(), boardListKey.kept, read)
}
