package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// RateLimit is one limit: Limit events per Per. The ratelimit package
// counts events against it.
type RateLimit struct {
	Name  string
	Limit int
	Per   time.Duration
}

func (r RateLimit) String() string {
	return fmt.Sprintf("%s=%d/%s", r.Name, r.Limit, shortDuration(r.Per))
}

// RateLimits are the limits by name.
type RateLimits map[string]RateLimit

// defaultRateLimits are the limits when none are configured: generous for
// a clinician at work, tight for a script. Their names are those of the
// actions ratelimit limits (ratelimit.Post, ratelimit.SearchIP, …).
const defaultRateLimits = "post=8/1m,post_ip=30/1m,flag=20/1h,sign_in=20/5m,email_code=5/1h,search=60/1m,search_ip=120/1m," +
	"fetch=30/1m,fetch_ip=60/1m,draft=40/1m,mention=120/1m,upload=60/1h"

// DefaultRateLimits are the limits when ROUNDS_RATE_LIMITS sets none.
func DefaultRateLimits() RateLimits {
	r := RateLimits{}
	if err := r.set(defaultRateLimits, false); err != nil {
		panic(err)
	}
	return r
}

// ParseRateLimits reads limits written as "name=N/duration" separated by
// commas, such as "post=8/1m,search=60/1m", over the defaults. A name not
// known is an error, so a typo does not silently leave a limit at its
// default.
func ParseRateLimits(s string) (RateLimits, error) {
	rules := DefaultRateLimits()
	if err := rules.set(s, true); err != nil {
		return nil, err
	}
	return rules, nil
}

// set reads s into r; strict refuses names r does not have.
func (r RateLimits) set(s string, strict bool) error {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		count, per, ok2 := strings.Cut(value, "/")
		if !ok || !ok2 {
			return fmt.Errorf("%q is not name=N/duration, such as post=8/1m", part)
		}
		name = strings.TrimSpace(name)
		if _, known := r[name]; !known && strict {
			return fmt.Errorf("%q: no limit is called %q; the limits are %s", part, name, strings.Join(r.names(), ", "))
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 1 {
			return fmt.Errorf("%q: the count must be a whole number of at least 1", part)
		}
		d, err := time.ParseDuration(strings.TrimSpace(per))
		if err != nil || d < time.Second {
			return fmt.Errorf("%q: the period must be a duration of at least 1s, such as 30s, 1m or 1h", part)
		}
		r[name] = RateLimit{Name: name, Limit: n, Per: d}
	}
	return nil
}

func (r RateLimits) names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r RateLimits) String() string {
	parts := make([]string, 0, len(r))
	for _, n := range r.names() {
		parts = append(parts, r[n].String())
	}
	return strings.Join(parts, ",")
}

func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	s = strings.TrimSuffix(s, "0m")
	if s == "" {
		return "0s"
	}
	return s
}
