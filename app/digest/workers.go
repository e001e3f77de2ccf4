package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/mail"
	"rounds/models"
)

// Sender is what digests are sent through: *mail.Mailer.
type Sender interface {
	Send(ctx context.Context, msg mail.Message) error
}

// Defaults for Options.
const (
	// DefaultInterval is how often the scheduler looks for due members. A
	// digest goes out within this much of the member's hour.
	DefaultInterval = 10 * time.Minute
	// DefaultLease is how long a claim on a member's period protects an
	// attempt: far longer than an attempt may run (sendWorker.Timeout), so
	// only an attempt whose process died loses its claim.
	DefaultLease = 15 * time.Minute
	// DefaultTokenMaxAge is how long an unsubscribe link keeps working.
	DefaultTokenMaxAge = 400 * 24 * time.Hour
	// maxAttempts is how often a digest is tried before it is recorded as
	// failed; River's backoff spreads them over about a day and a half.
	maxAttempts = 10
	// attemptTimeout bounds one attempt, sending included.
	attemptTimeout = 2 * time.Minute
)

// Options are what the digest workers need.
type Options struct {
	Store    *models.Store
	Sender   Sender
	Composer *Composer
	Log      *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Interval is how often the scheduler runs; zero means DefaultInterval.
	Interval time.Duration
	// Lease is how old an unfinished claim must be before another attempt
	// takes it over; zero means DefaultLease.
	Lease time.Duration
	// TokenMaxAge is how long unsubscribe tokens are kept; zero means
	// DefaultTokenMaxAge.
	TokenMaxAge time.Duration
	// Backoff, when set, replaces River's retry delay after a temporary
	// failure (tests use a short one).
	Backoff func(attempt int) time.Duration
}

// Workers are the digest jobs of a node. Register them and add Periodic to
// the queue's options; every node may run them, and River's leader alone
// runs the scheduler.
type Workers struct {
	store       *models.Store
	sender      Sender
	composer    *Composer
	log         *slog.Logger
	now         func() time.Time
	interval    time.Duration
	lease       time.Duration
	tokenMaxAge time.Duration
	backoff     func(int) time.Duration
	corpora     corpora
	commits     *commits
}

// New checks the options and returns the workers.
func New(opts Options) (*Workers, error) {
	if opts.Store == nil || opts.Sender == nil || opts.Composer == nil {
		return nil, errors.New("digest: a store, a sender and a composer are required")
	}
	w := &Workers{
		store: opts.Store, sender: opts.Sender, composer: opts.Composer, log: opts.Log,
		now: opts.Now, interval: opts.Interval, lease: opts.Lease, tokenMaxAge: opts.TokenMaxAge,
		backoff: opts.Backoff,
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	w.commits = &commits{store: opts.Store}
	w.log = w.log.With("component", "digest")
	if w.now == nil {
		w.now = time.Now
	}
	if w.interval <= 0 {
		w.interval = DefaultInterval
	}
	if w.lease <= 0 {
		w.lease = DefaultLease
	}
	if w.tokenMaxAge <= 0 {
		w.tokenMaxAge = DefaultTokenMaxAge
	}
	return w, nil
}

// Register adds the scheduler's and the sender's workers.
func (w *Workers) Register(workers *river.Workers) {
	river.AddWorker(workers, &scheduleWorker{w: w})
	river.AddWorker(workers, &sendWorker{w: w})
}

// Periodic is the scheduler, run every Interval and once when a node
// becomes River's leader.
func (w *Workers) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(w.interval),
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
		&river.PeriodicJobOpts{ID: ScheduleArgs{}.Kind(), RunOnStart: true},
	)}
}

// ScheduleArgs is the periodic job that finds the members whose digest is
// due and queues one SendArgs job for each.
type ScheduleArgs struct{}

func (ScheduleArgs) Kind() string { return "digest_schedule" }

