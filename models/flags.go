package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FlagReason is why a member reported a post.
type FlagReason string

const (
	FlagPHI            FlagReason = "phi"
	FlagUnprofessional FlagReason = "unprofessional"
	FlagMisinformation FlagReason = "misinformation"
	FlagSpam           FlagReason = "spam"
	FlagOther          FlagReason = "other"
)

// FlagReasons lists the reasons in the order the report form offers them.
var FlagReasons = []FlagReason{FlagPHI, FlagUnprofessional, FlagMisinformation, FlagSpam, FlagOther}

// Label is the reason as members read it.
func (r FlagReason) Label() string {
	switch r {
	case FlagPHI:
		return "Identifies a patient"
	case FlagUnprofessional:
		return "Unprofessional"
	case FlagMisinformation:
		return "Misinformation"
	case FlagSpam:
		return "Spam"
	case FlagOther:
		return "Something else"
	}
	return string(r)
}

// Valid says whether r is one of FlagReasons.
func (r FlagReason) Valid() bool {
	for _, known := range FlagReasons {
		if r == known {
			return true
		}
	}
	return false
}

// PendingPHIReason is what members see in place of a post hidden because
// someone reported that it identifies a patient.
const PendingPHIReason = "Hidden while the moderators review a report that it may identify a patient."

// Flag is one member's report on a post. It stays open until a moderator
// acts on the post; Resolution then says what they did.
type Flag struct {
	ID           int64
	PostID       int64
	ReporterID   int64
	Reason       FlagReason
	Note         string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ResolvedByID *int64
	Resolution   string
}

// Errors a report can meet.
var (
	ErrAlreadyFlagged = errors.New("already reported by this member")
	ErrOwnPost        = errors.New("a member's own post")
)

// NewFlag is a member's report.
type NewFlag struct {
	PostID     int64
	ReporterID int64
	Reason     FlagReason
	Note       string
	// IdentifierFound says the identifier check finds a possible patient
	// identifier in the post, which corroborates a report that it
	// identifies a patient.
	IdentifierFound bool
}

// Why a report that a post identifies a patient hid it at once, for the
// audit log.
const (
	hideCorroborated = "reported as identifying a patient, and the identifier check finds one; hidden pending review"
	hideTrusted      = "reported as identifying a patient by a member whose earlier such reports were upheld; hidden pending review"
	hideSecond       = "reported as identifying a patient by a second member; hidden pending review"
)

// FlagPost records a report on a post. A report that the post identifies
// a patient hides it from members at once, pending review, so nobody else
// reads the identifier while the moderators are away, but only when
// something bears it out: the identifier check finds an identifier in the
// post, the reporter's earlier such reports were upheld more often than
// dismissed, or another member has reported it too. Otherwise it waits at
// the top of the moderators' queue, so that no single member can take a
// post (or, with an opening post, a whole topic) down at will. hid says
// whether this report hid the post. A member reports a post once until it
// is reviewed.
func (s *Store) FlagPost(ctx context.Context, nf NewFlag) (hid bool, err error) {
	if !nf.Reason.Valid() {
		return false, fmt.Errorf("flag post %d: unknown reason %q", nf.PostID, nf.Reason)
	}
	now := s.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Two members reporting a post at once are each the other's
		// second report: on PostgreSQL the row lock makes the later one
		// see the earlier. SQLite's write transactions are serialized
		// already.
		lock := ""
		if s.engine == Postgres {
			lock = " FOR UPDATE"
		}
		if err := lockTopicOfPost(tx, nf.PostID); err != nil {
			return err
		}
		var post Post
		if err := tx.Raw(`SELECT * FROM posts WHERE id = ?`+lock, nf.PostID).Take(&post).Error; err != nil {
			return notFound(err, "load post")
		}
		if post.IsDeleted() {
			return ErrNotFound
		}
		if post.AuthorID == nf.ReporterID {
			return ErrOwnPost
		}
		var open int64
		if err := tx.Model(&Flag{}).Where("post_id = ? AND reporter_id = ? AND resolved_at IS NULL",
			nf.PostID, nf.ReporterID).Count(&open).Error; err != nil {
			return fmt.Errorf("look for an open report: %w", err)
		}
		if open > 0 {
			return ErrAlreadyFlagged
		}
		flag := Flag{PostID: nf.PostID, ReporterID: nf.ReporterID, Reason: nf.Reason, Note: nf.Note, CreatedAt: now}
		if err := tx.Create(&flag).Error; err != nil {
			return fmt.Errorf("insert flag: %w", err)
		}
		// The note may quote the post; the audit log keeps only the reason.
		reporter := nf.ReporterID
		if err := recordAudit(tx, &AuditEvent{ActorID: &reporter, Action: "post.flag", SubjectType: "post",
			SubjectID: post.ID, Reason: string(nf.Reason), CreatedAt: now}); err != nil {
			return err
		}
		if nf.Reason != FlagPHI || post.IsHidden() {
			return nil
		}
		why, err := phiHideReason(tx, &nf)
		if why == "" || err != nil {
			return err
		}
		var res *gorm.DB
		err = recountShown(tx, post.ID, func() error {
			res = tx.Exec(`UPDATE posts SET hidden_at = ?, hidden_by_id = NULL, hidden_reason = ?
				WHERE id = ? AND hidden_at IS NULL`, now, PendingPHIReason, post.ID)
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("hide post: %w", err)
		}
		hid = res.RowsAffected > 0
		if !hid {
			return nil
		}
		if err := queuePost(tx, &post); err != nil {
			return err
		}
		// Rounds hid it, on the member's report, not a moderator.
		return recordAudit(tx, &AuditEvent{Action: "post.hide", SubjectType: "post", SubjectID: post.ID,
			Reason: why, CreatedAt: now})
	})
	if err != nil {
		return false, fmt.Errorf("flag post %d: %w", nf.PostID, err)
	}
	return hid, nil
}

