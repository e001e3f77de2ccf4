package search

import (
	"container/list"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// What a search found is kept, per query and per set of boards searched,
// until the index changes: members ask the same questions ("heparin",
// "septic shock"), and every page of a search's results comes from the
// same hits, so a repeat or a next page costs no pass over the index.
//
// Only the index's answer is kept: the topic and post ids, the count and
// the words to mark. The app still reads every page's topics and posts
// back from the database for the member asking, so a post hidden or a
// board closed since is left out exactly as it is without the cache. The
// boards searched are part of the key, so a member never gets ids found
// in boards that member may not search.
//
// The index's generation goes up before and after every change to it (a
// batch of the outbox applied; an index swapped in or closed, under the
// index's lock). A search reads the generation before it reads the index
// and keeps what it found under that generation; an entry is used only
// while the generation is still the same, so nothing kept predates a
// change a search could see.

// foundCacheSize is how many searches are kept, the least recently used
// dropped first. An entry holds at most maxHits posts' ids.
const foundCacheSize = 256

// found is what the index answered to one search, before it is cut into
// pages.
type found struct {
	groups    []TopicHit
	posts     uint64
	estimated bool
	capped    bool
	anyWord   bool
	highlight highlighter
}

// foundCache holds recent searches' answers.
type foundCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // key → element of order holding a *foundEntry
	order   *list.List               // most recently used first
	calls   map[string]*foundCall    // searches running now, by key and generation
	size    int
}

type foundEntry struct {
	key        string
	generation uint64
	settings   searchSettings
	found      *found
}

// searchSettings are the index's own settings that change what a search
// finds (tests change them on an open index).
type searchSettings struct {
	ranking  ranking
	countCap int
}

// foundCall is a search one request runs while others with the same key
// wait for its answer instead of running it again.
type foundCall struct {
	done    chan struct{}
	found   *found
	err     error
	waiting int // searches waiting for this one
}

func newFoundCache(size int) *foundCache {
	return &foundCache{entries: map[string]*list.Element{}, order: list.New(), calls: map[string]*foundCall{}, size: size}
}

// get is the kept answer for key at this generation and these settings.
func (c *foundCache) get(key string, generation uint64, settings searchSettings) (*found, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*foundEntry)
	if e.generation != generation || e.settings != settings {
		c.order.Remove(el)
		delete(c.entries, key)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.found, true
}

func (c *foundCache) put(key string, generation uint64, settings searchSettings, f *found) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*foundEntry)
		if e.generation > generation {
			return // a newer answer is already kept
		}
		e.generation, e.settings, e.found = generation, settings, f
		c.order.MoveToFront(el)
		return
	}
	c.entries[key] = c.order.PushFront(&foundEntry{key: key, generation: generation, settings: settings, found: f})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*foundEntry).key)
	}
}

// do runs search once for key at this generation however many ask at
// once: the first runs it, the others wait for its answer.
func (c *foundCache) do(key string, generation uint64, search func() (*found, error)) (*found, error) {
	callKey := key + "\x00" + strconv.FormatUint(generation, 10)
	c.mu.Lock()
	if call, ok := c.calls[callKey]; ok {
		call.waiting++
		c.mu.Unlock()
		<-call.done
		if call.err != nil {
			// The first searcher's failure may be its own (its request
			// ended): this one searches for itself.
			return search()
		}
		return call.found, nil
	}
	call := &foundCall{done: make(chan struct{})}
	c.calls[callKey] = call
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.calls, callKey)
		c.mu.Unlock()
		close(call.done)
	}()
	call.found, call.err = search()
	return call.found, call.err
}

// foundKey is what a search's answer depends on besides the index: the
// query and the boards it searches.
func foundKey(q Query, scope Scope, boardID int64) string {
	var b strings.Builder
	switch {
	case boardID != 0:
		b.WriteString("board " + strconv.FormatInt(boardID, 10))
	case scope.All:
		b.WriteString("all")
	default:
		ids := make([]int64, 0, len(scope.Boards))
		for _, id := range scope.Boards {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		b.WriteString("boards")
		for _, id := range ids {
			b.WriteString(" " + strconv.FormatInt(id, 10))
		}
	}
	list := func(name string, items []string) {
		b.WriteString("\x00" + name)
		for _, item := range items {
			b.WriteString("\x1f" + item)
		}
	}
	list("words", q.Words)
	list("phrases", q.Phrases)
	list("excluded", q.Excluded)
	list("tags", q.Tags)
	list("states", q.States)
	list("not", q.NotStates)
	list("filters", []string{q.Author, q.Kind, q.Order, strconv.FormatBool(q.InTitle),
		strconv.FormatInt(q.Before.UnixNano(), 10), strconv.FormatBool(q.Before.IsZero()),
		strconv.FormatInt(q.After.UnixNano(), 10), strconv.FormatBool(q.After.IsZero())})
	return b.String()
}
