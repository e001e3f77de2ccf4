package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// The crash test runs the real binary, lets members reply as fast as they
// can, and kills the server with SIGKILL at random moments. A reply the
// server acknowledged must survive every crash whole, and no crash may
// leave a post, a revision or a count half-written.
const (
	crashRounds  = 6
	crashWriters = 6
	crashTopics  = 3
	// The kill is armed only after this many replies were acknowledged in
	// the round, so no round ends before it has proved anything.
	crashArmAfter = crashWriters
	crashDelayMin = 100 * time.Millisecond
	crashDelayMax = 1500 * time.Millisecond
	// crashSeedVar repeats a run's kill timings; the seed is logged.
	crashSeedVar = "ROUNDS_CRASH_SEED"
)

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and crashes it repeatedly; skipped with -short")
	}
	bin := buildRounds(t)
	seed := crashSeed(t)
	for i, e := range modelstest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			runCrashRounds(t, bin, e, rng)
		})
	}
}

func runCrashRounds(t *testing.T, bin string, e modelstest.Engine, rng *rand.Rand) {
	addr := freeAddr(t)
	base := "http://" + addr
	env := serverEnv(e, addr)

	var (
		writers []*crashWriter
		topics  []int64
		sent    = map[string]crashReply{} // every reply sent, by marker
		acked   []crashReply
	)
	for round := 1; round <= crashRounds; round++ {
		srv := startServer(t, bin, env, base)
		if round == 1 {
			writers, topics = crashCast(t, e)
			for _, w := range writers {
				w.signIn(t, base, topics[0])
			}
		}
		r := crashRound(t, srv, writers, topics, base, rng)
		for _, reply := range r.acked {
			sent[reply.Marker] = reply
		}
		for _, reply := range r.unknown {
			sent[reply.Marker] = reply
		}
		acked = append(acked, r.acked...)
		for _, bad := range r.refused {
			t.Errorf("round %d: the live server refused a valid reply: %s", round, bad)
		}
		if len(r.acked) == 0 {
			t.Fatalf("round %d: no reply was acknowledged before the kill, so the round proves nothing\nserver output:\n%s",
				round, srv.output())
		}
		// Check each crash as it left the database, before a restart can
		// paper over it.
		stored := checkCrashState(t, e, sent, acked)
		landed := 0
		for _, reply := range r.unknown {
			if stored[reply.Marker] {
				landed++
			}
		}
		t.Logf("round %d: %d acknowledged, %d unknown outcome (%d of them stored), killed %v after the first %d acks",
			round, len(r.acked), len(r.unknown), landed, r.killDelay, crashArmAfter)
		if t.Failed() {
			t.Fatalf("round %d failed; server output:\n%s", round, srv.output())
		}
	}

	// The server must come back after the last crash and stop cleanly.
	srv := startServer(t, bin, env, base)
	srv.stop(t)
	checkCrashState(t, e, sent, acked)
	if !t.Failed() {
		t.Logf("%d replies acknowledged over %d crashes, all present and whole", len(acked), crashRounds)
	}
}

// crashReply is one reply a writer sent. Number is the post number the
// server's redirect named; it is zero when the outcome is unknown.
type crashReply struct {
	Writer   int
	AuthorID int64
	Seq      int
	Marker   string
	TopicID  int64
	Body     string
	Number   int
}

type crashRoundResult struct {
	acked, unknown []crashReply
	refused        []string
	killDelay      time.Duration
}

