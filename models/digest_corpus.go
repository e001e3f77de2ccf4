package models

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// corpusRecent is how many of a topic's newest posts a corpus keeps, so
// that the newest few by others remain for a digest to show when the
// member wrote some of them.
const corpusRecent = 8

// DigestCorpus is what every digest of one window draws on: the visible
// posts written in it, counted per topic and author, with the topics they
// belong to. It holds nothing about any member; DigestCandidates applies a
// member's access and subscriptions to it. Loading it once per window
// instead of once per member is what lets thousands of digests go out in
// minutes. It is safe for concurrent use.
type DigestCorpus struct {
	Since, Until time.Time
	topics       map[int64]*DigestTopic
	// own counts each author's posts per topic, to leave a member's out.
	own map[int64]map[int64]int
	// watched are the posts and opening posts whose change would change
	// what the corpus says; see DigestCorpusCurrent.
	watched map[int64]bool
	maxPost int64

	mu   sync.Mutex
	head int64                    // the search outbox position it reflects
	text map[int64]DigestPostText // post → its text and author, read on first use
}

// DigestTopic is a topic of a corpus: what its window holds of it. A
// corpus's topics are shared by every digest drawn on it: read them,
// never change them.
type DigestTopic struct {
	ID, BoardID int64
	Title, Slug string
	// Posts counts the visible posts of the window in the topic.
	Posts int
	// OpenerAuthor wrote the opening post when it is in the window, else 0.
	OpenerAuthor int64
	// LastPostID is the newest post of the window in the topic.
	LastPostID int64
	// Recent are the topic's newest posts of the window, newest first: a
	// few more than a digest shows, so some by others remain.
	Recent []DigestTopicPost
}

// DigestTopicPost is one of a topic's recent posts.
type DigestTopicPost struct {
	ID, AuthorID int64
	Number       int
}

// LoadDigestCorpus reads the visible posts created after since and at or
// before until, and their topics, leaving out topics whose opening post is
// hidden or deleted.
func (s *Store) LoadDigestCorpus(ctx context.Context, since, until time.Time) (*DigestCorpus, error) {
	c := &DigestCorpus{Since: storeTime(since), Until: storeTime(until), topics: map[int64]*DigestTopic{},
		own: map[int64]map[int64]int{}, watched: map[int64]bool{}, text: map[int64]DigestPostText{}}
	// The head first: a change after it is seen by DigestCorpusCurrent even
	// when the reads below already include it.
	head, err := s.OutboxHead(ctx)
	if err != nil {
		return nil, err
	}
	c.head = head
	// From the covering index alone, newest first within each topic.
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, topic_id, author_id, number FROM posts
		WHERE created_at > ? AND created_at <= ? AND hidden_at IS NULL AND deleted_at IS NULL`,
		c.Since, c.Until).Rows()
	if err != nil {
		return nil, fmt.Errorf("load digest posts: %w", err)
	}
	for rows.Next() {
		var p DigestTopicPost
		var topicID int64
		if err := rows.Scan(&p.ID, &topicID, &p.AuthorID, &p.Number); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load digest posts: %w", err)
		}
		t := c.topics[topicID]
		if t == nil {
			t = &DigestTopic{ID: topicID}
			c.topics[topicID] = t
		}
		t.Posts++
		if p.Number == 1 {
			t.OpenerAuthor = p.AuthorID
		}
		t.LastPostID = max(t.LastPostID, p.ID)
		c.maxPost = max(c.maxPost, p.ID)
		c.watched[p.ID] = true
		t.Recent = append(t.Recent, p)
		if c.own[p.AuthorID] == nil {
			c.own[p.AuthorID] = map[int64]int{}
		}
		c.own[p.AuthorID][topicID]++
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("load digest posts: %w", err)
	}
	for _, t := range c.topics {
		slices.SortFunc(t.Recent, func(a, b DigestTopicPost) int { return b.Number - a.Number })
		if len(t.Recent) > corpusRecent {
			t.Recent = slices.Clip(t.Recent[:corpusRecent])
		}
	}
	ids := make([]int64, 0, len(c.topics))
	for id := range c.topics {
		ids = append(ids, id)
	}
	for chunk := range slices.Chunk(ids, maxBoundIDs) {
		var topics []struct {
			ID       int64
			BoardID  int64
			Title    string
			Slug     string
			OpenerID int64
			Visible  bool
		}
		err := s.db.WithContext(ctx).Raw(`SELECT t.id, t.board_id, t.title, t.slug, op.id AS opener_id,
				(op.hidden_at IS NULL AND op.deleted_at IS NULL) AS visible
			FROM topics t JOIN posts op ON op.topic_id = t.id AND op.number = 1
			WHERE t.id IN ?`, chunk).Scan(&topics).Error
		if err != nil {
			return nil, fmt.Errorf("load digest topics: %w", err)
		}
		for _, row := range topics {
			c.watched[row.OpenerID] = true
			if !row.Visible {
				continue
			}
			t := c.topics[row.ID]
			t.BoardID, t.Title, t.Slug = row.BoardID, row.Title, row.Slug
		}
	}
	for id, t := range c.topics {
		if t.BoardID == 0 { // opening post hidden or deleted, or the topic gone
			delete(c.topics, id)
		}
	}
	return c, nil
}

// DigestCorpusCurrent says whether a corpus still says what the database
// does: no post in it, nor the opening post of a topic in it, was hidden,
// deleted or edited since it was loaded, and none of its topics changed.
// Every such write queues a search outbox entry in its own transaction, so
// the entries after the corpus's position tell. New posts after the
// corpus's window leave it current.
func (s *Store) DigestCorpusCurrent(ctx context.Context, c *DigestCorpus) (bool, error) {
	c.mu.Lock()
	head := c.head
	c.mu.Unlock()
	for {
		entries, err := s.OutboxAfter(ctx, head, 500)
		if err != nil {
			return false, err
		}
		if len(entries) == 0 {
			break
		}
		for _, e := range entries {
			switch {
			case e.PostID == nil:
				if _, ok := c.topics[e.TopicID]; ok {
					return false, nil
				}
			case c.watched[*e.PostID]:
				return false, nil
			case *e.PostID <= c.maxPost:
				// A post of the window that was hidden when the corpus was
				// loaded may have been shown again; reload to include it.
				if _, ok := c.topics[e.TopicID]; ok {
					return false, nil
				}
			}
			head = e.ID
		}
	}
	c.mu.Lock()
	c.head = max(c.head, head)
	c.mu.Unlock()
	return true, nil
}
