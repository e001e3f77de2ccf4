package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// A poll asks "What would you do?" under a post: 2 to 10 options, one or
// several chosen, perhaps until a closing time.
const (
	PollMinOptions = 2
	PollMaxOptions = 10
)

// Why a poll or a vote is refused. A missing poll is ErrNotFound.
var (
	ErrPollExists    = errors.New("the post has a poll already")
	ErrNotPostAuthor = errors.New("only the post's author adds its poll")
	ErrPollClosed    = errors.New("the poll is closed")
	ErrInvalidVote   = errors.New("not a valid choice in this poll")
	ErrInvalidPoll   = errors.New("invalid poll")
)

// NewPoll is a poll as its author writes it.
type NewPoll struct {
	PostID   int64
	AuthorID int64
	Question string
	Options  []string
	Multiple bool
	ClosesAt *time.Time
}

// CreatePoll adds a poll to a post by its author: a post not deleted or
// hidden, with no poll yet. The app checks the text; the store refuses a
// poll with too few or too many options.
func (s *Store) CreatePoll(ctx context.Context, np NewPoll) (int64, error) {
	if np.Question == "" || len(np.Options) < PollMinOptions || len(np.Options) > PollMaxOptions {
		return 0, fmt.Errorf("poll on post %d: %w", np.PostID, ErrInvalidPoll)
	}
	now := s.Now()
	var pollID int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Select("id", "author_id", "deleted_at", "hidden_at").Take(&post, np.PostID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load post %d", np.PostID))
		}
		if post.AuthorID != np.AuthorID || post.IsDeleted() || post.IsHidden() {
			return ErrNotPostAuthor
		}
		var closes *time.Time
		if np.ClosesAt != nil {
			t := storeTime(*np.ClosesAt)
			closes = &t
		}
		res := tx.Exec(`INSERT INTO polls (post_id, question, multiple, closes_at, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (post_id) DO NOTHING`, np.PostID, np.Question, np.Multiple, closes, now)
		if res.Error != nil {
			return fmt.Errorf("insert poll: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrPollExists
		}
		if err := tx.Raw(`SELECT id FROM polls WHERE post_id = ?`, np.PostID).Scan(&pollID).Error; err != nil {
			return fmt.Errorf("read poll back: %w", err)
		}
		if err := tx.Exec(`UPDATE topics SET has_polls = TRUE WHERE id = (SELECT topic_id FROM posts WHERE id = ?)`,
			np.PostID).Error; err != nil {
			return fmt.Errorf("note the topic's poll: %w", err)
		}
		for i, label := range np.Options {
			if err := tx.Exec(`INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)`, pollID, i+1, label).Error; err != nil {
				return fmt.Errorf("insert poll option: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add a poll to post %d: %w", np.PostID, err)
	}
	return pollID, nil
}

// PollOption is one choice of a poll with its votes, and whether the
// viewer chose it.
type PollOption struct {
	ID    int64
	Label string
	Votes int
	Mine  bool
}

// Poll is a post's poll as one member sees it: the counts of every option
// (never who voted), their own choices, and whether it is closed.
type Poll struct {
	ID       int64
	PostID   int64
	Question string
	Multiple bool
	ClosesAt *time.Time
	Closed   bool
	Options  []PollOption `gorm:"-"`
	// Voters counts the members who voted; Voted says the viewer is one.
	Voters int  `gorm:"-"`
	Voted  bool `gorm:"-"`
}

// PollsOn loads the polls of the given posts as viewerID sees them, by
// post id. Which posts the viewer may read is the caller's to decide.
func (s *Store) PollsOn(ctx context.Context, viewerID int64, postIDs []int64) (map[int64]*Poll, error) {
	out := map[int64]*Poll{}
	if len(postIDs) == 0 {
		return out, nil
	}
	db := s.db.WithContext(ctx)
	var polls []Poll
	if err := db.Raw(`SELECT id, post_id, question, multiple, closes_at FROM polls WHERE post_id IN ?`, postIDs).
		Scan(&polls).Error; err != nil {
		return nil, fmt.Errorf("load polls: %w", err)
	}
	if len(polls) == 0 {
		return out, nil
	}
	now := s.Now()
	byID := map[int64]*Poll{}
	ids := make([]int64, 0, len(polls))
	for i := range polls {
		p := &polls[i]
		if p.ClosesAt != nil {
			t := p.ClosesAt.UTC()
			p.ClosesAt, p.Closed = &t, !now.Before(t)
		}
		out[p.PostID], byID[p.ID] = p, p
		ids = append(ids, p.ID)
	}
	var options []struct {
		ID, PollID int64
		Label      string
		Votes      int
		Mine       int
	}
	err := db.Raw(`SELECT o.id, o.poll_id, o.label, COUNT(v.user_id) AS votes,
			MAX(CASE WHEN v.user_id = ? THEN 1 ELSE 0 END) AS mine
		FROM poll_options o LEFT JOIN poll_votes v ON v.option_id = o.id
		WHERE o.poll_id IN ? GROUP BY o.id, o.poll_id, o.label, o.position ORDER BY o.poll_id, o.position`,
		viewerID, ids).Scan(&options).Error
	if err != nil {
		return nil, fmt.Errorf("count poll votes: %w", err)
	}
	for _, o := range options {
		p := byID[o.PollID]
		p.Options = append(p.Options, PollOption{ID: o.ID, Label: o.Label, Votes: o.Votes, Mine: o.Mine == 1})
		p.Voted = p.Voted || o.Mine == 1
	}
	var voters []struct {
		PollID int64
		N      int
	}
	if err := db.Raw(`SELECT poll_id, COUNT(DISTINCT user_id) AS n FROM poll_votes WHERE poll_id IN ? GROUP BY poll_id`, ids).
		Scan(&voters).Error; err != nil {
		return nil, fmt.Errorf("count poll voters: %w", err)
	}
	for _, v := range voters {
		byID[v.PollID].Voters = v.N
	}
	return out, nil
}

// Vote records a member's choice in the poll of a post, in place of any
// they made before: exactly one option of a single-choice poll, one or
// more of a multiple-choice one, until the poll closes. Whether the member
// may read the post is the caller's to check.
func (s *Store) Vote(ctx context.Context, postID, userID int64, optionIDs []int64) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var poll struct {
			ID       int64
			Multiple bool
			ClosesAt *time.Time
		}
		if err := tx.Raw(`SELECT id, multiple, closes_at FROM polls WHERE post_id = ?`, postID).Scan(&poll).Error; err != nil {
			return fmt.Errorf("load poll: %w", err)
		}
		if poll.ID == 0 {
			return ErrNotFound
		}
		if poll.ClosesAt != nil && !now.Before(*poll.ClosesAt) {
			return ErrPollClosed
		}
		chosen := slices.Compact(slices.Sorted(slices.Values(optionIDs)))
		if len(chosen) == 0 || (!poll.Multiple && len(chosen) > 1) {
			return ErrInvalidVote
		}
		var n int64
		if err := tx.Raw(`SELECT COUNT(*) FROM poll_options WHERE poll_id = ? AND id IN ?`, poll.ID, chosen).Scan(&n).Error; err != nil {
			return fmt.Errorf("check choices: %w", err)
		}
		if int(n) != len(chosen) {
			return ErrInvalidVote
		}
		if err := tx.Exec(`DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ?`, poll.ID, userID).Error; err != nil {
			return fmt.Errorf("take back earlier vote: %w", err)
		}
		for _, id := range chosen {
			if err := tx.Exec(`INSERT INTO poll_votes (poll_id, option_id, user_id, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`,
				poll.ID, id, userID, now).Error; err != nil {
				return fmt.Errorf("record vote: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("vote in the poll of post %d: %w", postID, err)
	}
	return nil
}
