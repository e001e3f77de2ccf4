package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Profile is a member as their peers see them: their verified name,
// profession and specialty, how and when they were verified (the kind of
// evidence, never the evidence), and how much they wrote that the viewer
// may read. Anonymous posts count nowhere on a profile.
type Profile struct {
	User User
	// VerifiedAt is when their application was approved, and VerifiedBy
	// the kind of evidence it rested on (a VerifiedBy constant); both
	// are empty for a member verified from the command line.
	VerifiedAt *time.Time
	VerifiedBy string
	Topics     int64
	Replies    int64
	// Helpful, Agree and Thanks count the reactions received on those
	// same posts: never on an anonymous one.
	Helpful, Agree, Thanks int64
}

// ProfilePost is one of a member's posts as their profile lists it.
type ProfilePost struct {
	PostID     int64
	Number     int
	CreatedAt  time.Time
	Hidden     bool // shown to moderators only, marked
	TopicID    int64
	TopicTitle string
	TopicSlug  string
	BoardSlug  string
	BoardTitle string
}

// ProfileKind narrows a profile's list of posts.
type ProfileKind string

const (
	ProfileAll     ProfileKind = ""
	ProfileTopics  ProfileKind = "topics"
	ProfileReplies ProfileKind = "replies"
)

// profilePostsFrom is the posts a viewer may see on a member's profile: the
// member's own, signed posts (never an anonymous one), not deleted, on
// boards the viewer may read and, unless the viewer moderates, neither
// hidden nor in a topic whose opening post is hidden. It takes the
// author's id, then the arguments of the board condition.
func profilePostsFrom(engine Engine, viewer *User) (string, []any) {
	cond, args := readable(viewer)
	q := `FROM posts p JOIN topics t ON t.id = p.topic_id JOIN boards b ON b.id = t.board_id
		` + openingPostJoin(engine) + `
		WHERE p.author_id = ? AND p.anonymous = ? AND p.deleted_at IS NULL AND ` + cond
	if !viewer.IsModerator() {
		q += ` AND p.hidden_at IS NULL AND ` + openerShown
	}
	return q, append([]any{false}, args...)
}

// ProfileOf loads a verified (or suspended) member's profile by username,
// with the counts the viewer may see. A member not yet verified has no
// profile: ErrNotFound.
func (s *Store) ProfileOf(ctx context.Context, viewer *User, username string) (*Profile, error) {
	db := s.db.WithContext(ctx)
	var p Profile
	err := db.Where("username = ? AND status IN ?", username, []Status{StatusVerified, StatusSuspended}).Take(&p.User).Error
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("load the profile of %q", username))
	}
	var v Verification
	err = db.Select("decided_at", "method").Where("user_id = ? AND status = ?", p.User.ID, VerificationApproved).Take(&v).Error
	switch {
	case err == nil:
		p.VerifiedAt, p.VerifiedBy = v.DecidedAt, v.Method
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, fmt.Errorf("load the verification of %q: %w", username, err)
	}
	// The counts are kept per board (profile_counts.go); the viewer's
	// access to each board is applied here.
	cols := `c.topics, c.replies, c.helpful, c.agree, c.thanks`
	if viewer.IsModerator() {
		cols = `c.topics + c.hidden_topics, c.replies + c.hidden_replies, c.helpful + c.hidden_helpful,
			c.agree + c.hidden_agree, c.thanks + c.hidden_thanks`
	}
	sums := ""
	for i, col := range strings.Split(cols, ",") {
		if i > 0 {
			sums += ", "
		}
		sums += "COALESCE(SUM(" + col + "), 0)"
	}
	cond, args := readable(viewer)
	err = db.Raw(`SELECT `+sums+` FROM member_board_counts c JOIN boards b ON b.id = c.board_id
		WHERE c.user_id = ? AND `+cond, append([]any{p.User.ID}, args...)...).Row().
		Scan(&p.Topics, &p.Replies, &p.Helpful, &p.Agree, &p.Thanks)
	if err != nil {
		return nil, fmt.Errorf("count the posts of %q: %w", username, err)
	}
	return &p, nil
}

