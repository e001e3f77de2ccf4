package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DueFeeds lists the feeds to read again now: those whose next read is due
// (or was never set) and whose show still matters to someone, because a
// topic discusses one of its episodes or a member follows it. Feeds never
// read come first, then the longest overdue.
func (s *Store) DueFeeds(ctx context.Context, now time.Time, limit int) ([]PodcastFeed, error) {
	var feeds []PodcastFeed
	err := s.db.WithContext(ctx).Table("podcast_feeds f").Select("f.*").
		Where(`(f.next_fetch_at IS NULL OR f.next_fetch_at <= ?)
			AND (EXISTS (SELECT 1 FROM podcast_episodes e JOIN topic_episodes te ON te.episode_id = e.id WHERE e.feed_id = f.id)
				OR EXISTS (SELECT 1 FROM podcast_follows pf WHERE pf.feed_id = f.id))`, storeTime(now)).
		Order("CASE WHEN f.next_fetch_at IS NULL THEN 0 ELSE 1 END, f.next_fetch_at, f.id").
		Limit(limit).Scan(&feeds).Error
	if err != nil {
		return nil, fmt.Errorf("list feeds due: %w", err)
	}
	return feeds, nil
}

// FeedRead is what a background read of a feed found.
type FeedRead struct {
	// Show is the feed as it now describes itself; nil when the site said
	// it had not changed since the last read.
	Show     *PodcastFeed
	Episodes []PodcastEpisode
	// ETag and LastModified are the validators the site sent; when both
	// are empty the ones kept from before stay.
	ETag, LastModified string
	At, Next           time.Time
}

// SaveFeedRead records a read of a feed that worked: its show and episodes
// (new ones added, known ones updated by GUID), the validators, when it was
// read and when it is due again; its run of failures ends. It returns how
// many episodes were new.
func (s *Store) SaveFeedRead(ctx context.Context, feedID int64, r FeedRead) (int, error) {
	at, next := storeTime(r.At), storeTime(r.Next)
	added := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		set := map[string]any{"fetched_at": at, "next_fetch_at": next, "failures": 0, "last_error": ""}
		if r.ETag != "" || r.LastModified != "" {
			set["etag"], set["last_modified"] = r.ETag, r.LastModified
		}
		if r.Show != nil {
			set["title"], set["author"], set["description"] = r.Show.Title, r.Show.Author, r.Show.Description
			set["image_url"], set["link"] = r.Show.ImageURL, r.Show.Link
		}
		res := tx.Table("podcast_feeds").Where("id = ?", feedID).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("update feed: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if len(r.Episodes) == 0 {
			return nil
		}
		var before, after int64
		if err := tx.Table("podcast_episodes").Where("feed_id = ?", feedID).Count(&before).Error; err != nil {
			return fmt.Errorf("count episodes: %w", err)
		}
		if _, err := saveEpisodes(tx, feedID, r.Episodes, at); err != nil {
			return err
		}
		if err := tx.Table("podcast_episodes").Where("feed_id = ?", feedID).Count(&after).Error; err != nil {
			return fmt.Errorf("count episodes: %w", err)
		}
		added = int(after - before)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save read of feed %d: %w", feedID, err)
	}
	return added, nil
}

// SaveFeedFailure records a read of a feed that failed: failures is the
// length of the run of failures it now ends, message why (in words fit for
// the member who shared the show), next when to try again. What was read
// before is kept.
func (s *Store) SaveFeedFailure(ctx context.Context, feedID int64, failures int, message string, next time.Time) error {
	err := s.db.WithContext(ctx).Table("podcast_feeds").Where("id = ?", feedID).
		Updates(map[string]any{"failures": failures, "last_error": message, "next_fetch_at": storeTime(next)}).Error
	if err != nil {
		return fmt.Errorf("save failed read of feed %d: %w", feedID, err)
	}
	return nil
}

// PodcastFeedByID loads a feed.
func (s *Store) PodcastFeedByID(ctx context.Context, id int64) (*PodcastFeed, error) {
	var feed PodcastFeed
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&feed).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("podcast feed %d", id))
	}
	return &feed, nil
}
