package models

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

var errNoRows = sql.ErrNoRows

// Post is one member's contribution to a topic. Source is the markdown they
// wrote; Cooked is its sanitized HTML, made once at write time.
type Post struct {
	ID       int64
	TopicID  int64
	Number   int
	AuthorID int64
	Source   string
	Cooked   string
	// Plain is the readable text of Source, whitespace collapsed: what
	// search indexes and quotes, stored so nothing parses it again.
	Plain       string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
	DeletedByID *int64
	// A hidden post stays in place for moderators; everyone else sees
	// HiddenReason where its content was.
	HiddenAt     *time.Time
	HiddenByID   *int64
	HiddenReason string
	// Anonymous shows the author only as AnonymousAuthor(AnonymousAs),
	// the label fixed when the post was written (see AnonymousLabel).
	Anonymous   bool
	AnonymousAs string
	// PHIConfirmed is what the composer's identifier check flagged and
	// the author confirmed identifies no patient: JSON, or empty.
	PHIConfirmed string `gorm:"column:phi_confirmed"`
}

// IsDeleted says whether the post is a tombstone.
func (p *Post) IsDeleted() bool { return p.DeletedAt != nil }

// IsHidden says whether moderators have hidden the post.
func (p *Post) IsHidden() bool { return p.HiddenAt != nil }

// AnonymousAuthor is how the author of an anonymous post appears: by the
// label fixed on the post (a specialty, a field or a profession that
// enough readers share), so peers know something of the author without
// knowing the member.
func AnonymousAuthor(as string) string {
	if as == "" {
		return "Anonymous clinician"
	}
	return "Anonymous " + as
}

// IsEdited says whether the post has more than its first version.
func (p *Post) IsEdited() bool { return p.Version > 1 }

// PostView is a post as the topic page shows it, with its author.
type PostView struct {
	Post
	AuthorUsername  string
	AuthorName      string
	AuthorSpecialty string
	// AuthorProfession is set by the search results' reads; the topic
	// page does not show it, and PostsInTopic leaves it empty.
	AuthorProfession string
	// Reactions count the post's reactions, in ReactionKinds order (none
	// marked Mine); Images are its images and Previews the ready cards of
	// its links, each in the post's order. PostsInTopic sets them, for
	// posts not deleted, with the fields the topic page shows.
	Reactions []ReactionCount `gorm:"-"`
	Images    []PostImage     `gorm:"-"`
	Previews  []LinkPreview   `gorm:"-"`
}

// PostRevision keeps one version of a post. Title is the topic's title at
// that version when the post opens its topic.
type PostRevision struct {
	ID        int64
	PostID    int64
	Version   int
	Title     string
	Source    string
	EditorID  int64
	CreatedAt time.Time
	// RedactedAt is when a moderator erased this version's text because
	// it identified a patient.
	RedactedAt *time.Time
	// ImageChanges says in words what the version did to the post's
	// images ("added an image"); "" when it left them as they were.
	ImageChanges string
}

// RevisionView is a revision with the name of whoever wrote it.
type RevisionView struct {
	PostRevision
	EditorName string
}

// PostByID loads one post, content included.
func (s *Store) PostByID(ctx context.Context, id int64) (*Post, error) {
	var p Post
	if err := s.db.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load post %d", id))
	}
	return &p, nil
}

// PostRevisions lists every version of a post, newest first.
func (s *Store) PostRevisions(ctx context.Context, postID int64) ([]RevisionView, error) {
	var revs []RevisionView
	err := s.db.WithContext(ctx).Table("post_revisions r").
		Select("r.*, u.display_name AS editor_name").
		Joins("JOIN users u ON u.id = r.editor_id").
		Where("r.post_id = ?", postID).Order("r.version DESC").Scan(&revs).Error
	if err != nil {
		return nil, fmt.Errorf("list revisions of post %d: %w", postID, err)
	}
	return revs, nil
}

