package models

import (
	"context"
	"fmt"
	"time"
)

// Board is a place for one kind of discussion, such as Cardiology or Cases.
type Board struct {
	ID          int64
	Slug        string
	Title       string
	Description string
	Position    int
	// Archived boards stay readable but take no new topics or replies.
	Archived bool
	// AllowAnonymous lets members post as "Anonymous {specialty}".
	AllowAnonymous bool
	TopicCount     int64
	PostCount      int64
	LastPostAt     *time.Time
	CreatedAt      time.Time
}

// Boards lists every board in display order.
func (s *Store) Boards(ctx context.Context) ([]Board, error) {
	var boards []Board
	if err := s.db.WithContext(ctx).Order("position, title").Find(&boards).Error; err != nil {
		return nil, fmt.Errorf("list boards: %w", err)
	}
	return boards, nil
}

// BoardBySlug loads one board.
func (s *Store) BoardBySlug(ctx context.Context, slug string) (*Board, error) {
	var b Board
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&b).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load board %q", slug))
	}
	return &b, nil
}

// BoardByID loads one board.
func (s *Store) BoardByID(ctx context.Context, id int64) (*Board, error) {
	var b Board
	if err := s.db.WithContext(ctx).Take(&b, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load board %d", id))
	}
	return &b, nil
}

// CreateBoard inserts a board.
func (s *Store) CreateBoard(ctx context.Context, b *Board) error {
	if err := s.db.WithContext(ctx).Create(b).Error; err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("board %q: %w", b.Slug, ErrTaken)
		}
		return fmt.Errorf("create board %q: %w", b.Slug, err)
	}
	return nil
}
