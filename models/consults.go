package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// NotifyConsult is the kind of a consult's notifications: a new message
// for a participant who has not muted the consult.
const NotifyConsult = "consult"

// Limits of a consult.
const (
	ConsultSubjectMax = 200
	// ConsultMembersMax bounds the participants of one consult, the
	// starter included: a consult is a conversation, not a board.
	ConsultMembersMax = 20
)

// A Consult is a private conversation between verified members. Its
// tables (consults, consult_members, consult_messages) are read only
// through the methods of this file, which all start from a participant:
// nothing else of Rounds lists them.
type Consult struct {
	ID           int64
	Subject      string
	StartedByID  int64
	OthersMayAdd bool
	CreatedAt    time.Time
	// LastMessageAt orders a member's list of consults.
	LastMessageAt time.Time
}

// ConsultMember is a participant of a consult, or one who left.
type ConsultMember struct {
	ConsultID         int64
	UserID            int64
	AddedByID         *int64
	JoinedAt          time.Time
	LeftAt            *time.Time
	Muted             bool
	LastReadMessageID int64
}

// ConsultMessage is one message of a consult. A moderator may hide it
// (HiddenAt) or purge it, which empties its text for good.
type ConsultMessage struct {
	ID           int64
	ConsultID    int64
	AuthorID     int64
	Source       string
	Cooked       string
	Plain        string
	PHIConfirmed string `gorm:"column:phi_confirmed"`
	CreatedAt    time.Time
	HiddenAt     *time.Time
	HiddenByID   *int64
	HiddenReason string
	PurgedAt     *time.Time
}

// ConsultBlock says that UserID will not be consulted by BlockedID.
type ConsultBlock struct {
	UserID    int64
	BlockedID int64
	CreatedAt time.Time
}

// ConsultNotification tells a participant of a new message.
type ConsultNotification struct {
	ID        int64
	UserID    int64
	Kind      string
	ConsultID int64
	MessageID int64
	ActorID   *int64
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Errors a consult can meet.
var (
	// ErrConsultRefused is a member who cannot be consulted by this one:
	// not verified, or blocking them. Callers say so without saying which.
	ErrConsultRefused = errors.New("member cannot be consulted")
	// ErrNotParticipant is a consult the member does not take part in.
	ErrNotParticipant = errors.New("not a participant of the consult")
	// ErrConsultClosed is a consult whose starter alone adds participants.
	ErrConsultClosed = errors.New("only the starter adds participants")
	// ErrConsultFull is a consult at ConsultMembersMax participants.
	ErrConsultFull = errors.New("consult is full")
	// ErrAlreadyParticipant is a member added twice.
	ErrAlreadyParticipant = errors.New("already a participant")
	// ErrAlreadyReported is a second open report of one message by one
	// member.
	ErrAlreadyReported = errors.New("already reported by this member")
)

// NewConsult is what a member starts a consult with.
type NewConsult struct {
	StarterID    int64
	Subject      string
	OthersMayAdd bool
	MemberIDs    []int64
	PostContent
}

// consultable says, inside a transaction, whether the member `by` may bring
// userID into a consult: a verified member who does not block them.
func consultable(tx *gorm.DB, by, userID int64) error {
	var u User
	if err := tx.Take(&u, userID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrConsultRefused
		}
		return fmt.Errorf("load member %d: %w", userID, err)
	}
	if !u.IsVerified() || userID == by {
		return ErrConsultRefused
	}
	var n int64
	if err := tx.Model(&ConsultBlock{}).Where("user_id = ? AND blocked_id = ?", userID, by).Count(&n).Error; err != nil {
		return fmt.Errorf("read blocks of member %d: %w", userID, err)
	}
	if n > 0 {
		return ErrConsultRefused
	}
	return nil
}

// StartConsult opens a consult between the starter and the members, with
// its first message, in one transaction: a member who cannot be consulted
// leaves nothing written.
func (s *Store) StartConsult(ctx context.Context, nc NewConsult) (*Consult, error) {
	now := s.Now()
	c := Consult{Subject: nc.Subject, StartedByID: nc.StarterID, OthersMayAdd: nc.OthersMayAdd, CreatedAt: now, LastMessageAt: now}
	var ids []int64
	for _, id := range nc.MemberIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	nc.MemberIDs = ids
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if len(nc.MemberIDs) == 0 {
			return ErrConsultRefused
		}
		if len(nc.MemberIDs)+1 > ConsultMembersMax {
			return ErrConsultFull
		}
		for _, id := range nc.MemberIDs {
			if err := consultable(tx, nc.StarterID, id); err != nil {
				return err
			}
		}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("insert consult: %w", err)
		}
		members := []ConsultMember{{ConsultID: c.ID, UserID: nc.StarterID, JoinedAt: now}}
		for _, id := range nc.MemberIDs {
			members = append(members, ConsultMember{ConsultID: c.ID, UserID: id, AddedByID: &nc.StarterID, JoinedAt: now})
		}
		if err := tx.Create(&members).Error; err != nil {
			return fmt.Errorf("insert participants: %w", err)
		}
		_, err := addConsultMessage(tx, c.ID, nc.StarterID, nc.PostContent, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("start consult: %w", err)
	}
	return &c, nil
}

