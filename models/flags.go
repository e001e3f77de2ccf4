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
		res := tx.Exec(`UPDATE posts SET hidden_at = ?, hidden_by_id = NULL, hidden_reason = ?
			WHERE id = ? AND hidden_at IS NULL`, now, PendingPHIReason, post.ID)
		if res.Error != nil {
			return fmt.Errorf("hide post: %w", res.Error)
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
		n, err := resolveFlags(tx, postID, moderatorID, "dismissed", now)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil // nothing open: someone else reviewed it first
		}
		// Only a hide by a report is undone; a moderator's hide stands.
		res := tx.Exec(`UPDATE posts SET hidden_at = NULL, hidden_reason = ''
			WHERE id = ? AND hidden_at IS NOT NULL AND hidden_by_id IS NULL`, postID)
		if res.Error != nil {
			return fmt.Errorf("show post again: %w", res.Error)
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

// ReviewItem is one reported post in the review queue.
type ReviewItem struct {
	PostID     int64
	PostNumber int
	TopicID    int64
	TopicTitle string
	BoardSlug  string
	BoardTitle string
	// AuthorName is empty for an anonymous post, which the queue shows
	// by its label.
	AuthorName  string
	Anonymous   bool
	AnonymousAs string
	// Cooked is the post's HTML, for an excerpt.
	Cooked         string
	Hidden         bool
	FirstFlaggedAt time.Time
	Flags          int
	// Identifier says a member reported that the post identifies a
	// patient: the report waits for a moderator to verify it, ahead of
	// every other.
	Identifier bool
	// Reasons are the open reports' reasons, most reported first.
	Reasons []FlagReason `gorm:"-"`
}

// Byline is the author as the queue shows them: anonymous posts stay
// anonymous until a moderator reveals the author.
func (r *ReviewItem) Byline() string {
	if r.Anonymous {
		return AnonymousAuthor(r.AnonymousAs)
	}
	return r.AuthorName
}

// Urgent says members may still be reading what a report says identifies
// a patient: nothing has hidden the post yet.
func (r *ReviewItem) Urgent() bool { return r.Identifier && !r.Hidden }

// ReviewQueue lists up to limit posts with open reports: those reported as
// identifying a patient first (the ones still shown to members before the
// hidden ones), then the rest, each the longest waiting first.
func (s *Store) ReviewQueue(ctx context.Context, limit int) ([]ReviewItem, error) {
	var items []ReviewItem
	err := s.db.WithContext(ctx).Raw(`
		SELECT q.post_id, p.number AS post_number, p.topic_id, t.title AS topic_title, b.slug AS board_slug,
			b.title AS board_title, `+shownAuthor("p", "u.display_name")+` AS author_name, p.anonymous, p.anonymous_as,
			p.cooked, p.hidden_at IS NOT NULL AS hidden, first.created_at AS first_flagged_at, q.flags,
			q.identifier = 1 AS identifier
		FROM (SELECT post_id, MIN(id) AS first_id, COUNT(*) AS flags,
				MAX(CASE WHEN reason = ? THEN 1 ELSE 0 END) AS identifier
			FROM flags WHERE resolved_at IS NULL GROUP BY post_id) q
		JOIN flags first ON first.id = q.first_id
		JOIN posts p ON p.id = q.post_id
		JOIN topics t ON t.id = p.topic_id
		JOIN boards b ON b.id = t.board_id
		JOIN users u ON u.id = p.author_id
		ORDER BY q.identifier DESC, CASE WHEN q.identifier = 1 AND p.hidden_at IS NULL THEN 0 ELSE 1 END, q.first_id
		LIMIT ?`, FlagPHI, limit).Scan(&items).Error
	if err != nil {
		return nil, fmt.Errorf("list the review queue: %w", err)
	}
	if len(items) == 0 {
		return items, nil
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].PostID
	}
	var counts []struct {
		PostID int64
		Reason FlagReason
		N      int
	}
	err = s.db.WithContext(ctx).Raw(`SELECT post_id, reason, COUNT(*) AS n FROM flags
		WHERE resolved_at IS NULL AND post_id IN ? GROUP BY post_id, reason ORDER BY n DESC, reason`, ids).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count reasons in the review queue: %w", err)
	}
	byPost := make(map[int64]int, len(items))
	for i := range items {
		byPost[items[i].PostID] = i
	}
	for _, c := range counts {
		i := byPost[c.PostID]
		items[i].Reasons = append(items[i].Reasons, c.Reason)
	}
	return items, nil
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
