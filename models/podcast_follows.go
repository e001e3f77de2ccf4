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
		ON CONFLICT (user_id, feed_id) DO NOTHING`, userID, feedID, nowUTC()).Error
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
