package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// answeredColumn says whether a topic (as t) has an answer members see: a
// marked reply that is neither hidden nor deleted. A hidden answer comes
// back with its post.
const answeredColumn = `CASE WHEN t.answer_post_id IS NULL THEN FALSE ELSE EXISTS (SELECT 1 FROM posts ap
	WHERE ap.id = t.answer_post_id AND ap.hidden_at IS NULL AND ap.deleted_at IS NULL) END`

// hasOutcomeColumn says whether a topic (as t) is a case with an outcome;
// the outcomes are only looked up for cases.
const hasOutcomeColumn = `CASE WHEN t.kind <> 'case' THEN FALSE ELSE EXISTS (SELECT 1 FROM case_outcomes co
	WHERE co.topic_id = t.id) END`

// ErrNotAnswer is a post that cannot be marked as its topic's answer: the
// opening post, or a reply that is deleted, hidden or in another topic.
var ErrNotAnswer = errors.New("that post cannot be the topic's answer")

// MarkAnswer marks a reply as the one that answered its topic's question,
// in place of any reply marked before. Who may mark it (the topic's author
// or a moderator) is the caller's to check; audited says the marker acts
// as a moderator, and the change goes in the audit log.
func (s *Store) MarkAnswer(ctx context.Context, topicID, postID, byID int64, audited bool) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Select("id", "topic_id", "number", "deleted_at", "hidden_at").Take(&post, postID).Error; err != nil {
			return notFound(err, fmt.Sprintf("load post %d", postID))
		}
		if post.TopicID != topicID || post.Number == 1 || post.IsDeleted() || post.IsHidden() {
			return ErrNotAnswer
		}
		if err := s.setAnswer(tx, topicID, &postID, byID, audited, "topic.answer", fmt.Sprintf("post %d", post.Number)); err != nil {
			return err
		}
		return notifyAnswer(tx, topicID, postID, byID, s.Now())
	})
	if err != nil {
		return fmt.Errorf("mark post %d as the answer of topic %d: %w", postID, topicID, err)
	}
	return nil
}

// NotifyAnswer tells a reply's author that it was marked as its topic's
// answer. It names no one: the topic's author may be anonymous.
const NotifyAnswer = "answer"

// notifyAnswer tells the answer's author, once per reply, unless they
// marked it themselves or are no longer a verified member.
func notifyAnswer(tx *gorm.DB, topicID, postID, byID int64, now time.Time) error {
	var author User
	if err := tx.Raw(`SELECT u.* FROM users u JOIN posts p ON p.author_id = u.id WHERE p.id = ?`, postID).Scan(&author).Error; err != nil {
		return fmt.Errorf("load the answer's author: %w", err)
	}
	if author.ID == 0 || author.ID == byID || !author.IsVerified() {
		return nil
	}
	var told int64
	if err := tx.Raw(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND post_id = ? AND kind = ?`,
		author.ID, postID, NotifyAnswer).Scan(&told).Error; err != nil {
		return fmt.Errorf("look for an earlier answer notification: %w", err)
	}
	if told > 0 {
		return nil
	}
	n := Notification{UserID: author.ID, Kind: NotifyAnswer, TopicID: topicID, PostID: &postID, CreatedAt: now}
	return tx.Create(&n).Error
}

// UnmarkAnswer leaves a topic with no marked answer.
func (s *Store) UnmarkAnswer(ctx context.Context, topicID, byID int64, audited bool) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.setAnswer(tx, topicID, nil, byID, audited, "topic.unanswer", "")
	})
	if err != nil {
		return fmt.Errorf("unmark the answer of topic %d: %w", topicID, err)
	}
	return nil
}

// setAnswer writes the topic's answer and, when it changed, asks search
// to index the topic again (each post carries whether it is answered) and
// audits a moderator's change.
func (s *Store) setAnswer(tx *gorm.DB, topicID int64, postID *int64, byID int64, audited bool, action, reason string) error {
	var res *gorm.DB
	if postID == nil {
		res = tx.Exec(`UPDATE topics SET answer_post_id = NULL WHERE id = ? AND answer_post_id IS NOT NULL`, topicID)
	} else {
		res = tx.Exec(`UPDATE topics SET answer_post_id = ? WHERE id = ? AND (answer_post_id IS NULL OR answer_post_id <> ?)`,
			*postID, topicID, *postID)
	}
	if res.Error != nil {
		return fmt.Errorf("update topic: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return topicExists(tx, topicID) // already so
	}
	if err := queueSearch(tx, topicID, 0); err != nil {
		return err
	}
	if !audited {
		return nil
	}
	return recordAudit(tx, &AuditEvent{ActorID: &byID, Action: action, SubjectType: "topic", SubjectID: topicID,
		Reason: reason, CreatedAt: s.Now()})
}

// Answer is a topic's marked answer as the topic page names it: the
// reply's number and its author as members may see them.
type Answer struct {
	PostID         int64
	Number         int
	AuthorName     string
	AuthorUsername string // empty for an anonymous reply
	Anonymous      bool
	AnonymousAs    string
}

// Byline is the answer's author as the page shows them.
func (a *Answer) Byline() string {
	if a.Anonymous {
		return AnonymousAuthor(a.AnonymousAs)
	}
	return a.AuthorName
}

// AnswerOf loads a topic's marked answer; nil when it has none, or when
// the marked reply is hidden or deleted.
func (s *Store) AnswerOf(ctx context.Context, topicID int64) (*Answer, error) {
	var found []Answer
	err := s.db.WithContext(ctx).Raw(`SELECT p.id AS post_id, p.number,
		`+shownAuthor("p", "u.display_name")+` AS author_name, `+shownAuthor("p", "u.username")+` AS author_username,
		p.anonymous, p.anonymous_as
		FROM topics t JOIN posts p ON p.id = t.answer_post_id JOIN users u ON u.id = p.author_id
		WHERE t.id = ? AND p.hidden_at IS NULL AND p.deleted_at IS NULL`, topicID).Scan(&found).Error
	if err != nil {
		return nil, fmt.Errorf("load the answer of topic %d: %w", topicID, err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0], nil
}