// addConsultMessage writes a message, tells the other participants who
// have not muted the consult, and counts it read by its author.
func addConsultMessage(tx *gorm.DB, consultID, authorID int64, content PostContent, now time.Time) (*ConsultMessage, error) {
	m := ConsultMessage{ConsultID: consultID, AuthorID: authorID, Source: content.Source, Cooked: content.Cooked,
		Plain: content.Plain, PHIConfirmed: content.PHIConfirmed, CreatedAt: now}
	if err := tx.Create(&m).Error; err != nil {
		return nil, fmt.Errorf("insert consult message: %w", err)
	}
	if err := attachConsultImages(tx, m.ID, content.Images, now); err != nil {
		return nil, err
	}
	var others []int64
	err := tx.Model(&ConsultMember{}).Where("consult_id = ? AND user_id <> ? AND left_at IS NULL AND NOT muted", consultID, authorID).
		Order("user_id").Pluck("user_id", &others).Error
	if err != nil {
		return nil, fmt.Errorf("find participants to notify: %w", err)
	}
	for _, id := range others {
		n := ConsultNotification{UserID: id, Kind: NotifyConsult, ConsultID: consultID, MessageID: m.ID, ActorID: &authorID, CreatedAt: now}
		if err := tx.Create(&n).Error; err != nil {
			return nil, fmt.Errorf("notify member %d: %w", id, err)
		}
	}
	if err := tx.Model(&Consult{}).Where("id = ?", consultID).Update("last_message_at", now).Error; err != nil {
		return nil, fmt.Errorf("touch consult %d: %w", consultID, err)
	}
	err = tx.Model(&ConsultMember{}).Where("consult_id = ? AND user_id = ?", consultID, authorID).
		Update("last_read_message_id", m.ID).Error
	if err != nil {
		return nil, fmt.Errorf("mark own message read: %w", err)
	}
	return &m, nil
}

// participant loads, inside a transaction, the member's place in a consult
// they still take part in; anyone else gets ErrNotParticipant.
func participant(tx *gorm.DB, consultID, userID int64) (*ConsultMember, error) {
	var m ConsultMember
	err := tx.Where("consult_id = ? AND user_id = ? AND left_at IS NULL", consultID, userID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotParticipant
	}
	if err != nil {
		return nil, fmt.Errorf("load participant %d of consult %d: %w", userID, consultID, err)
	}
	return &m, nil
}

// AddConsultMessage writes a participant's message.
func (s *Store) AddConsultMessage(ctx context.Context, consultID, authorID int64, content PostContent) (*ConsultMessage, error) {
	var m *ConsultMessage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := participant(tx, consultID, authorID); err != nil {
			return err
		}
		var err error
		m, err = addConsultMessage(tx, consultID, authorID, content, s.Now())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("write in consult %d: %w", consultID, err)
	}
	return m, nil
}

// ConsultView is a consult as one of its participants sees it.
type ConsultView struct {
	Consult
	Me ConsultMember
}

// MayAdd says whether the participant may add others.
func (v *ConsultView) MayAdd() bool { return v.OthersMayAdd || v.StartedByID == v.Me.UserID }

// ConsultFor loads a consult for one of its participants; for anyone else,
// whatever their role, it does not exist (ErrNotFound).
func (s *Store) ConsultFor(ctx context.Context, userID, consultID int64) (*ConsultView, error) {
	var v ConsultView
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		me, err := participant(tx, consultID, userID)
		if err != nil {
			return err
		}
		v.Me = *me
		return tx.Take(&v.Consult, consultID).Error
	})
	if errors.Is(err, ErrNotParticipant) {
		return nil, fmt.Errorf("load consult %d: %w", consultID, ErrNotFound)
	}
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("load consult %d", consultID))
	}
	return &v, nil
}

// ConsultParticipant is a participant as the consult page lists them.
type ConsultParticipant struct {
	UserID      int64
	Username    string
	DisplayName string
	Specialty   string
	Muted       bool
	HasLeft     bool
}

