package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A DraftKind is the kind of place a draft is written for.
type DraftKind string

// The places a member writes in. A new kind of place is a constant here, a
// constructor below and a line in draftPlaces.
const (
	DraftTopic DraftKind = "topic" // a new topic in a board
	DraftCase  DraftKind = "case"  // a new case in a board
	DraftReply DraftKind = "reply" // a reply to a topic
	DraftEdit  DraftKind = "edit"  // an edit of a post
	// DraftConsult is a message in a private consult.
	DraftConsult DraftKind = "consult"
	// DraftNewConsult is a consult a member starts; its id is the
	// member's own, as each member has one form to start consults.
	DraftNewConsult DraftKind = "new-consult"
)

// A DraftPlace is where a draft belongs: a kind of place and the id of the
// board, topic or post it is in.
type DraftPlace struct {
	Kind DraftKind
	ID   int64
}

// NewTopicDraft is the place of a new topic in a board.
func NewTopicDraft(boardID int64) DraftPlace { return DraftPlace{DraftTopic, boardID} }

// NewCaseDraft is the place of a new case in a board.
func NewCaseDraft(boardID int64) DraftPlace { return DraftPlace{DraftCase, boardID} }

// ReplyDraft is the place of a reply to a topic.
func ReplyDraft(topicID int64) DraftPlace { return DraftPlace{DraftReply, topicID} }

// EditDraft is the place of an edit of a post.
func EditDraft(postID int64) DraftPlace { return DraftPlace{DraftEdit, postID} }

// ConsultDraft is the place of a message in a consult.
func ConsultDraft(consultID int64) DraftPlace { return DraftPlace{DraftConsult, consultID} }

// NewConsultDraft is the place of a consult the member starts.
func NewConsultDraft(userID int64) DraftPlace { return DraftPlace{DraftNewConsult, userID} }

// String writes the place as a form carries it: "reply:12".
func (p DraftPlace) String() string { return string(p.Kind) + ":" + strconv.FormatInt(p.ID, 10) }

// ErrDraftPlace is a place that is not one of the kinds above.
var ErrDraftPlace = errors.New("not a place for a draft")

// ParseDraftPlace reads a place written by String.
func ParseDraftPlace(s string) (DraftPlace, error) {
	kind, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 || draftPlaces[DraftKind(kind)] == nil {
		return DraftPlace{}, fmt.Errorf("%q: %w", s, ErrDraftPlace)
	}
	return DraftPlace{DraftKind(kind), n}, nil
}

// Limits on drafts, besides the limits of the fields a draft holds, which
// the composer checks as it checks a post's.
const (
	// DraftsMax is how many drafts a member may keep at once.
	DraftsMax = 100
	// DraftBytesMax bounds all of a draft's fields together.
	DraftBytesMax = 1 << 20
	// DraftDays is how long a draft is kept after it was last saved.
	DraftDays = 30
)

var (
	// ErrDraftTooLarge is a draft over DraftBytesMax.
	ErrDraftTooLarge = errors.New("draft too large")
	// ErrTooManyDrafts is a new draft when the member keeps DraftsMax.
	ErrTooManyDrafts = errors.New("too many drafts")
)

