package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A ReactionKind is one of the few reactions a member can give a post:
// a small fixed set that says something useful among clinicians.
type ReactionKind string

// The reactions, in the order posts show them.
const (
	ReactHelpful ReactionKind = "helpful"
	ReactAgree   ReactionKind = "agree"
	ReactThanks  ReactionKind = "thanks"
)

// ReactionKinds lists every reaction in display order.
var ReactionKinds = []ReactionKind{ReactHelpful, ReactAgree, ReactThanks}

// Valid says whether k is one of ReactionKinds.
func (k ReactionKind) Valid() bool {
	for _, r := range ReactionKinds {
		if k == r {
			return true
		}
	}
	return false
}

// Label is how the page names the reaction.
func (k ReactionKind) Label() string {
	switch k {
	case ReactHelpful:
		return "Helpful"
	case ReactAgree:
		return "Agree"
	case ReactThanks:
		return "Thanks"
	}
	return string(k)
}

// NotifyReaction tells a post's author that members reacted to it. One
// unread notification stands for every reaction since the author last
// read one, so reactions arrive in batches, not one by one.
const NotifyReaction = "reaction"

// ToggleReaction gives the member's reaction of this kind to a post, or
// takes it back if they gave it already, and says which it did. The post's
// author hears of a new reaction through their one unread reaction
// notification for the post. Whether the member may read the post is the
// caller's to check.
func (s *Store) ToggleReaction(ctx context.Context, userID, postID int64, kind ReactionKind) (added bool, err error) {
	if !kind.Valid() {
		return false, fmt.Errorf("reaction %q: %w", kind, ErrNotFound)
	}
	now := s.Now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Select("id", "topic_id", "author_id").Take(&post, postID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load post %d", postID))
		}
		if post.AuthorID == userID {
			return ErrOwnPost
		}
		err := recountPost(tx, postID, func() error {
			res := tx.Exec(`DELETE FROM post_reactions WHERE post_id = ? AND user_id = ? AND kind = ?`, postID, userID, string(kind))
			if res.Error != nil || res.RowsAffected > 0 {
				return res.Error
			}
			added = true
			return tx.Exec(`INSERT INTO post_reactions (post_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)`,
				postID, userID, string(kind), now).Error
		})
		if err != nil || !added {
			return err
		}
		return notifyReaction(tx, &post, now)
	})
	if err != nil {
		return false, fmt.Errorf("react %s to post %d: %w", kind, postID, err)
	}
	return added, nil
}

// notifyReaction makes sure the author has one unread reaction
// notification for the post, moved up to now so it shows as new.
func notifyReaction(tx *gorm.DB, post *Post, now time.Time) error {
	res := tx.Model(&Notification{}).
		Where("user_id = ? AND post_id = ? AND kind = ? AND read_at IS NULL", post.AuthorID, post.ID, NotifyReaction).
		Update("created_at", now)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	var author User
	if err := tx.Take(&author, post.AuthorID).Error; err != nil {
		return err
	}
	if !author.IsVerified() {
		return nil
	}
	n := Notification{UserID: post.AuthorID, Kind: NotifyReaction, TopicID: post.TopicID, PostID: &post.ID, CreatedAt: now}
	return tx.Create(&n).Error
}

// ReactionCount is how many members gave a post one reaction, and whether
// the viewer is among them.
type ReactionCount struct {
	Kind  ReactionKind
	Count int
	Mine  bool
}

// ReactionsOn counts the reactions on each of the given posts, in
// ReactionKinds order, marking the viewer's own.
func (s *Store) ReactionsOn(ctx context.Context, viewerID int64, postIDs []int64) (map[int64][]ReactionCount, error) {
	out := map[int64][]ReactionCount{}
	if len(postIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PostID int64
		Kind   string
		N      int
		Mine   int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT post_id, kind, COUNT(*) AS n, MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END) AS mine
		FROM post_reactions WHERE post_id IN ? GROUP BY post_id, kind`, viewerID, postIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count reactions: %w", err)
	}
	counts := map[int64]map[ReactionKind]ReactionCount{}
	for _, r := range rows {
		if counts[r.PostID] == nil {
			counts[r.PostID] = map[ReactionKind]ReactionCount{}
		}
		counts[r.PostID][ReactionKind(r.Kind)] = ReactionCount{Kind: ReactionKind(r.Kind), Count: r.N, Mine: r.Mine == 1}
	}
	for id, byKind := range counts {
		for _, k := range ReactionKinds {
			if c, ok := byKind[k]; ok {
				out[id] = append(out[id], c)
			}
		}
	}
	return out, nil
}

// Reactor is a member who reacted, as the list of a post's reactions
// names them.
type Reactor struct {
	Kind        ReactionKind
	Username    string
	DisplayName string
	Specialty   string
}

// ReactorsOf lists who gave each reaction to a post, in ReactionKinds
// order and then by when they reacted. Reactions are signed: members see
// who found a post helpful.
func (s *Store) ReactorsOf(ctx context.Context, postID int64) ([]Reactor, error) {
	var rows []Reactor
	err := s.db.WithContext(ctx).Raw(`SELECT r.kind, u.username, u.display_name, u.specialty
		FROM post_reactions r JOIN users u ON u.id = r.user_id
		WHERE r.post_id = ? ORDER BY r.created_at, u.username`, postID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list reactions to post %d: %w", postID, err)
	}
	var out []Reactor
	for _, k := range ReactionKinds {
		for _, r := range rows {
			if r.Kind == k {
				out = append(out, r)
			}
		}
	}
	return out, nil
}
