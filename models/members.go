package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// MemberFilter narrows the members' list of the administration pages; zero
// fields match everyone.
type MemberFilter struct {
	// Query matches part of a username or display name, any case.
	Query      string
	Status     Status
	Role       Role
	Profession string
	// Specialty matches part of a specialty, any case.
	Specialty string
	// Method is the kind of evidence an approved verification rested on
	// (a VerifiedBy constant).
	Method string
	// Before pages back: only members with a smaller id.
	Before int64
	Limit  int
}

// MemberRow is one member in the administration list.
type MemberRow struct {
	User
	Method string // how they were verified, if they were
}

// likePattern is s as a LIKE pattern matching it anywhere, its own % and _
// taken literally.
func likePattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(s)) + "%"
}

// SearchMembers lists members matching a filter, newest first, and says
// whether more follow.
func (s *Store) SearchMembers(ctx context.Context, f MemberFilter) ([]MemberRow, bool, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q := s.db.WithContext(ctx).Table("users u").
		Joins("LEFT JOIN verifications v ON v.user_id = u.id AND v.status = ?", VerificationApproved).
		Select("u.*, COALESCE(v.method, '') AS method")
	if f.Query != "" {
		p := likePattern(f.Query)
		q = q.Where(`(LOWER(u.username) LIKE ? ESCAPE '\' OR LOWER(u.display_name) LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Status != "" {
		q = q.Where("u.status = ?", f.Status)
	}
	if f.Role != "" {
		q = q.Where("u.role = ?", f.Role)
	}
	if f.Profession != "" {
		q = q.Where("u.profession = ?", f.Profession)
	}
	if f.Specialty != "" {
		q = q.Where(`LOWER(u.specialty) LIKE ? ESCAPE '\'`, likePattern(f.Specialty))
	}
	if f.Method != "" {
		q = q.Where("v.method = ?", f.Method)
	}
	if f.Before > 0 {
		q = q.Where("u.id < ?", f.Before)
	}
	var rows []MemberRow
	if err := q.Order("u.id DESC").Limit(f.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("search members: %w", err)
	}
	more := len(rows) > f.Limit
	if more {
		rows = rows[:f.Limit]
	}
	return rows, more, nil
}

// ErrOwnRole is an administrator changing their own role, which could
// leave the site without one.
var ErrOwnRole = errors.New("administrators cannot change their own role")

// ChangeRole changes what a member may do, for an administrator: their
// sessions end, so the role takes effect at their next sign-in, and the
// audit log names the administrator, all in one transaction.
func (s *Store) ChangeRole(ctx context.Context, admin *User, userID int64, role Role, reason string) error {
	switch role {
	case RoleMember, RoleModerator, RoleAdmin:
	default:
		return fmt.Errorf("change role of member %d: unknown role %q", userID, role)
	}
	if admin.ID == userID {
		return ErrOwnRole
	}
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err, "load member")
		}
		if u.Role == role {
			return nil
		}
		if err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"role": role, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("set role: %w", err)
		}
		if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		note := "role " + string(u.Role) + " → " + string(role)
		if reason != "" {
			note += ": " + reason
		}
		return recordAudit(tx, &AuditEvent{ActorID: &admin.ID, Action: "user.role", SubjectType: "user",
			SubjectID: userID, Reason: note, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("change role of member %d: %w", userID, err)
	}
	return nil
}

// EndMemberSessions signs a member out: of one session (by its id), or of
// every one when sessionID is empty. The audit log names the
// administrator; it says how many ended. Ending none records nothing.
func (s *Store) EndMemberSessions(ctx context.Context, admin *User, userID int64, sessionID string) (int64, error) {
	now := s.Now()
	var ended int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("user_id = ?", userID)
		if sessionID != "" {
			q = q.Where("id = ?", sessionID)
		}
		res := q.Delete(&Session{})
		if res.Error != nil {
			return fmt.Errorf("end sessions: %w", res.Error)
		}
		ended = res.RowsAffected
		if ended == 0 {
			return nil
		}
		what := "all sessions"
		if sessionID != "" {
			what = "one session"
		}
		return recordAudit(tx, &AuditEvent{ActorID: &admin.ID, Action: "user.sessions_end", SubjectType: "user",
			SubjectID: userID, Reason: fmt.Sprintf("%s ended (%d)", what, ended), CreatedAt: now})
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of member %d: %w", userID, err)
	}
	return ended, nil
}

// LiftMemberSuspension lets a suspended member back in, for a moderator
// who may moderate them (see WarnMember), audited with the lifting.
func (s *Store) LiftMemberSuspension(ctx context.Context, moderator *User, userID int64, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var target User
		if err := tx.Take(&target, userID).Error; err != nil {
			return notFound(err, "load member")
		}
		if !mayModerate(moderator, &target) {
			return ErrNotModeratable
		}
		return liftSuspension(tx, &moderator.ID, userID, reason, s.Now())
	})
	if err != nil {
		return fmt.Errorf("lift suspension of member %d: %w", userID, err)
	}
	return nil
}

// VerificationHistory is a member's application and every decision and
// profile change that followed it.
type VerificationHistory struct {
	// Application is nil for a member who never applied (verified from
	// the command line).
	Application *Verification
	Decisions   []AuditEntry
	Changes     []ProfileChange
}

// VerificationHistoryOf gathers a member's verification history.
func (s *Store) VerificationHistoryOf(ctx context.Context, userID int64) (*VerificationHistory, error) {
	var h VerificationHistory
	v, err := s.VerificationByUser(ctx, userID)
	switch {
	case err == nil:
		h.Application = v
		if h.Decisions, err = s.AuditEventsFor(ctx, "verification", v.ID); err != nil {
			return nil, err
		}
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	if h.Changes, err = s.ProfileChangesOf(ctx, userID, 50); err != nil {
		return nil, err
	}
	return &h, nil
}