// A Draft is what a member has written in a composer and not yet posted:
// every field of the form, as the form sent them. Drafts are private:
// they are never indexed, mailed or shown to anyone but their writer.
type Draft struct {
	ID        int64
	UserID    int64
	PlaceKind DraftKind
	PlaceID   int64
	// Fields are the form's fields, URL-encoded.
	Fields    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Place is where the draft belongs.
func (d *Draft) Place() DraftPlace { return DraftPlace{d.PlaceKind, d.PlaceID} }

// Values are the draft's fields. Fields the store wrote always parse.
func (d *Draft) Values() url.Values {
	v, err := url.ParseQuery(d.Fields)
	if err != nil {
		return url.Values{}
	}
	return v
}

// SaveDraft keeps what the member wrote at a place, replacing their draft
// there. Whether they may write there is the caller's to check.
func (s *Store) SaveDraft(ctx context.Context, userID int64, place DraftPlace, fields url.Values) (*Draft, error) {
	if draftPlaces[place.Kind] == nil {
		return nil, ErrDraftPlace
	}
	encoded := fields.Encode()
	if len(encoded) > DraftBytesMax {
		return nil, ErrDraftTooLarge
	}
	now := s.Now()
	d := Draft{UserID: userID, PlaceKind: place.Kind, PlaceID: place.ID, Fields: encoded, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var kept, here int64
		err := tx.Model(&Draft{}).Where("user_id = ?", userID).
			Select("COUNT(*), COALESCE(SUM(CASE WHEN place_kind = ? AND place_id = ? THEN 1 ELSE 0 END), 0)", place.Kind, place.ID).
			Row().Scan(&kept, &here)
		if err != nil {
			return err
		}
		if here == 0 && kept >= DraftsMax {
			return ErrTooManyDrafts
		}
		// One statement, so that two saves racing each other (the timer
		// and the page being left) both end in one draft.
		return tx.Exec(`INSERT INTO drafts (user_id, place_kind, place_id, fields, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, place_kind, place_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at`,
			userID, place.Kind, place.ID, encoded, now, now).Error
	})
	if errors.Is(err, ErrTooManyDrafts) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("save draft of member %d at %s: %w", userID, place, err)
	}
	return &d, nil
}

// draftAtSQL is DraftAt's prepared statement (see hotQueries): the topic
// page looks for the reader's draft of a reply on every view.
func draftAtSQL(engine Engine) string {
	return `SELECT id, fields, ` + epochSQL(engine, "created_at") + `, ` + epochSQL(engine, "updated_at") +
		` FROM drafts WHERE user_id = ? AND place_kind = ? AND place_id = ?`
}

// DraftAt loads the member's draft at a place, its times to the second;
// none is ErrNotFound.
func (s *Store) DraftAt(ctx context.Context, userID int64, place DraftPlace) (*Draft, error) {
	h, err := s.hot(ctx)
	if err != nil {
		return nil, err
	}
	d := Draft{UserID: userID, PlaceKind: place.Kind, PlaceID: place.ID}
	var created, updated int64
	err = s.inTx(ctx, h.draft).QueryRowContext(ctx, userID, string(place.Kind), place.ID).Scan(&d.ID, &d.Fields, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("draft of member %d at %s: %w", userID, place, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load draft of member %d at %s: %w", userID, place, err)
	}
	d.CreatedAt, d.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	return &d, nil
}

// DeleteDraft removes the member's draft at a place, if they have one.
func (s *Store) DeleteDraft(ctx context.Context, userID int64, place DraftPlace) error {
	return deleteDraft(s.db.WithContext(ctx), userID, place)
}

func deleteDraft(db *gorm.DB, userID int64, place DraftPlace) error {
	err := db.Where("user_id = ? AND place_kind = ? AND place_id = ?", userID, place.Kind, place.ID).
		Delete(&Draft{}).Error
	if err != nil {
		return fmt.Errorf("delete draft of member %d at %s: %w", userID, place, err)
	}
	return nil
}

// DeleteDraftsBefore removes the drafts last saved before t: the sweep
// keeps drafts DraftDays.
func (s *Store) DeleteDraftsBefore(ctx context.Context, t time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("updated_at < ?", t).Delete(&Draft{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete drafts saved before %s: %w", t, res.Error)
	}
	return res.RowsAffected, nil
}

// DraftWhere says where a draft belongs, as the member's list of drafts
// shows it.
type DraftWhere struct {
	BoardSlug  string
	BoardTitle string
	// The topic replied to, or of the post edited; zero for a new topic.
	TopicID    int64
	TopicSlug  string
	TopicTitle string
	// The post edited; zero for any other place.
	PostID     int64
	PostNumber int
	// The consult written in; zero for any other place.
	ConsultID      int64
	ConsultSubject string
}

// DraftView is a draft with where it belongs.
type DraftView struct {
	Draft
	Where DraftWhere
}

// draftPlaceFinder finds where the drafts at places of one kind belong,
// by place id, leaving out the places the member may no longer write at
// (a board closed to them, a topic gone, a post no longer theirs).
type draftPlaceFinder func(tx *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error)

// draftPlaces is how to find each kind of place.
var draftPlaces = map[DraftKind]draftPlaceFinder{
	DraftTopic: draftBoards,
	DraftCase:  draftBoards,
	DraftReply: draftTopics,
	DraftEdit:  draftPosts,
	// A consult's draft belongs to a member who still takes part in it:
	// one who left neither sees nor continues it.
	DraftConsult:    draftConsults,
	DraftNewConsult: draftNewConsults,
}

type draftWhereRow struct {
	PlaceID int64
	DraftWhere
}

func scanDraftPlaces(q *gorm.DB, u *User, hiddenTopics bool) (map[int64]DraftWhere, error) {
	cond, args := readable(u)
	q = q.Where(cond, args...)
	if hiddenTopics && !seesHidden(u) {
		q = q.Joins(openingPostJoinSQL).Where(openerShown)
	}
	var rows []draftWhereRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]DraftWhere, len(rows))
	for _, r := range rows {
		out[r.PlaceID] = r.DraftWhere
	}
	return out, nil
}

