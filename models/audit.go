package models

import (
	"context"
	"fmt"
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
		e.CreatedAt = nowUTC()
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

// AuditEventsFor lists the events about one subject, oldest first.
func (s *Store) AuditEventsFor(ctx context.Context, subjectType string, subjectID int64) ([]AuditEntry, error) {
	var entries []AuditEntry
	err := s.db.WithContext(ctx).Raw(`
		SELECT a.*, COALESCE(u.display_name, '') AS actor_name
		FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.subject_type = ? AND a.subject_id = ? ORDER BY a.id`, subjectType, subjectID).Scan(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("list audit events for %s %d: %w", subjectType, subjectID, err)
	}
	return entries, nil
}
