package digest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/digest"
	"rounds/app/mail"
	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

// outbox keeps the digests sent, by Message-ID.
type outbox struct {
	mu   sync.Mutex
	sent map[string]mail.Message
}

func (o *outbox) Send(_ context.Context, msg mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent[msg.MessageID] = msg
	return nil
}

// scheduleCase is a stretch of time the scheduler lives through, hour by
// hour, in one time zone.
type scheduleCase struct {
	name string
	zone string
	// around is the middle of the stretch: a DST change, or the test
	// clock's start.
	around time.Time
}

// readers take every kind of digest the settings page offers: weekly on
// each weekday, and daily, at hours that a DST change skips (02:00 in New
// York, 01:00 in London, in spring) or repeats (the same, in autumn).
var readers = []models.DigestSettings{
	{Frequency: models.DigestWeekly, Weekday: 0, Hour: 2},
	{Frequency: models.DigestWeekly, Weekday: 0, Hour: 1},
	{Frequency: models.DigestWeekly, Weekday: 1, Hour: 7},
	{Frequency: models.DigestWeekly, Weekday: 2, Hour: 0},
	{Frequency: models.DigestWeekly, Weekday: 3, Hour: 23},
	{Frequency: models.DigestWeekly, Weekday: 4, Hour: 12},
	{Frequency: models.DigestWeekly, Weekday: 5, Hour: 3},
	{Frequency: models.DigestWeekly, Weekday: 6, Hour: 20},
	{Frequency: models.DigestDaily, Hour: 0},
	{Frequency: models.DigestDaily, Hour: 1},
	{Frequency: models.DigestDaily, Hour: 2},
	{Frequency: models.DigestDaily, Hour: 7},
	{Frequency: models.DigestDaily, Hour: 23},
}

// TestScheduleEveryWeekdayAndHour runs the scheduler every hour of eleven
// days, around the DST changes of New York and London and around the test
// clock's start in UTC, with a post written every eleven hours (so posts
// fall at every hour of the day). Every reader must be queued exactly once
// for each of their periods, the periods must be the moments their
// settings name, and every post must be in exactly one of each reader's
// digests: the first one due at or after the moment it was written.
func TestScheduleEveryWeekdayAndHour(t *testing.T) {
	cases := []scheduleCase{
		{"UTC, the week around the test clock", "UTC", testenv.Start()},
		{"New York, clocks go forward", "America/New_York", time.Date(2040, time.March, 11, 7, 0, 0, 0, time.UTC)},
		{"New York, clocks go back", "America/New_York", time.Date(2040, time.November, 4, 6, 0, 0, 0, time.UTC)},
		{"London, clocks go forward", "Europe/London", time.Date(2040, time.March, 25, 1, 0, 0, 0, time.UTC)},
		{"London, clocks go back", "Europe/London", time.Date(2040, time.October, 28, 1, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			if tc.zone != "UTC" {
				// The case is only worth its name if the offset changes.
				_, before := tc.around.Add(-time.Hour).In(loc).Zone()
				_, after := tc.around.Add(time.Hour).In(loc).Zone()
				if before == after {
					t.Fatalf("%s does not change its offset at %s", tc.zone, tc.around)
				}
			}
			modelstest.Run(t, func(t *testing.T, store *models.Store) {
				runSchedule(t, store, tc, loc)
			})
		})
	}
}

