package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// DigestFrequency is how often a member gets a digest.
type DigestFrequency string

const (
	DigestNever  DigestFrequency = "never"
	DigestDaily  DigestFrequency = "daily"
	DigestWeekly DigestFrequency = "weekly"
)

// DigestSettings say when a member's digest goes out: at Hour on every day
// (daily) or on Weekday (weekly, 0 = Sunday), in their own time zone.
type DigestSettings struct {
	UserID    int64 `gorm:"primaryKey"`
	Frequency DigestFrequency
	Hour      int
	Weekday   int
	TimeZone  string
	UpdatedAt time.Time
}

// DefaultDigestSettings are a member's settings until they change them:
// weekly, Monday at 07:00 UTC.
func DefaultDigestSettings(userID int64) DigestSettings {
	return DigestSettings{UserID: userID, Frequency: DigestWeekly, Hour: 7, Weekday: int(time.Monday), TimeZone: "UTC"}
}

// ErrInvalidSettings wraps every reason digest settings are refused; the
// message after it is fit to show the member.
var ErrInvalidSettings = errors.New("invalid digest settings")

// Validate checks the settings, the time zone against the IANA database.
func (ds DigestSettings) Validate() error {
	switch ds.Frequency {
	case DigestNever, DigestDaily, DigestWeekly:
	default:
		return fmt.Errorf("%w: frequency %q is not never, daily or weekly", ErrInvalidSettings, ds.Frequency)
	}
	if ds.Hour < 0 || ds.Hour > 23 {
		return fmt.Errorf("%w: hour %d is not between 0 and 23", ErrInvalidSettings, ds.Hour)
	}
	if ds.Weekday < 0 || ds.Weekday > 6 {
		return fmt.Errorf("%w: weekday %d is not between 0 (Sunday) and 6 (Saturday)", ErrInvalidSettings, ds.Weekday)
	}
	if _, err := location(ds.TimeZone); err != nil {
		return fmt.Errorf("%w: %q is not a time zone such as Europe/Berlin", ErrInvalidSettings, ds.TimeZone)
	}
	return nil
}

