package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// VerificationStatus is where an application stands.
type VerificationStatus string

const (
	VerificationSubmitted VerificationStatus = "submitted"
	VerificationMoreInfo  VerificationStatus = "more_info"
	VerificationApproved  VerificationStatus = "approved"
	VerificationRejected  VerificationStatus = "rejected"
)

// Verification is a member's application to be verified as a clinician,
// with the evidence gathered for it (JSON, as computed when last
// submitted) and the decision.
type Verification struct {
	ID                   int64
	UserID               int64
	Status               VerificationStatus
	FullName             string
	Profession           string
	Specialty            string
	NPI                  string
	LicenseCountry       string
	LicenseState         string
	LicenseNumber        string
	Institution          string
	WorkEmail            string
	WorkEmailConfirmedAt *time.Time
	Evidence             string
	DecidedByID          *int64
	DecisionReason       string
	DecidedAt            *time.Time
	// Method is, for an approved application, the kind of evidence the
	// approval rested on (one of the VerifiedBy kinds).
	Method      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
}

// Open says whether a moderator may still decide the application.
func (v *Verification) Open() bool {
	return v.Status == VerificationSubmitted || v.Status == VerificationMoreInfo
}

// EmailCode is a one-time code sent to a work email; only its hash is kept.
type EmailCode struct {
	ID        int64
	UserID    int64
	Email     string
	CodeHash  string
	Attempts  int
	ExpiresAt time.Time
	CreatedAt time.Time
	UsedAt    *time.Time
}

// ErrRateLimited says a member asked for something too often.
var ErrRateLimited = errors.New("too many requests")

// VerificationByUser loads a member's application.
func (s *Store) VerificationByUser(ctx context.Context, userID int64) (*Verification, error) {
	var v Verification
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Take(&v).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load verification of user %d", userID))
	}
	return &v, nil
}

// VerificationByID loads one application.
func (s *Store) VerificationByID(ctx context.Context, id int64) (*Verification, error) {
	var v Verification
	if err := s.db.WithContext(ctx).Take(&v, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load verification %d", id))
	}
	return &v, nil
}

// SubmitVerification saves a member's application, new or edited, puts it
// (back) in the queue and marks the member as having applied. A changed
// work email needs confirming again. v is updated to what is stored.
func (s *Store) SubmitVerification(ctx context.Context, v *Verification) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Verification
		err := tx.Where("user_id = ?", v.UserID).Take(&old).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			v.ID, v.CreatedAt = 0, now
		case err != nil:
			return fmt.Errorf("load application: %w", err)
		case !old.Open():
			return fmt.Errorf("application %d is already decided: %w", old.ID, ErrConflict)
		default:
			v.ID, v.CreatedAt, v.Evidence = old.ID, old.CreatedAt, old.Evidence
			v.DecidedByID, v.DecisionReason = old.DecidedByID, old.DecisionReason
		}
		// Only the address a code went to stays confirmed.
		confirmed := old.WorkEmailConfirmedAt
		if v.ID == 0 || old.WorkEmail != v.WorkEmail {
			confirmed = nil
		}
		v.WorkEmailConfirmedAt = confirmed
		v.Status, v.UpdatedAt, v.SubmittedAt = VerificationSubmitted, now, now
		if err := tx.Save(v).Error; err != nil {
			return fmt.Errorf("save application: %w", err)
		}
		if err := tx.Model(&User{}).Where("id = ? AND status = ?", v.UserID, StatusPending).
			Updates(map[string]any{"status": StatusApplied, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("mark user applied: %w", err)
		}
		// An applicant is known by the name they give, not by whatever
		// handle their provider sent; a verified member keeps theirs.
		return tx.Model(&User{}).Where("id = ? AND status <> ?", v.UserID, StatusVerified).
			Updates(map[string]any{"display_name": v.FullName, "updated_at": now}).Error
	})
	if err != nil {
		return fmt.Errorf("submit verification for user %d: %w", v.UserID, err)
	}
	return nil
}