// crashRound lets every writer post until the server dies under them.
func crashRound(t *testing.T, srv *crashServer, writers []*crashWriter, topics []int64, base string, rng *rand.Rand) crashRoundResult {
	t.Helper()
	var (
		mu      sync.Mutex
		result  crashRoundResult
		acks    atomic.Int64
		armed   = make(chan struct{})
		armOnce sync.Once
		wg      sync.WaitGroup
	)
	for _, w := range writers {
		// Connections kept alive from the last round lead to a dead server.
		w.transport.CloseIdleConnections()
		wg.Go(func() {
			for {
				reply := w.nextReply(topics)
				number, refused, err := w.post(base, reply)
				mu.Lock()
				switch {
				case err == nil && refused == "":
					reply.Number = number
					result.acked = append(result.acked, reply)
				case refused != "":
					result.refused = append(result.refused, refused)
					fallthrough
				default:
					result.unknown = append(result.unknown, reply)
				}
				mu.Unlock()
				if err != nil || refused != "" {
					// The server is gone (or broken): this writer is done for the round.
					return
				}
				if acks.Add(1) >= crashArmAfter {
					armOnce.Do(func() { close(armed) })
				}
			}
		})
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()

	select {
	case <-armed:
	case <-allDone:
	case <-time.After(60 * time.Second):
		t.Errorf("only %d replies acknowledged in 60s; killing anyway", acks.Load())
	}
	result.killDelay = crashDelayMin + time.Duration(rng.Int64N(int64(crashDelayMax-crashDelayMin)))
	select {
	case <-time.After(result.killDelay):
	case <-allDone:
	}
	srv.kill()
	<-allDone
	return result
}

// crashWriter is one member posting through a browser of their own.
type crashWriter struct {
	n         int
	member    models.User
	client    *http.Client
	transport *http.Transport
	csrf      string
	seq       int
}

func newCrashWriter(t *testing.T, n int, member models.User) *crashWriter {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	transport := &http.Transport{
		// Only ever the server under test, never a proxy from the environment.
		Proxy:       nil,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	return &crashWriter{n: n, member: member, transport: transport, client: &http.Client{
		Jar:       jar,
		Transport: transport,
		Timeout:   30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs the writer in through the demo sign-in and keeps the CSRF
// token of the new session. Sessions and the secret live in the data
// directory and the database, so both outlast every restart.
func (w *crashWriter) signIn(t *testing.T, base string, topicID int64) {
	t.Helper()
	page := w.get(t, base+"/demo/sign-in")
	form := url.Values{"_csrf": {csrfIn(t, page)}, "username": {w.member.Username}, "return": {"/"}}
	res, err := w.client.PostForm(base+"/demo/sign-in", form)
	// The demo signs in through its own OpenID Connect provider: follow
	// the code flow there and back until the app answers with a page.
	for hop := 0; err == nil && res.StatusCode >= 300 && res.StatusCode < 400 && hop < 6; hop++ {
		next, perr := res.Request.URL.Parse(res.Header.Get("Location"))
		res.Body.Close()
		if perr != nil {
			t.Fatalf("sign in as %s: bad redirect: %v", w.member.Username, perr)
		}
		res, err = w.client.Get(next.String())
	}
	if err != nil {
		t.Fatalf("sign in as %s: %v", w.member.Username, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("sign in as %s: status %d, %v\n%s", w.member.Username, res.StatusCode, err, body)
	}
	topicPage := w.get(t, fmt.Sprintf("%s/t/%d", base, topicID))
	if !strings.Contains(topicPage, `action="/sign-out"`) {
		t.Fatalf("%s is not signed in on the topic page", w.member.Username)
	}
	w.csrf = csrfIn(t, topicPage)
}

func (w *crashWriter) get(t *testing.T, target string) string {
	t.Helper()
	res, err := w.client.Get(target)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", target, res.StatusCode, body)
	}
	return string(body)
}

func csrfIn(t *testing.T, page string) string {
	t.Helper()
	m := csrfValue.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", page)
	}
	return html.UnescapeString(m[1])
}

// nextReply writes a unique, self-checking reply: the marker names it, and
// markdown gives the cooked HTML something to get right.
func (w *crashWriter) nextReply(topics []int64) crashReply {
	w.seq++
	var raw [8]byte
	if _, err := crand.Read(raw[:]); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	// Letters only: a long run of digits reads as an identifying number
	// to the PHI guard, which would ask the writer to confirm it.
	marker := strings.Map(func(r rune) rune {
		if r <= '9' {
			return 'g' + (r - '0')
		}
		return r
	}, hex.EncodeToString(raw[:]))
	var b strings.Builder
	fmt.Fprintf(&b, "crash-test writer %d reply %d marker %s\n\n", w.n, w.seq, marker)
	fmt.Fprintf(&b, "- first point for %s\n- **second point**, in bold\n- third point\n\n", marker)
	// A body of varying length shows a torn write wherever it is cut.
	for i := range 3 + w.seq%7 {
		fmt.Fprintf(&b, "Sentence %d of reply %d notes the patient was stable on review. ", i, w.seq)
	}
	b.WriteString("\n")
	return crashReply{
		Writer: w.n, AuthorID: w.member.ID, Seq: w.seq, Marker: marker,
		TopicID: topics[(w.n+w.seq)%len(topics)], Body: b.String(),
	}
}

var postAnchor = regexp.MustCompile(`^post-(\d+)$`)

// post sends a reply. It returns the post number from an acknowledgement,
// a description when a live server answered anything else, or the
// transport error when the answer never came.
func (w *crashWriter) post(base string, r crashReply) (number int, refused string, err error) {
	form := url.Values{"_csrf": {w.csrf}, "body": {r.Body}}
	res, err := w.client.PostForm(fmt.Sprintf("%s/t/%d/reply", base, r.TopicID), form)
	if err != nil {
		return 0, "", err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return 0, "", err
	}
	describe := func(what string) string {
		return fmt.Sprintf("writer %d reply %d to topic %d: %s\n%.500s", w.n, r.Seq, r.TopicID, what, body)
	}
	if res.StatusCode != http.StatusSeeOther {
		return 0, describe(fmt.Sprintf("status %d", res.StatusCode)), nil
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		return 0, describe(fmt.Sprintf("bad Location %q", res.Header.Get("Location"))), nil
	}
	m := postAnchor.FindStringSubmatch(loc.Fragment)
	if m == nil || !strings.HasPrefix(loc.Path, fmt.Sprintf("/t/%d/", r.TopicID)) {
		return 0, describe(fmt.Sprintf("redirect to %q names no post of the topic", loc)), nil
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, describe(err.Error()), nil
	}
	return n, "", nil
}

// crashCast picks verified demo members to write and open topics to
// write in, reading the store the running server just filled.
func crashCast(t *testing.T, e modelstest.Engine) ([]*crashWriter, []int64) {
	t.Helper()
	store := openCrashStore(t, e)
	defer closeCrashStore(t, store)
	db := store.DB()
	var members []models.User
	if err := db.Where("status = ?", models.StatusVerified).Order("id").Limit(crashWriters).Find(&members).Error; err != nil {
		t.Fatalf("find demo members: %v", err)
	}
	if len(members) < crashWriters {
		t.Fatalf("the demo has %d verified members; the test needs %d", len(members), crashWriters)
	}
	var topics []int64
	if err := db.Raw(`SELECT id FROM topics WHERE locked = ? ORDER BY id LIMIT ?`, false, crashTopics).Scan(&topics).Error; err != nil {
		t.Fatalf("find demo topics: %v", err)
	}
	if len(topics) == 0 {
		t.Fatal("the demo has no open topics")
	}
	writers := make([]*crashWriter, len(members))
	for i, m := range members {
		writers[i] = newCrashWriter(t, i+1, m)
	}
	return writers, topics
}

// checkCrashState checks the database with the server down: every
// acknowledged reply is there exactly as sent, and nothing anywhere is
// half-written. It returns the markers of the crash-test replies stored.
func checkCrashState(t *testing.T, e modelstest.Engine, sent map[string]crashReply, acked []crashReply) map[string]bool {
	store := openCrashStore(t, e)
	defer closeCrashStore(t, store)
	db := store.DB()

	type storedPost struct {
		ID       int64
		TopicID  int64
		Number   int
		AuthorID int64
		Source   string
		Cooked   string
		Version  int
		Deleted  int
	}
	var posts []storedPost
	err := db.Raw(`SELECT id, topic_id, number, author_id, source, cooked, version,
		CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS deleted
		FROM posts WHERE source LIKE ?`, "crash-test%").Scan(&posts).Error
	if err != nil {
		t.Fatalf("read crash-test posts: %v", err)
	}
	type storedRevision struct {
		PostID  int64
		Version int
		Source  string
	}
	var revs []storedRevision
	err = db.Raw(`SELECT r.post_id, r.version, r.source FROM post_revisions r
		JOIN posts p ON p.id = r.post_id WHERE p.source LIKE ?`, "crash-test%").Scan(&revs).Error
	if err != nil {
		t.Fatalf("read crash-test revisions: %v", err)
	}
	revsOf := map[int64][]storedRevision{}
	for _, r := range revs {
		revsOf[r.PostID] = append(revsOf[r.PostID], r)
	}

	// A broken server breaks hundreds of replies; the first few say enough.
	const shown = 20
	problems := 0
	report := func(format string, args ...any) {
		t.Helper()
		if problems++; problems <= shown {
			t.Errorf(format, args...)
		}
	}

	// Every crash-test post, acknowledged or not, is one reply exactly as
	// sent, cooked, with its single revision.
	marker := regexp.MustCompile(`^crash-test writer \d+ reply \d+ marker ([a-p]{16})\n`)
	byMarker := map[string]storedPost{}
	for _, p := range posts {
		m := marker.FindStringSubmatch(p.Source)
		if m == nil {
			report("post %d is half-written: its source does not start with a whole header: %.120q", p.ID, p.Source)
			continue
		}
		if prev, dup := byMarker[m[1]]; dup {
			report("reply %s is stored twice, as posts %d and %d", m[1], prev.ID, p.ID)
			continue
		}
		byMarker[m[1]] = p
		want, ok := sent[m[1]]
		switch {
		case !ok:
			report("post %d carries marker %s, which no writer sent", p.ID, m[1])
			continue
		case p.Source != want.Body:
			report("post %d (writer %d reply %d) is not whole:\n got %q\nwant %q", p.ID, want.Writer, want.Seq, p.Source, want.Body)
		case p.TopicID != want.TopicID || p.AuthorID != want.AuthorID:
			report("post %d (writer %d reply %d) is in topic %d by member %d, want topic %d by member %d",
				p.ID, want.Writer, want.Seq, p.TopicID, p.AuthorID, want.TopicID, want.AuthorID)
		case p.Cooked == "" || !strings.Contains(p.Cooked, m[1]) || !strings.Contains(p.Cooked, "<strong>second point</strong>"):
			report("post %d (writer %d reply %d) has cooked HTML that is not the whole reply: %q", p.ID, want.Writer, want.Seq, p.Cooked)
		case p.Version != 1 || p.Deleted != 0:
			report("post %d (writer %d reply %d) is at version %d, deleted=%d; want version 1, not deleted",
				p.ID, want.Writer, want.Seq, p.Version, p.Deleted)
		}
		if rs := revsOf[p.ID]; len(rs) != 1 || rs[0].Version != 1 || rs[0].Source != p.Source {
			report("post %d (writer %d reply %d) has revisions %+v, want exactly version 1 with its source",
				p.ID, want.Writer, want.Seq, rs)
		}
	}

	// Every acknowledged reply is there, at the number the server gave.
	missing := 0
	for _, r := range acked {
		p, ok := byMarker[r.Marker]
		if !ok {
			missing++
			report("acknowledged reply is missing: writer %d reply %d (marker %s) to topic %d as post number %d",
				r.Writer, r.Seq, r.Marker, r.TopicID, r.Number)
			continue
		}
		if p.Number != r.Number {
			report("acknowledged reply writer %d reply %d is post number %d, but the server answered #post-%d",
				r.Writer, r.Seq, p.Number, r.Number)
		}
	}
	if problems > shown {
		t.Errorf("… and %d more problems with crash-test replies", problems-shown)
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged replies are missing", missing, len(acked))
	}

	checkNothingHalfWritten(t, store)
	stored := make(map[string]bool, len(byMarker))
	for m := range byMarker {
		stored[m] = true
	}
	return stored
}

// checkNothingHalfWritten checks invariants over the whole database, demo
// content included: revisions match versions, topic numbers are dense and
// counted, and boards count what they hold.
func checkNothingHalfWritten(t *testing.T, store *models.Store) {
	db := store.DB()
	type versionGap struct {
		ID, Version, Revisions, MinVersion, MaxVersion int64
	}
	var gaps []versionGap
	// (post_id, version) is unique, so count, lowest and highest together
	// say whether versions 1..version are all there and nothing else.
	err := db.Raw(`SELECT p.id, p.version, COUNT(r.id) AS revisions,
			COALESCE(MIN(r.version), 0) AS min_version, COALESCE(MAX(r.version), 0) AS max_version
		FROM posts p LEFT JOIN post_revisions r ON r.post_id = p.id
		GROUP BY p.id, p.version
		HAVING COUNT(r.id) <> p.version OR COALESCE(MIN(r.version), 0) <> 1
			OR COALESCE(MAX(r.version), 0) <> p.version`).Scan(&gaps).Error
	if err != nil {
		t.Fatalf("check revisions: %v", err)
	}
	for _, g := range gaps {
		t.Errorf("post %d is at version %d but has %d revisions (versions %d..%d)",
			g.ID, g.Version, g.Revisions, g.MinVersion, g.MaxVersion)
	}

	var orphans []int64
	if err := db.Raw(`SELECT r.id FROM post_revisions r LEFT JOIN posts p ON p.id = r.post_id
		WHERE p.id IS NULL`).Scan(&orphans).Error; err != nil {
		t.Fatalf("check orphan revisions: %v", err)
	}
	if len(orphans) > 0 {
		t.Errorf("revisions without a post: %v", orphans)
	}
	// Search must hear of every post: its own outbox entry, or one for its
	// whole topic written no earlier than the post.
	var unqueued []int64
	if err := db.Raw(`SELECT p.id FROM posts p WHERE NOT EXISTS (SELECT 1 FROM search_outbox o
		WHERE o.topic_id = p.topic_id AND (o.post_id = p.id OR (o.post_id IS NULL AND o.created_at >= p.created_at)))`).Scan(&unqueued).Error; err != nil {
		t.Fatalf("check the search outbox: %v", err)
	}
	if len(unqueued) > 0 {
		t.Errorf("posts search was never told of: %v", unqueued)
	}
	var homeless []int64
	if err := db.Raw(`SELECT p.id FROM posts p LEFT JOIN topics t ON t.id = p.topic_id
		WHERE t.id IS NULL`).Scan(&homeless).Error; err != nil {
		t.Fatalf("check orphan posts: %v", err)
	}
	if len(homeless) > 0 {
		t.Errorf("posts without a topic: %v", homeless)
	}

	type topicCount struct {
		ID, PostCount, Posts, Numbers, First, Last int64
	}
	var topics []topicCount
	err = db.Raw(`SELECT t.id, t.post_count, COUNT(p.id) AS posts, COUNT(DISTINCT p.number) AS numbers,
			COALESCE(MIN(p.number), 0) AS first, COALESCE(MAX(p.number), 0) AS last
		FROM topics t LEFT JOIN posts p ON p.topic_id = t.id
		GROUP BY t.id, t.post_count
		HAVING COUNT(p.id) = 0 OR t.post_count <> COUNT(p.id) OR COUNT(DISTINCT p.number) <> COUNT(p.id)
			OR MIN(p.number) <> 1 OR MAX(p.number) <> COUNT(p.id)`).Scan(&topics).Error
	if err != nil {
		t.Fatalf("check topic numbering: %v", err)
	}
	for _, tc := range topics {
		t.Errorf("topic %d counts %d posts but has %d, numbered %d..%d with %d distinct numbers",
			tc.ID, tc.PostCount, tc.Posts, tc.First, tc.Last, tc.Numbers)
	}

	type boardCount struct {
		ID, TopicCount, PostCount, Topics, Posts int64
	}
	var boards []boardCount
	err = db.Raw(`SELECT b.id, b.topic_count, b.post_count,
			(SELECT COUNT(*) FROM topics t WHERE t.board_id = b.id) AS topics,
			(SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.board_id = b.id) AS posts
		FROM boards b ORDER BY b.id`).Scan(&boards).Error
	if err != nil {
		t.Fatalf("check board counts: %v", err)
	}
	if len(boards) == 0 {
		t.Error("no boards: the demo community is gone")
	}
	for _, b := range boards {
		if b.TopicCount != b.Topics || b.PostCount != b.Posts {
			t.Errorf("board %d counts %d topics and %d posts but holds %d topics and %d posts",
				b.ID, b.TopicCount, b.PostCount, b.Topics, b.Posts)
		}
	}
}

func openCrashStore(t *testing.T, e modelstest.Engine) *models.Store {
	t.Helper()
	store, err := models.Open(context.Background(), e.DatabaseURL, e.DataDir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open the %s store: %v", e.Name, err)
	}
	return store
}

func closeCrashStore(t *testing.T, store *models.Store) {
	t.Helper()
	if err := store.Close(); err != nil {
		t.Errorf("close store: %v", err)
	}
}

// crashServer is one run of the rounds binary.
type crashServer struct {
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan struct{}
	err    error // from Wait; read only after exited is closed
}

// startServer runs `rounds demo` and waits until it is ready.
func startServer(t *testing.T, bin string, env []string, base string) *crashServer {
	t.Helper()
	return startRounds(t, bin, "demo", env, base)
}

// startRounds runs a serving command of the binary (demo or serve) and
// waits until it is ready.
func startRounds(t *testing.T, bin, command string, env []string, base string) *crashServer {
	t.Helper()
	cmd := exec.Command(bin, command)
	cmd.Env = env
	s := &crashServer{cmd: cmd, out: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.kill)

	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := client.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.exited:
			t.Fatalf("the server exited before it was ready (%v):\n%s", s.err, s.output())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server was not ready within 60s (last: %v):\n%s", err, s.output())
		}
	}
}

// kill ends the server the hard way, as a power cut or the OOM killer would.
func (s *crashServer) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		panic(fmt.Sprintf("kill the server: %v", err))
	}
	<-s.exited
}