// Location is the member's time zone, UTC when it is not one the system
// knows.
func (ds DigestSettings) Location() *time.Location {
	loc, err := location(ds.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// locations caches time zones: time.LoadLocation reads the zone file on
// every call, and the scheduler asks for one per member.
var locations sync.Map // name → *time.Location

func location(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	// "Local" would be the server's zone, which means nothing to a member.
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// DigestSettingsFor reads a member's settings, or the defaults when they
// never saved any.
func (s *Store) DigestSettingsFor(ctx context.Context, userID int64) (DigestSettings, error) {
	var rows []DigestSettings
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return DigestSettings{}, fmt.Errorf("read digest settings of member %d: %w", userID, err)
	}
	if len(rows) == 0 {
		return DefaultDigestSettings(userID), nil
	}
	return rows[0], nil
}

// SaveDigestSettings validates and stores a member's settings.
func (s *Store) SaveDigestSettings(ctx context.Context, ds DigestSettings) error {
	if err := ds.Validate(); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Exec(`INSERT INTO digest_settings (user_id, frequency, hour, weekday, time_zone, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, hour = excluded.hour,
			weekday = excluded.weekday, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
		ds.UserID, string(ds.Frequency), ds.Hour, ds.Weekday, ds.TimeZone, s.Now()).Error
	if err != nil {
		return fmt.Errorf("save digest settings of member %d: %w", ds.UserID, err)
	}
	return nil
}

// Period is one digest of a member: the latest moment their settings
// schedule at or before now, and the period before it.
type Period struct {
	// Key names the period, such as "2026-11-23/weekly": the local date of
	// the scheduled moment and the frequency. A member gets at most one
	// digest per key.
	Key string
	// Due is the scheduled moment, in UTC.
	Due time.Time
	// WindowStart is one period before Due: where the digest's content
	// starts when there is no earlier digest to continue from.
	WindowStart time.Time
}

// DigestPeriod is the member's current period at now; false when they
// take no digest or their time zone is unknown.
func DigestPeriod(ds DigestSettings, now time.Time) (Period, bool) {
	loc, err := location(ds.TimeZone)
	if err != nil {
		return Period{}, false
	}
	local := now.In(loc)
	y, m, d := local.Date()
	var back, step int
	switch ds.Frequency {
	case DigestDaily:
		step = 1
	case DigestWeekly:
		step = 7
		back = (int(local.Weekday()) - ds.Weekday + 7) % 7
	default:
		return Period{}, false
	}
	// time.Date normalises days out of range and hours that a DST change
	// skips, so arithmetic on the date keeps the local hour.
	due := time.Date(y, m, d-back, ds.Hour, 0, 0, 0, loc)
	if due.After(now) {
		back += step
		due = time.Date(y, m, d-back, ds.Hour, 0, 0, 0, loc)
	}
	start := time.Date(y, m, d-back-step, ds.Hour, 0, 0, 0, loc)
	return Period{
		Key:         due.Format("2006-01-02") + "/" + string(ds.Frequency),
		Due:         storeTime(due),
		WindowStart: storeTime(start),
	}, true
}

// DueDigest is a member whose current period has no digest yet.
type DueDigest struct {
	UserID int64
	Period Period
}

// hasAddressSQL is true when the member aliased u has somewhere to send a
// digest: an address a sign-in provider vouched for, or a confirmed work
// email.
const hasAddressSQL = `(EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id AND i.email <> '' AND i.email_verified = TRUE)
	OR EXISTS (SELECT 1 FROM verifications v WHERE v.user_id = u.id AND v.work_email <> '' AND v.work_email_confirmed_at IS NOT NULL))`

// DueMembers lists the verified members with an address who take digests,
// whose scheduled hour (and weekday) has come in their own time zone, and
// whose current period has no delivery row yet, in member order.
func (s *Store) DueMembers(ctx context.Context, now time.Time) ([]DueDigest, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT u.id, COALESCE(ds.frequency, 'weekly'), COALESCE(ds.hour, 7),
			COALESCE(ds.weekday, 1), COALESCE(ds.time_zone, 'UTC')
		FROM users u LEFT JOIN digest_settings ds ON ds.user_id = u.id
		WHERE u.status = ? AND COALESCE(ds.frequency, 'weekly') <> 'never' AND `+hasAddressSQL+`
		ORDER BY u.id`, StatusVerified).Rows()
	if err != nil {
		return nil, fmt.Errorf("list members taking digests: %w", err)
	}
	var due []DueDigest
	earliest := now
	for rows.Next() {
		var ds DigestSettings
		var freq string
		if err := rows.Scan(&ds.UserID, &freq, &ds.Hour, &ds.Weekday, &ds.TimeZone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list members taking digests: %w", err)
		}
		ds.Frequency = DigestFrequency(freq)
		p, ok := DigestPeriod(ds, now)
		if !ok {
			continue // a zone the database no longer knows; Validate kept it out of new settings
		}
		if p.Due.Before(earliest) {
			earliest = p.Due
		}
		due = append(due, DueDigest{UserID: ds.UserID, Period: p})
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("list members taking digests: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	// A period's row is claimed at or after its moment, so the rows that
	// can match are the ones claimed since the earliest of them.
	type key struct {
		user   int64
		period string
	}
	claimed := map[key]bool{}
	drows, err := s.db.WithContext(ctx).Raw(`SELECT user_id, period FROM digest_deliveries WHERE claimed_at >= ?`,
		storeTime(earliest)).Rows()
	if err != nil {
		return nil, fmt.Errorf("list recent digest deliveries: %w", err)
	}
	for drows.Next() {
		var k key
		if err := drows.Scan(&k.user, &k.period); err != nil {
			drows.Close()
			return nil, fmt.Errorf("list recent digest deliveries: %w", err)
		}
		claimed[k] = true
	}
	err = drows.Err()
	drows.Close()
	if err != nil {
		return nil, fmt.Errorf("list recent digest deliveries: %w", err)
	}
	out := due[:0]
	for _, d := range due {
		if !claimed[key{d.UserID, d.Period.Key}] {
			out = append(out, d)
		}
	}
	return out, nil
}

// DigestAddress is where a member's digest goes: the address their most
// recently used sign-in provider vouched for, else their confirmed work
// email. ErrNotFound when they have neither.
func (s *Store) DigestAddress(ctx context.Context, userID int64) (string, error) {
	var addrs []string
	err := s.db.WithContext(ctx).Raw(`SELECT email FROM identities WHERE user_id = ? AND email <> '' AND email_verified = TRUE
		ORDER BY last_used_at DESC, id DESC LIMIT 1`, userID).Scan(&addrs).Error
	if err != nil {
		return "", fmt.Errorf("read address of member %d: %w", userID, err)
	}
	if len(addrs) == 0 {
		err = s.db.WithContext(ctx).Raw(`SELECT work_email FROM verifications WHERE user_id = ? AND work_email <> ''
			AND work_email_confirmed_at IS NOT NULL`, userID).Scan(&addrs).Error
		if err != nil {
			return "", fmt.Errorf("read work email of member %d: %w", userID, err)
		}
	}
	if len(addrs) == 0 {
		return "", fmt.Errorf("address of member %d: %w", userID, ErrNotFound)
	}
	return addrs[0], nil
}

// DigestSince is where the content of a member's digest for period p
// starts: where their last sent digest stopped, so nothing falls between
// two digests or shows in both (also when the member changes frequency),
// unless that is more than one period further back than p's own window
// (a long pause is not replayed).
func (s *Store) DigestSince(ctx context.Context, userID int64, p Period) (time.Time, error) {
	m, err := s.DigestMemberFor(ctx, userID, p.Key)
	if err != nil {
		return time.Time{}, err
	}
	return m.Since(p), nil
}

// DigestMember is what sending a member's digest needs to know about them,
// read in one query.
type DigestMember struct {
	User     User
	Settings DigestSettings
	// Address is where the digest goes; empty when there is nowhere (see
	// DigestAddress).
	Address string
	// LastSentEnd is where the last digest sent to them stopped, other
	// than the period asked about.
	LastSentEnd *time.Time
}

// DigestMemberFor reads a member, their digest settings, their address
// and where their last digest other than periodKey's stopped.
func (s *Store) DigestMemberFor(ctx context.Context, userID int64, periodKey string) (*DigestMember, error) {
	var row struct {
		User
		Frequency   *string
		Hour        *int
		Weekday     *int
		TimeZone    *string
		Address     string
		LastSentEnd *time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT u.*, ds.frequency, ds.hour, ds.weekday, ds.time_zone,
			COALESCE(
				(SELECT i.email FROM identities i WHERE i.user_id = u.id AND i.email <> '' AND i.email_verified = TRUE
					ORDER BY i.last_used_at DESC, i.id DESC LIMIT 1),
				(SELECT v.work_email FROM verifications v WHERE v.user_id = u.id AND v.work_email <> ''
					AND v.work_email_confirmed_at IS NOT NULL LIMIT 1),
				'') AS address,
			(SELECT dd.window_end FROM digest_deliveries dd WHERE dd.user_id = u.id AND dd.status = 'sent'
				AND dd.window_end IS NOT NULL AND dd.period <> ? ORDER BY dd.window_end DESC LIMIT 1) AS last_sent_end
		FROM users u LEFT JOIN digest_settings ds ON ds.user_id = u.id
		WHERE u.id = ?`, periodKey, userID).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("read member %d for their digest: %w", userID, err)
	}
	if row.ID == 0 {
		return nil, fmt.Errorf("load user %d: %w", userID, ErrNotFound)
	}
	m := &DigestMember{User: row.User, Settings: DefaultDigestSettings(userID), Address: row.Address}
	if row.Frequency != nil {
		m.Settings.Frequency = DigestFrequency(*row.Frequency)
		m.Settings.Hour, m.Settings.Weekday, m.Settings.TimeZone = *row.Hour, *row.Weekday, *row.TimeZone
	}
	if row.LastSentEnd != nil {
		end := storeTime(*row.LastSentEnd)
		m.LastSentEnd = &end
	}
	return m, nil
}

// Since is where the content of the member's digest for p starts: see
// DigestSince.
func (m *DigestMember) Since(p Period) time.Time {
	floor := p.WindowStart.Add(-p.Due.Sub(p.WindowStart))
	if m.LastSentEnd == nil || m.LastSentEnd.Before(floor) {
		return p.WindowStart
	}
	return *m.LastSentEnd
}

// Digest is what one member's digest carries, chosen at send time.
type Digest struct {
	Member *User
	// Since and Until bound the posts it covers: created after Since, at
	// or before Until.
	Since, Until time.Time
	// Items are the topics, those the member watches first, each group by
	// activity.
	Items []DigestItem
}

// Empty says there is nothing to send.
func (d *Digest) Empty() bool { return d == nil || len(d.Items) == 0 }

// DigestItem is one topic in a digest.
type DigestItem struct {
	TopicID     int64
	TopicTitle  string
	TopicSlug   string
	BoardID     int64
	BoardSlug   string
	BoardTitle  string
	EmailPolicy EmailPolicy
	// Watched is true when the member watches the topic or its board.
	Watched bool
	// NewTopic is true when the topic's opening post is among the new posts.
	NewTopic bool
	// NewPosts counts the visible posts by others in the window.
	NewPosts int
	// Posts are the newest few of them, oldest first, only for boards
	// whose policy is EmailFull.
	Posts []DigestPost
}

// DigestPost is one post as a digest shows it.
type DigestPost struct {
	PostID int64
	Number int
	// Author is the display name, or AnonymousAuthor for an anonymous post.
	Author string
	Cooked string
}

// Digest limits: how many topics, and how many posts under each.
const (
	DigestMaxItems     = 20
	digestPostsPerItem = 3
	// corpusRecent is how many of a topic's newest posts a corpus keeps,
	// so that the newest few by others remain when a member wrote some.
	corpusRecent = 8
)

// DigestCorpus is what every digest of one window draws on: the visible
// posts written in it, counted per topic and author, with the topics they
// belong to. It holds nothing about any member; DigestFromCorpus applies a
// member's access, levels and own posts to it. Loading it once per window
// instead of once per member is what lets thousands of digests go out in
// minutes. It is safe for concurrent use.
type DigestCorpus struct {
	Since, Until time.Time
	topics       map[int64]*corpusTopic
	// own counts each author's posts per topic, to leave a member's out.
	own map[int64]map[int64]int
	// watched are the posts and opening posts whose change would change
	// what the corpus says; see DigestCorpusCurrent.
	watched map[int64]bool
	maxPost int64

	mu   sync.Mutex
	head int64                 // the search outbox position it reflects
	text map[int64]*corpusText // post → its text and author, read on first use
}

type corpusTopic struct {
	ID, BoardID  int64
	Title, Slug  string
	Posts        int
	OpenerAuthor int64 // when the opening post is in the window, else 0
	LastPostID   int64
	Recent       []corpusPost // newest first
}

type corpusPost struct {
	ID, Author int64
	Number     int
}

type corpusText struct {
	cooked string
	author string // as the digest names them
}

// LoadDigestCorpus reads the visible posts created after since and at or
// before until, and their topics, leaving out topics whose opening post is
// hidden or deleted.
func (s *Store) LoadDigestCorpus(ctx context.Context, since, until time.Time) (*DigestCorpus, error) {
	c := &DigestCorpus{Since: storeTime(since), Until: storeTime(until), topics: map[int64]*corpusTopic{},
		own: map[int64]map[int64]int{}, watched: map[int64]bool{}, text: map[int64]*corpusText{}}
	// The head first: a change after it is seen by DigestCorpusCurrent even
	// when the reads below already include it.
	head, err := s.OutboxHead(ctx)
	if err != nil {
		return nil, err
	}
	c.head = head
	// From the covering index alone, newest first within each topic.
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, topic_id, author_id, number FROM posts
		WHERE created_at > ? AND created_at <= ? AND hidden_at IS NULL AND deleted_at IS NULL`,
		c.Since, c.Until).Rows()
	if err != nil {
		return nil, fmt.Errorf("load digest posts: %w", err)
	}
	for rows.Next() {
		var p corpusPost
		var topicID int64
		if err := rows.Scan(&p.ID, &topicID, &p.Author, &p.Number); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load digest posts: %w", err)
		}
		t := c.topics[topicID]
		if t == nil {
			t = &corpusTopic{ID: topicID}
			c.topics[topicID] = t
		}
		t.Posts++
		if p.Number == 1 {
			t.OpenerAuthor = p.Author
		}
		t.LastPostID = max(t.LastPostID, p.ID)
		c.maxPost = max(c.maxPost, p.ID)
		c.watched[p.ID] = true
		t.Recent = append(t.Recent, p)
		if c.own[p.Author] == nil {
			c.own[p.Author] = map[int64]int{}
		}
		c.own[p.Author][topicID]++
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("load digest posts: %w", err)
	}
	for _, t := range c.topics {
		slices.SortFunc(t.Recent, func(a, b corpusPost) int { return b.Number - a.Number })
		if len(t.Recent) > corpusRecent {
			t.Recent = slices.Clip(t.Recent[:corpusRecent])
		}
	}
	ids := make([]int64, 0, len(c.topics))
	for id := range c.topics {
		ids = append(ids, id)
	}
	for chunk := range slices.Chunk(ids, maxBoundIDs) {
		var topics []struct {
			ID       int64
			BoardID  int64
			Title    string
			Slug     string
			OpenerID int64
			Visible  bool
		}
		err := s.db.WithContext(ctx).Raw(`SELECT t.id, t.board_id, t.title, t.slug, op.id AS opener_id,
				(op.hidden_at IS NULL AND op.deleted_at IS NULL) AS visible
			FROM topics t JOIN posts op ON op.topic_id = t.id AND op.number = 1
			WHERE t.id IN ?`, chunk).Scan(&topics).Error
		if err != nil {
			return nil, fmt.Errorf("load digest topics: %w", err)
		}
		for _, row := range topics {
			c.watched[row.OpenerID] = true
			if !row.Visible {
				continue
			}
			t := c.topics[row.ID]
			t.BoardID, t.Title, t.Slug = row.BoardID, row.Title, row.Slug
		}
	}
	for id, t := range c.topics {
		if t.BoardID == 0 { // opening post hidden or deleted, or the topic gone
			delete(c.topics, id)
		}
	}
	return c, nil
}

// DigestCorpusCurrent says whether a corpus still says what the database
// does: no post in it, nor the opening post of a topic in it, was hidden,
// deleted or edited since it was loaded, and none of its topics changed.
// Every such write queues a search outbox entry in its own transaction, so
// the entries after the corpus's position tell. New posts after the
// corpus's window leave it current.
func (s *Store) DigestCorpusCurrent(ctx context.Context, c *DigestCorpus) (bool, error) {
	c.mu.Lock()
	head := c.head
	c.mu.Unlock()
	for {
		entries, err := s.OutboxAfter(ctx, head, 500)
		if err != nil {
			return false, err
		}
		if len(entries) == 0 {
			break
		}
		for _, e := range entries {
			switch {
			case e.PostID == nil:
				if _, ok := c.topics[e.TopicID]; ok {
					return false, nil
				}
			case c.watched[*e.PostID]:
				return false, nil
			case *e.PostID <= c.maxPost:
				// A post of the window that was hidden when the corpus was
				// loaded may have been shown again; reload to include it.
				if _, ok := c.topics[e.TopicID]; ok {
					return false, nil
				}
			}
			head = e.ID
		}
	}
	c.mu.Lock()
	c.head = max(c.head, head)
	c.mu.Unlock()
	return true, nil
}

// DigestContent chooses a member's digest from the posts created after
// since and at or before until; see DigestFromCorpus for the rules.
func (s *Store) DigestContent(ctx context.Context, userID int64, since, until time.Time, limit int) (*Digest, error) {
	c, err := s.LoadDigestCorpus(ctx, since, until)
	if err != nil {
		return nil, err
	}
	return s.DigestFromCorpus(ctx, c, userID, limit)
}

// DigestFromCorpus chooses a member's digest from a corpus under the
// site's rules as they stand now: nothing at all to a member who is not
// verified (suspended, rejected, pending) or who turned digests off; only
// boards they may read now; no hidden or deleted post, and no topic whose
// opening post is hidden or deleted; nothing they wrote; nothing they
// muted; anonymous authors by their post's label only. Topics they watch
// (or whose board they watch) come first, then the busiest others, limit in all
// (DigestMaxItems when limit ≤ 0). Check the corpus with
// DigestCorpusCurrent first when it was loaded a while ago.
func (s *Store) DigestFromCorpus(ctx context.Context, c *DigestCorpus, userID int64, limit int) (*Digest, error) {
	m, err := s.DigestMemberFor(ctx, userID, "")
	if err != nil {
		return nil, err
	}
	return s.DigestFor(ctx, c, m, limit)
}

// DigestFor is DigestFromCorpus for a member already read.
func (s *Store) DigestFor(ctx context.Context, c *DigestCorpus, m *DigestMember, limit int) (*Digest, error) {
	if limit <= 0 {
		limit = DigestMaxItems
	}
	u := &m.User
	userID := u.ID
	d := &Digest{Member: u, Since: c.Since, Until: c.Until}
	if !u.IsVerified() || m.Settings.Frequency == DigestNever || len(c.topics) == 0 {
		return d, nil
	}
	boards, err := s.readableBoards(ctx, u)
	if err != nil {
		return nil, err
	}
	var subs []struct {
		BoardID *int64
		TopicID *int64
		Level   string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT board_id, topic_id, level FROM subscriptions WHERE user_id = ?`,
		userID).Scan(&subs).Error; err != nil {
		return nil, fmt.Errorf("read member %d's subscriptions: %w", userID, err)
	}
	boardLevel, topicLevel := map[int64]string{}, map[int64]string{}
	for _, sub := range subs {
		if sub.BoardID != nil {
			boardLevel[*sub.BoardID] = sub.Level
		}
		if sub.TopicID != nil {
			topicLevel[*sub.TopicID] = sub.Level
		}
	}
	type candidate struct {
		t       *corpusTopic
		watched bool
		posts   int
	}
	own := c.own[userID]
	var picks []candidate
	for _, t := range c.topics {
		if _, ok := boards[t.BoardID]; !ok {
			continue
		}
		level, ok := topicLevel[t.ID]
		if !ok {
			level = boardLevel[t.BoardID]
		}
		if level == string(LevelMute) {
			continue
		}
		n := t.Posts - own[t.ID]
		if n <= 0 {
			continue
		}
		picks = append(picks, candidate{t: t, watched: level == string(LevelWatch), posts: n})
	}
	slices.SortFunc(picks, func(a, b candidate) int {
		switch {
		case a.watched != b.watched:
			if a.watched {
				return -1
			}
			return 1
		case a.posts != b.posts:
			return b.posts - a.posts
		case a.t.LastPostID != b.t.LastPostID:
			if a.t.LastPostID > b.t.LastPostID {
				return -1
			}
			return 1
		}
		return 0
	})
	if len(picks) > limit {
		picks = picks[:limit]
	}
	var shown []int64
	for _, p := range picks {
		b := boards[p.t.BoardID]
		item := DigestItem{
			TopicID: p.t.ID, TopicTitle: p.t.Title, TopicSlug: p.t.Slug,
			BoardID: b.ID, BoardSlug: b.Slug, BoardTitle: b.Title, EmailPolicy: b.EmailPolicy,
			Watched: p.watched, NewTopic: p.t.OpenerAuthor != 0 && p.t.OpenerAuthor != userID, NewPosts: p.posts,
		}
		if !item.EmailPolicy.Valid() {
			item.EmailPolicy = EmailCounts // the strictest, should a policy ever be unknown
		}
		if item.EmailPolicy == EmailFull {
			for _, rp := range p.t.Recent {
				if rp.Author == userID {
					continue
				}
				item.Posts = append(item.Posts, DigestPost{PostID: rp.ID, Number: rp.Number})
				shown = append(shown, rp.ID)
				if len(item.Posts) == digestPostsPerItem {
					break
				}
			}
			slices.Reverse(item.Posts)
		}
		d.Items = append(d.Items, item)
	}
	texts, err := s.corpusTexts(ctx, c, shown)
	if err != nil {
		return nil, err
	}
	for i := range d.Items {
		posts := d.Items[i].Posts[:0]
		for _, p := range d.Items[i].Posts {
			text, ok := texts[p.PostID]
			if !ok {
				continue // hidden or deleted since the corpus was loaded
			}
			p.Cooked, p.Author = text.cooked, text.author
			posts = append(posts, p)
		}
		d.Items[i].Posts = posts
	}
	return d, nil
}

// corpusTexts returns the text and author of posts, from the corpus when
// an earlier digest read them, else from the database, which leaves out a
// post hidden or deleted meanwhile.
func (s *Store) corpusTexts(ctx context.Context, c *DigestCorpus, ids []int64) (map[int64]*corpusText, error) {
	out := make(map[int64]*corpusText, len(ids))
	var missing []int64
	c.mu.Lock()
	for _, id := range ids {
		if t, ok := c.text[id]; ok {
			out[id] = t
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64
		Cooked      string
		Anonymous   bool
		AnonymousAs string
		Name        string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT p.id, p.cooked, p.anonymous, p.anonymous_as,
			`+shownAuthor("p", "u.display_name")+` AS name
		FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.id IN ? AND p.hidden_at IS NULL AND p.deleted_at IS NULL`, missing).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load digest posts' text: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range rows {
		t := &corpusText{cooked: r.Cooked, author: r.Name}
		if r.Anonymous {
			t.author = AnonymousAuthor(r.AnonymousAs)
		}
		c.text[r.ID] = t
		out[r.ID] = t
	}
	return out, nil
}

// digestBoard is a board a member may read, as a digest names it.
type digestBoard struct {
	ID          int64
	Slug        string
	Title       string
	EmailPolicy EmailPolicy
}

// readableBoards lists the boards a member may read now, by the rules
// every page applies, with their email policies.
func (s *Store) readableBoards(ctx context.Context, u *User) (map[int64]digestBoard, error) {
	cond, args := readable(u)
	var rows []digestBoard
	err := s.db.WithContext(ctx).Table("boards b").Select("b.id, b.slug, b.title, b.email_policy").
		Where(cond, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list boards member %d may read: %w", u.ID, err)
	}
	out := make(map[int64]digestBoard, len(rows))
	for _, b := range rows {
		out[b.ID] = b
	}
	return out, nil
}

// Delivery states.
const (
	DeliveryClaimed = "claimed"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliveryEmpty   = "empty"
)

// ClaimOutcome says what claiming a member's digest for a period found.
type ClaimOutcome int

const (
	// ClaimFirst: no attempt had claimed the period; this one holds it.
	ClaimFirst ClaimOutcome = iota
	// ClaimRetry: an earlier attempt failed before the mail server took
	// the digest, and released it; this one holds it.
	ClaimRetry
	// ClaimTakenOver: an earlier attempt claimed the period and stopped
	// (its process died) without releasing or finishing it. It may have
	// handed the digest to the mail server before it died, so sending now
	// can deliver it twice; this one holds it.
	ClaimTakenOver
	// ClaimHeld: another attempt holds a fresh claim; leave it to that one.
	ClaimHeld
	// ClaimFinished: the period's digest was sent, found empty, or failed
	// for good.
	ClaimFinished
)

// DigestClaim is one attempt's hold on a member's digest for a period.
type DigestClaim struct {
	DeliveryID int64
	UserID     int64
	Period     string
	Token      string
	Outcome    ClaimOutcome
	// Status is the row's state when it was finished (ClaimFinished).
	Status string
	// PreviousClaimAt is when the attempt taken over claimed the period.
	PreviousClaimAt time.Time
	// UnsubscribeToken is a fresh token for the digest's unsubscribe link,
	// made in the transaction of a claim that holds.
	UnsubscribeToken string
}

// Holds says whether this attempt may build and send the digest.
func (c DigestClaim) Holds() bool {
	return c.Outcome == ClaimFirst || c.Outcome == ClaimRetry || c.Outcome == ClaimTakenOver
}

// ClaimDigest claims a member's digest for a period in one transaction,
// before anything is sent. A claim older than lease whose attempt never
// finished or released it is taken over: lease must be longer than an
// attempt can take to build and send.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, period Period, now time.Time, lease time.Duration) (DigestClaim, error) {
	now = storeTime(now)
	c := DigestClaim{UserID: userID, Period: period.Key, Token: randomClaimToken()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := claimDelivery(tx, &c, period, now, lease); err != nil {
			return err
		}
		if !c.Holds() {
			return nil
		}
		var err error
		c.UnsubscribeToken, err = insertUnsubscribeToken(tx, userID)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("claim digest %s of member %d: %w", period.Key, userID, err)
	}
	return c, nil
}

