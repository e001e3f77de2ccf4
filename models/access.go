package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// BoardAccess is what one member may do on one board.
type BoardAccess struct {
	Read     bool
	Post     bool
	Archived bool
	// Anonymous says the board lets members post anonymously.
	Anonymous bool
}

// CanStartOrReply says whether the member may add a topic or a reply.
func (a BoardAccess) CanStartOrReply() bool { return a.Read && a.Post && !a.Archived }

// inGroup is true when the member is in group g: listed by hand, or
// matched by profession or (case-insensitively) by specialty. It takes the
// member's id, profession and specialty.
var inGroup = inGroupOf("?", "?", "?")

// inGroupOf is inGroup for a member given as SQL expressions rather than
// parameters, such as the columns of a users row.
func inGroupOf(id, profession, specialty string) string {
	return `(EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.user_id = ` + id + `)
	OR (g.auto_profession <> '' AND g.auto_profession = ` + profession + `)
	OR (g.auto_specialty <> '' AND LOWER(g.auto_specialty) = LOWER(` + specialty + `)))`
}

// permittedSQL is the condition that a member may read (or post on, with
// column can_post) the board aliased b: a board with no groups for that
// right is open to every verified member. It takes the member's id,
// profession and specialty.
func permittedSQL(column string) string { return permittedWhen(column, inGroup) }

// permittedSQLFor is permittedSQL for the member in the users row aliased
// user, taking no parameters.
func permittedSQLFor(column, user string) string {
	return permittedWhen(column, inGroupOf(user+".id", user+".profession", user+".specialty"))
}

func permittedWhen(column, member string) string {
	return `(NOT EXISTS (SELECT 1 FROM board_groups bg WHERE bg.board_id = b.id AND bg.` + column + ` = TRUE)
	OR EXISTS (SELECT 1 FROM board_groups bg JOIN groups g ON g.id = bg.group_id
		WHERE bg.board_id = b.id AND bg.` + column + ` = TRUE AND ` + member + `))`
}

func permitted(column string, u *User) (string, []any) {
	return permittedSQL(column), []any{u.ID, u.Profession, u.Specialty}
}

// readable is the condition that the member may read the board aliased b.
// Moderators read every board, to moderate it.
func readable(u *User) (string, []any) {
	if u.IsModerator() {
		return "1 = 1", nil
	}
	return permitted("can_read", u)
}

// BoardAccessFor reads in one small prepared query what a member may do on
// a board; the topic page asks it on every view. A missing board is
// ErrNotFound.
func (s *Store) BoardAccessFor(ctx context.Context, u *User, boardID int64) (BoardAccess, error) {
	var a BoardAccess
	h, err := s.hot(ctx)
	if err != nil {
		return a, err
	}
	var r, p int
	err = s.inTx(ctx, h.access).QueryRowContext(ctx, u.IsModerator(),
		u.ID, u.Profession, u.Specialty, u.ID, u.Profession, u.Specialty, boardID).Scan(&a.Archived, &a.Anonymous, &r, &p)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("board %d: %w", boardID, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("check access to board %d: %w", boardID, err)
	}
	a.Read, a.Post = r == 1, r == 1 && p == 1
	return a, nil
}

// ReadableBoards lists the boards a member may read, in display order.
func (s *Store) ReadableBoards(ctx context.Context, u *User) ([]Board, error) {
	cond, args := readable(u)
	var boards []Board
	err := s.db.WithContext(ctx).Table("boards b").Select("b.*").Where(cond, args...).
		Order("b.position, b.title").Find(&boards).Error
	if err != nil {
		return nil, fmt.Errorf("list boards for member %d: %w", u.ID, err)
	}
	return boards, nil
}

// boardAccessSQL is BoardAccessFor's prepared statement (see hotQueries):
// every topic page checks its board's access. The first parameter lets a
// moderator read everything.
func boardAccessSQL() string {
	read, post := permittedSQL("can_read"), permittedSQL("can_post")
	return `SELECT b.archived, b.allow_anonymous, CASE WHEN ? OR ` + read + ` THEN 1 ELSE 0 END,
		CASE WHEN ` + post + ` THEN 1 ELSE 0 END FROM boards b WHERE b.id = ?`
}
