package digest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"rounds/app/digest"
	"rounds/app/jobs"
	"rounds/app/mail"
	"rounds/models"
	"rounds/models/modelstest"
	"rounds/models/testenv"
)

const baseURL = "https://rounds.test"

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// site is a store with members, boards and posts, an SMTP sink, and the
// digest workers sending to it, all on one clock.
type site struct {
	t       testing.TB
	store   *models.Store
	clock   *testenv.Clock
	sink    *sink
	workers *digest.Workers
	logs    *logBuffer
	author  *models.User
}

func newSite(t testing.TB, store *models.Store, s *sink) *site {
	t.Helper()
	if s == nil {
		s = &sink{}
	}
	clock := testenv.NewClock()
	store.SetClock(clock.Now)
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mailer, err := mail.New(startSink(t, s), "Rounds <rounds@rounds.test>", "", log)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(baseURL)
	composer, err := digest.NewComposer(base)
	if err != nil {
		t.Fatal(err)
	}
	w, err := digest.New(digest.Options{Store: store, Sender: mailer, Composer: composer, Log: log, Now: clock.Now,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	st := &site{t: t, store: store, clock: clock, sink: s, workers: w, logs: logs}
	st.author = st.member("author", models.StatusVerified)
	return st
}

func (s *site) member(name string, status models.Status) *models.User {
	s.t.Helper()
	return modelstest.Verified(name, "Dr. "+strings.ToUpper(name[:1])+name[1:]).Specialty("Hospital Medicine").
		Status(status).WithEmail().Make(s.t, s.store)
}

func (s *site) board(slug string, policy models.EmailPolicy) *models.Board {
	s.t.Helper()
	return modelstest.OpenBoard(slug, "Board "+slug).EmailPolicy(policy).Make(s.t, s.store)
}

func (s *site) topic(b *models.Board, title, body string) *models.Topic {
	s.t.Helper()
	topic, _, err := s.store.CreateTopic(context.Background(), models.NewTopic{BoardID: b.ID, AuthorID: s.author.ID,
		Title: title, PostContent: models.PostContent{Source: body, Cooked: "<p>" + body + "</p>"}})
	if err != nil {
		s.t.Fatal(err)
	}
	return topic
}

// period is a period of the member's that is due now, so that it covers
// the posts the test just wrote: its key is the member's current one.
func (s *site) period(u *models.User) models.Period {
	s.t.Helper()
	now := s.clock.Now()
	p, ok := models.DigestPeriod(models.DefaultDigestSettings(u.ID), now)
	if !ok {
		s.t.Fatal("no period")
	}
	p.Due = now
	p.WindowStart = p.Due.Add(-7 * 24 * time.Hour)
	return p
}

// periodAfter is the member's first period due after t: the one whose
// digest carries what was written at t.
func periodAfter(t testing.TB, ds models.DigestSettings, at time.Time) models.Period {
	t.Helper()
	// Periods are due on the hour, so looking an hour at a time finds the
	// first one after at, whatever a DST change does to the day.
	for h := time.Duration(1); h <= 8*24; h++ {
		if p, ok := models.DigestPeriod(ds, at.Add(h*time.Hour)); ok && p.Due.After(at) {
			return p
		}
	}
	t.Fatalf("no period of %+v after %s", ds, at)
	return models.Period{}
}

// email is a received digest, parsed.
type email struct {
	header      netmail.Header
	text, html  string
	contentType string
}

func parse(t testing.TB, raw []byte) email {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	e := email{header: msg.Header}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	e.contentType = mediaType
	if mediaType != "multipart/alternative" {
		t.Fatalf("content type %q, want multipart/alternative", mediaType)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		body, err := io.ReadAll(part) // quoted-printable is decoded by the reader
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch pt {
		case "text/plain":
			e.text = string(body)
		case "text/html":
			e.html = string(body)
		default:
			t.Fatalf("unexpected part %q", pt)
		}
	}
	return e
}

func TestDigestEmail(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		full := s.board("wards", models.EmailFull)
		titles := s.board("journal", models.EmailTitles)
		counts := s.board("cases", models.EmailCounts)
		heparin := s.topic(full, "Heparin & AKI: <dosing>", "Halve the dose and check anti-Xa levels.")
		jama := s.topic(titles, "JAMA review of DOACs", "Text that stays on the site.")
		s.topic(counts, "Case: 34-year-old with chest pain", "Troponin 0.9, no risk factors.")
		reader := s.member("reader", models.StatusVerified)
		if err := store.SetTopicLevel(ctx, reader.ID, jama.ID, models.LevelWatch); err != nil {
			t.Fatal(err)
		}

		p := s.period(reader)
		outcome, err := s.workers.Deliver(ctx, reader.ID, p)
		if err != nil || outcome != digest.Sent {
			t.Fatalf("deliver: %v, %v", outcome, err)
		}
		got := s.sink.received()
		if len(got) != 1 {
			t.Fatalf("%d messages, want 1", len(got))
		}
		e := parse(t, got[0])
		if to := e.header.Get("To"); !strings.Contains(to, "reader@hospital.test") {
			t.Errorf("To %q", to)
		}
		wantID := fmt.Sprintf("<digest-%d-%s@rounds.test>", reader.ID, strings.ReplaceAll(p.Key, "/", "."))
		if id := e.header.Get("Message-Id"); id != wantID {
			t.Errorf("Message-ID %q, want %q", id, wantID)
		}
		unsub := e.header.Get("List-Unsubscribe")
		m := regexp.MustCompile(`^<https://rounds\.test/unsubscribe/([A-Za-z0-9_-]{43})>$`).FindStringSubmatch(unsub)
		if m == nil {
			t.Fatalf("List-Unsubscribe %q, want <https://rounds.test/unsubscribe/TOKEN>", unsub)
		}
		if post := e.header.Get("List-Unsubscribe-Post"); post != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", post)
		}

		topicURL := fmt.Sprintf("%s/t/%d/%s", baseURL, heparin.ID, heparin.Slug)
		for name, body := range map[string]string{"text": e.text, "html": e.html} {
			for _, want := range []string{topicURL, fmt.Sprintf("%s/t/%d/%s", baseURL, jama.ID, jama.Slug),
				"Halve the dose", "Board cases", baseURL + "/unsubscribe/" + m[1], baseURL + "/settings/digest"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s part lacks %q:\n%s", name, want, body)
				}
			}
			for _, never := range []string{"Text that stays on the site", "34-year-old", "Troponin"} {
				if strings.Contains(body, never) {
					t.Errorf("%s part carries %q, which its board's policy keeps out of email", name, never)
				}
			}
			// The watched topic comes first.
			if strings.Index(body, "JAMA review") > strings.Index(body, "Heparin") {
				t.Errorf("%s part: the watched topic is not first", name)
			}
		}
		if !strings.Contains(e.text, "Heparin & AKI: <dosing>") {
			t.Errorf("text part mangles the title:\n%s", e.text)
		}
		if !strings.Contains(e.html, "Heparin &amp; AKI: &lt;dosing&gt;") {
			t.Errorf("HTML part does not escape the title:\n%s", e.html)
		}
		for _, banned := range []string{"<script", "<img", "<link", "@import", "url("} {
			if strings.Contains(strings.ToLower(e.html), banned) {
				t.Errorf("HTML part has %q: no scripts or external resources", banned)
			}
		}
		if !strings.Contains(e.html, `style="`) {
			t.Error("HTML part has no inline styles")
		}

		rows, err := store.DigestDeliveries(ctx, reader.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Status != models.DeliverySent || "<"+rows[0].MessageID+">" != wantID || rows[0].Items != 3 {
			t.Fatalf("delivery rows %+v", rows)
		}

		// The same period again sends nothing.
		if outcome, err := s.workers.Deliver(ctx, reader.ID, p); err != nil || outcome != digest.Skipped {
			t.Fatalf("second delivery of the period: %v, %v", outcome, err)
		}
		// The link in the header unsubscribes without signing in, and the
		// next digest does not come.
		if _, err := store.UnsubscribeByToken(ctx, m[1]); err != nil {
			t.Fatal(err)
		}
		later := periodAfter(t, models.DefaultDigestSettings(reader.ID), s.clock.Now()).Due.Add(7 * 24 * time.Hour)
		due, err := store.DueMembers(ctx, later)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range due {
			if d.UserID == reader.ID {
				t.Fatal("unsubscribed member is due another digest")
			}
		}
		next, _ := models.DigestPeriod(models.DefaultDigestSettings(reader.ID), later)
		s.topic(full, "Something new", "After unsubscribing.")
		if outcome, err := s.workers.Deliver(ctx, reader.ID, next); err != nil || outcome != digest.Empty {
			t.Fatalf("delivery after unsubscribing: %v, %v", outcome, err)
		}
		if n := len(s.sink.received()); n != 1 {
			t.Fatalf("%d messages after unsubscribing, want still 1", n)
		}
	})
}