// claimDelivery inserts or takes over the delivery row and sets c's
// outcome.
func claimDelivery(tx *gorm.DB, c *DigestClaim, period Period, now time.Time, lease time.Duration) error {
	userID := c.UserID
	res := tx.Exec(`INSERT INTO digest_deliveries (user_id, period, status, claim_token, attempts, window_start, claimed_at)
			VALUES (?, ?, 'claimed', ?, 1, ?, ?) ON CONFLICT (user_id, period) DO NOTHING`,
		userID, period.Key, c.Token, period.WindowStart, now)
	if res.Error != nil {
		return res.Error
	}
	var row struct {
		ID         int64
		Status     string
		ClaimToken string
		ClaimedAt  time.Time
	}
	if err := tx.Raw(`SELECT id, status, claim_token, claimed_at FROM digest_deliveries WHERE user_id = ? AND period = ?`,
		userID, period.Key).Scan(&row).Error; err != nil {
		return err
	}
	c.DeliveryID = row.ID
	if res.RowsAffected == 1 {
		c.Outcome = ClaimFirst
		return nil
	}
	switch {
	case row.Status != DeliveryClaimed:
		c.Outcome, c.Status = ClaimFinished, row.Status
		return nil
	case row.ClaimToken != "" && row.ClaimedAt.After(now.Add(-lease)):
		c.Outcome = ClaimHeld
		return nil
	}
	res = tx.Exec(`UPDATE digest_deliveries SET claim_token = ?, claimed_at = ?, attempts = attempts + 1
			WHERE id = ? AND status = 'claimed' AND claim_token = ?`, c.Token, now, row.ID, row.ClaimToken)
	if res.Error != nil {
		return res.Error
	}
	switch {
	case res.RowsAffected == 0:
		c.Outcome = ClaimHeld // another attempt got there between the read and the write
	case row.ClaimToken == "":
		c.Outcome = ClaimRetry
	default:
		c.Outcome, c.PreviousClaimAt = ClaimTakenOver, row.ClaimedAt
	}
	return nil
}