// NewReply is a member's reply to a topic.
type NewReply struct {
	TopicID  int64
	AuthorID int64
	PostContent
	Anonymous bool
	// AnonymityK is the smallest crowd of the board's readers an
	// anonymous label may name (DefaultAnonymityK when 0).
	AnonymityK int
	// DropDraft deletes the author's draft of a reply to the topic with
	// the reply, in its transaction: the reply form's draft is what was
	// just posted. A reply that came another way (by email) leaves it.
	DropDraft bool
}

// CreateReply numbers and writes a reply with its first revision, and bumps
// its topic and board, all in one transaction. A locked topic refuses it.
func (s *Store) CreateReply(ctx context.Context, nr NewReply) (*Post, error) {
	now := s.Now()
	post := &Post{
		TopicID: nr.TopicID, AuthorID: nr.AuthorID, Source: nr.Source, Cooked: nr.Cooked, Plain: nr.Plain,
		Anonymous: nr.Anonymous, Version: 1, CreatedAt: now, UpdatedAt: now, PHIConfirmed: nr.PHIConfirmed,
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The row lock taken here orders concurrent replies, so numbers stay
		// dense and unique.
		var bumped struct {
			PostCount int
			BoardID   int64
			AuthorID  int64
		}
		res := tx.Raw(`UPDATE topics SET post_count = post_count + 1, bumped_at = ?, updated_at = ?
			WHERE id = ? AND locked = ? RETURNING post_count, board_id, author_id`,
			now, now, nr.TopicID, false).Scan(&bumped)
		if res.Error != nil {
			return fmt.Errorf("bump topic: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return s.topicWriteError(tx, nr.TopicID)
		}
		post.Number = bumped.PostCount
		if err := labelAnonymousPost(tx, post, bumped.BoardID, nr.AnonymityK); err != nil {
			return err
		}
		if err := insertPost(tx, post, ""); err != nil {
			return err
		}
		if err := countNewPost(tx, post, bumped.BoardID); err != nil {
			return err
		}
		if err := attachImages(tx, post.ID, nr.Images, now); err != nil {
			return err
		}
		if err := s.linkPostAndQueue(ctx, tx, post.ID, nr.Links, now, true); err != nil {
			return err
		}
		if err := readOwnPost(tx, post, now); err != nil {
			return err
		}
		if nr.DropDraft {
			if err := deleteDraft(tx, nr.AuthorID, ReplyDraft(nr.TopicID)); err != nil {
				return err
			}
		}
		if err := notifyPost(tx, post, bumped.BoardID, bumped.AuthorID, nr.Mentions, now); err != nil {
			return err
		}
		if err := queueNewReply(tx, post.TopicID, post.ID); err != nil {
			return err
		}
		err := tx.Exec(`UPDATE boards SET post_count = post_count + 1, last_post_at = ? WHERE id = ?`,
			now, bumped.BoardID).Error
		if err != nil {
			return fmt.Errorf("count reply on board: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reply to topic %d: %w", nr.TopicID, err)
	}
	return post, nil
}

// readOwnPost moves the author's reading position to the post they
// wrote: their own post is not news to them.
func readOwnPost(tx *gorm.DB, post *Post, now time.Time) error {
	err := tx.Exec(`INSERT INTO topic_reads (user_id, topic_id, last_read, read_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read = excluded.last_read, read_at = excluded.read_at
		WHERE excluded.last_read > topic_reads.last_read`, post.AuthorID, post.TopicID, post.Number, now).Error
	if err != nil {
		return fmt.Errorf("record the author's reading position: %w", err)
	}
	return nil
}

func insertPost(tx *gorm.DB, post *Post, title string) error {
	if err := tx.Create(post).Error; err != nil {
		return fmt.Errorf("insert post: %w", err)
	}
	rev := PostRevision{
		PostID: post.ID, Version: post.Version, Title: title, Source: post.Source,
		EditorID: post.AuthorID, CreatedAt: post.CreatedAt,
	}
	if err := tx.Create(&rev).Error; err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

// PostEdit replaces a post's content. BaseVersion is the version the editor
// started from: if someone saved in between, the edit fails with ErrConflict
// instead of silently overwriting them. Title and Tags apply only to a
// topic's opening post and are left alone when nil.
type PostEdit struct {
	PostID      int64
	EditorID    int64
	BaseVersion int
	Title       *string
	Tags        *[]string
	// PostContent is the new content; its Mentions notify no one.
	PostContent
	// Redact says a moderator edited identifiers out: the earlier
	// versions lose their text, the post is shown again and its reports
	// close, all audited with Reason.
	Redact bool
	Reason string
	// Case, when set on a case topic's opening post, replaces the text of
	// its case summary (a moderator editing identifiers out of it).
	Case *CaseText
	// Images, when set, is what the edit does to the post's images; nil
	// leaves them as they are.
	Images *ImageEdit
}

// CaseText is the free text of a case summary.
type CaseText struct {
	SourceURL    string
	Presentation string
	Workup       string
	Question     string
}

// EditPost saves a new version of a post and keeps it as a revision.
func (s *Store) EditPost(ctx context.Context, e PostEdit) (*Post, error) {
	now := s.Now()
	var post Post
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The topic's lock goes first, as in every counted write: a
		// redaction shows the post again, and an opening post's edit
		// updates the topic too.
		if err := lockTopicOfPost(tx, e.PostID); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE posts SET source = ?, cooked = ?, plain = ?, phi_confirmed = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL`,
			e.Source, e.Cooked, e.Plain, e.PHIConfirmed, now, e.PostID, e.BaseVersion)
		if res.Error != nil {
			return fmt.Errorf("update post: %w", res.Error)
		}
		if err := tx.Take(&post, e.PostID).Error; err != nil {
			return notFound(err, "reload post")
		}
		if res.RowsAffected == 0 {
			if post.IsDeleted() {
				return ErrNotFound
			}
			return ErrConflict
		}
		title := ""
		if post.Number == 1 {
			var topic Topic
			if err := tx.Take(&topic, post.TopicID).Error; err != nil {
				return notFound(err, "load topic")
			}
			title = topic.Title
			if e.Title != nil {
				title = *e.Title
				err := tx.Exec(`UPDATE topics SET title = ?, slug = ?, updated_at = ? WHERE id = ?`,
					title, Slugify(title), now, post.TopicID).Error
				if err != nil {
					return fmt.Errorf("retitle topic: %w", err)
				}
			}
			if e.Tags != nil {
				if err := replaceTags(tx, post.TopicID, *e.Tags); err != nil {
					return err
				}
			}
			if e.Case != nil {
				err := tx.Exec(`UPDATE case_summaries SET source_url = ?, presentation = NULLIF(?, ''), workup = ?,
					question = NULLIF(?, '') WHERE topic_id = ?`,
					e.Case.SourceURL, e.Case.Presentation, e.Case.Workup, e.Case.Question, post.TopicID).Error
				if err != nil {
					return fmt.Errorf("update case summary: %w", err)
				}
			}
		}
		imageChanges := ""
		if e.Images != nil {
			var err error
			if imageChanges, err = editImages(tx, post.ID, e.Images, now); err != nil {
				return err
			}
		}
		rev := PostRevision{
			PostID: post.ID, Version: post.Version, Title: title, Source: e.Source,
			EditorID: e.EditorID, CreatedAt: now, ImageChanges: imageChanges,
		}
		if err := tx.Create(&rev).Error; err != nil {
			return fmt.Errorf("insert revision: %w", err)
		}
		if err := s.linkPostAndQueue(ctx, tx, post.ID, e.Links, now, false); err != nil {
			return err
		}
		if e.Redact {
			if err := redactEarlierVersions(tx, post.ID, post.Version, e.EditorID, e.Reason); err != nil {
				return err
			}
			post.HiddenAt, post.HiddenByID, post.HiddenReason = nil, nil, ""
		}
		return queuePost(tx, &post)
	})
	if err != nil {
		return nil, fmt.Errorf("edit post %d: %w", e.PostID, err)
	}
	return &post, nil
}

// DeletePost turns a post into a tombstone. Its revisions stay for the
// moderators; reports on it are closed, as there is nothing left to show.
func (s *Store) DeletePost(ctx context.Context, postID, byID int64) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		if _, err := tombstone(tx, &post, byID, now); err != nil {
			return err
		}
		_, err := resolveFlags(tx, postID, byID, "deleted by the author", now)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete post %d: %w", postID, err)
	}
	return nil
}

// tombstone marks a post deleted and queues its removal from search; it
// says whether the post was not deleted already.
func tombstone(tx *gorm.DB, post *Post, byID int64, now time.Time) (bool, error) {
	var res *gorm.DB
	err := recountPost(tx, post.ID, func() error {
		res = tx.Exec(`UPDATE posts SET deleted_at = ?, deleted_by_id = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, now, byID, now, post.ID)
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("delete post: %w", err)
	}
	if res.RowsAffected == 0 {
		return false, nil // already a tombstone: deleting twice is not an error
	}
	return true, queueSearch(tx, post.TopicID, post.ID)
}

// HidePost hides a post from members, keeping it for moderators, with a
// reason its author and everyone else see in its place; it closes the
// post's reports. A post a report hid pending review takes the
// moderator's reason; hiding a post a moderator hid changes nothing.
func (s *Store) HidePost(ctx context.Context, postID, moderatorID int64, reason string) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		var res *gorm.DB
		err := recountShown(tx, postID, func() error {
			res = tx.Exec(`UPDATE posts SET hidden_at = ?, hidden_by_id = ?, hidden_reason = ?
				WHERE id = ? AND (hidden_at IS NULL OR hidden_by_id IS NULL)`, now, moderatorID, reason, postID)
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("update post: %w", err)
		}
		resolved, err := resolveFlags(tx, postID, moderatorID, "hidden", now)
		if err != nil {
			return err
		}
		if res.RowsAffected == 0 && resolved == 0 {
			return nil // already hidden: the first hide's reason and record stand
		}
		if res.RowsAffected > 0 && !post.IsHidden() {
			if err := queuePost(tx, &post); err != nil {
				return err
			}
		}
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "post.hide",
			SubjectType: "post", SubjectID: post.ID, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("hide post %d: %w", postID, err)
	}
	return nil
}