func TestNothingToSend(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		board := s.board("wards", models.EmailFull)
		s.topic(board, "Only the author's own topic", "Nobody else posted.")
		suspended := s.member("suspended", models.StatusVerified)
		if err := store.DB().Exec(`UPDATE users SET status = ? WHERE id = ?`, models.StatusSuspended, suspended.ID).Error; err != nil {
			t.Fatal(err)
		}
		for _, u := range []*models.User{s.author, suspended} {
			outcome, err := s.workers.Deliver(ctx, u.ID, s.period(u))
			if err != nil || outcome != digest.Empty {
				t.Fatalf("member %s: %v, %v; want empty", u.Username, outcome, err)
			}
		}
		if n := len(s.sink.received()); n != 0 {
			t.Fatalf("%d messages, want none", n)
		}
		rows, err := store.DigestDeliveries(ctx, s.author.ID, 5)
		if err != nil || len(rows) != 1 || rows[0].Status != models.DeliveryEmpty {
			t.Fatalf("delivery rows %+v, %v; want one empty", rows, err)
		}
	})
}

// startQueue runs the digest workers on River for the rest of the test.
func startQueue(t *testing.T, s *site) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(s.store, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Options{
		Register: s.workers.Register, PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	return q
}

// waitForStatus polls a member's delivery for the period until it is
// finished.
func waitForStatus(t *testing.T, store *models.Store, userID int64, key string) models.DigestDelivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows, err := store.DigestDeliveries(context.Background(), userID, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Period == key && r.Status != models.DeliveryClaimed {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("member %d's digest %s not finished: %+v", userID, key, rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFaults(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		var mu sync.Mutex
		refusals := map[string]int{} // member address → temporary refusals left, or -1 for a permanent one
		s := newSite(t, store, &sink{})
		board := s.board("wards", models.EmailFull)
		s.topic(board, "Sepsis bundle audit", "Lactate within the hour.")
		flaky := s.member("flaky", models.StatusVerified)
		gone := s.member("gone", models.StatusVerified)
		twice := s.member("twice", models.StatusVerified)
		dropped := s.member("dropped", models.StatusVerified)
		sluggish := s.member("sluggish", models.StatusVerified)
		refusals["flaky"] = 2
		refusals["gone"] = -1
		drops := map[string]int{"dropped": 1}
		// The sink sees only the message, so it finds the member by address.
		s.sink.setRefuse(func(data []byte) error {
			mu.Lock()
			defer mu.Unlock()
			for _, name := range []string{"flaky", "gone", "dropped"} {
				left := refusals[name]
				if !bytes.Contains(data, []byte(name+"@hospital.test")) {
					continue
				}
				if drops[name] > 0 {
					drops[name]--
					return errDrop
				}
				switch {
				case left < 0:
					return permFailure
				case left > 0:
					refusals[name] = left - 1
					return tempFailure
				}
			}
			return nil
		})
		// A server that takes its time over one member's digest (within
		// the send timeout) still gets it once, on the first attempt.
		s.sink.mu.Lock()
		s.sink.slow = func(data []byte) time.Duration {
			if bytes.Contains(data, []byte("sluggish@hospital.test")) {
				return 1500 * time.Millisecond
			}
			return 0
		}
		s.sink.mu.Unlock()
		q := startQueue(t, s)

		for _, u := range []*models.User{sluggish, flaky, gone, twice, dropped} {
			args := digest.SendJob(models.DueDigest{UserID: u.ID, Period: s.period(u)})
			if err := q.Insert(ctx, args, nil); err != nil {
				t.Fatal(err)
			}
		}
		// A duplicated job: the same member and period queued again, and
		// an attempt running outside the queue at the same moment.
		if err := q.Insert(ctx, digest.SendJob(models.DueDigest{UserID: twice.ID, Period: s.period(twice)}), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.workers.Deliver(ctx, twice.ID, s.period(twice)); err != nil {
			t.Fatal(err)
		}

		if r := waitForStatus(t, store, flaky.ID, s.period(flaky).Key); r.Status != models.DeliverySent || r.Attempts != 3 {
			t.Errorf("flaky member's delivery %+v: want sent on the third attempt", r)
		}
		if r := waitForStatus(t, store, gone.ID, s.period(gone).Key); r.Status != models.DeliveryFailed || !strings.Contains(r.Error, "550") {
			t.Errorf("refused member's delivery %+v: want failed with the server's reply", r)
		}
		if r := waitForStatus(t, store, twice.ID, s.period(twice).Key); r.Status != models.DeliverySent {
			t.Errorf("duplicated member's delivery %+v: want sent", r)
		}
		if r := waitForStatus(t, store, dropped.ID, s.period(dropped).Key); r.Status != models.DeliverySent || r.Attempts != 2 {
			t.Errorf("delivery %+v after a dropped connection: want sent on the second attempt", r)
		}
		if r := waitForStatus(t, store, sluggish.ID, s.period(sluggish).Key); r.Status != models.DeliverySent || r.Attempts != 1 {
			t.Errorf("delivery %+v through a slow server: want sent on the first attempt", r)
		}
		time.Sleep(300 * time.Millisecond) // let any duplicate attempt finish
		perMember := map[string]int{}
		for _, raw := range s.sink.received() {
			for _, name := range []string{"flaky", "gone", "twice", "dropped", "sluggish"} {
				if bytes.Contains(raw, []byte(name+"@hospital.test")) {
					perMember[name]++
				}
			}
		}
		if perMember["flaky"] != 1 || perMember["gone"] != 0 || perMember["twice"] != 1 || perMember["dropped"] != 1 || perMember["sluggish"] != 1 {
			t.Fatalf("messages per member %v, want flaky 1, gone 0, twice 1, dropped 1, sluggish 1", perMember)
		}
	})
}

func TestAttemptDiedAfterClaiming(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		s.topic(s.board("wards", models.EmailFull), "Sepsis bundle audit", "Lactate within the hour.")
		u := s.member("reader", models.StatusVerified)
		p := s.period(u)
		// An attempt claimed the period and its process died: whether the
		// mail server took its digest is unknown.
		if _, err := store.ClaimDigest(ctx, u.ID, p, s.clock.Now().Add(-time.Hour), digest.DefaultLease); err != nil {
			t.Fatal(err)
		}
		outcome, err := s.workers.Deliver(ctx, u.ID, p)
		if err != nil || outcome != digest.Sent {
			t.Fatalf("deliver after a dead attempt: %v, %v", outcome, err)
		}
		if !strings.Contains(s.logs.String(), "taken over") || !strings.Contains(s.logs.String(), "twice") {
			t.Fatalf("the window in which a digest may go twice is not logged:\n%s", s.logs.String())
		}
		// A fresh claim held by a live attempt is left alone.
		q := models.Period{Key: "2000-01-03/weekly", Due: p.Due, WindowStart: p.WindowStart}
		if _, err := store.ClaimDigest(ctx, u.ID, q, s.clock.Now(), digest.DefaultLease); err != nil {
			t.Fatal(err)
		}
		if outcome, err := s.workers.Deliver(ctx, u.ID, q); err != nil || outcome != digest.Skipped {
			t.Fatalf("deliver while another attempt holds the period: %v, %v", outcome, err)
		}
		if n := len(s.sink.received()); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
	})
}

func TestSchedulerQueuesEachMemberOnce(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		s.topic(s.board("wards", models.EmailFull), "Sepsis bundle audit", "Lactate within the hour.")
		// Just after the moment the posts written now are due, a few
		// minutes on or most of a week.
		written := s.clock.Now()
		s.clock.Set(periodAfter(t, models.DefaultDigestSettings(0), written).Due.Add(5 * time.Minute))
		later := s.clock.Now
		var members []*models.User
		for i := range 5 {
			members = append(members, s.member(fmt.Sprintf("member%d", i), models.StatusVerified))
		}
		off := s.member("off", models.StatusVerified)
		if err := store.SaveDigestSettings(ctx, models.DigestSettings{UserID: off.ID, Frequency: models.DigestNever, Hour: 7, Weekday: 1, TimeZone: "UTC"}); err != nil {
			t.Fatal(err)
		}
		s.member("applicant", models.StatusApplied)
		q := startQueue(t, s)
		// Two scheduler runs close together, as after a leader change.
		for range 2 {
			if err := q.Insert(ctx, digest.ScheduleArgs{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range members {
			p, _ := models.DigestPeriod(models.DefaultDigestSettings(u.ID), later())
			if r := waitForStatus(t, store, u.ID, p.Key); r.Status != models.DeliverySent {
				t.Errorf("member %s: %+v", u.Username, r)
			}
		}
		time.Sleep(300 * time.Millisecond)
		perAddress := map[string]int{}
		for _, raw := range s.sink.received() {
			e := parse(t, raw)
			perAddress[e.header.Get("To")]++
		}
		if len(perAddress) != len(members) {
			t.Fatalf("mail went to %v, want the %d members taking digests", perAddress, len(members))
		}
		for to, n := range perAddress {
			if n != 1 {
				t.Errorf("%s got %d digests, want 1", to, n)
			}
		}
		// Once sent, nobody is due until the next period.
		due, err := store.DueMembers(ctx, later())
		if err != nil || len(due) != 0 {
			t.Fatalf("due after sending: %+v, %v", due, err)
		}
	})
}

func TestPreview(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, nil)
		u := s.member("reader", models.StatusVerified)
		p, err := s.workers.Preview(ctx, u.ID)
		if err != nil || !p.Empty {
			t.Fatalf("preview with nothing new: %+v, %v", p, err)
		}
		s.topic(s.board("wards", models.EmailFull), "Sepsis bundle audit", "Lactate within the hour.")
		p, err = s.workers.Preview(ctx, u.ID)
		if err != nil || p.Empty || !strings.Contains(p.HTML, "Sepsis bundle audit") || !strings.Contains(p.Text, "Lactate within the hour") {
			t.Fatalf("preview: %+v, %v", p, err)
		}
		if n := len(s.sink.received()); n != 0 {
			t.Fatalf("a preview sent %d messages", n)
		}
		rows, err := store.DigestDeliveries(ctx, u.ID, 5)
		if err != nil || len(rows) != 0 {
			t.Fatalf("a preview recorded deliveries %+v, %v", rows, err)
		}
	})
}