// SetVerificationEvidence stores the evidence gathered for an application.
func (s *Store) SetVerificationEvidence(ctx context.Context, id int64, evidence string) error {
	res := s.db.WithContext(ctx).Model(&Verification{}).Where("id = ?", id).
		Updates(map[string]any{"evidence": evidence, "updated_at": s.Now()})
	if res.Error != nil {
		return fmt.Errorf("store evidence for verification %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store evidence for verification %d: %w", id, ErrNotFound)
	}
	return nil
}

// VerificationQueue lists the applications waiting for a moderator, oldest
// submission first.
func (s *Store) VerificationQueue(ctx context.Context, limit int) ([]Verification, error) {
	var vs []Verification
	err := s.db.WithContext(ctx).Where("status = ?", VerificationSubmitted).
		Order("submitted_at, id").Limit(limit).Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("list verification queue: %w", err)
	}
	return vs, nil
}

// Decision is a moderator's (or, with ModeratorID 0, Rounds' own) outcome
// for an application.
type Decision struct {
	VerificationID int64
	ModeratorID    int64 // 0 when the rules verified the member automatically
	Status         VerificationStatus
	Reason         string
	// Method is the kind of evidence an approval rests on; empty means a
	// moderator's judgement (VerifiedByModerator).
	Method string
}

// The kinds of evidence a verification rests on, as a profile names them:
// never the evidence itself.
const (
	VerifiedByInstitution = "institution" // a sign-in trusted to admit only clinicians
	VerifiedByWorkEmail   = "work_email"  // a confirmed work email on an allowed domain
	VerifiedByModerator   = "moderator"   // a moderator weighed the application
)

// DecideVerification records a decision on an open application, applies it
// to the member (approval copies the application onto their profile) and
// writes it to the audit log, all in one transaction.
func (s *Store) DecideVerification(ctx context.Context, d Decision) (*Verification, error) {
	var v Verification
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&v, d.VerificationID).Error; err != nil {
			return notFound(err, "load application")
		}
		if !v.Open() {
			return fmt.Errorf("application already %s: %w", v.Status, ErrConflict)
		}
		var actor *int64
		if d.ModeratorID != 0 {
			actor = &d.ModeratorID
		}
		v.Status, v.DecidedByID, v.DecisionReason, v.UpdatedAt = d.Status, actor, d.Reason, now
		update := map[string]any{"status": v.Status, "decided_by_id": actor, "decision_reason": d.Reason, "updated_at": now}
		if d.Status != VerificationMoreInfo {
			v.DecidedAt, update["decided_at"] = &now, now
		}
		if d.Status == VerificationApproved {
			v.Method = d.Method
			if v.Method == "" {
				v.Method = VerifiedByModerator
			}
			update["method"] = v.Method
		}
		if err := tx.Model(&Verification{}).Where("id = ?", v.ID).Updates(update).Error; err != nil {
			return fmt.Errorf("update application: %w", err)
		}
		user := map[string]any{"updated_at": now}
		switch d.Status {
		case VerificationApproved:
			user["status"], user["display_name"] = StatusVerified, v.FullName
			user["profession"], user["specialty"], user["institution"] = v.Profession, v.Specialty, v.Institution
		case VerificationRejected:
			user["status"] = StatusRejected
		case VerificationMoreInfo:
		default:
			return fmt.Errorf("unknown decision %q", d.Status)
		}
		if err := tx.Model(&User{}).Where("id = ?", v.UserID).Updates(user).Error; err != nil {
			return fmt.Errorf("update member: %w", err)
		}
		return recordAudit(tx, &AuditEvent{ActorID: actor, Action: "verification." + string(d.Status),
			SubjectType: "verification", SubjectID: v.ID, Reason: d.Reason, CreatedAt: now})
	})
	if err != nil {
		return nil, fmt.Errorf("decide verification %d: %w", d.VerificationID, err)
	}
	return &v, nil
}

