package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"rounds/models"
	"rounds/models/modelstest"
)

// mailbox is an SMTP server in the test process that keeps every message.
type mailbox struct {
	mu       sync.Mutex
	messages []*mail.Message
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{m: m}, nil }

// byRecipient counts the digests each address received, and the
// Message-IDs they carried.
func (m *mailbox) byRecipient() (map[string]int, map[string][]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	counts, ids := map[string]int{}, map[string][]string{}
	for _, msg := range m.messages {
		to := msg.Header.Get("To")
		counts[to]++
		ids[to] = append(ids[to], msg.Header.Get("Message-Id"))
	}
	return counts, ids
}

type mailboxSession struct{ m *mailbox }

func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailboxSession) Reset()                               {}
func (s *mailboxSession) Logout() error                        { return nil }

func (s *mailboxSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, msg.Body); err != nil {
		return err
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	s.m.messages = append(s.m.messages, msg)
	return nil
}

func startMailbox(t *testing.T) (*mailbox, string) {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box, ln.Addr().String()
}

// TestTwoNodesSendEachDigestOnce runs two `rounds serve` processes on one
// PostgreSQL database, both working digest jobs and each ready to run the
// scheduler every second when it leads. One is killed mid-run. Every
// member still gets exactly one digest for the period; a second one is
// allowed only in the window the survivor logs, where the dead node's
// send was accepted but not recorded.
func TestTwoNodesSendEachDigestOnce(t *testing.T) {
	pg := nodesEngine(t)
	bin := buildRounds(t)
	box, smtpAddr := startMailbox(t)
	secret := strings.Repeat("s3cr3t-shared-by-both-nodes-", 3)
	node := func() *crashServer {
		addr := freeAddr(t)
		env := append(serverEnv(*pg, addr), "ROUNDS_DATA_DIR="+t.TempDir(), "ROUNDS_SECRET="+secret,
			"ROUNDS_SMTP_URL=smtp://"+smtpAddr, "ROUNDS_DIGEST_INTERVAL=1s",
			// A killed node's digests are taken over within seconds, not minutes.
			"ROUNDS_JOB_RESCUE_AFTER=6s")
		srv := startRounds(t, bin, "serve", env, "http://"+addr)
		return srv
	}
	a := node()
	b := node()
	t.Cleanup(func() { b.stop(t) })

	// A new topic, and members whose daily digest fell due at the top of
	// this hour to read about it. The nodes' schedulers run every second
	// while this is set up, so the topic is in place first: a digest that
	// ran before it was (or before it was dated into the period, a write
	// that bypasses the store and so the nodes' cached corpus) would find
	// nothing to send, finish the period as empty and never send it. And
	// each member comes whole in one transaction, never due on the
	// default weekly schedule in between.
	const members = 40
	store := openCrashStore(t, *pg)
	ctx := context.Background()
	now := time.Now().UTC()
	author := modelstest.Verified("digest_author", "Dr. Digest Author").Make(t, store)
	board := modelstest.OpenBoard("digest-board", "Digest board").Make(t, store)
	topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: author.ID, Title: "Digest-worthy topic",
		PostContent: models.PostContent{Source: "Something new", Cooked: "<p>Something new</p>"}})
	if err != nil {
		t.Fatal(err)
	}
	// A digest carries what was posted up to its scheduled moment, the
	// top of this hour: the topic is dated a little before it.
	posted := now.Truncate(time.Hour).Add(-10 * time.Minute)
	for _, stmt := range []string{`UPDATE posts SET created_at = ?, updated_at = ? WHERE topic_id = ?`,
		`UPDATE topics SET created_at = ?, bumped_at = ? WHERE id = ?`} {
		if err := store.DB().Exec(stmt, posted, posted, topic.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for i := range members {
		email := fmt.Sprintf("reader%02d@hospital.example", i)
		want[email] = true
		err := store.InTransaction(ctx, func(tx *models.Store) error {
			u := &models.User{Username: fmt.Sprintf("reader%02d", i), DisplayName: fmt.Sprintf("Reader %d", i), Status: models.StatusVerified}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := tx.DB().Create(&models.Identity{UserID: u.ID, Provider: "test", Issuer: "https://idp.example",
				Subject: email, Email: email, EmailVerified: true, CreatedAt: now, LastUsedAt: now}).Error; err != nil {
				return err
			}
			return tx.SaveDigestSettings(ctx, models.DigestSettings{UserID: u.ID, Frequency: models.DigestDaily,
				Hour: now.Hour(), Weekday: int(now.Weekday()), TimeZone: "UTC"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	closeCrashStore(t, store)

	received := func() int {
		counts, _ := box.byRecipient()
		n := 0
		for to := range counts {
			if want[addressOnly(to)] {
				n++
			}
		}
		return n
	}
	// Kill one node as soon as digests are flowing, whichever leads. The
	// bound is for a stuck run only: on a loaded machine two starting
	// nodes and their schedulers can take more than a minute.
	for deadline := time.Now().Add(180 * time.Second); received() == 0; {
		if time.Now().After(deadline) {
			t.Fatalf("no digest within 180s\nA:\n%s\nB:\n%s", a.output(), b.output())
		}
		time.Sleep(5 * time.Millisecond)
	}
	a.kill()
	// A digest the dead node was sending is run again once River takes
	// the node for dead: after ROUNDS_JOB_RESCUE_AFTER and the attempt's
	// own timeout (2 minutes), at River's next check (every 30s). The
	// survivor sends the rest meanwhile, as slowly as a loaded machine
	// lets it: the test fails only when no one has got a digest for longer
	// than a rescue takes, not at a fixed time.
	const stalled = 200 * time.Second
	for got, since := received(), time.Now(); got < members; {
		if n := received(); n > got {
			got, since = n, time.Now()
			continue
		}
		if time.Since(since) > stalled {
			t.Fatalf("%d of %d members got their digest, and no more for %s\nB:\n%s", got, members, stalled, b.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Three more scheduler runs must not send anything again.
	time.Sleep(3500 * time.Millisecond)

	counts, ids := box.byRecipient()
	takenOver := strings.Count(b.output(), "digest claim taken over")
	extra := 0
	for to, n := range counts {
		if !want[addressOnly(to)] {
			continue
		}
		if n > 1 {
			extra += n - 1
			if ids[to][0] != ids[to][1] {
				t.Errorf("%s got two digests with different Message-IDs %q", to, ids[to])
			}
		}
	}
	if extra > takenOver {
		t.Fatalf("%d repeated digests, but the surviving node logged only %d taken-over claims: %v\nB:\n%s",
			extra, takenOver, counts, b.output())
	}
	t.Logf("%d members, one node killed mid-run: %d digests, %d repeated in the logged window", members, received(), extra)
}

func addressOnly(header string) string {
	if a, err := mail.ParseAddress(header); err == nil {
		return a.Address
	}
	return header
}
