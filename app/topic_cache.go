package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"rounds/models"
)

// topicPostsCacheBytes bounds the HTML the topic page cache holds; past it
// the cache starts over empty, which costs each page one database read and
// one rendering, and nothing else.
const topicPostsCacheBytes = 32 << 20

// topicPostsKey is everything the shared part of a page of posts depends
// on: the topic and page, whether the reader moderates (moderators see
// hidden posts' text and the identifiers authors confirmed; members see
// tombstones), and whether the opening post is left out because the case
// card above it shows the same text. Who the reader is otherwise, what
// they may do on the board and whether they may reply are not in it: none
// of that is in the shared part (writePostHead), only in the per-reader
// part (viewerPostItems, writePostTail). A reader reaches a page only after
// readableTopic let them read the topic, so a member never gets a page of
// a board they cannot read from here either.
type topicPostsKey struct {
	topicID      int64
	page         int
	moderator    bool
	summaryAbove bool
}

// topicPosts is the cacheable part of a page of a topic's posts: each
// post's shared fields, and its HTML up to the reader's part.
type topicPosts struct {
	stamp cacheStamp
	// items hold the shared fields only; Cooked is left out once written
	// into heads.
	items []postItem
	// heads[i] is writePostHead's HTML of items[i]; open[i] says that
	// writePostTail must follow it.
	heads []string
	open  []bool
	size  int
}

// topicPostsCache keeps the shared part of topic pages, with the same rule
// as the read cache: an entry is used only while the store's count of this
// node's writes is where it was before the entry was read (so hiding,
// editing, deleting a post or any other write on this node is seen by the
// next request), and for at most readCacheTTL (so a write on another node
// is seen within that bound, and the posts' "5 minutes ago" are at most
// that late).
type topicPostsCache struct {
	mu    sync.Mutex
	pages map[topicPostsKey]*topicPosts
	size  int
}

func newTopicPostsCache() *topicPostsCache {
	return &topicPostsCache{pages: map[topicPostsKey]*topicPosts{}}
}

func (c *topicPostsCache) get(k topicPostsKey, changes uint64, now time.Time) (*topicPosts, bool) {
	c.mu.Lock()
	e, ok := c.pages[k]
	c.mu.Unlock()
	if !ok || !e.stamp.fresh(changes, now) {
		return nil, false
	}
	return e, true
}

func (c *topicPostsCache) put(k topicPostsKey, e *topicPosts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.pages[k]; ok {
		c.size -= old.size
	}
	if c.size+e.size > topicPostsCacheBytes {
		c.pages, c.size = map[topicPostsKey]*topicPosts{}, 0
	}
	c.pages[k] = e
	c.size += e.size
}

// holds says whether the cache has a fresh page of the topic's posts for
// a reader of this kind, with the opening post shown or not.
func (c *topicPostsCache) holds(topicID int64, page int, moderator bool, stamp cacheStamp) bool {
	for _, summaryAbove := range []bool{false, true} {
		k := topicPostsKey{topicID: topicID, page: page, moderator: moderator, summaryAbove: summaryAbove}
		if _, ok := c.get(k, stamp.changes, stamp.at); ok {
			return true
		}
	}
	return false
}

// sharedTopicPosts returns the part of a page of posts that is the same for
// every reader of the same kind (see topicPostsKey): from the cache when it
// holds it, otherwise from the posts topicShow read (reads, when not nil
// and they hold them) or read now, and written. Entries are never changed
// after they are stored; readers copy the items they add to.
func (h *Handler) sharedTopicPosts(ctx context.Context, topic *models.TopicSummary, page int, moderator, summaryAbove bool,
	reads *topicPageReads) (*topicPosts, error) {
	key := topicPostsKey{topicID: topic.ID, page: page, moderator: moderator, summaryAbove: summaryAbove}
	stamp := h.cacheStamp()
	if e, ok := h.topicPosts.get(key, stamp.changes, stamp.at); ok {
		return e, nil
	}
	var posts []models.PostView
	if reads != nil && reads.query.Posts {
		// Read before this request's stamp: kept as of then.
		posts, stamp = reads.Posts, reads.stamp
	} else {
		first := (page-1)*postsPerPage + 1
		var err error
		if posts, err = h.store.PostsInTopic(ctx, topic.ID, first, first+postsPerPage-1); err != nil {
			return nil, err
		}
	}
	items := h.sharedPostItems(posts, moderator, stamp.at)
	if err := h.markAnswer(ctx, topic, items); err != nil {
		return nil, err
	}
	if summaryAbove && len(items) > 0 && items[0].Number == 1 {
		// The card above already shows the text the opening post repeats.
		items[0].Cooked, items[0].SummaryAbove = "", true
	}
	e := &topicPosts{stamp: stamp, items: items, heads: make([]string, len(items)), open: make([]bool, len(items))}
	// The heads are written into one string, each a slice of it: one
	// allocation for the page rather than a growing buffer for each post.
	size := 0
	for i := range items {
		size += len(items[i].Cooked) + 700
	}
	var b strings.Builder
	b.Grow(size)
	ends := make([]int, len(items))
	for i := range items {
		e.open[i] = writePostHead(&b, &items[i])
		ends[i] = b.Len()
		items[i].Cooked = "" // in heads[i] now
	}
	all, start := b.String(), 0
	for i, end := range ends {
		e.heads[i], start = all[start:end], end
		e.size += len(e.heads[i]) + 200
	}
	h.topicPosts.put(key, e)
	return e, nil
}

// viewerPostItems copies the shared items and adds what depends on the
// reader: their own posts, what they may do with each post, their
// bookmarks and the reactions with theirs marked.
func (h *Handler) viewerPostItems(m *models.User, shared *topicPosts) []postItem {
	items := slices.Clone(shared.items)
	for i := range items {
		it := &items[i]
		it.Mine = m != nil && m.ID == it.authorID
		it.Revealable = it.Anonymous && m.IsModerator()
		it.Moderatable = m.IsModerator() && !it.Deleted
		it.Flaggable = m.IsVerified() && !it.Mine && !it.Deleted && !it.Hidden
		it.Bookmarkable = m.IsVerified() && !it.Deleted && (!it.Hidden || m.IsModerator())
	}
	return items
}

// writeTopicPosts writes a page of posts: each post's shared HTML followed
// by its reader's part.
func writeTopicPosts(shared *topicPosts, items []postItem) string {
	size := 0
	for i := range shared.heads {
		size += len(shared.heads[i]) + 600
	}
	var b strings.Builder
	b.Grow(size)
	for i := range items {
		p := &items[i]
		writeNewSince(&b, p)
		b.WriteString(shared.heads[i])
		if shared.open[i] {
			writePostTail(&b, p)
		}
		writeAfterPost(&b, p)
	}
	return b.String()
}
