package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Checkpoints copy the pages written to the WAL back into the database
// file, so that the WAL can start again from its beginning instead of
// growing. Left to SQLite (wal_autocheckpoint), the connection whose
// COMMIT takes the WAL past 1,000 pages runs one inside that COMMIT: it
// writes those pages to their places in the database file and syncs it,
// tens of milliseconds at a million posts, in which the writer still holds
// the write lock and every other writer waits — the tail of the reply
// phase. The store turns that off (sqliteDSN) and checkpoints from a
// goroutine of its own instead, on a connection outside the pool, beside
// the writers: SQLite lets a checkpoint run while others read and write.
//
// A checkpoint beside the writers seldom catches up with them, and the WAL
// starts again only when one has copied every page in it before the next
// write begins. So once the WAL holds walRestartFrames pages, the
// checkpointer takes the write lock for a second, short checkpoint of what
// was written during the first: the next writer then starts the WAL again.
// Syncs are as before: a COMMIT syncs the WAL (synchronous=FULL), so
// nothing acknowledged depends on a checkpoint.

// walRestartFrames is the WAL's size in pages past which the checkpointer
// has it start again, 32 MiB. Each time, every writer waits for a
// checkpoint and its two syncs (3–26 ms measured at load 11), and a reply
// writes about ten pages: at SQLite's own wal_autocheckpoint default of
// 1,000 pages that was every 100 ms of writing at 1,000 replies a second,
// a few per cent of the replies held up, which is where a p99 is made.
// The pages are copied into the database file every walCheckpointPause
// all the same; only the file's length and how often it starts again
// depend on this.
const walRestartFrames = 8192

// walCheckpointPause is how long the checkpointer lets commits gather
// after the first since its last checkpoint: one checkpoint (two syncs)
// for many commits.
const walCheckpointPause = 100 * time.Millisecond

// walCheckpointer checkpoints one SQLite database from its own goroutine.
type walCheckpointer struct {
	conn  sqliteDriverConn // its own, outside the pool
	lock  *writeLock
	log   *slog.Logger
	pause time.Duration
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once // close stops it once
	// running says its goroutine was started (startCheckpointer).
	running bool
	// restartFrames is walRestartFrames, or a test's smaller size.
	restartFrames int64
	// locked counts the checkpoints it ran holding the write lock.
	locked atomic.Uint64
}

// walFrames is what a checkpoint reports: the WAL's size in pages and how
// many of them are now in the database file.
type walFrames struct {
	busy         bool // another connection was checkpointing
	log, written int64
}

// startCheckpointer opens the checkpointer's connection to the database
// at dsn and starts its goroutine, which checkpoints after the commits
// the write lock reports. Stop it with close.
func startCheckpointer(drv driver.Driver, dsn string, lock *writeLock, log *slog.Logger) (*walCheckpointer, error) {
	c, err := newCheckpointer(drv, dsn, lock, log)
	if err != nil {
		return nil, err
	}
	c.running = true
	go c.run()
	return c, nil
}

// newCheckpointer opens the checkpointer's connection, without starting
// its goroutine.
func newCheckpointer(drv driver.Driver, dsn string, lock *writeLock, log *slog.Logger) (*walCheckpointer, error) {
	raw, err := drv.Open(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open the checkpointer's connection: %w", err)
	}
	conn, ok := raw.(sqliteDriverConn)
	if !ok {
		_ = raw.Close() // the missing methods are the error worth reporting
		return nil, fmt.Errorf("sqlite: the driver's connection %T lacks the context methods", raw)
	}
	if log == nil {
		log = slog.Default()
	}
	c := &walCheckpointer{conn: conn, lock: lock, log: log, pause: walCheckpointPause, restartFrames: walRestartFrames,
		stop: make(chan struct{}), done: make(chan struct{})}
	return c, nil
}

// run checkpoints a pause after each first commit since the last
// checkpoint, until close.
func (c *walCheckpointer) run() {
	defer close(c.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-c.stop:
			cancel()
		case <-c.done:
		}
	}()
	for {
		select {
		case <-c.stop:
			return
		case <-c.lock.committed:
		}
		pause := time.NewTimer(c.pause)
		select {
		case <-c.stop:
			pause.Stop()
			return
		case <-pause.C:
		}
		if err := c.checkpoint(ctx); err != nil && ctx.Err() == nil {
			// The WAL keeps growing until a later checkpoint succeeds; the
			// writes themselves are committed and safe.
			c.log.Warn("sqlite checkpoint failed", "err", err)
		}
	}
}

// checkpoint copies the WAL into the database file beside the writers,
// then, once the WAL is large, copies what they wrote meanwhile holding
// the write lock, so that the next writer starts the WAL again.
func (c *walCheckpointer) checkpoint(ctx context.Context) error {
	frames, err := c.passive(ctx)
	// Past a reader still on older pages the WAL cannot start again yet:
	// the lock would be taken for nothing.
	if err != nil || frames.busy || frames.log < c.restartFrames || frames.written < frames.log {
		return err
	}
	if err := c.lock.acquire(ctx); err != nil {
		if errors.Is(err, errWriterBusy) {
			return nil // a long write holds the lock: next time
		}
		return err
	}
	defer c.lock.release()
	c.locked.Add(1)
	// An open group holds SQLite's write lock and its pages are not yet
	// in the WAL: commit it first, as a writer outside it would.
	c.lock.tell(c.lock.endGroup())
	_, err = c.passive(ctx)
	return err
}

// passive runs one PASSIVE checkpoint, which waits for no one: it copies
// the pages no reader still needs from the WAL.
func (c *walCheckpointer) passive(ctx context.Context) (walFrames, error) {
	rows, err := c.conn.QueryContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)", nil)
	if err != nil {
		return walFrames{}, fmt.Errorf("sqlite: checkpoint the WAL: %w", err)
	}
	row := make([]driver.Value, 3)
	err = rows.Next(row)
	if closeErr := rows.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("no result")
		}
		return walFrames{}, fmt.Errorf("sqlite: checkpoint the WAL: %w", err)
	}
	busy, _ := row[0].(int64)
	log, _ := row[1].(int64)
	written, _ := row[2].(int64)
	return walFrames{busy: busy != 0, log: log, written: written}, nil
}

// close stops the checkpointer and closes its connection. SQLite
// checkpoints the WAL once more when the pool's last connection closes.
func (c *walCheckpointer) close() error {
	var err error
	c.once.Do(func() {
		close(c.stop)
		if c.running {
			<-c.done
		}
		err = c.conn.Close()
	})
	return err
}