// phiHideReason says why a report that a post identifies a patient should
// hide it at once, or "" when nothing bears the report out yet.
func phiHideReason(tx *gorm.DB, nf *NewFlag) (string, error) {
	if nf.IdentifierFound {
		return hideCorroborated, nil
	}
	var others int64
	err := tx.Model(&Flag{}).Where("post_id = ? AND reason = ? AND reporter_id <> ? AND resolved_at IS NULL",
		nf.PostID, FlagPHI, nf.ReporterID).Count(&others).Error
	if err != nil {
		return "", fmt.Errorf("look for another report: %w", err)
	}
	if others > 0 {
		return hideSecond, nil
	}
	rec, err := reporterRecordOf(tx, nf.ReporterID)
	if err != nil {
		return "", err
	}
	if rec.Trusted() {
		return hideTrusted, nil
	}
	return "", nil
}

// resolveFlags closes every open report on a post with what the moderator
// did about it, inside the moderator's transaction, and counts the
// outcome in each identifier reporter's record.
func resolveFlags(tx *gorm.DB, postID, moderatorID int64, resolution string, now time.Time) (int64, error) {
	reporters, err := openPHIReporters(tx, postID)
	if err != nil {
		return 0, err
	}
	res := tx.Exec(`UPDATE flags SET resolved_at = ?, resolved_by_id = ?, resolution = ?
		WHERE post_id = ? AND resolved_at IS NULL`, now, moderatorID, resolution, postID)
	if res.Error != nil {
		return 0, fmt.Errorf("resolve reports on post %d: %w", postID, res.Error)
	}
	if err := countOutcomes(tx, reporters, resolution); err != nil {
		return 0, err
	}
	return res.RowsAffected, nil
}

// DismissFlags closes the open reports on a post as unfounded. A post that
// a report hid pending review is shown again.
func (s *Store) DismissFlags(ctx context.Context, postID, moderatorID int64, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		if err := lockTopicOfPost(tx, postID); err != nil {
			return err
		}
		n, err := resolveFlags(tx, postID, moderatorID, "dismissed", now)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil // nothing open: someone else reviewed it first
		}
		// Only a hide by a report is undone; a moderator's hide stands.
		var res *gorm.DB
		err = recountShown(tx, postID, func() error {
			res = tx.Exec(`UPDATE posts SET hidden_at = NULL, hidden_reason = ''
				WHERE id = ? AND hidden_at IS NOT NULL AND hidden_by_id IS NULL`, postID)
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("show post again: %w", err)
		}
		if res.RowsAffected > 0 {
			if err := queuePost(tx, &post); err != nil {
				return err
			}
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "flags.dismiss",
			SubjectType: "post", SubjectID: postID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("dismiss reports on post %d: %w", postID, err)
	}
	return nil
}

// FlagView is a report with its reporter's and resolver's names.
type FlagView struct {
	Flag
	ReporterName   string
	ResolvedByName string
}

// FlagsOnPost lists every report on a post, open and resolved, oldest
// first.
func (s *Store) FlagsOnPost(ctx context.Context, postID int64) ([]FlagView, error) {
	var out []FlagView
	err := s.db.WithContext(ctx).Raw(`
		SELECT f.*, r.display_name AS reporter_name, COALESCE(m.display_name, '') AS resolved_by_name
		FROM flags f JOIN users r ON r.id = f.reporter_id LEFT JOIN users m ON m.id = f.resolved_by_id
		WHERE f.post_id = ? ORDER BY f.id`, postID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list reports on post %d: %w", postID, err)
	}
	return out, nil
}

// OpenFlagBy is the member's open report on a post; ErrNotFound when they
// have none.
func (s *Store) OpenFlagBy(ctx context.Context, postID, reporterID int64) (*Flag, error) {
	var f Flag
	err := s.db.WithContext(ctx).Where("post_id = ? AND reporter_id = ? AND resolved_at IS NULL", postID, reporterID).
		Take(&f).Error
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("open report on post %d", postID))
	}
	return &f, nil
}
