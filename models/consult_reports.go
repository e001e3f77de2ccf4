package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ConsultContextMessages is how many messages before a reported one the
// moderators see with it: enough to judge it, and no more of the consult.
const ConsultContextMessages = 3

// ConsultReport is a participant's report of a message in a consult.
type ConsultReport struct {
	ID           int64
	MessageID    int64
	ReporterID   int64
	Reason       FlagReason
	Note         string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ResolvedByID *int64
	Resolution   string
}

// ReportConsultMessage records a participant's report of someone else's
// message in a consult they take part in.
func (s *Store) ReportConsultMessage(ctx context.Context, messageID, reporterID int64, reason FlagReason, note string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m ConsultMessage
		if err := tx.Take(&m, messageID).Error; err != nil {
			return notFound(err, "load message")
		}
		if _, err := participant(tx, m.ConsultID, reporterID); err != nil {
			if errors.Is(err, ErrNotParticipant) {
				return ErrNotFound
			}
			return err
		}
		if m.AuthorID == reporterID {
			return ErrOwnPost
		}
		var n int64
		if err := tx.Model(&ConsultReport{}).Where("message_id = ? AND reporter_id = ? AND resolved_at IS NULL", messageID, reporterID).
			Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadyReported
		}
		return tx.Create(&ConsultReport{MessageID: messageID, ReporterID: reporterID, Reason: reason, Note: note, CreatedAt: s.Now()}).Error
	})
	if err != nil {
		return fmt.Errorf("report consult message %d: %w", messageID, err)
	}
	return nil
}

// ReportedConsultMessage is an entry of the moderators' queue: a reported
// message of a consult, with its reports.
type ReportedConsultMessage struct {
	MessageID  int64
	AuthorName string
	Reports    int64
	FirstAt    time.Time
}

// ConsultReportQueue lists the consult messages with open reports, the
// longest waiting first.
func (s *Store) ConsultReportQueue(ctx context.Context, limit int) ([]ReportedConsultMessage, error) {
	var out []ReportedConsultMessage
	// Each message by its first open report, whose time is a column
	// rather than an aggregate, which SQLite would return as text.
	err := s.db.WithContext(ctx).Table("consult_reports f").
		Joins("JOIN consult_messages cm ON cm.id = f.message_id").
		Joins("JOIN users u ON u.id = cm.author_id").
		Where(`f.resolved_at IS NULL AND f.id = (SELECT MIN(r.id) FROM consult_reports r
			WHERE r.message_id = f.message_id AND r.resolved_at IS NULL)`).
		Select(`f.message_id, u.display_name AS author_name, f.created_at AS first_at,
			(SELECT COUNT(*) FROM consult_reports r WHERE r.message_id = f.message_id AND r.resolved_at IS NULL) AS reports`).
		Order("f.created_at, f.id").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list reported consult messages: %w", err)
	}
	return out, nil
}

// ConsultReportView is a report with who made it.
type ConsultReportView struct {
	ConsultReport
	ReporterName string
}

// ConsultCase is what a moderator sees of a consult after a report: the
// reported message, the few before it, the reports, and nothing else —
// neither the subject nor the other messages.
type ConsultCase struct {
	Message ConsultMessageView
	Before  []ConsultMessageView
	Reports []ConsultReportView
}

