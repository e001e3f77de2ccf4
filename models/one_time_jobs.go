package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// OneTimeJobDone says whether a one-time job a migration asked for has
// run to its end on this database. A job no migration asked for is done.
func (s *Store) OneTimeJobDone(ctx context.Context, name string) (bool, error) {
	var pending int64
	err := s.db.WithContext(ctx).Table("one_time_jobs").Where("name = ? AND done_at IS NULL", name).Count(&pending).Error
	if err != nil {
		return false, fmt.Errorf("is one-time job %s done: %w", name, err)
	}
	return pending == 0, nil
}

// RunOneTimeJob runs a one-time job a migration asked for, unless it has
// run to its end on this database already, and then records that it has,
// so it is never queued again. A job that fails stays to do; run must
// find nothing left to change when run again.
func (s *Store) RunOneTimeJob(ctx context.Context, name string, run func(context.Context) error) error {
	done, err := s.OneTimeJobDone(ctx, name)
	if err != nil || done {
		return err
	}
	if err := run(ctx); err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Exec(`UPDATE one_time_jobs SET done_at = ? WHERE name = ? AND done_at IS NULL`, s.Now(), name).Error
	if err != nil {
		return fmt.Errorf("finish one-time job %s: %w", name, err)
	}
	return nil
}

// rewriteBatch is how many posts RewriteCookedPosts reads at a time.
const rewriteBatch = 200

// RewriteCookedPosts passes the cooked HTML of every post that contains
// marker through rewrite, in batches by id, and saves what it changes. A
// post edited meanwhile keeps its edit, cooked anew. It returns how many
// posts changed.
func (s *Store) RewriteCookedPosts(ctx context.Context, marker string, rewrite func(cooked string) (string, bool)) (int, error) {
	db := s.db.WithContext(ctx)
	changed := 0
	for after := int64(0); ; {
		var batch []struct {
			ID     int64
			Cooked string
		}
		err := db.Raw(`SELECT id, cooked FROM posts WHERE id > ? AND cooked LIKE ? ORDER BY id LIMIT ?`,
			after, "%"+marker+"%", rewriteBatch).Scan(&batch).Error
		if err != nil {
			return changed, fmt.Errorf("read posts after %d: %w", after, err)
		}
		if len(batch) == 0 {
			return changed, nil
		}
		for _, p := range batch {
			cooked, ok := rewrite(p.Cooked)
			if !ok {
				continue
			}
			res := db.Exec(`UPDATE posts SET cooked = ? WHERE id = ? AND cooked = ?`, cooked, p.ID, p.Cooked)
			if res.Error != nil {
				return changed, fmt.Errorf("rewrite post %d: %w", p.ID, res.Error)
			}
			changed += int(res.RowsAffected)
		}
		after = batch[len(batch)-1].ID
	}
}

// FillPlainText stores the plain text of every post written before posts
// kept it, as plain reads it from the post's markdown, in batches by id,
// and asks search to index each post again from it in the same
// transaction. A post edited meanwhile keeps the text its edit stored. It
// returns how many posts it filled.
func (s *Store) FillPlainText(ctx context.Context, plain func(source string) (string, error)) (int, error) {
	db := s.db.WithContext(ctx)
	filled := 0
	for after := int64(0); ; {
		var batch []struct {
			ID      int64
			TopicID int64
			Number  int
			Source  string
		}
		err := db.Raw(`SELECT id, topic_id, number, source FROM posts
			WHERE id > ? AND plain = '' AND source <> '' ORDER BY id LIMIT ?`, after, rewriteBatch).Scan(&batch).Error
		if err != nil {
			return filled, fmt.Errorf("read posts after %d: %w", after, err)
		}
		if len(batch) == 0 {
			return filled, nil
		}
		inBatch := 0
		err = db.Transaction(func(tx *gorm.DB) error {
			for _, p := range batch {
				text, err := plain(p.Source)
				if err != nil {
					return fmt.Errorf("read post %d: %w", p.ID, err)
				}
				if text == "" {
					continue
				}
				res := tx.Exec(`UPDATE posts SET plain = ? WHERE id = ? AND source = ? AND plain = ''`, text, p.ID, p.Source)
				if res.Error != nil {
					return fmt.Errorf("fill plain text of post %d: %w", p.ID, res.Error)
				}
				if res.RowsAffected == 0 {
					continue
				}
				if err := queuePost(tx, &Post{ID: p.ID, TopicID: p.TopicID, Number: p.Number}); err != nil {
					return err
				}
				inBatch++
			}
			return nil
		})
		if err != nil {
			return filled, err
		}
		filled += inBatch
		after = batch[len(batch)-1].ID
	}
}