// UnhidePost shows a hidden post to members again. Unhiding a post that is
// not hidden changes nothing.
func (s *Store) UnhidePost(ctx context.Context, postID, moderatorID int64) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var post Post
		if err := tx.Take(&post, postID).Error; err != nil {
			return notFound(err, "load post")
		}
		var res *gorm.DB
		err := recountShown(tx, postID, func() error {
			res = tx.Exec(`UPDATE posts SET hidden_at = NULL, hidden_by_id = NULL, hidden_reason = ''
				WHERE id = ? AND hidden_at IS NOT NULL`, postID)
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("update post: %w", err)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		if err := queuePost(tx, &post); err != nil {
			return err
		}
		// The hide's reason stays on its own audit event.
		return recordAudit(tx, &AuditEvent{ActorID: &moderatorID, Action: "post.unhide",
			SubjectType: "post", SubjectID: post.ID, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("unhide post %d: %w", postID, err)
	}
	return nil
}

// errorIsNotFound is a convenience for callers outside the package.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// postsInTopicSQL is PostsInTopic's prepared statement (see hotQueries).
// Its columns are only what the topic page shows: every column costs the
// driver an allocation or two a row (a text, or a number past 255), so the
// topic's id, known to the caller, and the author's profession, which the
// page does not show, are left out. Besides the posts and their authors it
// reads, for each post not deleted,
// its reactions' kinds (one word each, counted by the caller) and whether it
// may have images or ready link cards (has_media, migration 37: set when an
// image or a link is added), so that a page without any (most of them) takes
// this one statement, and one with some a second (pageMediaSQL), which reads
// what there is.
func postsInTopicSQL(engine Engine) string {
	epoch := func(col string) string { return epochSQL(engine, col) }
	kinds := `group_concat(r.kind, ' ')`
	if engine == Postgres {
		kinds = `string_agg(r.kind, ' ')`
	}
	return `
		SELECT p.id, p.number, p.author_id, p.version, ` + epoch("p.created_at") + `, ` + epoch("p.updated_at") + `,
			` + epoch("p.deleted_at") + `, p.deleted_by_id,
			CASE WHEN p.deleted_at IS NULL THEN p.cooked ELSE '' END,
			` + epoch("p.hidden_at") + `, p.hidden_by_id, p.hidden_reason, p.anonymous, p.anonymous_as, p.phi_confirmed,
			u.username, u.display_name, u.specialty,
			CASE WHEN p.deleted_at IS NULL THEN (SELECT ` + kinds + ` FROM post_reactions r WHERE r.post_id = p.id) END,
			CASE WHEN p.deleted_at IS NULL THEN p.has_media ELSE FALSE END
		FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.topic_id = ? AND p.number BETWEEN ? AND ?
		ORDER BY p.number`
}

// pageMediaSQL reads the images and ready link cards of a topic's posts
// numbered between two numbers, not deleted, as rows of one shape: kind 1 an
// image (position, thumbnail width and height, DICOM, name, alt), kind 2 a
// card (position, year, then its texts).
const pageMediaSQL = `
	SELECT 1, i.post_id, i.position, i.thumb_width, i.thumb_height, CASE WHEN i.dicom THEN 1 ELSE 0 END,
		i.name, i.alt, '', '', '', '', '', '', '', ''
	FROM posts p JOIN post_images i ON i.post_id = p.id
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ? AND p.deleted_at IS NULL
	UNION ALL
	SELECT 2, pl.post_id, pl.position, lp.year, 0, 0,
		lp.url, lp.kind, lp.title, lp.description, lp.site_name, lp.image_url, lp.journal, lp.authors, lp.doi, lp.pmid
	FROM posts p JOIN post_links pl ON pl.post_id = p.id JOIN link_previews lp ON lp.id = pl.preview_id
	WHERE p.topic_id = ? AND p.number BETWEEN ? AND ? AND p.deleted_at IS NULL AND lp.status = '` + PreviewReady + `'`

// PostsInTopic returns the posts numbered first through last, in order,
// with their authors (name, username and specialty: AuthorProfession is
// left empty), reactions, images and link cards. A deleted post
// comes back as a tombstone: its content never leaves the database through
// this path. A hidden post keeps its content, which moderators still read:
// whoever shows it to anyone else must leave it out.
func (s *Store) PostsInTopic(ctx context.Context, topicID int64, first, last int) ([]PostView, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.inTx(ctx, h.posts).QueryContext(ctx, topicID, first, last)
	if err != nil {
		return nil, fmt.Errorf("list posts %d-%d of topic %d: %w", first, last, topicID, err)
	}
	defer rows.Close()
	posts, media, err := scanPostsInTopic(rows, topicID, first, last)
	if err != nil {
		return nil, err
	}
	if media {
		if err := s.pageMedia(ctx, h, posts, topicID, first, last); err != nil {
			return nil, err
		}
	}
	return posts, nil
}

// resultRows are the rows of a statement's result, from database/sql or
// from pgx (ReadTopicPage).
type resultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanPostsInTopic reads postsInTopicSQL's rows, and says whether any of
// the posts may have images or ready link cards (has_media) for pageMedia
// to add.
func scanPostsInTopic(rows resultRows, topicID int64, first, last int) ([]PostView, bool, error) {
	posts := make([]PostView, 0, min(max(last-first+1, 0), 100))
	media := false
	// Each row is scanned into row and copied into posts, through one list
	// of destinations made once: rows is an interface, so whatever its Scan
	// is given escapes to the heap, and a list (or a variable) made for
	// each row would be allocations a row. The values without a place in
	// a post are kept across rows too (Scan sets each on every row).
	var row PostView
	var created, updated, deletedAt, deletedBy, hiddenAt, hiddenBy sql.NullInt64
	var reactions sql.NullString
	var hasMedia bool
	dest := []any{&row.ID, &row.Number, &row.AuthorID, &row.Version, &created, &updated,
		&deletedAt, &deletedBy, &row.Cooked, &hiddenAt, &hiddenBy, &row.HiddenReason, &row.Anonymous, &row.AnonymousAs, &row.PHIConfirmed,
		&row.AuthorUsername, &row.AuthorName, &row.AuthorSpecialty, &reactions, &hasMedia}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, false, fmt.Errorf("read post of topic %d: %w", topicID, err)
		}
		posts = append(posts, row)
		p := &posts[len(posts)-1]
		p.TopicID = topicID
		if p.Anonymous {
			// Nothing of the author but the post's label leaves the store
			// (blanked here rather than in SQL: this is the hottest query).
			p.AuthorUsername, p.AuthorName, p.AuthorSpecialty = "", "", ""
		}
		p.CreatedAt, p.UpdatedAt = time.Unix(created.Int64, 0).UTC(), time.Unix(updated.Int64, 0).UTC()
		if deletedAt.Valid {
			at := time.Unix(deletedAt.Int64, 0).UTC()
			p.DeletedAt = &at
		}
		if deletedBy.Valid {
			by := deletedBy.Int64
			p.DeletedByID = &by
		}
		if hiddenAt.Valid {
			at := time.Unix(hiddenAt.Int64, 0).UTC()
			p.HiddenAt = &at
		}
		if hiddenBy.Valid {
			by := hiddenBy.Int64
			p.HiddenByID = &by
		}
		p.Reactions = countReactions(reactions.String)
		media = media || hasMedia
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list posts of topic %d: %w", topicID, err)
	}
	return posts, media, nil
}

