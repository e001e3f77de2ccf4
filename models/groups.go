package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrTaken is a name or slug another board or group already has.
var ErrTaken = errors.New("already taken")

// Group is a named set of members, such as Cardiology or Nursing, used to
// open or close boards. Members are listed by hand or matched by
// profession or specialty.
type Group struct {
	ID             int64
	Name           string
	Description    string
	AutoProfession string
	AutoSpecialty  string
	CreatedAt      time.Time
}

// GroupMember is a member listed in a group by hand.
type GroupMember struct {
	UserID      int64
	Username    string
	DisplayName string
	Profession  string
	Specialty   string
}

// BoardGroup is one group's rights on a board.
type BoardGroup struct {
	BoardID int64
	GroupID int64
	CanRead bool
	CanPost bool
}

// isUniqueViolation recognises a unique index refusing a row on either
// engine.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "23505") ||
		strings.Contains(msg, "duplicate key")
}

// Groups lists every group by name.
func (s *Store) Groups(ctx context.Context) ([]Group, error) {
	var groups []Group
	if err := s.db.WithContext(ctx).Order("name").Find(&groups).Error; err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return groups, nil
}

// GroupByID loads one group.
func (s *Store) GroupByID(ctx context.Context, id int64) (*Group, error) {
	var g Group
	if err := s.db.WithContext(ctx).Take(&g, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load group %d", id))
	}
	return &g, nil
}

// SaveGroup inserts a group (ID 0) or updates one; a name in use by
// another group is ErrTaken.
func (s *Store) SaveGroup(ctx context.Context, g *Group) error {
	var n int64
	db := s.db.WithContext(ctx)
	if err := db.Model(&Group{}).Where("LOWER(name) = LOWER(?) AND id <> ?", g.Name, g.ID).Count(&n).Error; err != nil {
		return fmt.Errorf("check group name %q: %w", g.Name, err)
	}
	if n > 0 {
		return fmt.Errorf("group %q: %w", g.Name, ErrTaken)
	}
	var err error
	if g.ID == 0 {
		if g.CreatedAt.IsZero() {
			g.CreatedAt = s.Now()
		}
		err = db.Create(g).Error
	} else {
		err = db.Model(g).Select("name", "description", "auto_profession", "auto_specialty").Updates(g).Error
	}
	if err != nil && isUniqueViolation(err) {
		return fmt.Errorf("group %q: %w", g.Name, ErrTaken)
	}
	if err != nil {
		return fmt.Errorf("save group %q: %w", g.Name, err)
	}
	return nil
}

// GroupMembers lists the members added to a group by hand.
func (s *Store) GroupMembers(ctx context.Context, groupID int64) ([]GroupMember, error) {
	var members []GroupMember
	err := s.db.WithContext(ctx).Table("group_members gm").
		Select("u.id AS user_id, u.username, u.display_name, u.profession, u.specialty").
		Joins("JOIN users u ON u.id = gm.user_id").Where("gm.group_id = ?", groupID).
		Order("u.display_name, u.id").Scan(&members).Error
	if err != nil {
		return nil, fmt.Errorf("list members of group %d: %w", groupID, err)
	}
	return members, nil
}

// AddGroupMember lists a member in a group; adding them twice changes
// nothing.
func (s *Store) AddGroupMember(ctx context.Context, groupID, userID int64) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO group_members (group_id, user_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (group_id, user_id) DO NOTHING`, groupID, userID, s.Now()).Error
	if err != nil {
		return fmt.Errorf("add member %d to group %d: %w", userID, groupID, err)
	}
	return nil
}

// RemoveGroupMember takes a member off a group's list.
func (s *Store) RemoveGroupMember(ctx context.Context, groupID, userID int64) error {
	err := s.db.WithContext(ctx).Exec(`DELETE FROM group_members WHERE group_id = ? AND user_id = ?`, groupID, userID).Error
	if err != nil {
		return fmt.Errorf("remove member %d from group %d: %w", userID, groupID, err)
	}
	return nil
}

// BoardGroups lists the groups with rights on a board.
func (s *Store) BoardGroups(ctx context.Context, boardID int64) ([]BoardGroup, error) {
	var rows []BoardGroup
	err := s.db.WithContext(ctx).Table("board_groups").Where("board_id = ?", boardID).
		Order("group_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list groups of board %d: %w", boardID, err)
	}
	return rows, nil
}

// SetBoardGroups replaces which groups may read and which may post on a
// board, in one transaction. Empty read opens the board to every verified
// member; empty post lets every reader post.
func (s *Store) SetBoardGroups(ctx context.Context, boardID int64, read, post []int64) error {
	rights := map[int64]*BoardGroup{}
	at := func(id int64) *BoardGroup {
		if rights[id] == nil {
			rights[id] = &BoardGroup{BoardID: boardID, GroupID: id}
		}
		return rights[id]
	}
	for _, id := range read {
		at(id).CanRead = true
	}
	for _, id := range post {
		at(id).CanPost = true
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM board_groups WHERE board_id = ?`, boardID).Error; err != nil {
			return err
		}
		for _, r := range rights {
			if err := tx.Exec(`INSERT INTO board_groups (board_id, group_id, can_read, can_post) VALUES (?, ?, ?, ?)`,
				r.BoardID, r.GroupID, r.CanRead, r.CanPost).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set groups of board %d: %w", boardID, err)
	}
	return nil
}

// UpdateBoard saves a board's title, slug, description, position and
// archived flag; a slug in use by another board is ErrTaken.
func (s *Store) UpdateBoard(ctx context.Context, b *Board) error {
	var n int64
	db := s.db.WithContext(ctx)
	if err := db.Model(&Board{}).Where("slug = ? AND id <> ?", b.Slug, b.ID).Count(&n).Error; err != nil {
		return fmt.Errorf("check board slug %q: %w", b.Slug, err)
	}
	if n > 0 {
		return fmt.Errorf("board %q: %w", b.Slug, ErrTaken)
	}
	res := db.Model(b).Select("title", "slug", "description", "position", "archived", "allow_anonymous").Updates(b)
	if res.Error != nil && isUniqueViolation(res.Error) {
		return fmt.Errorf("board %q: %w", b.Slug, ErrTaken)
	}
	if res.Error != nil {
		return fmt.Errorf("update board %d: %w", b.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("board %d: %w", b.ID, ErrNotFound)
	}
	return nil
}
