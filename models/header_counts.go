package models

import (
	"context"
	"fmt"
)

// MemberCounts is what the header tells a member on every page.
type MemberCounts struct {
	// Unread counts what the notifications list would show unread: posts
	// still visible in boards the member may still read.
	Unread int64
	// Warnings counts the moderators' warnings the member has not read.
	Warnings int64
	// Reported counts, for a moderator, the posts waiting for review,
	// and the reported messages of consults.
	Reported int64
	// ToVerify counts, for a moderator, the posts among them reported as
	// identifying a patient, which wait for a moderator to verify.
	ToVerify int64
	// Applications counts, for a moderator, the members' applications for
	// verification waiting for a decision, and verified members' changes
	// of what their verification rested on (see ProfileChange).
	Applications int64
}

// CountsFor reads a member's header counts in one prepared statement.
func (s *Store) CountsFor(ctx context.Context, u *User) (MemberCounts, error) {
	var c MemberCounts
	h, err := s.hot(ctx)
	if err != nil {
		return c, err
	}
	mod := u.IsModerator()
	err = s.inTx(ctx, h.counts).QueryRowContext(ctx, u.ID, mod, u.ID, u.Profession, u.Specialty, u.ID, mod, mod, mod).
		Scan(&c.Unread, &c.Warnings, &c.Reported, &c.ToVerify, &c.Applications)
	if err != nil {
		return c, fmt.Errorf("count notifications of member %d: %w", u.ID, err)
	}
	return c, nil
}

// memberCountsSQL is CountsFor's prepared statement (see hotQueries): the
// header's counts on every page. Unread notifications of posts still there
// in boards the member may still read, unread warnings, and for moderators
// the posts waiting for review and, among them, the reports of a patient
// identifier waiting to be verified, and the applications and profile
// changes waiting for a decision. The second and the last three parameters say whether the
// member is a moderator.
func memberCountsSQL(engine Engine) string {
	read := permittedSQL("can_read")
	return `SELECT
		(SELECT COUNT(*) FROM notifications n JOIN topics t ON t.id = n.topic_id JOIN boards b ON b.id = t.board_id
			JOIN posts p ON p.id = n.post_id ` + openingPostJoin(engine) + `
			WHERE n.user_id = ? AND n.read_at IS NULL AND p.deleted_at IS NULL AND p.hidden_at IS NULL
			AND (? OR (` + openerShown + ` AND ` + read + `))),
		(SELECT COUNT(*) FROM member_warnings w WHERE w.user_id = ? AND w.seen_at IS NULL),
		CASE WHEN ? THEN (SELECT COUNT(DISTINCT f.post_id) FROM flags f WHERE f.resolved_at IS NULL)
			+ (SELECT COUNT(DISTINCT r.message_id) FROM consult_reports r WHERE r.resolved_at IS NULL) ELSE 0 END,
		CASE WHEN ? THEN (SELECT COUNT(DISTINCT f.post_id) FROM flags f
			WHERE f.resolved_at IS NULL AND f.reason = 'phi') ELSE 0 END,
		CASE WHEN ? THEN (SELECT COUNT(*) FROM verifications v WHERE v.status = '` + string(VerificationSubmitted) + `')
			+ (SELECT COUNT(*) FROM profile_changes c WHERE c.status = '` + ProfileChangePending + `') ELSE 0 END`
}