// countReactions counts the kinds listed in kinds (one word a reaction),
// in ReactionKinds order; nil for none.
func countReactions(kinds string) []ReactionCount {
	if kinds == "" {
		return nil
	}
	var n [8]int
	for kinds != "" {
		word, rest, _ := strings.Cut(kinds, " ")
		kinds = rest
		for i, k := range ReactionKinds {
			if string(k) == word && i < len(n) {
				n[i]++
			}
		}
	}
	var out []ReactionCount
	for i, k := range ReactionKinds {
		if i < len(n) && n[i] > 0 {
			out = append(out, ReactionCount{Kind: k, Count: n[i]})
		}
	}
	return out
}

// pageMedia gives the posts read by PostsInTopic their images and ready
// link cards, each in its post's order.
func (s *Store) pageMedia(ctx context.Context, h *hotQueries, posts []PostView, topicID int64, first, last int) error {
	rows, err := s.inTx(ctx, h.media).QueryContext(ctx, topicID, first, last, topicID, first, last)
	if err != nil {
		return fmt.Errorf("list images and link cards of topic %d: %w", topicID, err)
	}
	defer rows.Close()
	at := make(map[int64]int, len(posts))
	for i := range posts {
		at[posts[i].ID] = i
	}
	type card struct {
		post, position int
		preview        LinkPreview
	}
	var cards []card
	// Kept across rows, as in PostsInTopic.
	var kind, position, n1, n2, dicom int
	var postID int64
	var t [10]string
	for rows.Next() {
		if err := rows.Scan(&kind, &postID, &position, &n1, &n2, &dicom,
			&t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7], &t[8], &t[9]); err != nil {
			return fmt.Errorf("read images and link cards of topic %d: %w", topicID, err)
		}
		i, ok := at[postID]
		if !ok {
			continue
		}
		switch kind {
		case 1:
			posts[i].Images = append(posts[i].Images, PostImage{PostID: postID, Position: position,
				ThumbWidth: n1, ThumbHeight: n2, DICOM: dicom == 1, Name: t[0], Alt: t[1]})
		case 2:
			cards = append(cards, card{post: i, position: position, preview: LinkPreview{URL: t[0], Kind: t[1],
				Status: PreviewReady, Title: t[2], Description: t[3], SiteName: t[4], ImageURL: t[5], Journal: t[6],
				Year: n1, Authors: t[7], DOI: t[8], PMID: t[9]}})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read images and link cards of topic %d: %w", topicID, err)
	}
	for i := range posts {
		slices.SortStableFunc(posts[i].Images, func(a, b PostImage) int { return cmp.Compare(a.Position, b.Position) })
	}
	slices.SortStableFunc(cards, func(a, b card) int {
		return cmp.Or(cmp.Compare(a.post, b.post), cmp.Compare(a.position, b.position))
	})
	for _, c := range cards {
		posts[c.post].Previews = append(posts[c.post].Previews, c.preview)
	}
	return nil
}