func runSchedule(t *testing.T, store *models.Store, tc scheduleCase, loc *time.Location) {
	ctx := context.Background()
	start, end := tc.around.Add(-5*24*time.Hour), tc.around.Add(6*24*time.Hour)
	clock := testenv.ClockAt(start)
	store.SetClock(clock.Now)
	sent := &outbox{sent: map[string]mail.Message{}}
	base, _ := url.Parse(baseURL)
	composer, err := digest.NewComposer(base)
	if err != nil {
		t.Fatal(err)
	}
	w, err := digest.New(digest.Options{Store: store, Sender: sent, Composer: composer, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, store: store, clock: clock}
	s.author = s.member("author", models.StatusVerified)
	if err := store.SaveDigestSettings(ctx, models.DigestSettings{UserID: s.author.ID, Frequency: models.DigestNever,
		Hour: 7, Weekday: 1, TimeZone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	board := s.board("wards", models.EmailFull)
	settings := map[int64]models.DigestSettings{}
	for i, ds := range readers {
		u := s.member(fmt.Sprintf("reader%02d", i), models.StatusVerified)
		ds.UserID, ds.TimeZone = u.ID, tc.zone
		if err := store.SaveDigestSettings(ctx, ds); err != nil {
			t.Fatal(err)
		}
		settings[u.ID] = ds
	}

	type post struct {
		title   string
		written time.Time
	}
	var posts []post
	type queued struct {
		user   int64
		period string
	}
	times := map[queued]int{}
	schedule := func() []digest.SendArgs {
		var jobs []digest.SendArgs
		_, err := w.Schedule(ctx, func(_ context.Context, params []river.InsertManyParams) error {
			for _, p := range params {
				jobs = append(jobs, p.Args.(digest.SendArgs))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return jobs
	}
	for step, now := 0, start; !now.After(end); step, now = step+1, now.Add(time.Hour) {
		clock.Set(now)
		if step%11 == 0 {
			title := fmt.Sprintf("Ward note %03d", len(posts))
			topic := s.topic(board, title, "Written "+now.In(loc).Format(time.RFC1123))
			posts = append(posts, post{title, topic.CreatedAt})
		}
		for _, job := range schedule() {
			times[queued{job.UserID, job.Period}]++
			if _, err := w.Deliver(ctx, job.UserID, models.Period{Key: job.Period, Due: job.Due, WindowStart: job.WindowStart}); err != nil {
				t.Fatalf("%s: deliver %s to member %d: %v", now, job.Period, job.UserID, err)
			}
		}
		// A second run at the same moment, as after a leader change,
		// finds nobody due.
		if again := schedule(); len(again) != 0 {
			t.Fatalf("%s: queued again after sending: %+v", now, again)
		}
	}

	for id, ds := range settings {
		name := fmt.Sprintf("member %d (%s at %02d:00, weekday %d)", id, ds.Frequency, ds.Hour, ds.Weekday)
		// The periods are the member's current one when the stretch
		// begins and every moment their settings name after it.
		first, _ := models.DigestPeriod(ds, start)
		want := []string{first.Key}
		for _, due := range dueMoments(ds, loc, start, end) {
			want = append(want, due.Format("2006-01-02")+"/"+string(ds.Frequency))
		}
		rows, err := store.DigestDeliveries(ctx, id, 100)
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(rows) // oldest first
		var got []string
		for _, r := range rows {
			got = append(got, r.Period)
			if n := times[queued{id, r.Period}]; n != 1 {
				t.Errorf("%s: period %s queued %d times, want once", name, r.Period, n)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: periods\n%v\nwant\n%v", name, got, want)
			continue
		}
		// Every post is in exactly one digest: the first due at or after
		// the moment it was written.
		for _, p := range posts {
			var in []string
			home := ""
			for _, r := range rows {
				if home == "" && r.WindowEnd != nil && !r.WindowEnd.Before(p.written) {
					home = r.Period
				}
				if strings.Contains(sent.sent[r.MessageID].Text, p.title) {
					in = append(in, r.Period)
				}
			}
			switch {
			case home == "" && len(in) != 0:
				t.Errorf("%s: %q, written %s after the last digest, is in %v", name, p.title, p.written, in)
			case home != "" && !slices.Equal(in, []string{home}):
				t.Errorf("%s: %q, written %s, is in digests %v, want only %s", name, p.title, p.written, in, home)
			}
		}
	}
}

// dueMoments are the moments in (start, end] at which the settings ask
// for a digest, worked out day by day on the local calendar: the hour the
// member chose, or the first moment after it when a DST change skips it.
func dueMoments(ds models.DigestSettings, loc *time.Location, start, end time.Time) []time.Time {
	var out []time.Time
	first := start.In(loc)
	for day := -1; ; day++ {
		due := time.Date(first.Year(), first.Month(), first.Day()+day, ds.Hour, 0, 0, 0, loc)
		if due.After(end) {
			return out
		}
		if !due.After(start) || (ds.Frequency == models.DigestWeekly && int(due.Weekday()) != ds.Weekday) {
			continue
		}
		out = append(out, due)
	}
}
