package models

import (
	"context"
	"fmt"
	"time"
)

// BoardEpisode is a podcast topic of a board with the episode it
// discusses, as the board's podcast feed lists it.
type BoardEpisode struct {
	TopicID         int64
	TopicSlug       string
	TopicTitle      string
	TopicCreatedAt  time.Time
	EpisodeID       int64
	Title           string
	Description     string
	Link            string
	ImageURL        string
	PublishedAt     *time.Time
	DurationSeconds int
	AudioURL        string
	AudioType       string
	AudioLength     int64
	ShowTitle       string
	ShowAuthor      string
	ShowImageURL    string
}

// Duration is how long the episode plays; zero when its feed did not say.
func (e *BoardEpisode) Duration() time.Duration {
	return time.Duration(e.DurationSeconds) * time.Second
}

// BoardEpisodes lists the podcast topics of a board, newest first, each
// with its episode and show.
func (s *Store) BoardEpisodes(ctx context.Context, boardID int64, limit int) ([]BoardEpisode, error) {
	var out []BoardEpisode
	err := s.db.WithContext(ctx).Table("topics t").
		Select(`t.id AS topic_id, t.slug AS topic_slug, t.title AS topic_title, t.created_at AS topic_created_at,
			e.id AS episode_id, e.title, e.description, e.link, e.image_url, e.published_at, e.duration_seconds,
			e.audio_url, e.audio_type, e.audio_length,
			COALESCE(f.title, '') AS show_title, COALESCE(f.author, '') AS show_author,
			COALESCE(f.image_url, '') AS show_image_url`).
		Joins("JOIN topic_episodes te ON te.topic_id = t.id").
		Joins("JOIN podcast_episodes e ON e.id = te.episode_id").
		Joins("LEFT JOIN podcast_feeds f ON f.id = e.feed_id").
		Joins(openingPostJoin(s.engine)).
		Where("t.board_id = ? AND t.kind = ?", boardID, KindPodcast).Where(openerShown).
		Order("t.created_at DESC, t.id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("podcast topics of board %d: %w", boardID, err)
	}
	return out, nil
}
