package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm/clause"
)

// MentionCandidatesMax is how many members the composer suggests at once.
const MentionCandidatesMax = 8

// A MentionCandidate is a member the composer suggests for an @mention.
type MentionCandidate struct {
	Username    string
	DisplayName string
	Specialty   string
}

// likeEscaped is typed text in a LIKE pattern, its own % and _ taken
// literally.
func likeEscaped(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// MentionCandidates lists the verified members who may read a board whose
// username, or a word of whose display name, starts with prefix (in any
// case): "pri" finds @priya and Priya Nair. At most limit are listed,
// those whose username matches first. Nothing about posts is read, so
// nobody's anonymous posts are told apart from their others.
func (s *Store) MentionCandidates(ctx context.Context, boardID int64, prefix string, limit int) ([]MentionCandidate, error) {
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "@"))
	if prefix == "" {
		return nil, nil
	}
	starts := likeEscaped(prefix) + "%"
	word := "% " + starts
	var out []MentionCandidate
	err := s.db.WithContext(ctx).Table("users u").Joins("JOIN boards b ON b.id = ?", boardID).
		Select("u.username, u.display_name, u.specialty").
		Where("u.status = ?", StatusVerified).
		Where("(u.role IN ? OR "+permittedSQLFor("can_read", "u")+")", []Role{RoleModerator, RoleAdmin}).
		Where(`(LOWER(u.username) LIKE ? ESCAPE '\' OR LOWER(u.display_name) LIKE ? ESCAPE '\' OR LOWER(u.display_name) LIKE ? ESCAPE '\')`,
			starts, starts, word).
		Order(clause.OrderBy{Expression: clause.Expr{SQL: `CASE WHEN LOWER(u.username) LIKE ? ESCAPE '\' THEN 0 ELSE 1 END, u.username`,
			Vars: []any{starts}, WithoutParentheses: true}}).Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("find members to mention on board %d: %w", boardID, err)
	}
	return out, nil
}

// MembersWithProfiles says which of the usernames belong to members with a
// profile to link a mention to: verified, or suspended for a while.
func (s *Store) MembersWithProfiles(ctx context.Context, usernames []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(usernames) == 0 {
		return out, nil
	}
	var found []string
	err := s.db.WithContext(ctx).Model(&User{}).Where("username IN ? AND status IN ?", usernames, []Status{StatusVerified, StatusSuspended}).
		Pluck("username", &found).Error
	if err != nil {
		return nil, fmt.Errorf("find the members mentioned: %w", err)
	}
	for _, name := range found {
		out[name] = true
	}
	return out, nil
}

// UsernamesWithProfiles lists the usernames of every member with a
// profile, for the one-time job that links the mentions of stored posts.
func (s *Store) UsernamesWithProfiles(ctx context.Context) (map[string]bool, error) {
	var names []string
	err := s.db.WithContext(ctx).Model(&User{}).Where("status IN ?", []Status{StatusVerified, StatusSuspended}).
		Pluck("username", &names).Error
	if err != nil {
		return nil, fmt.Errorf("list the members with a profile: %w", err)
	}
	out := make(map[string]bool, len(names))
	for _, name := range names {
		out[name] = true
	}
	return out, nil
}
