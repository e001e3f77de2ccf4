package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Identity is a member's account at a sign-in provider.
type Identity struct {
	ID            int64
	UserID        int64
	Provider      string
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	CreatedAt     time.Time
	LastUsedAt    time.Time
}

// LoginAttempt is a sign-in between leaving for the provider and coming
// back. ID is the SHA-256 of the state sent to the provider; Browser the
// hash of the cookie of the browser that started it.
type LoginAttempt struct {
	ID        string
	Browser   string
	Provider  string
	Nonce     string
	Verifier  string
	ReturnTo  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateLoginAttempt records an attempt about to leave for its provider.
func (s *Store) CreateLoginAttempt(ctx context.Context, a *LoginAttempt) error {
	if err := s.db.WithContext(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("record login attempt: %w", err)
	}
	return nil
}

// TakeLoginAttempt removes and returns a live attempt: each can be used
// once, and an expired one is as good as missing.
func (s *Store) TakeLoginAttempt(ctx context.Context, id string, now time.Time) (*LoginAttempt, error) {
	var a LoginAttempt
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&a).Error; err != nil {
			return notFound(err, "load login attempt")
		}
		res := tx.Exec(`DELETE FROM login_attempts WHERE id = ?`, id)
		if res.Error != nil {
			return fmt.Errorf("use login attempt: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("login attempt already used: %w", ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !a.ExpiresAt.After(now) {
		return nil, fmt.Errorf("login attempt expired: %w", ErrNotFound)
	}
	return &a, nil
}

// DeleteExpiredLoginAttempts removes attempts nobody came back from.
func (s *Store) DeleteExpiredLoginAttempts(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM login_attempts WHERE expires_at <= ?`, now)
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired login attempts: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SignIn finds the member behind a provider identity, or creates a new
// pending one with that identity, in one transaction. It refreshes the
// identity's email as the provider now reports it. created says whether
// the account is new.
func (s *Store) SignIn(ctx context.Context, id Identity, newUser User) (user *User, created bool, err error) {
	now := s.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing Identity
		err := tx.Where("provider = ? AND issuer = ? AND subject = ?", id.Provider, id.Issuer, id.Subject).Take(&existing).Error
		switch {
		case err == nil:
			if err := tx.Model(&Identity{}).Where("id = ?", existing.ID).Updates(map[string]any{
				"email": id.Email, "email_verified": id.EmailVerified, "last_used_at": now}).Error; err != nil {
				return fmt.Errorf("update identity: %w", err)
			}
			var u User
			if err := tx.Take(&u, existing.UserID).Error; err != nil {
				return notFound(err, "load user of identity")
			}
			user = &u
			return nil
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("find identity: %w", err)
		}
		u := newUser
		u.CreatedAt, u.UpdatedAt = now, now
		if u.Role == "" {
			u.Role = RoleMember
		}
		if u.Status == "" {
			u.Status = StatusPending
		}
		if err := tx.Create(&u).Error; err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		id.ID, id.UserID, id.CreatedAt, id.LastUsedAt = 0, u.ID, now, now
		if err := tx.Create(&id).Error; err != nil {
			return fmt.Errorf("create identity: %w", err)
		}
		user, created = &u, true
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("sign in through %s: %w", id.Provider, err)
	}
	return user, created, nil
}

// UsernameTaken says whether a username is in use, for choosing one for a
// new member.
func (s *Store) UsernameTaken(ctx context.Context, username string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Where("username = ?", username).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check username: %w", err)
	}
	return n > 0, nil
}

// LinkIdentity attaches an identity to an existing member unless it is
// already attached; the demo uses it to give its invented members an
// account at its own provider.
func (s *Store) LinkIdentity(ctx context.Context, userID int64, id Identity) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO identities
		(user_id, provider, issuer, subject, email, email_verified, created_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, issuer, subject) DO NOTHING`,
		userID, id.Provider, id.Issuer, id.Subject, id.Email, id.EmailVerified, now, now).Error
	if err != nil {
		return fmt.Errorf("link identity to user %d: %w", userID, err)
	}
	return nil
}