func draftBoards(tx *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error) {
	return scanDraftPlaces(tx.Table("boards b").Select("b.id AS place_id, b.slug AS board_slug, b.title AS board_title").
		Where("b.id IN ?", ids), u, false)
}

func draftTopics(tx *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error) {
	return scanDraftPlaces(tx.Table("topics t").Joins("JOIN boards b ON b.id = t.board_id").
		Select("t.id AS place_id, b.slug AS board_slug, b.title AS board_title, t.id AS topic_id, t.slug AS topic_slug, t.title AS topic_title").
		Where("t.id IN ?", ids), u, true)
}

func draftPosts(tx *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error) {
	return scanDraftPlaces(tx.Table("posts p").Joins("JOIN topics t ON t.id = p.topic_id").Joins("JOIN boards b ON b.id = t.board_id").
		Select(`p.id AS place_id, b.slug AS board_slug, b.title AS board_title, t.id AS topic_id, t.slug AS topic_slug,
			t.title AS topic_title, p.id AS post_id, p.number AS post_number`).
		Where("p.id IN ? AND p.author_id = ? AND p.deleted_at IS NULL", ids, u.ID), u, true)
}

func draftNewConsults(_ *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error) {
	out := map[int64]DraftWhere{}
	if u.IsVerified() && slices.Contains(ids, u.ID) {
		out[u.ID] = DraftWhere{}
	}
	return out, nil
}

func draftConsults(tx *gorm.DB, u *User, ids []int64) (map[int64]DraftWhere, error) {
	out := map[int64]DraftWhere{}
	if !u.IsVerified() {
		return out, nil
	}
	var rows []draftWhereRow
	err := tx.Table("consults c").
		Joins("JOIN consult_members me ON me.consult_id = c.id AND me.user_id = ? AND me.left_at IS NULL", u.ID).
		Select("c.id AS place_id, c.id AS consult_id, c.subject AS consult_subject").
		Where("c.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PlaceID] = r.DraftWhere
	}
	return out, nil
}

// Drafts lists the member's drafts, the most recently saved first, with
// where each belongs. A draft at a place the member may no longer write
// at is left out: it cannot be continued, and its place is not theirs to
// see.
func (s *Store) Drafts(ctx context.Context, u *User) ([]DraftView, error) {
	var drafts []Draft
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ?", u.ID).Order("updated_at DESC, id DESC").Limit(DraftsMax).Find(&drafts).Error; err != nil {
		return nil, fmt.Errorf("list drafts of member %d: %w", u.ID, err)
	}
	ids := map[DraftKind][]int64{}
	for _, d := range drafts {
		ids[d.PlaceKind] = append(ids[d.PlaceKind], d.PlaceID)
	}
	found := map[DraftKind]map[int64]DraftWhere{}
	for kind, list := range ids {
		find := draftPlaces[kind]
		if find == nil {
			continue
		}
		where, err := find(db, u, list)
		if err != nil {
			return nil, fmt.Errorf("find the places of drafts of member %d: %w", u.ID, err)
		}
		found[kind] = where
	}
	var out []DraftView
	for _, d := range drafts {
		if where, ok := found[d.PlaceKind][d.PlaceID]; ok {
			out = append(out, DraftView{Draft: d, Where: where})
		}
	}
	return out, nil
}