// ConsultParticipants lists who takes part in a consult, and who left,
// in the order they joined. The caller has loaded the consult with
// ConsultFor.
func (s *Store) ConsultParticipants(ctx context.Context, consultID int64) ([]ConsultParticipant, error) {
	var out []ConsultParticipant
	err := s.db.WithContext(ctx).Table("consult_members m").Joins("JOIN users u ON u.id = m.user_id").
		Where("m.consult_id = ?", consultID).
		Select("m.user_id, u.username, u.display_name, u.specialty, m.muted, m.left_at IS NOT NULL AS has_left").
		Order("m.joined_at, m.user_id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list participants of consult %d: %w", consultID, err)
	}
	return out, nil
}

// ConsultMessageView is a message with its author, as a participant or a
// moderator reads it.
type ConsultMessageView struct {
	ConsultMessage
	AuthorName     string
	AuthorUsername string
}

// Hidden says whether a moderator hid or purged the message.
func (m *ConsultMessageView) Hidden() bool { return m.HiddenAt != nil || m.PurgedAt != nil }

// ConsultMessages lists the messages of a consult, oldest first. The
// caller has loaded the consult with ConsultFor.
func (s *Store) ConsultMessages(ctx context.Context, consultID int64) ([]ConsultMessageView, error) {
	var out []ConsultMessageView
	err := s.consultMessages(ctx).Where("cm.consult_id = ?", consultID).Order("cm.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list messages of consult %d: %w", consultID, err)
	}
	return out, nil
}

func (s *Store) consultMessages(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("consult_messages cm").Joins("JOIN users u ON u.id = cm.author_id").
		Select("cm.*, u.display_name AS author_name, u.username AS author_username")
}

// ReadConsult records that the participant has read the consult up to
// its last message, and reads its notifications.
func (s *Store) ReadConsult(ctx context.Context, consultID, userID int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int64
		if err := tx.Model(&ConsultMessage{}).Where("consult_id = ?", consultID).Select("COALESCE(MAX(id), 0)").Scan(&last).Error; err != nil {
			return err
		}
		if err := tx.Model(&ConsultMember{}).Where("consult_id = ? AND user_id = ? AND last_read_message_id < ?", consultID, userID, last).
			Update("last_read_message_id", last).Error; err != nil {
			return err
		}
		return tx.Model(&ConsultNotification{}).Where("consult_id = ? AND user_id = ? AND read_at IS NULL", consultID, userID).
			Update("read_at", s.Now()).Error
	})
	if err != nil {
		return fmt.Errorf("read consult %d: %w", consultID, err)
	}
	return nil
}

// ConsultSummary is a consult in a member's list.
type ConsultSummary struct {
	ID            int64
	Subject       string
	LastMessageAt time.Time
	Muted         bool
	// Unread counts the messages of others the member has not read.
	Unread int64
	// With names the other participants.
	With string
}

// Consults lists the consults the member takes part in, the most recently
// active first, at most limit.
func (s *Store) Consults(ctx context.Context, userID int64, limit int) ([]ConsultSummary, error) {
	var out []ConsultSummary
	err := s.db.WithContext(ctx).Table("consults c").
		Joins("JOIN consult_members me ON me.consult_id = c.id AND me.user_id = ? AND me.left_at IS NULL", userID).
		Select(`c.id, c.subject, c.last_message_at, me.muted,
			(SELECT COUNT(*) FROM consult_messages x WHERE x.consult_id = c.id AND x.id > me.last_read_message_id
				AND x.author_id <> me.user_id) AS unread`).
		Order("c.last_message_at DESC, c.id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list consults of member %d: %w", userID, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	var names []struct {
		ConsultID   int64
		DisplayName string
	}
	err = s.db.WithContext(ctx).Table("consult_members m").Joins("JOIN users u ON u.id = m.user_id").
		Where("m.consult_id IN ? AND m.user_id <> ? AND m.left_at IS NULL", ids, userID).
		Select("m.consult_id, u.display_name").Order("m.joined_at, m.user_id").Scan(&names).Error
	if err != nil {
		return nil, fmt.Errorf("list participants of member %d's consults: %w", userID, err)
	}
	with := map[int64][]string{}
	for _, n := range names {
		with[n.ConsultID] = append(with[n.ConsultID], n.DisplayName)
	}
	for i := range out {
		out[i].With = strings.Join(with[out[i].ID], ", ")
	}
	return out, nil
}

// AddConsultParticipant brings a member into a consult: the starter may,
// and other participants when the starter allowed it. A member who left
// may be added again.
func (s *Store) AddConsultParticipant(ctx context.Context, consultID, byID, userID int64) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := participant(tx, consultID, byID); err != nil {
			return err
		}
		var c Consult
		if err := tx.Take(&c, consultID).Error; err != nil {
			return err
		}
		if !c.OthersMayAdd && c.StartedByID != byID {
			return ErrConsultClosed
		}
		if err := consultable(tx, byID, userID); err != nil {
			return err
		}
		var old ConsultMember
		err := tx.Where("consult_id = ? AND user_id = ?", consultID, userID).Take(&old).Error
		switch {
		case err == nil && old.LeftAt == nil:
			return ErrAlreadyParticipant
		case err == nil:
			return tx.Model(&ConsultMember{}).Where("consult_id = ? AND user_id = ?", consultID, userID).
				Updates(map[string]any{"left_at": nil, "added_by_id": byID, "joined_at": now}).Error
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		var n int64
		if err := tx.Model(&ConsultMember{}).Where("consult_id = ? AND left_at IS NULL", consultID).Count(&n).Error; err != nil {
			return err
		}
		if n >= ConsultMembersMax {
			return ErrConsultFull
		}
		return tx.Create(&ConsultMember{ConsultID: consultID, UserID: userID, AddedByID: &byID, JoinedAt: now}).Error
	})
	if err != nil {
		return fmt.Errorf("add member %d to consult %d: %w", userID, consultID, err)
	}
	return nil
}

