package models

import (
	"fmt"

	"gorm.io/gorm"
)

// A profile's counts are kept, not counted on every view: a member with
// thousands of posts made the profile page join each of them to its topic,
// board and opening post (at a million posts, a hundred milliseconds a
// view). member_board_counts holds, for each member and board, what their
// signed posts there add up to, split by who may see them: the posts
// anyone who reads the board sees, and those only moderators see (hidden,
// or in a topic whose opening post is hidden). Deleted and anonymous posts
// count nowhere. The viewer's board access is applied when the profile is
// read, so a change to a board's groups needs no recount.
//
// Every write that changes what a post counts for (its creation, deletion,
// hiding and showing, a purge, its topic's move, a reaction) runs inside
// recountPost, recountShown or recountTopic, which read the counts of the
// posts it may touch before and after the write, from the posts
// themselves, and add the difference: the kept counts are never a guess
// about what a write did.

// memberCount is what one member's signed posts on one board add to their
// profile.
type memberCount struct {
	UserID, BoardID int64
	// Seen by everyone who may read the board.
	Topics, Replies, Helpful, Agree, Thanks int64
	// Seen by moderators only.
	HiddenTopics, HiddenReplies, HiddenHelpful, HiddenAgree, HiddenThanks int64
}

type memberKey struct{ user, board int64 }

// memberCountsOf is the SELECT that counts, per author and board, the
// posts p matching cond (which may use p and t, the post's topic). It
// takes no parameters of its own, so the migration that fills the table
// can use it too.
func memberCountsOf(cond string) string {
	reactions := func(kind string) string {
		return `(SELECT COUNT(*) FROM post_reactions r WHERE r.post_id = p.id AND r.kind = '` + kind + `')`
	}
	sum := func(shown int, what string) string {
		return fmt.Sprintf(`COALESCE(SUM(CASE WHEN x.shown = %d THEN %s ELSE 0 END), 0)`, shown, what)
	}
	var cols string
	for _, shown := range []int{1, 0} {
		cols += `, ` + sum(shown, `CASE WHEN x.number = 1 THEN 1 ELSE 0 END`) +
			`, ` + sum(shown, `CASE WHEN x.number > 1 THEN 1 ELSE 0 END`) +
			`, ` + sum(shown, `x.helpful`) + `, ` + sum(shown, `x.agree`) + `, ` + sum(shown, `x.thanks`)
	}
	return `SELECT x.user_id, x.board_id` + cols + `
		FROM (SELECT p.author_id AS user_id, t.board_id, p.number,
				CASE WHEN p.hidden_at IS NULL AND op.hidden_at IS NULL THEN 1 ELSE 0 END AS shown,
				` + reactions(string(ReactHelpful)) + ` AS helpful, ` + reactions(string(ReactAgree)) + ` AS agree,
				` + reactions(string(ReactThanks)) + ` AS thanks
			FROM posts p JOIN topics t ON t.id = p.topic_id ` + openingPostJoinSQL + `
			WHERE p.anonymous = FALSE AND p.deleted_at IS NULL AND (` + cond + `)) x
		GROUP BY x.user_id, x.board_id`
}

const memberCountColumns = `user_id, board_id, topics, replies, helpful, agree, thanks,
	hidden_topics, hidden_replies, hidden_helpful, hidden_agree, hidden_thanks`

// countMembers reads what the posts matching cond add to their authors'
// profiles, by author and board.
func countMembers(tx *gorm.DB, cond string, args ...any) (map[memberKey]memberCount, error) {
	rows, err := tx.Raw(memberCountsOf(cond), args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count members' posts: %w", err)
	}
	defer rows.Close()
	out := map[memberKey]memberCount{}
	for rows.Next() {
		var c memberCount
		if err := rows.Scan(&c.UserID, &c.BoardID, &c.Topics, &c.Replies, &c.Helpful, &c.Agree, &c.Thanks,
			&c.HiddenTopics, &c.HiddenReplies, &c.HiddenHelpful, &c.HiddenAgree, &c.HiddenThanks); err != nil {
			return nil, fmt.Errorf("count members' posts: %w", err)
		}
		out[memberKey{c.UserID, c.BoardID}] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count members' posts: %w", err)
	}
	return out, nil
}