func randomClaimToken() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(raw[:])
}

// ErrClaimLost is a claim that another attempt took over meanwhile.
var ErrClaimLost = errors.New("digest claim taken over by another attempt")

// MarkDigestSent records that the mail server took the digest.
func (s *Store) MarkDigestSent(ctx context.Context, c DigestClaim, messageID string, items int, windowEnd, now time.Time) error {
	return s.finishClaim(ctx, c, `status = 'sent', message_id = ?, items = ?, window_end = ?, sent_at = ?, error = ''`,
		messageID, items, storeTime(windowEnd), storeTime(now))
}

// MarkDigestEmpty records that there was nothing to send this period.
func (s *Store) MarkDigestEmpty(ctx context.Context, c DigestClaim, windowEnd time.Time) error {
	return s.finishClaim(ctx, c, `status = 'empty', window_end = ?, error = ''`, storeTime(windowEnd))
}

// MarkDigestFailed records a failure that retrying cannot mend, such as a
// mail server refusing the address.
func (s *Store) MarkDigestFailed(ctx context.Context, c DigestClaim, reason string) error {
	return s.finishClaim(ctx, c, `status = 'failed', error = ?`, truncateError(reason))
}

// ReleaseDigestClaim gives the claim up after a temporary failure, before
// the mail server took the digest, so the next attempt sends it.
func (s *Store) ReleaseDigestClaim(ctx context.Context, c DigestClaim, reason string) error {
	return s.finishClaim(ctx, c, `claim_token = '', error = ?`, truncateError(reason))
}

