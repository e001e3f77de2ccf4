package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PodcastFeed is a show members share episodes of, as its feed last read.
type PodcastFeed struct {
	ID          int64
	URL         string `gorm:"column:url"`
	Title       string
	Author      string
	Description string
	ImageURL    string `gorm:"column:image_url"`
	Link        string
	// ETag and LastModified are the validators of the last read, sent
	// back so an unchanged feed answers 304 and is not parsed again.
	ETag         string `gorm:"column:etag"`
	LastModified string
	// FetchedAt is the last read that worked; NextFetchAt when the feed is
	// due again (nil: at once). Failures counts reads that failed in a
	// row, and LastError says, in a member's words, why the last did.
	FetchedAt   *time.Time
	NextFetchAt *time.Time
	Failures    int
	LastError   string
	CreatedAt   time.Time
}

// PodcastEpisode is one episode of a show, or a lone audio file (FeedID
// nil) a member shared by its address.
type PodcastEpisode struct {
	ID              int64
	FeedID          *int64
	GUID            string `gorm:"column:guid"`
	Title           string
	Description     string // plain text
	Link            string
	ImageURL        string `gorm:"column:image_url"`
	PublishedAt     *time.Time
	DurationSeconds int
	AudioURL        string `gorm:"column:audio_url"`
	AudioType       string
	AudioLength     int64
	CreatedAt       time.Time
}

// Duration is how long the episode plays; zero when the feed did not say.
func (e *PodcastEpisode) Duration() time.Duration {
	return time.Duration(e.DurationSeconds) * time.Second
}

