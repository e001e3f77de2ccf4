package models

import "time"

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