// TestManyMembersAndPeriods runs every member's digest for several periods
// three times at once, with the server refusing a third of the messages
// for a while: each member gets exactly one digest per period.
func TestManyMembersAndPeriods(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		s := newSite(t, store, &sink{})
		var mu sync.Mutex
		n := 0
		s.sink.setRefuse(func([]byte) error {
			mu.Lock()
			defer mu.Unlock()
			n++
			if n%3 == 0 {
				return tempFailure
			}
			return nil
		})
		board := s.board("wards", models.EmailFull)
		var members []*models.User
		for i := range 12 {
			members = append(members, s.member(fmt.Sprintf("member%02d", i), models.StatusVerified))
		}
		for round := range 3 {
			s.topic(board, fmt.Sprintf("Round %d topic", round), "Something new this period.")
			p := models.Period{Key: fmt.Sprintf("2099-01-%02d/weekly", round+1), Due: s.clock.Now()}
			p.WindowStart = p.Due.Add(-7 * 24 * time.Hour)
			var wg sync.WaitGroup
			for _, u := range members {
				for range 3 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for try := 0; try < 20; try++ {
							outcome, _ := s.workers.Deliver(ctx, u.ID, p)
							if outcome != digest.Retry {
								return
							}
						}
						t.Errorf("member %d, %s: still retrying", u.ID, p.Key)
					}()
				}
			}
			wg.Wait()
		}
		perDigest := map[string]int{}
		for _, raw := range s.sink.received() {
			perDigest[parse(t, raw).header.Get("Message-Id")]++
		}
		if len(perDigest) != len(members)*3 {
			t.Errorf("%d distinct digests, want %d (12 members × 3 periods)", len(perDigest), len(members)*3)
		}
		for id, count := range perDigest {
			if count != 1 {
				t.Errorf("%s sent %d times", id, count)
			}
		}
	})
}
