package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// EmailDelivery is how one kind of notification reaches a member by email.
type EmailDelivery string

const (
	// EmailNow sends it right away, batched with whatever else is new
	// within a few minutes.
	EmailNow EmailDelivery = "now"
	// EmailInDigest puts it in the digest's "Replies and mentions".
	EmailInDigest EmailDelivery = "digest"
	// EmailNever keeps it to the notifications page.
	EmailNever EmailDelivery = "never"
)

// Valid says whether d is one of the three deliveries.
func (d EmailDelivery) Valid() bool { return d == EmailNow || d == EmailInDigest || d == EmailNever }

// EmailConsult is the kind of notification a message in a private
// consult makes ("consult"). Consults bring their own notifications; the
// email settings list the kind already, so a member's choice for consult
// messages is there when they arrive.
const EmailConsult = "consult"

// EmailKinds are the kinds of notification a member may get by email, in
// the order the settings page lists them. Other kinds (a bookmark's
// reminder) stay on the notifications page.
var EmailKinds = []string{NotifyReply, NotifyMention, EmailConsult, NotifyReaction}

// EmailDefault is a kind's delivery until the member chooses: replies,
// mentions and consult messages right away, reactions in the digest.
func EmailDefault(kind string) EmailDelivery {
	if kind == NotifyReaction {
		return EmailInDigest
	}
	return EmailNow
}

// EmailSettings are a member's delivery for every kind in EmailKinds.
type EmailSettings map[string]EmailDelivery

// Kinds lists, in EmailKinds order, the kinds delivered as d.
func (es EmailSettings) Kinds(d EmailDelivery) []string {
	var kinds []string
	for _, k := range EmailKinds {
		if es[k] == d {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// ErrInvalidEmailSettings wraps every reason email settings are refused.
var ErrInvalidEmailSettings = errors.New("invalid email settings")

// EmailSettingsFor reads a member's email settings, with the default for
// every kind they never chose.
func (s *Store) EmailSettingsFor(ctx context.Context, userID int64) (EmailSettings, error) {
	var rows []struct {
		Kind     string
		Delivery string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT kind, delivery FROM email_settings WHERE user_id = ?`, userID).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read email settings of member %d: %w", userID, err)
	}
	es := EmailSettings{}
	for _, k := range EmailKinds {
		es[k] = EmailDefault(k)
	}
	for _, r := range rows {
		if d := EmailDelivery(r.Delivery); d.Valid() && slices.Contains(EmailKinds, r.Kind) {
			es[r.Kind] = d
		}
	}
	return es, nil
}

// SaveEmailSettings stores the deliveries given, kind by kind, leaving
// the other kinds as they were.
func (s *Store) SaveEmailSettings(ctx context.Context, userID int64, es EmailSettings) error {
	for kind, d := range es {
		if !slices.Contains(EmailKinds, kind) {
			return fmt.Errorf("%w: %q is not a kind of email", ErrInvalidEmailSettings, kind)
		}
		if !d.Valid() {
			return fmt.Errorf("%w: %q is not now, digest or never", ErrInvalidEmailSettings, d)
		}
	}
	now := s.Now()
	err := s.InTransaction(ctx, func(tx *Store) error {
		for _, kind := range EmailKinds {
			d, ok := es[kind]
			if !ok {
				continue
			}
			if err := tx.db.WithContext(ctx).Exec(`INSERT INTO email_settings (user_id, kind, delivery, updated_at)
				VALUES (?, ?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery, updated_at = excluded.updated_at`,
				userID, kind, string(d), now).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save email settings of member %d: %w", userID, err)
	}
	return nil
}

// StopEmails turns the given kinds of email off for a member, as a
// one-click unsubscribe asks.
func (s *Store) StopEmails(ctx context.Context, userID int64, kinds []string) error {
	es := EmailSettings{}
	for _, k := range kinds {
		es[k] = EmailNever
	}
	return s.SaveEmailSettings(ctx, userID, es)
}