// SendArgs is one member's digest for one period. River keeps one such
// job per member and period, however often the scheduler finds them due.
type SendArgs struct {
	UserID      int64     `json:"user_id" river:"unique"`
	Period      string    `json:"period" river:"unique"`
	Due         time.Time `json:"due"`
	WindowStart time.Time `json:"window_start"`
}

func (SendArgs) Kind() string { return "digest_send" }

// InsertOpts makes the job unique by member and period. A finished job
// still counts until River deletes it, and by then the delivery row keeps
// the member off the due list.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func (a SendArgs) period() models.Period {
	return models.Period{Key: a.Period, Due: a.Due, WindowStart: a.WindowStart}
}

// SendJob is the job that sends a member's digest for a due period.
func SendJob(d models.DueDigest) SendArgs {
	return SendArgs{UserID: d.UserID, Period: d.Period.Key, Due: d.Period.Due, WindowStart: d.Period.WindowStart}
}

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	w *Workers
}

func (s *scheduleWorker) Work(ctx context.Context, job *river.Job[ScheduleArgs]) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return fmt.Errorf("digest schedule: %w", err)
	}
	_, err = s.w.Schedule(ctx, func(ctx context.Context, jobs []river.InsertManyParams) error {
		_, err := client.InsertMany(ctx, jobs)
		return err
	})
	return err
}

// insertBatch is how many jobs the scheduler inserts at a time.
const insertBatch = 500

// Schedule queues a SendArgs job for every member whose digest is due,
// through insert (a River client's InsertMany), and prunes old unsubscribe
// tokens. It returns how many members were due; River skips the jobs
// already queued for the same member and period.
func (w *Workers) Schedule(ctx context.Context, insert func(context.Context, []river.InsertManyParams) error) (int, error) {
	now := w.now()
	due, err := w.store.DueMembers(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("digest schedule: %w", err)
	}
	for batch := range slices.Chunk(due, insertBatch) {
		params := make([]river.InsertManyParams, len(batch))
		for i, d := range batch {
			params[i] = river.InsertManyParams{Args: SendJob(d)}
		}
		if err := insert(ctx, params); err != nil {
			return 0, fmt.Errorf("digest schedule: queue %d digests: %w", len(params), err)
		}
	}
	pruned, err := w.store.PruneUnsubscribeTokens(ctx, now.Add(-w.tokenMaxAge))
	if err != nil {
		return len(due), fmt.Errorf("digest schedule: %w", err)
	}
	if len(due) > 0 || pruned > 0 {
		w.log.InfoContext(ctx, "digests queued", "due", len(due), "unsubscribe_tokens_pruned", pruned)
	}
	return len(due), nil
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	w *Workers
}

func (s *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return attemptTimeout }

func (s *sendWorker) NextRetry(job *river.Job[SendArgs]) time.Time {
	if s.w.backoff == nil {
		return time.Time{} // River's exponential backoff
	}
	return time.Now().Add(s.w.backoff(job.Attempt))
}

func (s *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	_, err := s.w.Deliver(ctx, job.Args.UserID, job.Args.period())
	if err != nil && job.Attempt >= job.MaxAttempts {
		s.w.giveUp(ctx, job.Args.UserID, job.Args.period(), err)
	}
	return err
}

// Outcome says what Deliver did.
type Outcome string

const (
	Sent Outcome = "sent"
	// Empty: nothing new the member may read; nothing was sent.
	Empty Outcome = "empty"
	// Failed: the digest can never be sent as it stands (the mail server
	// refused it for good, or the member has no address); recorded.
	Failed Outcome = "failed"
	// Skipped: another attempt holds the period, or it is finished.
	Skipped Outcome = "skipped"
	// Retry: a temporary failure; the claim is released for the next
	// attempt, and the error says why.
	Retry Outcome = "retry"
)