// ConsultCaseFor loads a reported message for the moderators. A message
// nobody reported is ErrNotFound: a moderator's role opens no consult.
func (s *Store) ConsultCaseFor(ctx context.Context, messageID int64) (*ConsultCase, error) {
	var cc ConsultCase
	db := s.db.WithContext(ctx)
	err := db.Table("consult_reports r").Joins("JOIN users u ON u.id = r.reporter_id").Where("r.message_id = ?", messageID).
		Select("r.*, u.display_name AS reporter_name").Order("r.id").Scan(&cc.Reports).Error
	if err != nil {
		return nil, fmt.Errorf("load reports of consult message %d: %w", messageID, err)
	}
	if len(cc.Reports) == 0 {
		return nil, fmt.Errorf("load reported consult message %d: %w", messageID, ErrNotFound)
	}
	if err := s.consultMessages(ctx).Where("cm.id = ?", messageID).Take(&cc.Message).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load consult message %d", messageID))
	}
	err = s.consultMessages(ctx).Where("cm.consult_id = ? AND cm.id < ?", cc.Message.ConsultID, messageID).
		Order("cm.id DESC").Limit(ConsultContextMessages).Scan(&cc.Before).Error
	if err != nil {
		return nil, fmt.Errorf("load messages before consult message %d: %w", messageID, err)
	}
	for i, j := 0, len(cc.Before)-1; i < j; i, j = i+1, j-1 {
		cc.Before[i], cc.Before[j] = cc.Before[j], cc.Before[i]
	}
	return &cc, nil
}

// OpenConsultReports says whether a message has reports waiting.
func (s *Store) OpenConsultReports(ctx context.Context, messageID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&ConsultReport{}).Where("message_id = ? AND resolved_at IS NULL", messageID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("count reports of consult message %d: %w", messageID, err)
	}
	return n > 0, nil
}

// Moderators' actions on a reported consult message.
const (
	ConsultActHide    = "hide"
	ConsultActPurge   = "purge"
	ConsultActDismiss = "dismiss"
	ConsultActWarn    = "warn"
	ConsultActSuspend = "suspend"
)

// ModerateConsultMessage hides, purges or dismisses the reports of a
// reported message, resolving its reports and recording the decision in
// the audit log, in one transaction. Warning and suspending the author go
// through WarnMember and SuspendMember, then ResolveConsultReports.
func (s *Store) ModerateConsultMessage(ctx context.Context, moderatorID, messageID int64, action, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m ConsultMessage
		if err := tx.Take(&m, messageID).Error; err != nil {
			return notFound(err, "load message")
		}
		switch action {
		case ConsultActHide:
			if err := tx.Model(&m).Updates(map[string]any{"hidden_at": now, "hidden_by_id": moderatorID, "hidden_reason": reason}).Error; err != nil {
				return err
			}
		case ConsultActPurge:
			err := tx.Model(&m).Updates(map[string]any{"source": "", "cooked": "", "plain": "", "phi_confirmed": "",
				"purged_at": now, "hidden_at": now, "hidden_by_id": moderatorID, "hidden_reason": reason}).Error
			if err != nil {
				return err
			}
			if err := tx.Exec(`DELETE FROM consult_message_images WHERE message_id = ?`, messageID).Error; err != nil {
				return fmt.Errorf("purge the message's images: %w", err)
			}
		case ConsultActDismiss:
		default:
			return fmt.Errorf("unknown action %q", action)
		}
		return resolveConsultReports(tx, moderatorID, messageID, action, reason, now)
	})
	if err != nil {
		return fmt.Errorf("%s consult message %d: %w", action, messageID, err)
	}
	return nil
}

// ResolveConsultReports closes a message's reports after a moderator
// warned or suspended its author.
func (s *Store) ResolveConsultReports(ctx context.Context, moderatorID, messageID int64, action, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return resolveConsultReports(tx, moderatorID, messageID, action, reason, s.Now())
	})
	if err != nil {
		return fmt.Errorf("resolve reports of consult message %d: %w", messageID, err)
	}
	return nil
}

func resolveConsultReports(tx *gorm.DB, moderatorID, messageID int64, action, reason string, now time.Time) error {
	err := tx.Model(&ConsultReport{}).Where("message_id = ? AND resolved_at IS NULL", messageID).
		Updates(map[string]any{"resolved_at": now, "resolved_by_id": moderatorID, "resolution": action}).Error
	if err != nil {
		return fmt.Errorf("resolve reports: %w", err)
	}
	return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "consult_message." + action,
		SubjectType: "consult_message", SubjectID: messageID, Reason: reason, CreatedAt: now})
}
