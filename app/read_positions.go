package app

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"rounds/models"
)

// readFlushInterval is how often the reading positions gathered in memory
// are written.
const readFlushInterval = time.Second

// readBatchSize is how many members' positions in topics, gathered
// between two flushes, make a flush start at once.
const readBatchSize = 5000

// readBatcher gathers members' reading positions in memory and writes them
// together: every second, when many have gathered, and at shutdown, each
// time as one multi-row upsert (and one member's alone before a list of
// what they read is shown to them). Reading a
// page of a topic moves the reader's position, and a page view must not
// cost a database write of its own. Positions only move forward, in
// memory as in the database.
//
// These are the only writes a GET causes by design (besides a session's
// own bookkeeping): they record how far a member has read, which is the
// reading itself, not anything the member has or anyone else sees.
// TestNoGETChangesData counts them as such bookkeeping.
type readBatcher struct {
	store *models.Store
	log   *slog.Logger

	mu      sync.Mutex
	pending map[readKey]models.ReadPosition
	// writing holds the positions a flush is writing, until the write has
	// ended and been counted in written: a page read meanwhile finds them
	// neither in pending nor yet in the database.
	writing map[readKey]models.ReadPosition
	// flushing lets one flush run at a time, so a later position is
	// never written before an earlier one of the same topic.
	flushing sync.Mutex
	wake     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	started  bool
	// written counts the flushes that wrote positions, so that what was
	// read of the stored positions before one is known to be older
	// (listPositions). These writes do not move the store's count of
	// changes, which would empty every cache once a second.
	written atomic.Uint64
}

type readKey struct{ userID, topicID int64 }

func newReadBatcher(store *models.Store, log *slog.Logger) *readBatcher {
	return &readBatcher{store: store, log: log, pending: map[readKey]models.ReadPosition{}, writing: map[readKey]models.ReadPosition{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// start writes the gathered positions every interval until close.
func (r *readBatcher) start(interval time.Duration) {
	r.started = true
	go func() {
		defer close(r.done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-tick.C:
			case <-r.wake:
			}
			if err := r.flush(context.Background()); err != nil {
				r.log.Warn("record reading positions", "err", err)
			}
		}
	}()
}

// record notes that the member has read the topic to post number, at.
func (r *readBatcher) record(userID, topicID int64, number int, at time.Time) {
	if number <= 0 {
		return
	}
	key := readKey{userID, topicID}
	r.mu.Lock()
	p, ok := r.pending[key]
	if !ok || number > p.Number {
		r.pending[key] = models.ReadPosition{UserID: userID, TopicID: topicID, Number: number, At: at}
	}
	full := len(r.pending) >= readBatchSize
	r.mu.Unlock()
	if full {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// ahead is the member's position in the topic: the one gathered in memory
// (or being written) if it is ahead of stored, stored otherwise.
func (r *readBatcher) ahead(userID, topicID int64, stored int) int {
	key := readKey{userID, topicID}
	r.mu.Lock()
	p, w := r.pending[key], r.writing[key]
	r.mu.Unlock()
	return max(p.Number, w.Number, stored)
}

// aheadAmong is ahead for many topics: the member's stored positions
// (left unchanged: they may be shared), moved on by those gathered in
// memory.
func (r *readBatcher) aheadAmong(userID int64, topicIDs []int64, stored map[int64]int) map[int64]int {
	out := maps.Clone(stored)
	if out == nil {
		out = map[int64]int{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range topicIDs {
		key := readKey{userID, id}
		if n := max(r.pending[key].Number, r.writing[key].Number); n > out[id] {
			out[id] = n
		}
	}
	return out
}

// flushes is how many flushes have written positions so far.
func (r *readBatcher) flushes() uint64 { return r.written.Load() }

// flush writes the positions gathered so far. Should the write fail they
// are dropped, and logged by the caller: a position is a courtesy to the
// reader, and the next page they read records it again, while keeping a
// batch the database refuses would refuse it every second.
func (r *readBatcher) flush(ctx context.Context) error {
	return r.write(ctx, func(readKey) bool { return true })
}

// flushMember writes one member's gathered positions now, before a page
// that lists what they read, and leaves everyone else's to the timer.
func (r *readBatcher) flushMember(ctx context.Context, userID int64) error {
	return r.write(ctx, func(k readKey) bool { return k.userID == userID })
}

func (r *readBatcher) write(ctx context.Context, which func(readKey) bool) error {
	r.flushing.Lock()
	defer r.flushing.Unlock()
	r.mu.Lock()
	var batch []models.ReadPosition
	for k, p := range r.pending {
		if which(k) {
			batch = append(batch, p)
			r.writing[k] = p
			delete(r.pending, k)
		}
	}
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := r.store.RecordReadPositions(ctx, batch)
	// Counted once written (or refused): a read of the stored positions
	// from before the write is then never used again. Only then do the
	// positions leave memory, so no page in between misses them.
	r.written.Add(1)
	r.mu.Lock()
	clear(r.writing)
	r.mu.Unlock()
	return err
}

// close stops the timer and writes what is left.
func (r *readBatcher) close(ctx context.Context) error {
	r.stopOnce.Do(func() {
		close(r.stop)
		if r.started {
			<-r.done
		}
	})
	return r.flush(ctx)
}
