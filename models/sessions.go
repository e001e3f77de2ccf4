package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. ID is the SHA-256 of the token in the
// cookie, so a copy of the table cannot be replayed as a sign-in.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return fmt.Errorf("create session for user %d: %w", sess.UserID, err)
	}
	return nil
}

// SessionMember loads a live session and its member in one query.
func (s *Store) SessionMember(ctx context.Context, id string, now time.Time) (*Session, *User, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, nil, err
	}
	var sess Session
	var u User
	err = s.inTx(ctx, h.session).QueryRowContext(ctx, id, now).Scan(
		&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &sess.UserAgent,
		&u.ID, &u.Username, &u.DisplayName, &u.Profession, &u.Specialty, &u.Role, &u.Status,
		&u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("load session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	return &sess, &u, nil
}

// TouchSession records activity on a session, at most as often as the
// caller decides.
func (s *Store) TouchSession(ctx context.Context, id string, now time.Time) error {
	if err := s.db.WithContext(ctx).Exec(`UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, id).Error; err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE id = ?`, id).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute lifetime or
// idle for longer than idle, and says how many went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, now, now.Add(-idle))
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SessionsOf lists a member's live sessions, most recently used first.
func (s *Store) SessionsOf(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	var sessions []Session
	err := s.db.WithContext(ctx).Where("user_id = ? AND expires_at > ?", userID, now).
		Order("last_seen_at DESC").Find(&sessions).Error
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", userID, err)
	}
	return sessions, nil
}

// EndSessionOf ends one of a member's sessions; another member's session
// ID finds nothing.
func (s *Store) EndSessionOf(ctx context.Context, userID int64, id string) error {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, userID)
	if res.Error != nil {
		return fmt.Errorf("end session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("end session: %w", ErrNotFound)
	}
	return nil
}

// sessionMemberSQL is SessionMember's prepared statement (see
// hotQueries): every signed-in request reads its session and member.
const sessionMemberSQL = `
	SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent,
		u.id, u.username, u.display_name, u.profession, u.specialty, u.role, u.status,
		u.created_at, u.updated_at
	FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.id = ? AND s.expires_at > ?`
