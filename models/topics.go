package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Topic kinds: a plain discussion, a shared podcast episode, a case link.
const (
	KindDiscussion = "discussion"
	KindPodcast    = "podcast"
	KindCase       = "case"
)

// Topic is a thread of posts on a board; its first post opens it.
type Topic struct {
	ID        int64
	BoardID   int64
	Kind      string
	Title     string
	Slug      string
	AuthorID  int64
	Pinned    bool
	Locked    bool
	PostCount int // the highest post number, tombstones included
	// PurgedCount is how many of those numbers were purged.
	PurgedCount int
	// AnswerPostID is the reply marked as the one that answered the
	// topic's question, if any (see MarkAnswer).
	AnswerPostID *int64
	// HasPolls says a post of the topic has had a poll: the topic page
	// looks for polls only then.
	HasPolls  bool
	BumpedAt  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TopicSummary is a topic as a list shows it.
type TopicSummary struct {
	Topic
	AuthorName      string
	AuthorSpecialty string
	// AuthorUsername links a signed topic's author to their profile in
	// lists; it is empty for an anonymous one (and on the topic page,
	// which does not need it).
	AuthorUsername string
	// Anonymous says the opening post is anonymous, so lists show the
	// author as AnonymousAuthor(AnonymousAs), and AuthorName and
	// AuthorSpecialty are left empty.
	Anonymous   bool
	AnonymousAs string
	// OpenerHidden says the moderators (or a report that it identifies a
	// patient) hid the opening post: the title and replies go with it, so
	// only moderators see the topic.
	OpenerHidden bool
	BoardSlug    string
	BoardTitle   string
	Tags         []string `gorm:"-"`
	// Answered says a shown reply is marked as the topic's answer;
	// HasOutcome says a case topic's author posted its outcome.
	Answered   bool
	HasOutcome bool
}

// Byline is the author as a list of topics shows them.
func (t *TopicSummary) Byline() string {
	if t.Anonymous {
		return AnonymousAuthor(t.AnonymousAs)
	}
	return t.AuthorName
}

// Replies counts the posts after the opening one.
func (t *Topic) Replies() int { return max(t.PostCount-t.PurgedCount-1, 0) }

// TopicCursor marks a place in a board's activity order, for keyset paging.
type TopicCursor struct {
	BumpedAt time.Time
	ID       int64
}

// String encodes the cursor for a URL.
func (c TopicCursor) String() string {
	return strconv.FormatInt(c.BumpedAt.UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseTopicCursor reads a cursor made by String.
func ParseTopicCursor(s string) (TopicCursor, error) {
	at, id, ok := strings.Cut(s, ".")
	if !ok {
		return TopicCursor{}, fmt.Errorf("cursor %q: missing separator", s)
	}
	micros, err := strconv.ParseInt(at, 10, 64)
	if err != nil {
		return TopicCursor{}, fmt.Errorf("cursor %q: %w", s, err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return TopicCursor{}, fmt.Errorf("cursor %q: bad topic id", s)
	}
	return TopicCursor{BumpedAt: time.UnixMicro(micros).UTC(), ID: n}, nil
}

// TopicPage asks for one page of a board's unpinned topics: the newest page
// when both cursors are nil, the page older than After, or the page newer
// than Before.
type TopicPage struct {
	After  *TopicCursor
	Before *TopicCursor
	Limit  int
	// Viewer is who reads the list; nil reads everything.
	Viewer *User
}

var topicSummaryColumns = `t.*, ` + shownAuthor("op", "u.display_name") + ` AS author_name,
	` + shownAuthor("op", "u.specialty") + ` AS author_specialty,
	` + shownAuthor("op", "u.username") + ` AS author_username,
	COALESCE(op.anonymous, FALSE) AS anonymous, COALESCE(op.anonymous_as, '') AS anonymous_as,
	op.hidden_at IS NOT NULL AS opener_hidden, b.slug AS board_slug, b.title AS board_title,
	` + answeredColumn + ` AS answered,
	` + hasOutcomeColumn + ` AS has_outcome`

// shownAuthor is a column of a post's author as others may see it: empty
// when the post (aliased post) is anonymous, so nothing about the author
// but the post's own label leaves the database.
func shownAuthor(post, column string) string {
	return `CASE WHEN ` + post + `.anonymous THEN '' ELSE ` + column + ` END`
}

// openerShown is the condition that a topic's opening post (joined as op)
// is not hidden: a topic whose opening post is hidden is shown to
// moderators only, its title and replies included.
const openerShown = "op.hidden_at IS NULL"

// seesHidden says whether viewer sees topics whose opening post is
// hidden: moderators, and the system (nil).
func seesHidden(viewer *User) bool { return viewer == nil || viewer.IsModerator() }

// openingPostJoin finds a topic's opening post (as op), for whether it is
// anonymous, under what label, and hidden: those columns and the key are
// all in posts_openers, an index of the opening posts alone, so lists of
// topics read them from it rather than from each opening post's row. At a
// million posts the rows lie spread over gigabytes, and a list of 30
// topics read 30 pages for three small columns; the index holds a row a
// topic and stays in memory (docs/performance.md). SQLite is told to use
// it (INDEXED BY): by its own estimate the unique (topic_id, number) index
// finds the one row just as well, as it does, but then reads the row.
// PostgreSQL chooses it by its statistics.
func openingPostJoin(engine Engine) string {
	if engine == Postgres {
		return openingPostJoinSQL
	}
	return "LEFT JOIN posts op INDEXED BY posts_openers ON op.topic_id = t.id AND op.number = 1"
}

// openingPostJoinSQL is openingPostJoin for a statement written for both
// engines, one that reads the opening posts of many topics at once (a
// migration's, a recount's), where the index saves nothing.
const openingPostJoinSQL = "LEFT JOIN posts op ON op.topic_id = t.id AND op.number = 1"

// TopicsInBoard returns one page of a board's unpinned topics by last
// activity, and whether more lie beyond it in the direction paged. Every
// page is an index range scan, so the 500th costs what the first does.
func (s *Store) TopicsInBoard(ctx context.Context, boardID int64, page TopicPage) ([]TopicSummary, bool, error) {
	args := append([]any{boardID, false, seesHidden(page.Viewer)}, pageArgs(page)...)
	rows, err := s.listQuery(ctx, topicsInBoardSQL(s.engine, page), append(args, page.Limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("list topics in board %d: %w", boardID, err)
	}
	topics, err := scanTopicList(rows, page.Limit)
	if err != nil {
		return nil, false, fmt.Errorf("list topics in board %d: %w", boardID, err)
	}
	more := len(topics) > page.Limit
	if more {
		topics = topics[:page.Limit]
	}
	if page.Before != nil {
		slices.Reverse(topics)
	}
	return topics, more, nil
}

// PinnedTopics lists a board's pinned topics, most recently active first,
// as viewer may see them (nil for everything).
func (s *Store) PinnedTopics(ctx context.Context, viewer *User, boardID int64) ([]TopicSummary, error) {
	const most = 50
	rows, err := s.listQuery(ctx, topicsInBoardSQL(s.engine, TopicPage{}), boardID, true, seesHidden(viewer), most)
	if err != nil {
		return nil, fmt.Errorf("list pinned topics in board %d: %w", boardID, err)
	}
	topics, err := scanTopicList(rows, most)
	if err != nil {
		return nil, fmt.Errorf("list pinned topics in board %d: %w", boardID, err)
	}
	return topics, nil
}

// TopicsWithTag returns one page of the topics carrying a tag on boards the
// viewer may read, newest first, starting below beforeID (0 for the first
// page), and whether more follow. A nil viewer is the system, which reads
// everything.
func (s *Store) TopicsWithTag(ctx context.Context, viewer *User, tag string, beforeID int64, limit int) ([]TopicSummary, bool, error) {
	if beforeID <= 0 {
		beforeID = tagPageStart
	}
	args := append([]any{tag, beforeID}, readableArgs(viewer)...)
	rows, err := s.listQuery(ctx, topicsWithTagSQL(s.engine), append(args, seesHidden(viewer), limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("list topics tagged %q: %w", tag, err)
	}
	topics, err := scanTopicList(rows, limit)
	if err != nil {
		return nil, false, fmt.Errorf("list topics tagged %q: %w", tag, err)
	}
	more := len(topics) > limit
	if more {
		topics = topics[:limit]
	}
	return topics, more, nil
}

// TagsForTopics returns each topic's tags in alphabetical order.
func (s *Store) TagsForTopics(ctx context.Context, topicIDs []int64) (map[int64][]string, error) {
	tags := make(map[int64][]string, len(topicIDs))
	for chunk := range slices.Chunk(topicIDs, maxBoundIDs) {
		rows, err := s.db.WithContext(ctx).Raw(`SELECT topic_id, tag FROM topic_tags
			WHERE topic_id IN ? ORDER BY topic_id, tag`, chunk).Rows()
		if err != nil {
			return nil, fmt.Errorf("load tags: %w", err)
		}
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				rows.Close()
				return nil, fmt.Errorf("load tags: %w", err)
			}
			tags[id] = append(tags[id], tag)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("load tags: %w", err)
		}
	}
	return tags, nil
}

// NewTopic is what a member submits to open a topic; Cooked is the
// sanitized HTML of Source, rendered before the store sees it.
type NewTopic struct {
	BoardID  int64
	AuthorID int64
	Kind     string
	Title    string
	Tags     []string
	PostContent
	Anonymous bool
	// AnonymityK is the smallest crowd of the board's readers an
	// anonymous label may name (DefaultAnonymityK when 0).
	AnonymityK int
	// EpisodeID is the podcast episode a podcast topic discusses.
	EpisodeID int64
	// Case is the summary of a case topic, written with it; it makes the
	// topic's kind KindCase.
	Case *CaseSummary
}

// CreateTopic writes a topic, its opening post, that post's first revision
// and its tags in one transaction.
func (s *Store) CreateTopic(ctx context.Context, nt NewTopic) (*Topic, *Post, error) {
	now := s.Now()
	kind := nt.Kind
	if kind == "" {
		kind = KindDiscussion
	}
	if nt.Case != nil {
		kind = KindCase
		if err := nt.Case.check(); err != nil {
			return nil, nil, fmt.Errorf("create topic %q: %w", nt.Title, err)
		}
	}
	topic := &Topic{
		BoardID: nt.BoardID, Kind: kind, Title: nt.Title, Slug: Slugify(nt.Title),
		AuthorID: nt.AuthorID, PostCount: 1, BumpedAt: now, CreatedAt: now, UpdatedAt: now,
	}
	post := &Post{
		Number: 1, AuthorID: nt.AuthorID, Source: nt.Source, Cooked: nt.Cooked, Plain: nt.Plain,
		Anonymous: nt.Anonymous, Version: 1, CreatedAt: now, UpdatedAt: now, PHIConfirmed: nt.PHIConfirmed,
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(topic).Error; err != nil {
			return fmt.Errorf("insert topic: %w", err)
		}
		post.TopicID = topic.ID
		if err := labelAnonymousPost(tx, post, nt.BoardID, nt.AnonymityK); err != nil {
			return err
		}
		if err := insertPost(tx, post, nt.Title); err != nil {
			return err
		}
		if err := countNewPost(tx, post, nt.BoardID); err != nil {
			return err
		}
		if err := attachImages(tx, post.ID, nt.Images, now); err != nil {
			return err
		}
		if err := replaceTags(tx, topic.ID, nt.Tags); err != nil {
			return err
		}
		if err := s.linkPostAndQueue(ctx, tx, post.ID, nt.Links, now, true); err != nil {
			return err
		}
		if err := readOwnPost(tx, post, now); err != nil {
			return err
		}
		if err := notifyPost(tx, post, nt.BoardID, nt.AuthorID, nt.Mentions, now); err != nil {
			return err
		}
		if nt.EpisodeID != 0 {
			if err := tx.Exec(`INSERT INTO topic_episodes (topic_id, episode_id) VALUES (?, ?)`, topic.ID, nt.EpisodeID).Error; err != nil {
				return fmt.Errorf("link episode %d: %w", nt.EpisodeID, err)
			}
		}
		if nt.Case != nil {
			if err := insertCaseSummary(tx, topic.ID, nt.Case, now); err != nil {
				return err
			}
		}
		if err := queueSearch(tx, topic.ID, 0); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE boards SET topic_count = topic_count + 1, post_count = post_count + 1,
			last_post_at = ? WHERE id = ?`, now, nt.BoardID)
		if res.Error != nil {
			return fmt.Errorf("count topic on board: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("board %d: %w", nt.BoardID, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("create topic %q: %w", nt.Title, err)
	}
	return topic, post, nil
}

func replaceTags(tx *gorm.DB, topicID int64, tags []string) error {
	if err := tx.Exec(`DELETE FROM topic_tags WHERE topic_id = ?`, topicID).Error; err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	for _, tag := range tags {
		if err := tx.Exec(`INSERT INTO topic_tags (topic_id, tag) VALUES (?, ?)`, topicID, tag).Error; err != nil {
			return fmt.Errorf("tag topic %q: %w", tag, err)
		}
	}
	return nil
}

// Slugify makes the readable part of a topic URL from its title.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return b.String()
}

// errTopicMissingOrLocked tells a failed bump apart.
func (s *Store) topicWriteError(tx *gorm.DB, topicID int64) error {
	var locked bool
	err := tx.Raw(`SELECT locked FROM topics WHERE id = ?`, topicID).Row().Scan(&locked)
	if errors.Is(err, errNoRows) {
		return fmt.Errorf("topic %d: %w", topicID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("load topic %d: %w", topicID, err)
	}
	if locked {
		return fmt.Errorf("topic %d: %w", topicID, ErrLocked)
	}
	return fmt.Errorf("topic %d: not updated", topicID)
}

// topicByIDSQL is TopicByID's prepared statement (see hotQueries).
func topicByIDSQL(engine Engine) string {
	// Tags ride along as one comma-joined column (tags never contain a
	// comma), saving the page a query. On SQLite TopicByID puts them in
	// order (byte order, SQLite's own for text): an ORDER BY in the
	// aggregate has SQLite open a sorter on every read, for a handful of
	// short words. PostgreSQL sorts them by the database's collation, as
	// every other list of tags there is.
	tagList := `(SELECT group_concat(tag, ',') FROM topic_tags WHERE topic_id = t.id)`
	if engine == Postgres {
		tagList = `(SELECT string_agg(tag, ',' ORDER BY tag) FROM topic_tags WHERE topic_id = t.id)`
	}
	return `
		SELECT t.id, t.board_id, t.kind, t.title, t.slug, t.author_id, t.pinned, t.locked, t.post_count,
			t.purged_count, t.bumped_at, t.created_at, t.updated_at, t.answer_post_id, t.has_polls,
			` + answeredColumn + `, ` + hasOutcomeColumn + `,
			` + shownAuthor("op", "u.display_name") + `, ` + shownAuthor("op", "u.specialty") + `,
			COALESCE(op.anonymous, FALSE), COALESCE(op.anonymous_as, ''), op.hidden_at IS NOT NULL,
			b.slug, b.title, COALESCE(` + tagList + `, '')
		FROM topics t JOIN users u ON u.id = t.author_id JOIN boards b ON b.id = t.board_id
			` + openingPostJoin(engine) + `
		WHERE t.id = ?`
}

// TopicByID loads a topic with its board and tags.
func (s *Store) TopicByID(ctx context.Context, id int64) (*TopicSummary, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	return scanTopicByID(s.inTx(ctx, h.topic).QueryRowContext(ctx, id).Scan, s.engine, id)
}

// scanTopicByID reads topicByIDSQL's row through scan, the Scan of a
// database/sql or a pgx row (ReadTopicPage); no row is ErrNotFound.
func scanTopicByID(scan func(dest ...any) error, engine Engine, id int64) (*TopicSummary, error) {
	var t TopicSummary
	var tags string
	err := scan(&t.ID, &t.BoardID, &t.Kind, &t.Title, &t.Slug, &t.AuthorID,
		&t.Pinned, &t.Locked, &t.PostCount, &t.PurgedCount, &t.BumpedAt, &t.CreatedAt, &t.UpdatedAt,
		&t.AnswerPostID, &t.HasPolls, &t.Answered, &t.HasOutcome, &t.AuthorName, &t.AuthorSpecialty, &t.Anonymous, &t.AnonymousAs, &t.OpenerHidden, &t.BoardSlug, &t.BoardTitle, &tags)
	if errors.Is(err, errNoRows) { // pgx's ErrNoRows is sql.ErrNoRows too
		return nil, fmt.Errorf("load topic %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load topic %d: %w", id, err)
	}
	if tags != "" {
		t.Tags = strings.Split(tags, ",")
		if engine == SQLite {
			slices.Sort(t.Tags)
		}
	}
	return &t, nil
}