// Deliver sends a member's digest for a period at most once: it claims the
// period in the database first, chooses the content under the rules as
// they stand now, sends it, and records the result. An error means a
// temporary failure (the claim is released, so a later attempt sends).
func (w *Workers) Deliver(ctx context.Context, userID int64, period models.Period) (Outcome, error) {
	log := w.log.With("member", userID, "period", period.Key)
	var claim models.DigestClaim
	err := w.commits.do(ctx, func(ctx context.Context, tx *models.Store) error {
		var err error
		claim, err = tx.ClaimDigest(ctx, userID, period, w.now(), w.lease)
		return err
	})
	if err != nil {
		return Retry, fmt.Errorf("deliver digest: %w", err)
	}
	switch claim.Outcome {
	case models.ClaimHeld, models.ClaimFinished:
		log.DebugContext(ctx, "digest already claimed", "status", claim.Status)
		return Skipped, nil
	case models.ClaimTakenOver:
		// The one window in which a member can get a digest twice: the
		// attempt that claimed this period died after the mail server
		// accepted the digest and before its commit. Nothing can tell that
		// apart from dying before sending, and missing a digest is worse.
		log.WarnContext(ctx, "digest claim taken over from an attempt that stopped; if the mail server had accepted its digest, the member gets it twice (same Message-ID)",
			"claimed_at", claim.PreviousClaimAt, "message_id", w.composer.MessageID(userID, period.Key))
	}

	msg, items, until, err := w.build(ctx, userID, period, claim.UnsubscribeToken)
	switch {
	case errors.Is(err, errNothingToSend):
		return w.finish(ctx, log, Empty, func(ctx context.Context, tx *models.Store) error { return tx.MarkDigestEmpty(ctx, claim, until) })
	case errors.Is(err, errNoAddress):
		return w.finish(ctx, log, Failed, func(ctx context.Context, tx *models.Store) error { return tx.MarkDigestFailed(ctx, claim, err.Error()) })
	case err != nil:
		return Retry, w.release(ctx, log, claim, err)
	}

	if err := w.sender.Send(ctx, msg); err != nil {
		if mail.Permanent(err) {
			log.WarnContext(ctx, "digest refused for good", "err", err)
			return w.finish(ctx, log, Failed, func(ctx context.Context, tx *models.Store) error { return tx.MarkDigestFailed(ctx, claim, err.Error()) })
		}
		return Retry, w.release(ctx, log, claim, err)
	}
	return w.finish(ctx, log, Sent, func(ctx context.Context, tx *models.Store) error {
		return tx.MarkDigestSent(ctx, claim, msg.MessageID, items, until, w.now())
	})
}

var (
	errNothingToSend = errors.New("nothing new to send")
	errNoAddress     = errors.New("member has no email address")
)

// build chooses the content and composes the email. The content runs up
// to the period's moment, where the next digest starts, so every member
// on the same schedule shares one corpus; until is that moment.
func (w *Workers) build(ctx context.Context, userID int64, period models.Period, token string) (msg mail.Message, items int, until time.Time, err error) {
	until = period.Due
	member, err := w.store.DigestMemberFor(ctx, userID, period.Key)
	if err != nil {
		return msg, 0, until, err
	}
	since := member.Since(period)
	if !since.Before(until) {
		return msg, 0, until, errNothingToSend
	}
	corpus, err := w.corpora.get(ctx, w.store, since, until)
	if err != nil {
		return msg, 0, until, err
	}
	d, err := Choose(ctx, w.store, corpus, member, 0)
	if err != nil {
		return msg, 0, until, err
	}
	if d.Empty() {
		return msg, 0, until, errNothingToSend
	}
	if member.Address == "" {
		return msg, 0, until, errNoAddress
	}
	msg, err = w.composer.Compose(userID, d, Envelope{
		To: member.Address, Period: period, Frequency: member.Settings.Frequency,
		Location: member.Settings.Location(), UnsubscribeToken: token,
	})
	return msg, len(d.Items), until, err
}

