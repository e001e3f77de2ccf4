package models

import (
	"context"
	"fmt"
	"time"
)

// PodcastFollow is a member following a show, to be offered its new
// episodes.
type PodcastFollow struct {
	UserID    int64
	FeedID    int64
	CreatedAt time.Time
}

// FollowShow has a member follow a show; following it again changes
// nothing, so the date they first followed it stays.
func (s *Store) FollowShow(ctx context.Context, userID, feedID int64) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO podcast_follows (user_id, feed_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, feed_id) DO NOTHING`, userID, feedID, s.Now()).Error
	if err != nil {
		return fmt.Errorf("member %d follows feed %d: %w", userID, feedID, err)
	}
	return nil
}

// UnfollowShow has a member stop following a show.
func (s *Store) UnfollowShow(ctx context.Context, userID, feedID int64) error {
	err := s.db.WithContext(ctx).Exec(`DELETE FROM podcast_follows WHERE user_id = ? AND feed_id = ?`, userID, feedID).Error
	if err != nil {
		return fmt.Errorf("member %d unfollows feed %d: %w", userID, feedID, err)
	}
	return nil
}

// FollowsShow says whether a member follows a show.
func (s *Store) FollowsShow(ctx context.Context, userID, feedID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("podcast_follows").Where("user_id = ? AND feed_id = ?", userID, feedID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("does member %d follow feed %d: %w", userID, feedID, err)
	}
	return n > 0, nil
}

// ShowReadableBy says whether a member may see a show: a topic in a board
// they can read discusses one of its episodes, or they already follow it.
// A show shared only in a board closed to them stays unknown to them.
func (s *Store) ShowReadableBy(ctx context.Context, u *User, feedID int64) (bool, error) {
	cond, args := readable(u)
	var n int64
	err := s.db.WithContext(ctx).Table("podcast_feeds f").Where("f.id = ?", feedID).
		Where(`(EXISTS (SELECT 1 FROM podcast_follows pf WHERE pf.feed_id = f.id AND pf.user_id = ?)
			OR EXISTS (SELECT 1 FROM podcast_episodes e JOIN topic_episodes te ON te.episode_id = e.id
				JOIN topics t ON t.id = te.topic_id JOIN boards b ON b.id = t.board_id
				WHERE e.feed_id = f.id AND `+cond+`))`, append([]any{u.ID}, args...)...).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("may member %d see feed %d: %w", u.ID, feedID, err)
	}
	return n > 0, nil
}

// EpisodesDiscussed says whether any topic discusses one of the episodes.
// A show no topic discusses was only read for a link nobody has posted
// yet: it holds what any member pasting that address would read.
func (s *Store) EpisodesDiscussed(ctx context.Context, episodeIDs []int64) (bool, error) {
	if len(episodeIDs) == 0 {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Table("topic_episodes").Where("episode_id IN ?", episodeIDs).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("are episodes discussed: %w", err)
	}
	return n > 0, nil
}

// FollowedShow is a show a member follows, with the episodes to offer them.
type FollowedShow struct {
	PodcastFeed
	FollowedAt time.Time
	Episodes   []PodcastEpisode `gorm:"-"`
	// SinceFollowed says the episodes came out after the member followed
	// the show; otherwise none did, and they are its newest.
	SinceFollowed bool `gorm:"-"`
}

// maxFollowedShows bounds the list of a member's shows.
const maxFollowedShows = 100

// FollowedShows lists the shows a member follows, by title, each with up to
// since of the episodes that came out after they followed it, newest first,
// or, when none did, its newest few.
func (s *Store) FollowedShows(ctx context.Context, userID int64, since, newest int) ([]FollowedShow, error) {
	db := s.db.WithContext(ctx)
	var shows []FollowedShow
	err := db.Table("podcast_follows pf").Select("f.*, pf.created_at AS followed_at").
		Joins("JOIN podcast_feeds f ON f.id = pf.feed_id").Where("pf.user_id = ?", userID).
		Order("LOWER(f.title), f.id").Limit(maxFollowedShows).Scan(&shows).Error
	if err != nil {
		return nil, fmt.Errorf("shows member %d follows: %w", userID, err)
	}
	// One query per show: a member follows a handful, and each list is
	// cut at its own length.
	order := "CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at DESC, id DESC"
	for i := range shows {
		sh := &shows[i]
		err := db.Where("feed_id = ? AND COALESCE(published_at, created_at) > ?", sh.ID, sh.FollowedAt).
			Order(order).Limit(since).Find(&sh.Episodes).Error
		if err != nil {
			return nil, fmt.Errorf("new episodes of feed %d: %w", sh.ID, err)
		}
		sh.SinceFollowed = len(sh.Episodes) > 0
		if sh.SinceFollowed {
			continue
		}
		if err := db.Where("feed_id = ?", sh.ID).Order(order).Limit(newest).Find(&sh.Episodes).Error; err != nil {
			return nil, fmt.Errorf("newest episodes of feed %d: %w", sh.ID, err)
		}
	}
	return shows, nil
}

// EpisodeTopic is a topic that discusses an episode.
type EpisodeTopic struct {
	EpisodeID  int64
	TopicID    int64
	Slug       string
	Title      string
	BoardTitle string
}

// EpisodeTopics finds the topics that discuss the given episodes, oldest
// first, among the boards the member may read only: a topic in a board
// closed to them is never named.
func (s *Store) EpisodeTopics(ctx context.Context, u *User, episodeIDs []int64) (map[int64][]EpisodeTopic, error) {
	out := make(map[int64][]EpisodeTopic)
	if len(episodeIDs) == 0 {
		return out, nil
	}
	cond, args := readable(u)
	var rows []EpisodeTopic
	q := s.db.WithContext(ctx).Table("topic_episodes te").
		Select("te.episode_id, t.id AS topic_id, t.slug, t.title, b.title AS board_title").
		Joins("JOIN topics t ON t.id = te.topic_id").Joins("JOIN boards b ON b.id = t.board_id").
		Joins(openingPostJoin(s.engine)).
		Where("te.episode_id IN ?", episodeIDs).Where(cond, args...)
	if !seesHidden(u) {
		q = q.Where(openerShown)
	}
	err := q.Order("t.created_at, t.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("topics on episodes for member %d: %w", u.ID, err)
	}
	for _, r := range rows {
		out[r.EpisodeID] = append(out[r.EpisodeID], r)
	}
	return out, nil
}

// BoardsToPostIn lists the boards a member may open topics on, in display
// order: readable, open to their posts, and not archived.
func (s *Store) BoardsToPostIn(ctx context.Context, u *User) ([]Board, error) {
	rcond, rargs := readable(u)
	pcond, pargs := permitted("can_post", u)
	var boards []Board
	err := s.db.WithContext(ctx).Table("boards b").Select("b.*").
		Where("NOT b.archived").Where(rcond, rargs...).Where(pcond, pargs...).
		Order("b.position, b.title").Find(&boards).Error
	if err != nil {
		return nil, fmt.Errorf("boards member %d may post in: %w", u.ID, err)
	}
	return boards, nil
}

// PodcastEpisodeByID loads an episode.
func (s *Store) PodcastEpisodeByID(ctx context.Context, id int64) (*PodcastEpisode, error) {
	var ep PodcastEpisode
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&ep).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("podcast episode %d", id))
	}
	return &ep, nil
}
