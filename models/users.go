package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Role is what a member may do beyond reading and posting.
type Role string

const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Status is where a member stands in verification.
type Status string

const (
	StatusPending   Status = "pending"
	StatusApplied   Status = "applied"
	StatusVerified  Status = "verified"
	StatusRejected  Status = "rejected"
	StatusSuspended Status = "suspended"
)

// User is a member of Rounds: a clinician once verified.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Profession  string
	Specialty   string
	Role        Role
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Credentials follow the name on the profile ("MD, FACC"); the
	// member writes them. Institution is the verified one, or as the
	// member since changed it, shown only when ShowInstitution.
	Credentials     string
	Institution     string
	ShowInstitution bool
}

// IsVerified says whether the member may read and post.
func (u *User) IsVerified() bool { return u != nil && u.Status == StatusVerified }

// IsModerator says whether the member may moderate.
func (u *User) IsModerator() bool {
	return u != nil && u.IsVerified() && (u.Role == RoleModerator || u.Role == RoleAdmin)
}

// IsAdmin says whether the member may run the site.
func (u *User) IsAdmin() bool { return u != nil && u.IsVerified() && u.Role == RoleAdmin }

// CreateUser inserts a member.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	if u.Role == "" {
		u.Role = RoleMember
	}
	if u.Status == "" {
		u.Status = StatusPending
	}
	if err := s.db.WithContext(ctx).Create(u).Error; err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return nil
}

// UserByID loads one member.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Take(&u, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load user %d", id))
	}
	return &u, nil
}

// UserByUsername loads one member by their unique username.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("username = ?", username).Take(&u).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load user %q", username))
	}
	return &u, nil
}

// VerifiedUsers lists verified members by name, for the demo sign-in page.
func (s *Store) VerifiedUsers(ctx context.Context, limit int) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Where("status = ?", StatusVerified).
		Order("display_name").Limit(limit).Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("list verified users: %w", err)
	}
	return users, nil
}

// CountUsers counts every account.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetRole changes what a member may do, and ends all their sessions in the
// same transaction: a changed role takes effect at the next sign-in.
func (s *Store) SetRole(ctx context.Context, userID int64, role Role) error {
	switch role {
	case RoleMember, RoleModerator, RoleAdmin:
	default:
		return fmt.Errorf("set role of user %d: unknown role %q", userID, role)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"role": role, "updated_at": s.Now()})
		if res.Error != nil {
			return fmt.Errorf("set role of user %d: %w", userID, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("set role of user %d: %w", userID, ErrNotFound)
		}
		if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID).Error; err != nil {
			return fmt.Errorf("end sessions of user %d: %w", userID, err)
		}
		// Roles change from the operator's command line: no member acted.
		return recordAudit(tx, &AuditEvent{Action: "user.role", SubjectType: "user", SubjectID: userID,
			Reason: "role set to " + string(role)})
	})
}

// UsersByEmail finds the members who signed in with an address, as their
// providers reported it, for operators' commands.
func (s *Store) UsersByEmail(ctx context.Context, email string) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Where("id IN (SELECT user_id FROM identities WHERE email = ?)", email).
		Order("id").Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("find users with email %q: %w", email, err)
	}
	return users, nil
}