// addMemberCounts adds after minus before to the kept counts.
func addMemberCounts(tx *gorm.DB, before, after map[memberKey]memberCount) error {
	diff := map[memberKey]memberCount{}
	for k, a := range after {
		diff[k] = a
	}
	for k, b := range before {
		d := diff[k]
		d.UserID, d.BoardID = k.user, k.board
		d.Topics -= b.Topics
		d.Replies -= b.Replies
		d.Helpful -= b.Helpful
		d.Agree -= b.Agree
		d.Thanks -= b.Thanks
		d.HiddenTopics -= b.HiddenTopics
		d.HiddenReplies -= b.HiddenReplies
		d.HiddenHelpful -= b.HiddenHelpful
		d.HiddenAgree -= b.HiddenAgree
		d.HiddenThanks -= b.HiddenThanks
		diff[k] = d
	}
	for _, d := range diff {
		if d == (memberCount{UserID: d.UserID, BoardID: d.BoardID}) {
			continue
		}
		err := tx.Exec(`INSERT INTO member_board_counts (`+memberCountColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, board_id) DO UPDATE SET
				topics = member_board_counts.topics + excluded.topics,
				replies = member_board_counts.replies + excluded.replies,
				helpful = member_board_counts.helpful + excluded.helpful,
				agree = member_board_counts.agree + excluded.agree,
				thanks = member_board_counts.thanks + excluded.thanks,
				hidden_topics = member_board_counts.hidden_topics + excluded.hidden_topics,
				hidden_replies = member_board_counts.hidden_replies + excluded.hidden_replies,
				hidden_helpful = member_board_counts.hidden_helpful + excluded.hidden_helpful,
				hidden_agree = member_board_counts.hidden_agree + excluded.hidden_agree,
				hidden_thanks = member_board_counts.hidden_thanks + excluded.hidden_thanks`,
			d.UserID, d.BoardID, d.Topics, d.Replies, d.Helpful, d.Agree, d.Thanks,
			d.HiddenTopics, d.HiddenReplies, d.HiddenHelpful, d.HiddenAgree, d.HiddenThanks).Error
		if err != nil {
			return fmt.Errorf("keep member %d's counts on board %d: %w", d.UserID, d.BoardID, err)
		}
	}
	return nil
}

// recount runs write and keeps the counts of the posts matching cond
// right across it. On PostgreSQL it first takes the topic's row lock, as a
// reply does, so two counted writes in one topic never read each other's
// half: the second reads its "before" after the first committed. SQLite's
// write transactions are serialized already.
func recount(tx *gorm.DB, topicID int64, cond string, arg any, write func() error) error {
	if err := lockTopic(tx, "?", topicID); err != nil {
		return err
	}
	before, err := countMembers(tx, cond, arg)
	if err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	after, err := countMembers(tx, cond, arg)
	if err != nil {
		return err
	}
	return addMemberCounts(tx, before, after)
}

// lockTopic takes, on PostgreSQL, the row lock of the topic that which
// (SQL taking arg) names. A counted write takes it before any lock on the
// topic's posts, their reports or their reporters' records, so that two
// writes in one topic queue rather than deadlock: the writes that lock a
// post before they change it (a report, an edit, a purge, a dismissal)
// call it first.
func lockTopic(tx *gorm.DB, which string, arg any) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	if err := tx.Exec(`SELECT id FROM topics WHERE id = `+which+` FOR UPDATE`, arg).Error; err != nil {
		return fmt.Errorf("lock topic: %w", err)
	}
	return nil
}

// lockTopicOfPost is lockTopic for the topic a post is in.
func lockTopicOfPost(tx *gorm.DB, postID int64) error {
	return lockTopic(tx, "(SELECT topic_id FROM posts WHERE id = ?)", postID)
}

// recountTopic runs write, which may change any post of the topic or the
// topic itself (its board, or its very existence), and keeps the counts
// right.
func recountTopic(tx *gorm.DB, topicID int64, write func() error) error {
	return recount(tx, topicID, "p.topic_id = ?", topicID, write)
}

// recountPost runs write, which changes one post's own standing (deleted,
// reacted to, purged) but not whether members see the other posts of its
// topic, and keeps the counts right. Only the post is counted, even an
// opening post: a reaction to the opener of a long topic costs what one
// to a reply does.
func recountPost(tx *gorm.DB, postID int64, write func() error) error {
	return recountOne(tx, postID, false, write)
}

// recountShown runs write, which hides or shows one post, and keeps the
// counts right. A topic's opening post decides for every post of the
// topic whether members see it, so hiding or showing one recounts the
// whole topic.
func recountShown(tx *gorm.DB, postID int64, write func() error) error {
	return recountOne(tx, postID, true, write)
}

func recountOne(tx *gorm.DB, postID int64, shown bool, write func() error) error {
	var post struct {
		TopicID int64
		Number  int
	}
	res := tx.Raw(`SELECT topic_id, number FROM posts WHERE id = ?`, postID).Scan(&post)
	if res.Error != nil {
		return fmt.Errorf("load post %d: %w", postID, res.Error)
	}
	if res.RowsAffected == 0 {
		return write() // nothing to count; the write says what is missing
	}
	if shown && post.Number == 1 {
		return recountTopic(tx, post.TopicID, write)
	}
	return recount(tx, post.TopicID, "p.id = ?", postID, write)
}

// countNewPost adds a post just written, on the topic's board, to the
// counts without reading it back: a new post has no reactions, is neither
// hidden nor deleted, and members see it unless its topic's opening post
// is hidden. The caller holds the topic's row lock (a reply's bump takes
// it), so the opening post cannot be hidden or shown meanwhile.
func countNewPost(tx *gorm.DB, post *Post, boardID int64) error {
	if post.Anonymous || post.IsHidden() || post.IsDeleted() {
		return nil
	}
	shown := true
	if post.Number > 1 {
		var hidden []int64
		err := tx.Raw(`SELECT id FROM posts WHERE topic_id = ? AND number = 1 AND hidden_at IS NOT NULL`,
			post.TopicID).Scan(&hidden).Error
		if err != nil {
			return fmt.Errorf("look at the opening post: %w", err)
		}
		shown = len(hidden) == 0
	}
	c := memberCount{UserID: post.AuthorID, BoardID: boardID}
	switch {
	case shown && post.Number == 1:
		c.Topics = 1
	case shown:
		c.Replies = 1
	case post.Number == 1:
		c.HiddenTopics = 1
	default:
		c.HiddenReplies = 1
	}
	return addMemberCounts(tx, nil, map[memberKey]memberCount{{c.UserID, c.BoardID}: c})
}