func (s *Store) finishClaim(ctx context.Context, c DigestClaim, set string, args ...any) error {
	args = append(args, c.DeliveryID, c.Token)
	res := s.db.WithContext(ctx).Exec(`UPDATE digest_deliveries SET `+set+`
		WHERE id = ? AND status = 'claimed' AND claim_token = ?`, args...)
	if res.Error != nil {
		return fmt.Errorf("record digest %s of member %d: %w", c.Period, c.UserID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("record digest %s of member %d: %w", c.Period, c.UserID, ErrClaimLost)
	}
	return nil
}

func truncateError(reason string) string {
	if len(reason) > 1000 {
		return reason[:1000]
	}
	return reason
}

// DigestDelivery is the record of one member's digest for one period.
type DigestDelivery struct {
	ID          int64
	UserID      int64
	Period      string
	Status      string
	ClaimToken  string
	Attempts    int
	Items       int
	MessageID   string
	Error       string
	WindowStart *time.Time
	WindowEnd   *time.Time
	ClaimedAt   time.Time
	SentAt      *time.Time
}

// DigestDeliveries lists a member's digest records, newest first.
func (s *Store) DigestDeliveries(ctx context.Context, userID int64, limit int) ([]DigestDelivery, error) {
	var rows []DigestDelivery
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("claimed_at DESC, id DESC").
		Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list digests of member %d: %w", userID, err)
	}
	return rows, nil
}