// stop asks the server to shut down and expects it to exit cleanly.
func (s *crashServer) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("send SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not stop within 60s of SIGTERM:\n%s", s.output())
	}
	if s.err != nil {
		t.Fatalf("the server did not stop cleanly: %v\n%s", s.err, s.output())
	}
}

func (s *crashServer) output() string { return s.out.String() }

// lockedBuffer collects the server's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// buildRounds builds the binary under test once for the whole run.
func buildRounds(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the server: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "rounds")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func crashSeed(t *testing.T) uint64 {
	t.Helper()
	seed := rand.Uint64()
	if raw := os.Getenv(crashSeedVar); raw != "" {
		var err error
		if seed, err = strconv.ParseUint(raw, 10, 64); err != nil {
			t.Fatalf("%s=%q is not a number", crashSeedVar, raw)
		}
	}
	t.Logf("kill timings from seed %d (set %s=%d to repeat them)", seed, crashSeedVar, seed)
	return seed
}

// freeAddr picks a port on the loopback interface that the server keeps
// across its restarts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("release port: %v", err)
	}
	return addr
}

// serverEnv configures the server from nothing but what the test sets:
// ROUNDS_* variables from the developer's shell are left out.
func serverEnv(e modelstest.Engine, addr string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ROUNDS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"ROUNDS_ADDR="+addr,
		"ROUNDS_BASE_URL=http://"+addr,
		"ROUNDS_DATA_DIR="+e.DataDir,
		"ROUNDS_DATABASE_URL="+e.DatabaseURL,
		"ROUNDS_LOG_LEVEL=warn",
		// These tests write and search as fast as they can, far past
		// what a member may.
		"ROUNDS_RATE_LIMITS=post=100000/1m,post_ip=100000/1m,search=100000/1m,search_ip=100000/1m",
	)
}