// LeaveConsult takes the member out of a consult: they read nothing of it
// from then on, hear of nothing, and their unsent draft there goes.
func (s *Store) LeaveConsult(ctx context.Context, consultID, userID int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := participant(tx, consultID, userID); err != nil {
			return err
		}
		if err := tx.Model(&ConsultMember{}).Where("consult_id = ? AND user_id = ?", consultID, userID).
			Update("left_at", s.Now()).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND place_kind = ? AND place_id = ?", userID, DraftConsult, consultID).Delete(&Draft{}).Error; err != nil {
			return err
		}
		return tx.Where("consult_id = ? AND user_id = ?", consultID, userID).Delete(&ConsultNotification{}).Error
	})
	if err != nil {
		return fmt.Errorf("leave consult %d: %w", consultID, err)
	}
	return nil
}

// MuteConsult stops, or with muted false starts again, the notifications
// of a consult for one participant.
func (s *Store) MuteConsult(ctx context.Context, consultID, userID int64, muted bool) error {
	res := s.db.WithContext(ctx).Model(&ConsultMember{}).Where("consult_id = ? AND user_id = ? AND left_at IS NULL", consultID, userID).
		Update("muted", muted)
	if res.Error != nil {
		return fmt.Errorf("mute consult %d: %w", consultID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("mute consult %d: %w", consultID, ErrNotParticipant)
	}
	return nil
}

// BlockConsults stops a member from consulting userID.
func (s *Store) BlockConsults(ctx context.Context, userID, blockedID int64) error {
	if userID == blockedID {
		return nil
	}
	var n int64
	db := s.db.WithContext(ctx)
	if err := db.Model(&ConsultBlock{}).Where("user_id = ? AND blocked_id = ?", userID, blockedID).Count(&n).Error; err != nil {
		return fmt.Errorf("read blocks of member %d: %w", userID, err)
	}
	if n > 0 {
		return nil
	}
	if err := db.Create(&ConsultBlock{UserID: userID, BlockedID: blockedID, CreatedAt: s.Now()}).Error; err != nil {
		return fmt.Errorf("block member %d for member %d: %w", blockedID, userID, err)
	}
	return nil
}

// UnblockConsults lets a blocked member consult userID again.
func (s *Store) UnblockConsults(ctx context.Context, userID, blockedID int64) error {
	err := s.db.WithContext(ctx).Where("user_id = ? AND blocked_id = ?", userID, blockedID).Delete(&ConsultBlock{}).Error
	if err != nil {
		return fmt.Errorf("unblock member %d for member %d: %w", blockedID, userID, err)
	}
	return nil
}

// BlockedMember is a member someone blocks, as their settings list them.
type BlockedMember struct {
	UserID      int64
	Username    string
	DisplayName string
	CreatedAt   time.Time
}

// ConsultBlocks lists the members userID blocks, by name.
func (s *Store) ConsultBlocks(ctx context.Context, userID int64) ([]BlockedMember, error) {
	var out []BlockedMember
	err := s.db.WithContext(ctx).Table("consult_blocks k").Joins("JOIN users u ON u.id = k.blocked_id").
		Where("k.user_id = ?", userID).Select("k.blocked_id AS user_id, u.username, u.display_name, k.created_at").
		Order("u.display_name, u.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list blocks of member %d: %w", userID, err)
	}
	return out, nil
}

