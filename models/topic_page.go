package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// TopicPageQuery names what a topic page needs from the store and no cache
// of the app's holds: the topic, a page of its posts, a member's marks.
type TopicPageQuery struct {
	TopicID int64
	// Topic asks for the topic (TopicByID).
	Topic bool
	// Posts asks for the posts numbered First to Last (PostsInTopic).
	Posts       bool
	First, Last int
	// ReaderID, when not 0, asks for that member's marks on those posts
	// (ReaderMarksOn).
	ReaderID int64
}

// TopicPageReads is what ReadTopicPage read: each part nil (Marks: not read)
// unless the query asked for it.
type TopicPageReads struct {
	Topic *TopicSummary
	Posts []PostView
	Marks *ReaderMarks
}

// ReadTopicPage reads what a topic page needs from the store: what
// TopicByID, PostsInTopic and ReaderMarksOn read, those the query asks for.
// A topic that does not exist is ErrNotFound, whatever else was asked.
//
// On PostgreSQL the statements go to the server as one pipelined batch:
// one round trip instead of up to three (and a fourth, for a page with
// images or link cards, as PostsInTopic), and one implicit transaction, so
// the topic, its posts and the marks are read from one snapshot. The posts
// are read before the caller has checked that the reader may see the topic
// (it has not got the topic yet): they must not be shown or kept until it
// has.
func (s *Store) ReadTopicPage(ctx context.Context, q TopicPageQuery) (TopicPageReads, error) {
	if s.engine == Postgres && s.pipelines() {
		page, done, err := s.readTopicPageBatch(ctx, q)
		if done {
			return page, err
		}
	}
	return s.readTopicPageOneByOne(ctx, q)
}

// pipelines says whether the store's reads may go to PostgreSQL as one
// batch on a connection of their own: not inside a transaction, whose
// reads must run on its connection.
func (s *Store) pipelines() bool {
	_, inTx := s.db.Statement.ConnPool.(*sql.Tx)
	return !inTx
}

func (s *Store) readTopicPageOneByOne(ctx context.Context, q TopicPageQuery) (TopicPageReads, error) {
	var page TopicPageReads
	var err error
	if q.Topic {
		if page.Topic, err = s.TopicByID(ctx, q.TopicID); err != nil {
			return TopicPageReads{}, err
		}
	}
	if q.Posts {
		if page.Posts, err = s.PostsInTopic(ctx, q.TopicID, q.First, q.Last); err != nil {
			return TopicPageReads{}, err
		}
	}
	if q.ReaderID != 0 {
		marks, err := s.ReaderMarksOn(ctx, q.ReaderID, q.TopicID, q.First, q.Last)
		if err != nil {
			return TopicPageReads{}, err
		}
		page.Marks = &marks
	}
	return page, nil
}

// readTopicPageBatch is ReadTopicPage on PostgreSQL: the statements the
// query asks for in one pgx batch. done is false when the pool's
// connection is not pgx's (nothing was read; the caller reads one by one).
func (s *Store) readTopicPageBatch(ctx context.Context, q TopicPageQuery) (page TopicPageReads, done bool, err error) {
	page, media, done, err := s.sendTopicPageBatch(ctx, q)
	if !done || err != nil {
		return TopicPageReads{}, done, err
	}
	if media {
		// On another turn of the pool: the batch's connection is back.
		h, err := s.hot(ctx)
		if err != nil {
			return TopicPageReads{}, true, err
		}
		if err := s.pageMedia(ctx, h, page.Posts, q.TopicID, q.First, q.Last); err != nil {
			return TopicPageReads{}, true, err
		}
	}
	return page, true, nil
}

// sendTopicPageBatch runs readTopicPageBatch's batch on a connection of the
// pool, given back before it returns.
func (s *Store) sendTopicPageBatch(ctx context.Context, q TopicPageQuery) (page TopicPageReads, media, done bool, err error) {
	h, err := s.hot(ctx)
	if err != nil {
		return TopicPageReads{}, false, true, err
	}
	pool, err := s.pool()
	if err != nil {
		return TopicPageReads{}, false, true, err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return TopicPageReads{}, false, true, fmt.Errorf("read topic %d's page: %w", q.TopicID, err)
	}
	defer conn.Close() // back to the pool
	err = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return nil
		}
		done = true
		// The texts are the hot statements' own, so the batch runs the
		// statements database/sql prepared on this connection, if it did.
		batch := &pgx.Batch{}
		if q.Topic {
			batch.Queue(h.pageTexts.topic, q.TopicID)
		}
		if q.Posts {
			batch.Queue(h.pageTexts.posts, q.TopicID, q.First, q.Last)
		}
		if q.ReaderID != 0 {
			batch.Queue(h.pageTexts.marks, readerMarksArgs(q.ReaderID, q.TopicID, q.First, q.Last)...)
		}
		if batch.Len() == 0 {
			return nil
		}
		results := c.Conn().SendBatch(ctx, batch)
		var err error
		if page, media, err = readTopicPageResults(results, q); err != nil {
			_ = results.Close() // the first error is the one to report
			return err
		}
		return results.Close()
	})
	return page, media, done, err
}

// readTopicPageResults reads the batch's results in the order
// readTopicPageBatch queued them, and says whether any post has images or
// link cards to read.
func readTopicPageResults(results pgx.BatchResults, q TopicPageQuery) (TopicPageReads, bool, error) {
	var page TopicPageReads
	var topicErr error
	if q.Topic {
		page.Topic, topicErr = scanTopicByID(results.QueryRow().Scan, Postgres, q.TopicID)
		if topicErr != nil && !errors.Is(topicErr, ErrNotFound) {
			return TopicPageReads{}, false, topicErr
		}
	}
	media := false
	if q.Posts {
		rows, err := results.Query()
		if err != nil {
			return TopicPageReads{}, false, fmt.Errorf("list posts %d-%d of topic %d: %w", q.First, q.Last, q.TopicID, err)
		}
		page.Posts, media, err = scanPostsInTopic(rows, q.TopicID, q.First, q.Last)
		rows.Close()
		if err != nil {
			return TopicPageReads{}, false, err
		}
	}
	if q.ReaderID != 0 {
		rows, err := results.Query()
		if err != nil {
			return TopicPageReads{}, false, fmt.Errorf("read member %d's marks on topic %d: %w", q.ReaderID, q.TopicID, err)
		}
		marks, err := scanReaderMarks(rows, q.ReaderID, q.TopicID)
		rows.Close()
		if err != nil {
			return TopicPageReads{}, false, err
		}
		page.Marks = &marks
	}
	if topicErr != nil {
		return TopicPageReads{}, false, topicErr
	}
	return page, media, nil
}
