package models

import (
	"context"
	"fmt"
)

// DigestCandidate is a topic of a corpus that a member may read, with the
// facts a digest's choice needs: how they follow it and how many of its
// new posts are theirs. Which candidates a digest carries, in what order,
// is app/digest's choice.
type DigestCandidate struct {
	// Topic is the corpus's, shared with every member's candidates.
	Topic *DigestTopic
	// Board is the topic's board as the member may read it.
	Board *DigestBoard
	// Level is the member's subscription to the topic, else to its board,
	// LevelDefault when they have neither.
	Level SubscriptionLevel
	// OwnPosts counts the member's own posts among Topic.Posts.
	OwnPosts int
}

// DigestCandidates lists the topics of a corpus that member m may read
// now, by the rules every page applies, in no particular order: none to a
// member who is not verified (suspended, rejected, pending); only boards
// they may read now; no hidden or deleted post, and no topic whose
// opening post is hidden or deleted. Check the corpus with
// DigestCorpusCurrent first when it was loaded a while ago.
func (s *Store) DigestCandidates(ctx context.Context, c *DigestCorpus, m *DigestMember) ([]DigestCandidate, error) {
	u := &m.User
	if !u.IsVerified() || len(c.topics) == 0 {
		return nil, nil
	}
	boards, err := s.readableBoards(ctx, u)
	if err != nil {
		return nil, err
	}
	var subs []struct {
		BoardID *int64
		TopicID *int64
		Level   string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT board_id, topic_id, level FROM subscriptions WHERE user_id = ?`,
		u.ID).Scan(&subs).Error; err != nil {
		return nil, fmt.Errorf("read member %d's subscriptions: %w", u.ID, err)
	}
	boardLevel, topicLevel := map[int64]SubscriptionLevel{}, map[int64]SubscriptionLevel{}
	for _, sub := range subs {
		if sub.BoardID != nil {
			boardLevel[*sub.BoardID] = SubscriptionLevel(sub.Level)
		}
		if sub.TopicID != nil {
			topicLevel[*sub.TopicID] = SubscriptionLevel(sub.Level)
		}
	}
	own := c.own[u.ID]
	out := make([]DigestCandidate, 0, len(c.topics))
	for _, t := range c.topics {
		b, ok := boards[t.BoardID]
		if !ok {
			continue
		}
		level, ok := topicLevel[t.ID]
		if !ok {
			level, ok = boardLevel[t.BoardID]
		}
		if !ok {
			level = LevelDefault
		}
		out = append(out, DigestCandidate{Topic: t, Board: b, Level: level, OwnPosts: own[t.ID]})
	}
	return out, nil
}

// DigestPostText is a post as a digest shows it: its HTML and its
// author's name, or the anonymous label of an anonymous post.
type DigestPostText struct {
	Cooked string
	Author string
}

// DigestPostTexts returns the text and author of posts of a corpus, from
// the corpus when an earlier digest read them, else from the database. A
// post hidden or deleted meanwhile is left out.
func (s *Store) DigestPostTexts(ctx context.Context, c *DigestCorpus, ids []int64) (map[int64]DigestPostText, error) {
	out := make(map[int64]DigestPostText, len(ids))
	var missing []int64
	c.mu.Lock()
	for _, id := range ids {
		if t, ok := c.text[id]; ok {
			out[id] = t
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64
		Cooked      string
		Anonymous   bool
		AnonymousAs string
		Name        string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT p.id, p.cooked, p.anonymous, p.anonymous_as,
			`+shownAuthor("p", "u.display_name")+` AS name
		FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.id IN ? AND p.hidden_at IS NULL AND p.deleted_at IS NULL`, missing).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load digest posts' text: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range rows {
		t := DigestPostText{Cooked: r.Cooked, Author: r.Name}
		if r.Anonymous {
			t.Author = AnonymousAuthor(r.AnonymousAs)
		}
		c.text[r.ID] = t
		out[r.ID] = t
	}
	return out, nil
}

// DigestBoard is a board a member may read, as a digest names it.
type DigestBoard struct {
	ID          int64
	Slug        string
	Title       string
	EmailPolicy EmailPolicy
}

// readableBoards lists the boards a member may read now, by the rules
// every page applies, with their email policies.
func (s *Store) readableBoards(ctx context.Context, u *User) (map[int64]*DigestBoard, error) {
	cond, args := readable(u)
	var rows []DigestBoard
	err := s.db.WithContext(ctx).Table("boards b").Select("b.id, b.slug, b.title, b.email_policy").
		Where(cond, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list boards member %d may read: %w", u.ID, err)
	}
	out := make(map[int64]*DigestBoard, len(rows))
	for i := range rows {
		b := &rows[i]
		if !b.EmailPolicy.Valid() {
			b.EmailPolicy = EmailCounts // the strictest, should a policy ever be unknown
		}
		out[b.ID] = b
	}
	return out, nil
}
