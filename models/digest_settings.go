package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
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
