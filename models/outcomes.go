package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CaseOutcome is what became of a case, told by the author of the case
// topic after the discussion: markdown written and checked as a post is,
// and the day it tells of. Every version is kept, as a post's are.
type CaseOutcome struct {
	TopicID      int64
	AuthorID     int64
	Source       string
	Cooked       string
	Plain        string
	PHIConfirmed string `gorm:"column:phi_confirmed"`
	// OutcomeOn is the day of the outcome or follow-up, as YYYY-MM-DD.
	OutcomeOn string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsEdited says whether the outcome changed after it was first posted.
func (o *CaseOutcome) IsEdited() bool { return o.Version > 1 }

// OutcomeDateLayout is how an outcome's day is written and read.
const OutcomeDateLayout = "2006-01-02"

// ErrNotCaseAuthor is an outcome written by someone other than the author
// of the case topic, or for a topic that is not a case.
var ErrNotCaseAuthor = errors.New("only the author of a case topic posts its outcome")

// OutcomeWrite is a new outcome (BaseVersion 0) or an edit of the version
// the author started from.
type OutcomeWrite struct {
	TopicID     int64
	AuthorID    int64
	BaseVersion int
	OutcomeOn   string
	PostContent
}

// SaveOutcome posts a case's outcome or saves an edit of it, keeping the
// version as a revision, and asks search to index the case again (the
// outcome is found with it). Only the case topic's author may; an edit
// over a version saved meanwhile, or a second first version, fails with
// ErrConflict.
func (s *Store) SaveOutcome(ctx context.Context, w OutcomeWrite) (*CaseOutcome, error) {
	if _, err := time.Parse(OutcomeDateLayout, w.OutcomeOn); err != nil {
		return nil, fmt.Errorf("outcome date %q: %w", w.OutcomeOn, err)
	}
	now := s.Now()
	var saved CaseOutcome
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var topic Topic
		if err := tx.Select("id", "kind", "author_id").Take(&topic, w.TopicID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load topic %d", w.TopicID))
		}
		if topic.Kind != KindCase || topic.AuthorID != w.AuthorID {
			return ErrNotCaseAuthor
		}
		var res *gorm.DB
		if w.BaseVersion == 0 {
			res = tx.Exec(`INSERT INTO case_outcomes (topic_id, author_id, source, cooked, plain, phi_confirmed, outcome_on,
				version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (topic_id) DO NOTHING`,
				w.TopicID, w.AuthorID, w.Source, w.Cooked, w.Plain, w.PHIConfirmed, w.OutcomeOn, now, now)
		} else {
			res = tx.Exec(`UPDATE case_outcomes SET source = ?, cooked = ?, plain = ?, phi_confirmed = ?, outcome_on = ?,
				version = version + 1, updated_at = ? WHERE topic_id = ? AND version = ?`,
				w.Source, w.Cooked, w.Plain, w.PHIConfirmed, w.OutcomeOn, now, w.TopicID, w.BaseVersion)
		}
		if res.Error != nil {
			return fmt.Errorf("write outcome: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := tx.Raw(`SELECT * FROM case_outcomes WHERE topic_id = ?`, w.TopicID).Scan(&saved).Error; err != nil {
			return fmt.Errorf("read outcome back: %w", err)
		}
		if err := tx.Exec(`INSERT INTO case_outcome_revisions (topic_id, version, source, outcome_on, editor_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, w.TopicID, saved.Version, w.Source, w.OutcomeOn, w.AuthorID, now).Error; err != nil {
			return fmt.Errorf("keep outcome revision: %w", err)
		}
		return queueSearch(tx, w.TopicID, 0)
	})
	if err != nil {
		return nil, fmt.Errorf("save the outcome of topic %d: %w", w.TopicID, err)
	}
	saved.CreatedAt, saved.UpdatedAt = saved.CreatedAt.UTC(), saved.UpdatedAt.UTC()
	return &saved, nil
}

// OutcomeOf loads a case's outcome; ErrNotFound when none is posted.
func (s *Store) OutcomeOf(ctx context.Context, topicID int64) (*CaseOutcome, error) {
	var found []CaseOutcome
	if err := s.db.WithContext(ctx).Raw(`SELECT * FROM case_outcomes WHERE topic_id = ?`, topicID).Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("load the outcome of topic %d: %w", topicID, err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("outcome of topic %d: %w", topicID, ErrNotFound)
	}
	o := &found[0]
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, nil
}

// OutcomeRevision is one kept version of an outcome.
type OutcomeRevision struct {
	Version   int
	Source    string
	OutcomeOn string
	CreatedAt time.Time
}

// OutcomeRevisions lists the versions of a case's outcome, newest first.
func (s *Store) OutcomeRevisions(ctx context.Context, topicID int64) ([]OutcomeRevision, error) {
	var revs []OutcomeRevision
	err := s.db.WithContext(ctx).Raw(`SELECT version, source, outcome_on, created_at FROM case_outcome_revisions
		WHERE topic_id = ? ORDER BY version DESC`, topicID).Scan(&revs).Error
	if err != nil {
		return nil, fmt.Errorf("list the outcome versions of topic %d: %w", topicID, err)
	}
	for i := range revs {
		revs[i].CreatedAt = revs[i].CreatedAt.UTC()
	}
	return revs, nil
}
