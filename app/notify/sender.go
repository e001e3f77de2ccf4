package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"rounds/app/mail"
	"rounds/models"
)

// Mailer is what the emails are sent through: *mail.Mailer.
type Mailer interface {
	Send(ctx context.Context, msg mail.Message) error
}

// Defaults for Options.
const (
	// DefaultWindow is how long the first new notification waits for
	// others to go with it in one email.
	DefaultWindow = 5 * time.Minute
	// DefaultInterval is how often the sender looks for members due an
	// email.
	DefaultInterval = time.Minute
	// membersPerRun bounds the members one run serves; the rest come
	// next run.
	membersPerRun = 2000
	// concurrency is how many emails one run sends at a time.
	concurrency = 4
	// runTimeout bounds a run.
	runTimeout = 5 * time.Minute
)

// Options are what the sender needs.
type Options struct {
	Store    *models.Store
	Mailer   Mailer
	Composer *Composer
	Log      *slog.Logger
	// Now is the clock; nil means the store's.
	Now func() time.Time
	// Window is DefaultWindow when zero; Interval DefaultInterval.
	Window, Interval time.Duration
}

// Sender sends the right-away emails, from a periodic River job that
// River's leader runs for all nodes, one run at a time.
type Sender struct {
	store    *models.Store
	mailer   Mailer
	composer *Composer
	log      *slog.Logger
	now      func() time.Time
	window   time.Duration
	interval time.Duration
}

// NewSender checks the options.
func NewSender(opts Options) (*Sender, error) {
	if opts.Store == nil || opts.Mailer == nil || opts.Composer == nil {
		return nil, errors.New("notify: a store, a mailer and a composer are required")
	}
	s := &Sender{store: opts.Store, mailer: opts.Mailer, composer: opts.Composer, log: opts.Log, now: opts.Now,
		window: opts.Window, interval: opts.Interval}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("component", "notification email")
	if s.now == nil {
		s.now = opts.Store.Now
	}
	if s.window <= 0 {
		s.window = DefaultWindow
	}
	if s.interval <= 0 {
		s.interval = DefaultInterval
	}
	return s, nil
}

// SendArgs is the periodic job that sends the emails due.
type SendArgs struct{}

// Kind names the job in River.
func (SendArgs) Kind() string { return "notification_emails" }

// InsertOpts keeps one run waiting or running at a time, so no two runs
// send one member's email; a failed run is not retried, the next comes
// within the interval.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// Register adds the job's worker.
func (s *Sender) Register(workers *river.Workers) { river.AddWorker(workers, &sendWorker{s: s}) }

// Periodic is the job's schedule.
func (s *Sender) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(s.interval),
		func() (river.JobArgs, *river.InsertOpts) { return SendArgs{}, nil },
		&river.PeriodicJobOpts{ID: SendArgs{}.Kind(), RunOnStart: true})}
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Sender
}

func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return runTimeout }

func (w *sendWorker) Work(ctx context.Context, _ *river.Job[SendArgs]) error {
	_, err := w.s.SendDue(ctx)
	return err
}

// SendDue sends every member due one their email and returns how many
// emails went out. A member whose email failed for now keeps their
// notifications for the next run; the error says the first such failure.
//
// What was sent is recorded in shared transactions: whatever the senders
// finished while the last record was committing goes in the next one, so
// SQLite's one commit at a time, each with an fsync, does not cap the
// emails at a few dozen a second. An email waits for its record a few
// milliseconds longer that way; a node that dies in between sends it
// again next run, with the same Message-ID.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.store.NotificationEmailsDue(ctx, now, s.window, membersPerRun)
	if err != nil {
		return 0, err
	}
	var (
		mu       sync.Mutex
		sent     int
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan int64)
		records  = make(chan models.EmailedNotifications, 256)
		recorded = make(chan struct{})
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	go func() {
		defer close(recorded)
		for r := range records {
			batch := []models.EmailedNotifications{r}
		more:
			for len(batch) < 500 {
				select {
				case r, ok := <-records:
					if !ok {
						break more
					}
					batch = append(batch, r)
				default:
					break more
				}
			}
			if err := s.store.MarkNotificationsEmailed(context.WithoutCancel(ctx), batch, now); err != nil {
				s.log.ErrorContext(ctx, "notification emails not recorded", "members", len(batch), "err", err)
				fail(err)
			}
		}
	}()
	for range min(concurrency, len(due)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for userID := range next {
				record, err := s.sendMember(ctx, userID, now)
				if err != nil {
					fail(err)
					continue
				}
				if record.MessageID != "" {
					mu.Lock()
					sent++
					mu.Unlock()
				}
				if len(record.IDs)+len(record.ConsultIDs) > 0 {
					records <- record
				}
			}
		}()
	}
	for _, id := range due {
		next <- id
	}
	close(next)
	wg.Wait()
	close(records)
	<-recorded
	if sent > 0 {
		s.log.InfoContext(ctx, "notification emails sent", "emails", sent, "members_due", len(due))
	}
	return sent, firstErr
}

// sendMember sends one member the email of everything new up to now that
// their settings want right away and they may still read, and returns
// the record of every new notification it dealt with, sent or not. An
// error means a temporary failure: nothing is to be recorded, so the next
// run tries again.
func (s *Sender) sendMember(ctx context.Context, userID int64, now time.Time) (models.EmailedNotifications, error) {
	record := models.EmailedNotifications{UserID: userID}
	member, err := s.store.DigestMemberFor(ctx, userID, "")
	if err != nil {
		return record, err
	}
	settings, err := s.store.EmailSettingsFor(ctx, userID)
	if err != nil {
		return record, err
	}
	pending, err := s.store.PendingNotificationEmails(ctx, &member.User, settings.Kinds(models.EmailNow), now)
	if err != nil {
		return record, err
	}
	if len(pending.Items) > 0 && member.Address != "" {
		msg, err := s.composer.Compose(Batch{Member: &member.User, Address: member.Address, Items: pending.Items})
		if err != nil {
			return record, err
		}
		if err := s.mailer.Send(ctx, msg); err != nil {
			if !mail.Permanent(err) {
				return record, fmt.Errorf("notification email to member %d: %w", userID, err)
			}
			s.log.WarnContext(ctx, "notification email refused for good", "member", userID, "err", err)
		} else {
			record.MessageID = msg.MessageID
		}
	}
	record.IDs, record.ConsultIDs = pending.IDs, pending.ConsultIDs
	return record, nil
}
