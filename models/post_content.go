package models

import (
	"context"

	"gorm.io/gorm"
)

// PostContent is what a member wrote in a post and what was read from it
// when it was saved, in one parse: the markdown, its sanitised HTML, its
// plain text, its links and mentions, and what the author confirmed
// identifies no patient. The composers build it with one helper
// (app/composer.go); NewTopic, NewReply and PostEdit carry it.
type PostContent struct {
	Source string // the markdown the member wrote
	Cooked string // the sanitised HTML of Source, rendered before the store sees it
	Plain  string // the words of Source, as search indexes and quotes them
	// Links are the post's links: they replace the post's old ones, and
	// the previews nobody has fetched yet are fetched in the background.
	Links []PostLink
	// Mentions are the usernames the post @mentions, to be notified. An
	// edit notifies no one.
	Mentions []string
	// PHIConfirmed is what the composer's identifier check flagged and
	// the author confirmed identifies no patient: JSON, or empty.
	PHIConfirmed string
	// Images are the new post's images, de-identified and their sizes
	// already in the blob store, in the order shown; an edit keeps the
	// post's images as they are.
	Images []PostImage
}

// Jobs queues the background work the store's writes ask for, inside the
// write's transaction, so the work exists exactly when the write commits.
// tx is the store bound to that transaction. The app gives the store its
// Jobs when it wires the site (SetJobs); a store without one records the
// write and queues nothing.
type Jobs interface {
	// PreviewLinks queues the fetch of the link previews with these ids.
	PreviewLinks(ctx context.Context, tx *Store, previewIDs []int64) error
}

// SetJobs gives the store the queue its writes put background work on.
// Call it before the store is used.
func (s *Store) SetJobs(jobs Jobs) { s.jobs = jobs }

// queuePreviews asks for the fetch of due previews inside the write's
// transaction tx.
func (s *Store) queuePreviews(ctx context.Context, tx *gorm.DB, due []int64) error {
	if len(due) == 0 || s.jobs == nil {
		return nil
	}
	bound, err := s.bound(tx)
	if err != nil {
		return err
	}
	return s.jobs.PreviewLinks(ctx, bound, due)
}