// UnsubscribeScopeDigest is the only thing an unsubscribe token stops.
const UnsubscribeScopeDigest = "digest"

func unsubscribeHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateUnsubscribeToken makes the secret for one digest's unsubscribe
// link: 256 random bits, of which only the SHA-256 is kept.
func (s *Store) CreateUnsubscribeToken(ctx context.Context, userID int64) (string, error) {
	return insertUnsubscribeToken(s.db.WithContext(ctx), userID)
}

func insertUnsubscribeToken(db *gorm.DB, userID int64) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("random unsubscribe token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	err := db.Exec(`INSERT INTO unsubscribe_tokens (token_hash, user_id, scope, created_at) VALUES (?, ?, ?, ?)`,
		unsubscribeHash(token), userID, UnsubscribeScopeDigest, db.NowFunc()).Error
	if err != nil {
		return "", fmt.Errorf("create unsubscribe token for member %d: %w", userID, err)
	}
	return token, nil
}

// UnsubscribeByToken turns digests off for the member a token was made
// for, without signing in, and returns that member's id. Using a token
// again changes nothing more; an unknown token is ErrNotFound.
func (s *Store) UnsubscribeByToken(ctx context.Context, token string) (int64, error) {
	var userID int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Raw(`SELECT user_id FROM unsubscribe_tokens WHERE token_hash = ? AND scope = ?`,
			unsubscribeHash(strings.TrimSpace(token)), UnsubscribeScopeDigest).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return ErrNotFound
		}
		userID = ids[0]
		now := s.Now()
		if err := tx.Exec(`UPDATE unsubscribe_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
			now, unsubscribeHash(strings.TrimSpace(token))).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO digest_settings (user_id, frequency, updated_at) VALUES (?, 'never', ?)
			ON CONFLICT (user_id) DO UPDATE SET frequency = 'never', updated_at = excluded.updated_at`,
			userID, now).Error
	})
	if err != nil {
		return 0, fmt.Errorf("unsubscribe by token: %w", err)
	}
	return userID, nil
}

// PruneUnsubscribeTokens deletes tokens made before a moment, so the
// table does not grow by one row per digest for ever; links in digests
// older than that stop working.
func (s *Store) PruneUnsubscribeTokens(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM unsubscribe_tokens WHERE created_at < ?`, storeTime(before))
	if res.Error != nil {
		return 0, fmt.Errorf("prune unsubscribe tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}