// finish records the outcome even when the job's context has ended: after
// the mail server took a digest, losing the record is what would send it
// twice. A record that cannot be written is logged, not retried as a job,
// for the same reason.
func (w *Workers) finish(ctx context.Context, log *slog.Logger, outcome Outcome, record func(context.Context, *models.Store) error) (Outcome, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var err error
	for try := 0; try < 3; try++ {
		if err = w.commits.do(ctx, record); err == nil || errors.Is(err, models.ErrClaimLost) {
			break
		}
		time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
	}
	if err != nil {
		log.ErrorContext(ctx, "digest outcome not recorded", "outcome", outcome, "err", err)
	} else if outcome != Sent {
		log.InfoContext(ctx, "digest not sent", "outcome", outcome)
	}
	return outcome, nil
}

// release gives the claim back after a temporary failure and returns the
// failure, so River retries with backoff.
func (w *Workers) release(ctx context.Context, log *slog.Logger, claim models.DigestClaim, cause error) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := w.commits.do(rctx, func(ctx context.Context, tx *models.Store) error {
		return tx.ReleaseDigestClaim(ctx, claim, cause.Error())
	}); err != nil {
		// The claim runs out after the lease instead.
		log.WarnContext(ctx, "digest claim not released", "err", err)
	}
	return fmt.Errorf("deliver digest %s of member %d: %w", claim.Period, claim.UserID, cause)
}

// giveUp records a digest whose last attempt failed, so the period is
// closed rather than left claimed.
func (w *Workers) giveUp(ctx context.Context, userID int64, period models.Period, cause error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	claim, err := w.store.ClaimDigest(ctx, userID, period, w.now(), w.lease)
	if err == nil && claim.Holds() {
		err = w.store.MarkDigestFailed(ctx, claim, "gave up after "+fmt.Sprint(maxAttempts)+" attempts: "+cause.Error())
	}
	if err != nil {
		w.log.ErrorContext(ctx, "digest failure not recorded", "member", userID, "period", period.Key, "err", err)
		return
	}
	w.log.ErrorContext(ctx, "digest given up", "member", userID, "period", period.Key, "err", cause)
}

// corpora keeps the corpus of each window in use, so that the digests of
// members on the same schedule share one. A corpus is checked against the
// search outbox before each use and reloaded when a post in it changed.
type corpora struct {
	mu      sync.Mutex
	load    sync.Mutex // one load at a time: the workers would all load the same window
	windows map[[2]int64]*corpusEntry
}

type corpusEntry struct {
	corpus *models.DigestCorpus
	used   time.Time
}

// maxCorpora bounds the windows kept; members on unusual schedules or
// catching up after a failure get windows of their own.
const maxCorpora = 16

func (c *corpora) get(ctx context.Context, store *models.Store, since, until time.Time) (*models.DigestCorpus, error) {
	key := [2]int64{since.UnixMicro(), until.UnixMicro()}
	lookup := func() *models.DigestCorpus {
		c.mu.Lock()
		defer c.mu.Unlock()
		if e, ok := c.windows[key]; ok {
			e.used = time.Now()
			return e.corpus
		}
		return nil
	}
	if corpus := lookup(); corpus != nil {
		current, err := store.DigestCorpusCurrent(ctx, corpus)
		if err != nil {
			return nil, err
		}
		if current {
			return corpus, nil
		}
	}
	c.load.Lock()
	defer c.load.Unlock()
	// Another worker may have reloaded it while this one waited.
	if corpus := lookup(); corpus != nil {
		if current, err := store.DigestCorpusCurrent(ctx, corpus); err == nil && current {
			return corpus, nil
		}
	}
	corpus, err := store.LoadDigestCorpus(ctx, since, until)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.windows == nil {
		c.windows = map[[2]int64]*corpusEntry{}
	}
	c.windows[key] = &corpusEntry{corpus: corpus, used: time.Now()}
	for len(c.windows) > maxCorpora {
		var oldest [2]int64
		var at time.Time
		for k, e := range c.windows {
			if at.IsZero() || e.used.Before(at) {
				oldest, at = k, e.used
			}
		}
		delete(c.windows, oldest)
	}
	return corpus, nil
}