// MemberToConsult finds a verified member by username (with or without
// the @) or, when no username matches, by a display name only one
// verified member has; ErrNotFound otherwise.
func (s *Store) MemberToConsult(ctx context.Context, name string) (*User, error) {
	name = strings.TrimSpace(name)
	db := s.db.WithContext(ctx)
	var u User
	err := db.Where("LOWER(username) = ? AND status = ?", strings.ToLower(strings.TrimPrefix(name, "@")), StatusVerified).Take(&u).Error
	if err == nil {
		return &u, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find member %q: %w", name, err)
	}
	var found []User
	if err := db.Where("LOWER(display_name) = ? AND status = ?", strings.ToLower(name), StatusVerified).Limit(2).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("find member %q: %w", name, err)
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("find member %q: %w", name, ErrNotFound)
	}
	return &found[0], nil
}

// SearchConsults finds the messages of the member's own consults that
// hold every word, newest first: straight from the database, starting
// from the member's place in each consult, so no one else's consult can
// match.
func (s *Store) SearchConsults(ctx context.Context, userID int64, words []string, limit int) ([]ConsultHit, error) {
	var out []ConsultHit
	q := s.db.WithContext(ctx).Table("consult_messages cm").
		Joins("JOIN consult_members me ON me.consult_id = cm.consult_id AND me.user_id = ? AND me.left_at IS NULL", userID).
		Joins("JOIN consults c ON c.id = cm.consult_id").
		Joins("JOIN users u ON u.id = cm.author_id").
		Where("cm.hidden_at IS NULL AND cm.purged_at IS NULL")
	for _, w := range words {
		like := "%" + likeEscape(strings.ToLower(w)) + "%"
		q = q.Where(`(LOWER(cm.plain) LIKE ? ESCAPE '\' OR LOWER(c.subject) LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM consult_message_images ci
			WHERE ci.message_id = cm.id AND LOWER(ci.alt) LIKE ? ESCAPE '\'))`, like, like, like)
	}
	err := q.Select("cm.id AS message_id, cm.consult_id, c.subject, cm.plain, cm.created_at, u.display_name AS author_name").
		Order("cm.id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("search consults of member %d: %w", userID, err)
	}
	return out, nil
}

// ConsultHit is a message found by SearchConsults.
type ConsultHit struct {
	MessageID  int64
	ConsultID  int64
	Subject    string
	Plain      string
	CreatedAt  time.Time
	AuthorName string
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MayConsult says whether the member `by` may bring userID into a consult;
// ErrConsultRefused when not, for whatever reason.
func (s *Store) MayConsult(ctx context.Context, by, userID int64) error {
	return consultable(s.db.WithContext(ctx), by, userID)
}

// ConsultMessageFor loads a message for a participant of its consult,
// with the consult; for anyone else it does not exist (ErrNotFound).
func (s *Store) ConsultMessageFor(ctx context.Context, userID, messageID int64) (*ConsultMessageView, *ConsultView, error) {
	var m ConsultMessageView
	if err := s.consultMessages(ctx).Where("cm.id = ?", messageID).Take(&m).Error; err != nil {
		return nil, nil, notFound(err, fmt.Sprintf("load consult message %d", messageID))
	}
	v, err := s.ConsultFor(ctx, userID, m.ConsultID)
	if err != nil {
		return nil, nil, err
	}
	return &m, v, nil
}

// OpenConsultReportBy loads the member's report of a message still
// waiting for the moderators; none is ErrNotFound.
func (s *Store) OpenConsultReportBy(ctx context.Context, messageID, reporterID int64) (*ConsultReport, error) {
	var r ConsultReport
	err := s.db.WithContext(ctx).Where("message_id = ? AND reporter_id = ? AND resolved_at IS NULL", messageID, reporterID).Take(&r).Error
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("load report of consult message %d", messageID))
	}
	return &r, nil
}

// UnreadConsults counts the consults the member still takes part in with
// new messages they were notified of and have not read: a muted consult's
// messages are not counted.
func (s *Store) UnreadConsults(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("consult_notifications n").
		Joins("JOIN consult_members me ON me.consult_id = n.consult_id AND me.user_id = n.user_id AND me.left_at IS NULL").
		Where("n.user_id = ? AND n.read_at IS NULL", userID).Distinct("n.consult_id").Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count unread consults of member %d: %w", userID, err)
	}
	return n, nil
}
