package app

import (
	"math"
	"strconv"
	"time"
)

// How numbers, times and spans of time are written for the people who read
// them, on pages and in the messages that refuse a request.

// isoTime is a time as a machine reads it, for datetime attributes.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// stampTime is a time as a person reads it, always in UTC.
func stampTime(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// ago says how long ago something happened, roughly.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return countAgo(int(d/time.Minute), "minute", "minutes")
	case d < 24*time.Hour:
		return countAgo(int(d/time.Hour), "hour", "hours")
	case d < 60*24*time.Hour:
		return countAgo(int(d/(24*time.Hour)), "day", "days")
	case d < 2*365*24*time.Hour:
		return countAgo(int(d/(30*24*time.Hour)), "month", "months")
	default:
		return countAgo(int(d/(365*24*time.Hour)), "year", "years")
	}
}

// countAgo is plural(n, one, many) + " ago" in one allocation: every post
// of a topic page written afresh says how long ago it was posted.
func countAgo(n int, one, many string) string {
	if n == 1 {
		return "1 " + one + " ago"
	}
	return strconv.Itoa(n) + " " + many + " ago"
}

// plural counts n things, naming them in the singular or the plural.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// spanWords writes a duration as a person would: "1 minute", "45 seconds".
func spanWords(d time.Duration) string {
	unit := func(n int, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return strconv.Itoa(n) + " " + word + "s"
	}
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return unit(int(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return unit(int(d/time.Minute), "minute")
	case d >= 90*time.Second:
		return unit(int(math.Ceil(d.Minutes())), "minute")
	}
	return unit(max(1, int(math.Ceil(d.Seconds()))), "second")
}

// itoa writes a count with thousands separators, as people read them.
func itoa(n int) string {
	s := []byte{}
	neg := n < 0
	if neg {
		n = -n
	}
	for i := 0; n > 0 || i == 0; i++ {
		if i > 0 && i%3 == 0 {
			s = append(s, ',')
		}
		s = append(s, byte('0'+n%10))
		n /= 10
	}
	if neg {
		s = append(s, '-')
	}
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return string(s)
}
