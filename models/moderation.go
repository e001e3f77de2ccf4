package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ModeratorDeletePost turns another member's post into a tombstone for a
// reason, closing its reports. Its revisions stay for the moderators.
func (s *Store) ModeratorDeletePost(ctx context.Context, postID, moderatorID int64, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		deleted, err := tombstone(tx, &post, moderatorID, now)
		if err != nil {
			return err
		}
		resolved, err := resolveFlags(tx, postID, moderatorID, "deleted", now)
		if err != nil {
			return err
		}
		if !deleted && resolved == 0 {
			return nil
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "post.delete",
			SubjectType: "post", SubjectID: postID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("delete post %d: %w", postID, err)
	}
	return nil
}

// PurgeResult says what a purge removed.
type PurgeResult struct {
	TopicID int64
	BoardID int64
	// TopicPurged says the post opened its topic, so the whole topic went.
	TopicPurged bool
	// Images are the names of the purged posts' images, whose blobs the
	// caller deletes now that no post refers to them (ImageBlobPrefix).
	Images []string
	Posts  int
}

// PurgePost removes a post as if it had never been written: the post, its
// revisions, its reports, its notifications, its links and the previews
// no other post shares, and (through the search outbox) its search entry.
// Purging a topic's opening post purges the whole topic, whose title and
// replies cannot stand without it. Only the audit entry remains, naming
// the post and the reason, never the content.
func (s *Store) PurgePost(ctx context.Context, postID, moderatorID int64, reason string) (PurgeResult, error) {
	now := s.Now()
	var out PurgeResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		if err := lockTopic(tx, "?", post.TopicID); err != nil {
			return err
		}
		var topic Topic
		if err := tx.Take(&topic, post.TopicID).Error; err != nil {
			return notFound(err, "load topic")
		}
		out = PurgeResult{TopicID: topic.ID, BoardID: topic.BoardID, TopicPurged: post.Number == 1}
		ids := []int64{post.ID}
		if out.TopicPurged {
			if err := tx.Model(&Post{}).Where("topic_id = ?", topic.ID).Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("list the topic's posts: %w", err)
			}
		}
		out.Posts = len(ids)
		var previews []int64
		if err := tx.Table("post_links").Where("post_id IN ?", ids).Distinct().Pluck("preview_id", &previews).Error; err != nil {
			return fmt.Errorf("list the posts' links: %w", err)
		}
		images, err := imageNamesOf(tx, ids)
		if err != nil {
			return err
		}
		out.Images = images
		// The reports go with the post, but what they achieved stays in
		// their authors' records: a purge upholds them. Reports on the
		// replies a purged topic takes along were never judged.
		reporters, err := openPHIReporters(tx, post.ID)
		if err != nil {
			return err
		}
		if err := countOutcomes(tx, reporters, "purged"); err != nil {
			return err
		}
		// Revisions, reports, links and notifications go with their post
		// (the schema cascades); deleting them here first keeps a purge
		// whole even where a connection runs without foreign keys.
		// What the purged posts added to their authors' profiles goes with
		// them.
		purge := func() error {
			for _, stmt := range []string{
				`DELETE FROM post_revisions WHERE post_id IN ?`,
				`DELETE FROM flags WHERE post_id IN ?`,
				`DELETE FROM post_links WHERE post_id IN ?`,
				`DELETE FROM notifications WHERE post_id IN ?`,
				`DELETE FROM post_images WHERE post_id IN ?`,
				`UPDATE member_warnings SET post_id = NULL WHERE post_id IN ?`,
				`UPDATE topics SET answer_post_id = NULL WHERE answer_post_id IN ?`,
				`DELETE FROM posts WHERE id IN ?`,
			} {
				if err := tx.Exec(stmt, ids).Error; err != nil {
					return fmt.Errorf("purge posts: %w", err)
				}
			}
			if out.TopicPurged {
				// Tags, case summary, episode, subscriptions and notifications
				// cascade from the topic; members' reading positions too, but
				// they are many, and go first as the posts above do.
				if err := tx.Exec(`DELETE FROM topic_reads WHERE topic_id = ?`, topic.ID).Error; err != nil {
					return fmt.Errorf("purge reading positions: %w", err)
				}
				if err := tx.Exec(`DELETE FROM topics WHERE id = ?`, topic.ID).Error; err != nil {
					return fmt.Errorf("purge topic: %w", err)
				}
			} else if err := tx.Exec(`UPDATE topics SET purged_count = purged_count + 1 WHERE id = ?`, topic.ID).Error; err != nil {
				return fmt.Errorf("count the topic's posts: %w", err)
			}
			return nil
		}
		if out.TopicPurged {
			err = recountTopic(tx, topic.ID, purge)
		} else {
			err = recountPost(tx, post.ID, purge)
		}
		if err != nil {
			return err
		}
		topics := 0
		if out.TopicPurged {
			topics = 1
		}
		err = tx.Exec(`UPDATE boards SET topic_count = topic_count - ?, post_count = post_count - ? WHERE id = ?`,
			topics, len(ids), topic.BoardID).Error
		if err != nil {
			return fmt.Errorf("count the board's posts: %w", err)
		}
		if len(previews) > 0 {
			err := tx.Exec(`DELETE FROM link_previews WHERE id IN ?
				AND NOT EXISTS (SELECT 1 FROM post_links l WHERE l.preview_id = link_previews.id)`, previews).Error
			if err != nil {
				return fmt.Errorf("purge link previews: %w", err)
			}
		}
		event := AuditEvent{ActorID: &moderatorID, Action: "post.purge", SubjectType: "post", SubjectID: post.ID,
			Reason: reason, CreatedAt: now}
		queued := post.ID
		if out.TopicPurged {
			event.Action, event.SubjectType, event.SubjectID, queued = "topic.purge", "topic", topic.ID, 0
		}
		if topic.AnswerPostID != nil && *topic.AnswerPostID == post.ID {
			queued = 0 // the topic is no longer answered, in all its posts
		}
		if err := queueSearch(tx, topic.ID, queued); err != nil {
			return err
		}
		return recordAudit(tx, &event)
	})
	if err != nil {
		return PurgeResult{}, fmt.Errorf("purge post %d: %w", postID, err)
	}
	return out, nil
}

// redactEarlierVersions erases the text of every version of a post before
// current, after a moderator edited identifiers out of it: the versions
// stay in the history, marked, without what they said.
func redactEarlierVersions(tx *gorm.DB, postID int64, current int, moderatorID int64, reason string) error {
	now := tx.NowFunc()
	err := tx.Exec(`UPDATE post_revisions SET source = '', title = '', redacted_at = ?
		WHERE post_id = ? AND version < ? AND redacted_at IS NULL`, now, postID, current).Error
	if err != nil {
		return fmt.Errorf("redact earlier versions: %w", err)
	}
	// Edited clean, the post needs no longer be hidden.
	err = recountShown(tx, postID, func() error {
		return tx.Exec(`UPDATE posts SET hidden_at = NULL, hidden_by_id = NULL, hidden_reason = ''
			WHERE id = ? AND hidden_at IS NOT NULL`, postID).Error
	})
	if err != nil {
		return fmt.Errorf("show post again: %w", err)
	}
	if _, err := resolveFlags(tx, postID, moderatorID, "edited", now); err != nil {
		return err
	}
	return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "post.redact",
		SubjectType: "post", SubjectID: postID, Reason: reason, CreatedAt: now})
}