// ProfilePosts lists one page of a member's posts that the viewer may see
// on their profile, newest first, below the post id before (0 for the
// first page), and says whether more follow.
func (s *Store) ProfilePosts(ctx context.Context, viewer *User, authorID int64, kind ProfileKind, before int64, limit int) ([]ProfilePost, bool, error) {
	from, args := profilePostsFrom(s.engine, viewer)
	q := `SELECT p.id AS post_id, p.number, p.created_at, p.hidden_at IS NOT NULL AS hidden,
		t.id AS topic_id, t.title AS topic_title, t.slug AS topic_slug, b.slug AS board_slug, b.title AS board_title ` + from
	args = append([]any{authorID}, args...)
	switch kind {
	case ProfileTopics:
		q += ` AND p.number = 1`
	case ProfileReplies:
		q += ` AND p.number > 1`
	}
	if before > 0 {
		q += ` AND p.id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY p.id DESC LIMIT ?`
	args = append(args, limit+1)
	var out []ProfilePost
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, false, fmt.Errorf("list the posts of member %d: %w", authorID, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// ProfileChange is a verified member's request to change the name,
// profession or specialty their verification rested on. Until a moderator
// approves it, their profile keeps the verified values.
type ProfileChange struct {
	ID          int64
	UserID      int64
	DisplayName string
	Profession  string
	Specialty   string
	Status      string // pending, approved, rejected or withdrawn
	SubmittedAt time.Time
	DecidedByID *int64
	DecidedAt   *time.Time
	Reason      string
}

// The states of a profile change.
const (
	ProfileChangePending   = "pending"
	ProfileChangeApproved  = "approved"
	ProfileChangeRejected  = "rejected"
	ProfileChangeWithdrawn = "withdrawn"
)

// ProfileEdit is what a member may change on their profile. Credentials,
// institution and whether to show it take effect at once; a different
// name, profession or specialty waits for a moderator.
type ProfileEdit struct {
	DisplayName     string
	Credentials     string
	Profession      string
	Specialty       string
	Institution     string
	ShowInstitution bool
}

// UpdateProfile saves a member's profile. A changed name, profession or
// specialty replaces any change still waiting and goes to the moderators
// (pending says so); giving back the verified values withdraws a waiting
// change.
func (s *Store) UpdateProfile(ctx context.Context, userID int64, e ProfileEdit) (pending bool, err error) {
	now := s.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err, "load member")
		}
		err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
			"credentials": e.Credentials, "institution": e.Institution, "show_institution": e.ShowInstitution,
			"updated_at": now}).Error
		if err != nil {
			return fmt.Errorf("save profile: %w", err)
		}
		err = tx.Model(&ProfileChange{}).Where("user_id = ? AND status = ?", userID, ProfileChangePending).
			Updates(map[string]any{"status": ProfileChangeWithdrawn, "decided_at": now}).Error
		if err != nil {
			return fmt.Errorf("withdraw the waiting change: %w", err)
		}
		if e.DisplayName == u.DisplayName && e.Profession == u.Profession && e.Specialty == u.Specialty {
			return nil
		}
		pending = true
		change := ProfileChange{UserID: userID, DisplayName: e.DisplayName, Profession: e.Profession,
			Specialty: e.Specialty, Status: ProfileChangePending, SubmittedAt: now}
		if err := tx.Create(&change).Error; err != nil {
			return fmt.Errorf("queue the change for the moderators: %w", err)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("update the profile of member %d: %w", userID, err)
	}
	return pending, nil
}

// ProfileChangesOf lists a member's profile changes, newest first.
func (s *Store) ProfileChangesOf(ctx context.Context, userID int64, limit int) ([]ProfileChange, error) {
	var out []ProfileChange
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list the profile changes of member %d: %w", userID, err)
	}
	return out, nil
}

// QueuedProfileChange is a waiting change with the member's verified
// values beside it.
type QueuedProfileChange struct {
	ProfileChange
	Username           string
	CurrentName        string
	CurrentProfession  string
	CurrentSpecialty   string
	CurrentInstitution string
}

// ProfileChangeQueue lists the changes waiting for a moderator, oldest
// first.
func (s *Store) ProfileChangeQueue(ctx context.Context, limit int) ([]QueuedProfileChange, error) {
	var out []QueuedProfileChange
	err := s.db.WithContext(ctx).Raw(`SELECT c.*, u.username, u.display_name AS current_name,
			u.profession AS current_profession, u.specialty AS current_specialty, u.institution AS current_institution
		FROM profile_changes c JOIN users u ON u.id = c.user_id
		WHERE c.status = ? ORDER BY c.submitted_at, c.id LIMIT ?`, ProfileChangePending, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list waiting profile changes: %w", err)
	}
	return out, nil
}

// DecideProfileChange approves (applying it to the member) or rejects a
// waiting change, and writes the decision to the audit log in the same
// transaction. A moderator cannot decide their own change; one already
// decided or withdrawn is ErrConflict.
func (s *Store) DecideProfileChange(ctx context.Context, moderator *User, changeID int64, approve bool, reason string) (*ProfileChange, error) {
	now := s.Now()
	var c ProfileChange
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&c, changeID).Error; err != nil {
			return notFound(err, "load the change")
		}
		if c.UserID == moderator.ID {
			return ErrNotModeratable
		}
		var u User
		if err := tx.Take(&u, c.UserID).Error; err != nil {
			return notFound(err, "load member")
		}
		status := ProfileChangeRejected
		if approve {
			status = ProfileChangeApproved
		}
		res := tx.Model(&ProfileChange{}).Where("id = ? AND status = ?", c.ID, ProfileChangePending).
			Updates(map[string]any{"status": status, "decided_by_id": moderator.ID, "decided_at": now, "reason": reason})
		if res.Error != nil {
			return fmt.Errorf("decide: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("the change is already %s: %w", c.Status, ErrConflict)
		}
		c.Status, c.DecidedByID, c.DecidedAt, c.Reason = status, &moderator.ID, &now, reason
		if approve {
			err := tx.Model(&User{}).Where("id = ?", c.UserID).Updates(map[string]any{"display_name": c.DisplayName,
				"profession": c.Profession, "specialty": c.Specialty, "updated_at": now}).Error
			if err != nil {
				return fmt.Errorf("apply the change: %w", err)
			}
		}
		note := profileChangeNote(&u, &c)
		if reason != "" {
			note += ": " + reason
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderator.ID, Action: "profile." + status,
			SubjectType: "user", SubjectID: c.UserID, Reason: note, CreatedAt: now})
	})
	if err != nil {
		return nil, fmt.Errorf("decide profile change %d: %w", changeID, err)
	}
	return &c, nil
}

// profileChangeNote says in one line what a change changes, for the log.
func profileChangeNote(u *User, c *ProfileChange) string {
	var parts []string
	add := func(what, from, to string) {
		if from != to {
			parts = append(parts, what+" “"+from+"” → “"+to+"”")
		}
	}
	add("name", u.DisplayName, c.DisplayName)
	add("profession", u.Profession, c.Profession)
	add("specialty", u.Specialty, c.Specialty)
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}