// commits writes the claims and records of concurrent digests in shared
// transactions: whoever writes first commits, and what the others queued
// meanwhile goes in its next transaction. SQLite commits one transaction
// at a time, each with an fsync, so a commit per write would cap digests
// at a few dozen a second; grouped, they are not the limit. A write may
// wait for one commit more than it would alone; a digest marked sent
// that way stays claimed a few milliseconds longer, still inside its
// lease.
type commits struct {
	store   *models.Store
	mu      sync.Mutex
	pending []*write
	running bool
}

type write struct {
	fn   func(context.Context, *models.Store) error
	err  error
	done chan struct{}
}

// do runs fn in a transaction, shared with other writes, and returns its
// error. fn may run twice: when another write in its group fails, each is
// run again alone.
func (c *commits) do(ctx context.Context, fn func(context.Context, *models.Store) error) error {
	w := &write{fn: fn, done: make(chan struct{})}
	c.mu.Lock()
	c.pending = append(c.pending, w)
	if c.running {
		c.mu.Unlock()
		<-w.done
		return w.err
	}
	c.running = true
	for len(c.pending) > 0 {
		batch := c.pending
		c.pending = nil
		c.mu.Unlock()
		c.run(ctx, batch)
		c.mu.Lock()
	}
	c.running = false
	c.mu.Unlock()
	return w.err
}

// run commits a batch, or each of its writes alone when the batch fails.
func (c *commits) run(ctx context.Context, batch []*write) {
	defer func() {
		for _, w := range batch {
			close(w.done)
		}
	}()
	// The committer's job may end; the others' writes must not end with it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if len(batch) > 1 {
		errs := make([]error, len(batch))
		err := c.store.InTransaction(ctx, func(tx *models.Store) error {
			for i, w := range batch {
				errs[i] = w.fn(ctx, tx)
				if errs[i] != nil && !errors.Is(errs[i], models.ErrClaimLost) {
					return errs[i] // a database error spoils the transaction for all
				}
			}
			return nil
		})
		if err == nil {
			for i, w := range batch {
				w.err = errs[i]
			}
			return
		}
	}
	for _, w := range batch {
		w.err = c.store.InTransaction(ctx, func(tx *models.Store) error { return w.fn(ctx, tx) })
	}
}

// Preview is a member's next digest as it stands now, for the page that
// shows it in the browser.
type Preview struct {
	Subject string
	Text    string
	HTML    string
	// Empty says nothing would be sent now; the bodies are then empty.
	Empty bool
}

// Preview renders what the member's next digest would carry if it went
// out now: the posts since their last digest (or one period back) under
// the same rules as a real one. Its unsubscribe link is not a working one.
func (w *Workers) Preview(ctx context.Context, userID int64) (Preview, error) {
	now := w.now()
	member, err := w.store.DigestMemberFor(ctx, userID, "")
	if err != nil {
		return Preview{}, err
	}
	settings := member.Settings
	if settings.Frequency == models.DigestNever {
		settings.Frequency = models.DigestWeekly // show what they would get
	}
	current, ok := models.DigestPeriod(settings, now)
	if !ok {
		current, _ = models.DigestPeriod(models.DefaultDigestSettings(userID), now)
	}
	next := models.Period{Key: "preview", Due: now, WindowStart: current.Due}
	since := member.Since(next)
	if !since.Before(now) {
		return Preview{Empty: true}, nil
	}
	d, err := Content(ctx, w.store, userID, since, now, 0)
	if err != nil {
		return Preview{}, err
	}
	if d.Empty() {
		return Preview{Empty: true}, nil
	}
	subject, text, html, err := w.composer.Render(d, Envelope{To: member.Address, Period: next,
		Frequency: settings.Frequency, Location: settings.Location(), UnsubscribeToken: "preview"})
	if err != nil {
		return Preview{}, err
	}
	return Preview{Subject: subject, Text: text, HTML: html}, nil
}
