package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ReporterRecord is how a member's closed reports that a post identifies
// a patient turned out.
type ReporterRecord struct {
	// Upheld counts the reports a moderator acted on: the post hidden,
	// edited, deleted or purged.
	Upheld int
	// Dismissed counts the reports a moderator found unfounded.
	Dismissed int
}

// Trusted says the member's reports have been upheld more often than
// dismissed, so their next one hides a post at once.
func (r ReporterRecord) Trusted() bool { return r.Upheld > r.Dismissed }

// upheldResolution says whether a report closed with resolution was
// upheld (true), dismissed (false), or neither, when the author deleted
// the post before anyone looked (ok false).
func upheldResolution(resolution string) (upheld, ok bool) {
	switch resolution {
	case "hidden", "edited", "deleted", "purged":
		return true, true
	case "dismissed":
		return false, true
	}
	return false, false
}

func reporterRecordOf(tx *gorm.DB, userID int64) (ReporterRecord, error) {
	var rec ReporterRecord
	err := tx.Raw(`SELECT upheld, dismissed FROM reporter_records WHERE user_id = ?`, userID).Scan(&rec).Error
	if err != nil {
		return rec, fmt.Errorf("read the record of reporter %d: %w", userID, err)
	}
	return rec, nil
}

// ReporterRecordOf reads how a member's closed identifier reports turned
// out.
func (s *Store) ReporterRecordOf(ctx context.Context, userID int64) (ReporterRecord, error) {
	return reporterRecordOf(s.db.WithContext(ctx), userID)
}

// countOutcomes adds to the record of each reporter whose identifier
// reports just closed with resolution.
func countOutcomes(tx *gorm.DB, reporters []int64, resolution string) error {
	upheld, ok := upheldResolution(resolution)
	if !ok {
		return nil
	}
	up, down := 0, 1
	if upheld {
		up, down = 1, 0
	}
	for _, id := range reporters {
		err := tx.Exec(`INSERT INTO reporter_records (user_id, upheld, dismissed) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET upheld = reporter_records.upheld + excluded.upheld,
				dismissed = reporter_records.dismissed + excluded.dismissed`, id, up, down).Error
		if err != nil {
			return fmt.Errorf("record the outcome of member %d's report: %w", id, err)
		}
	}
	return nil
}

// openPHIReporters lists who has an open report that a post identifies a
// patient.
func openPHIReporters(tx *gorm.DB, postID int64) ([]int64, error) {
	var ids []int64
	err := tx.Model(&Flag{}).Where("post_id = ? AND reason = ? AND resolved_at IS NULL", postID, FlagPHI).
		Pluck("reporter_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list reporters of post %d: %w", postID, err)
	}
	return ids, nil
}