// SaveShow stores a show read from its feed and its episodes, in one
// transaction. The feed is matched by its address and each episode by its
// GUID within the feed, so re-reading a feed keeps their ids, and topics
// already made of an episode keep pointing at it. The episodes come back
// with their ids, in the order given; a GUID repeated in the feed is kept
// once.
func (s *Store) SaveShow(ctx context.Context, feed PodcastFeed, episodes []PodcastEpisode) (*PodcastFeed, []PodcastEpisode, error) {
	now := s.Now()
	feed.FetchedAt, feed.CreatedAt = &now, now
	var saved []PodcastEpisode
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO podcast_feeds (url, title, author, description, image_url, link, fetched_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET title = excluded.title, author = excluded.author,
				description = excluded.description, image_url = excluded.image_url, link = excluded.link,
				fetched_at = excluded.fetched_at, failures = 0, last_error = ''
			RETURNING id`,
			feed.URL, feed.Title, feed.Author, feed.Description, feed.ImageURL, feed.Link, now, now).Scan(&feed.ID).Error
		if err != nil {
			return fmt.Errorf("save feed: %w", err)
		}
		saved, err = saveEpisodes(tx, feed.ID, episodes, now)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("save show %s: %w", feed.URL, err)
	}
	return &feed, saved, nil
}

// saveEpisodes adds a feed's episodes or updates those it has, matched by
// GUID, and returns them with their ids in the order given; a GUID
// repeated is kept once.
func saveEpisodes(tx *gorm.DB, feedID int64, episodes []PodcastEpisode, now time.Time) ([]PodcastEpisode, error) {
	saved := make([]PodcastEpisode, 0, len(episodes))
	seen := make(map[string]bool, len(episodes))
	for _, ep := range episodes {
		if seen[ep.GUID] {
			continue
		}
		seen[ep.GUID] = true
		ep.FeedID, ep.CreatedAt = &feedID, now
		ep.PublishedAt = storeTimePtr(ep.PublishedAt)
		err := tx.Raw(`INSERT INTO podcast_episodes (feed_id, guid, title, description, link, image_url,
				published_at, duration_seconds, audio_url, audio_type, audio_length, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (feed_id, guid) DO UPDATE SET title = excluded.title, description = excluded.description,
				link = excluded.link, image_url = excluded.image_url, published_at = excluded.published_at,
				duration_seconds = excluded.duration_seconds, audio_url = excluded.audio_url,
				audio_type = excluded.audio_type, audio_length = excluded.audio_length
			RETURNING id`,
			feedID, ep.GUID, ep.Title, ep.Description, ep.Link, ep.ImageURL, ep.PublishedAt,
			ep.DurationSeconds, ep.AudioURL, ep.AudioType, ep.AudioLength, now).Scan(&ep.ID).Error
		if err != nil {
			return nil, fmt.Errorf("save episode %q: %w", ep.GUID, err)
		}
		saved = append(saved, ep)
	}
	return saved, nil
}

// SaveLoneEpisode stores an audio file shared by its address, with no feed
// behind it. The same address shared again is the same episode.
func (s *Store) SaveLoneEpisode(ctx context.Context, ep PodcastEpisode) (*PodcastEpisode, error) {
	var existing PodcastEpisode
	err := s.db.WithContext(ctx).Where("feed_id IS NULL AND audio_url = ?", ep.AudioURL).Order("id").Take(&existing).Error
	if err == nil {
		return &existing, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find audio %s: %w", ep.AudioURL, err)
	}
	ep.ID, ep.FeedID, ep.CreatedAt = 0, nil, s.Now()
	ep.PublishedAt = storeTimePtr(ep.PublishedAt)
	if ep.GUID == "" {
		ep.GUID = ep.AudioURL
	}
	if err := s.db.WithContext(ctx).Create(&ep).Error; err != nil {
		return nil, fmt.Errorf("save audio %s: %w", ep.AudioURL, err)
	}
	return &ep, nil
}

// EpisodesAt lists what a shared address offers: the episodes of the feed
// stored under that address, newest first (undated ones last), or the lone
// audio file stored under it. It is empty when nothing was saved there.
func (s *Store) EpisodesAt(ctx context.Context, address string) (*PodcastFeed, []PodcastEpisode, error) {
	db := s.db.WithContext(ctx)
	var feed PodcastFeed
	err := db.Where("url = ?", address).Take(&feed).Error
	var episodes []PodcastEpisode
	switch {
	case err == nil:
		err = db.Where("feed_id = ?", feed.ID).
			Order("CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at DESC, id").Find(&episodes).Error
		if err != nil {
			return nil, nil, fmt.Errorf("episodes of feed %d: %w", feed.ID, err)
		}
		return &feed, episodes, nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		err = db.Where("feed_id IS NULL AND audio_url = ?", address).Order("id").Limit(1).Find(&episodes).Error
		if err != nil {
			return nil, nil, fmt.Errorf("audio at %s: %w", address, err)
		}
		return nil, episodes, nil
	default:
		return nil, nil, fmt.Errorf("feed at %s: %w", address, err)
	}
}

// TopicEpisode is the episode a podcast topic discusses, with its show.
type TopicEpisode struct {
	PodcastEpisode
	ShowTitle    string
	ShowAuthor   string
	ShowImageURL string
	ShowLink     string
	// How the show's feed fares in the background: the last read that
	// worked, the reads that failed since and why the last one did.
	FeedFetchedAt   *time.Time
	FeedNextFetchAt *time.Time
	FeedFailures    int
	FeedLastError   string
}

// EpisodeOfTopic loads the episode a podcast topic discusses; ErrNotFound
// when the topic has none.
func (s *Store) EpisodeOfTopic(ctx context.Context, topicID int64) (*TopicEpisode, error) {
	var found []TopicEpisode
	err := s.db.WithContext(ctx).Table("topic_episodes te").
		Select(`e.*, COALESCE(f.title, '') AS show_title, COALESCE(f.author, '') AS show_author,
			COALESCE(f.image_url, '') AS show_image_url, COALESCE(f.link, '') AS show_link,
			f.fetched_at AS feed_fetched_at, f.next_fetch_at AS feed_next_fetch_at,
			COALESCE(f.failures, 0) AS feed_failures, COALESCE(f.last_error, '') AS feed_last_error`).
		Joins("JOIN podcast_episodes e ON e.id = te.episode_id").
		Joins("LEFT JOIN podcast_feeds f ON f.id = e.feed_id").
		Where("te.topic_id = ?", topicID).Limit(1).Scan(&found).Error
	if err != nil {
		return nil, fmt.Errorf("episode of topic %d: %w", topicID, err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("episode of topic %d: %w", topicID, ErrNotFound)
	}
	return &found[0], nil
}

func storeTimePtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	st := storeTime(*t)
	return &st
}
