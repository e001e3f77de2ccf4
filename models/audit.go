package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AuditEvent records a decision: who (ActorID, nil for Rounds itself), what
// (Action on a subject), when and why. The app only inserts these rows.
type AuditEvent struct {
	ID          int64
	ActorID     *int64
	Action      string
	SubjectType string
	SubjectID   int64
	Reason      string
	CreatedAt   time.Time
}

// recordAudit writes an event inside the caller's transaction, so a
// decision and its record land together.
func recordAudit(tx *gorm.DB, e *AuditEvent) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = tx.NowFunc() // the store's clock
	}
	if err := tx.Create(e).Error; err != nil {
		return fmt.Errorf("record audit event %s: %w", e.Action, err)
	}
	return nil
}

// AuditEntry is an event with the name of who acted, for display.
type AuditEntry struct {
	AuditEvent
	ActorName string // empty when Rounds itself acted
}

// Subject names what the event is about, as the log shows it: "post 42",
// or "the author of post 42" for a moderator's action on the author of an
// anonymous post.
func (e *AuditEvent) Subject() string {
	if e.SubjectType == SubjectPostAuthor {
		return fmt.Sprintf("the author of post %d", e.SubjectID)
	}
	return fmt.Sprintf("%s %d", e.SubjectType, e.SubjectID)
}

// subjectTypes are the subject types a filter on subjectType matches: a
// post's events include those about its (anonymous) author.
func subjectTypes(subjectType string) []string {
	if subjectType == "post" {
		return []string{"post", SubjectPostAuthor}
	}
	return []string{subjectType}
}

// AuditEventsFor lists the events about one subject, oldest first; a
// post's include those about the author of the post.
func (s *Store) AuditEventsFor(ctx context.Context, subjectType string, subjectID int64) ([]AuditEntry, error) {
	var entries []AuditEntry
	err := s.db.WithContext(ctx).Raw(`
		SELECT a.*, COALESCE(u.display_name, '') AS actor_name
		FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.subject_type IN ? AND a.subject_id = ? ORDER BY a.id`, subjectTypes(subjectType), subjectID).Scan(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("list audit events for %s %d: %w", subjectType, subjectID, err)
	}
	return entries, nil
}

// RecordAudit writes an event; inside InTransaction it lands with the
// change it records.
func (s *Store) RecordAudit(ctx context.Context, e *AuditEvent) error {
	return recordAudit(s.db.WithContext(ctx), e)
}

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	// Action matches the action or, ending in ".", every action it starts
	// ("post." for all post actions).
	Action  string
	ActorID int64
	// SubjectType "post" matches the post's events and those about the
	// author of the post (SubjectPostAuthor).
	SubjectType string
	SubjectID   int64
	// Before pages back: only events with a smaller id.
	Before int64
	Limit  int
}

// AuditLog lists events newest first, and says whether there are more.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, bool, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q := s.db.WithContext(ctx).Table("audit_events a").Joins("LEFT JOIN users u ON u.id = a.actor_id").
		Select("a.*, COALESCE(u.display_name, '') AS actor_name")
	switch {
	case strings.HasSuffix(f.Action, "."):
		q = q.Where(`a.action LIKE ? ESCAPE '\'`, strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Action)+"%")
	case f.Action != "":
		q = q.Where("a.action = ?", f.Action)
	}
	if f.ActorID != 0 {
		q = q.Where("a.actor_id = ?", f.ActorID)
	}
	if f.SubjectType != "" {
		q = q.Where("a.subject_type IN ?", subjectTypes(f.SubjectType))
	}
	if f.SubjectID != 0 {
		q = q.Where("a.subject_id = ?", f.SubjectID)
	}
	if f.Before != 0 {
		q = q.Where("a.id < ?", f.Before)
	}
	var entries []AuditEntry
	if err := q.Order("a.id DESC").Limit(f.Limit + 1).Scan(&entries).Error; err != nil {
		return nil, false, fmt.Errorf("read the audit log: %w", err)
	}
	more := len(entries) > f.Limit
	if more {
		entries = entries[:f.Limit]
	}
	return entries, more, nil
}

// AuditActions lists the actions the log holds, for a filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var actions []string
	if err := s.db.WithContext(ctx).Table("audit_events").Distinct("action").Order("action").Pluck("action", &actions).Error; err != nil {
		return nil, fmt.Errorf("list audit actions: %w", err)
	}
	return actions, nil
}