// IssueEmailCode stores a new code unless the member has already been sent
// limit codes since the given time, which is ErrRateLimited.
func (s *Store) IssueEmailCode(ctx context.Context, code *EmailCode, since time.Time, limit int) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockMember(tx, code.UserID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&EmailCode{}).Where("user_id = ? AND created_at > ?", code.UserID, since).Count(&n).Error; err != nil {
			return fmt.Errorf("count codes: %w", err)
		}
		if n >= int64(limit) {
			return ErrRateLimited
		}
		if code.CreatedAt.IsZero() {
			code.CreatedAt = s.Now()
		}
		code.CreatedAt, code.ExpiresAt = storeTime(code.CreatedAt), storeTime(code.ExpiresAt)
		return tx.Create(code).Error
	})
	if err != nil {
		return fmt.Errorf("issue email code for user %d: %w", code.UserID, err)
	}
	return nil
}

// CodeOutcome is what came of entering a code.
type CodeOutcome int

const (
	CodeConfirmed CodeOutcome = iota
	CodeWrong                 // counted as an attempt
	CodeVoid                  // too many wrong attempts; ask for a new one
	CodeExpired               // none sent, or the latest one has expired or was used
)

// ConfirmEmailCode checks an entered code against the member's latest one
// with matches, counts a wrong attempt, voids the code after maxAttempts
// wrong ones, and on a match marks the code used and the application's
// work email (if it is still the address the code went to) confirmed.
func (s *Store) ConfirmEmailCode(ctx context.Context, userID int64, matches func(hash string) bool, now time.Time, maxAttempts int) (CodeOutcome, error) {
	outcome := CodeExpired
	now = storeTime(now)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockMember(tx, userID); err != nil {
			return err
		}
		var code EmailCode
		err := tx.Where("user_id = ?", userID).Order("id DESC").Take(&code).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return nil
		case err != nil:
			return fmt.Errorf("load code: %w", err)
		case code.UsedAt != nil || !now.Before(code.ExpiresAt):
			return nil
		case code.Attempts >= maxAttempts:
			outcome = CodeVoid
			return nil
		case !matches(code.CodeHash):
			outcome = CodeWrong
			if code.Attempts+1 >= maxAttempts {
				outcome = CodeVoid
			}
			return tx.Model(&EmailCode{}).Where("id = ?", code.ID).Update("attempts", gorm.Expr("attempts + 1")).Error
		}
		outcome = CodeConfirmed
		if err := tx.Model(&EmailCode{}).Where("id = ?", code.ID).Update("used_at", now).Error; err != nil {
			return fmt.Errorf("use code: %w", err)
		}
		return tx.Model(&Verification{}).Where("user_id = ? AND work_email = ?", userID, code.Email).
			Updates(map[string]any{"work_email_confirmed_at": now, "updated_at": now}).Error
	})
	if err != nil {
		return outcome, fmt.Errorf("confirm email code for user %d: %w", userID, err)
	}
	return outcome, nil
}

// lockMember serializes a member's code requests and guesses, so that two
// at once cannot both slip under a limit. SQLite's write transactions are
// serialized already.
func (s *Store) lockMember(tx *gorm.DB, userID int64) error {
	if s.engine != Postgres {
		return nil
	}
	if err := tx.Exec(`SELECT id FROM users WHERE id = ? FOR UPDATE`, userID).Error; err != nil {
		return fmt.Errorf("lock member %d: %w", userID, err)
	}
	return nil
}

// IdentitiesOf lists the sign-in identities of a member.
func (s *Store) IdentitiesOf(ctx context.Context, userID int64) ([]Identity, error) {
	var ids []Identity
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&ids).Error; err != nil {
		return nil, fmt.Errorf("list identities of user %d: %w", userID, err)
	}
	return ids, nil
}
