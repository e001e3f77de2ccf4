// Package testenv holds what every Rounds test shares about the world
// around it: a clock that starts at a fixed moment, so that no test
// depends on the day or hour it runs, and the data sets kept beside the
// repository in ../shared, which a fresh clone does not have.
package testenv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Sunday is where test clocks start: a Sunday evening in UTC, the hours
// in which a weekly digest's period is about to turn over and "a week
// from now" lands past it. It lies years ahead of the wall clock because
// a real browser in the browser tests judges the site's cookies by the
// wall clock: a session cookie set on a day long past would be dropped.
var Sunday = time.Date(2040, time.June, 3, 20, 0, 0, 0, time.UTC)

// ClockEnv names the variable that starts every test clock at another
// moment (RFC 3339, such as 2040-03-11T06:30:00Z), to run the suite on
// any day and hour; keep it ahead of the wall clock, as Sunday is.
const ClockEnv = "ROUNDS_TEST_CLOCK"

// Start is the moment test clocks start at: Sunday, or ROUNDS_TEST_CLOCK.
func Start() time.Time {
	raw := os.Getenv(ClockEnv)
	if raw == "" {
		return Sunday
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		panic(fmt.Sprintf("%s=%q is not an RFC 3339 time such as 2040-03-11T06:30:00Z", ClockEnv, raw))
	}
	return t.UTC()
}

// Clock is a test's clock. It starts at a fixed moment and moves only
// when the test moves it, except that, like a real clock, it never reads
// the same twice: each reading is a microsecond after the one before, so
// rows written one after another keep their order.
type Clock struct {
	mu   sync.Mutex
	next time.Time
}

// NewClock is a clock at Start.
func NewClock() *Clock { return ClockAt(Start()) }

// ClockAt is a clock at t.
func ClockAt(t time.Time) *Clock { return &Clock{next: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.next
	c.next = c.next.Add(time.Microsecond)
	return now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next = c.next.Add(d)
}

// RequireShared names the variable under which a missing shared data set
// fails the test instead of skipping it. CI sets it, so the tests that
// read ../shared can never be skipped there without anyone noticing.
const RequireShared = "ROUNDS_REQUIRE_SHARED"

// SharedData is the path of a file or folder in the shared data kept
// beside the repository: name "xss" is ../shared/data/xss from the
// repository's root. When it is absent the test is skipped with a message
// saying where it was looked for, or fails when ROUNDS_REQUIRE_SHARED=1.
func SharedData(t testing.TB, name string) string {
	t.Helper()
	path, err := SharedDataPath(name)
	switch {
	case err == nil:
		return path
	case !errors.Is(err, fs.ErrNotExist):
		t.Fatalf("read the shared data %s: %v", name, err)
	case os.Getenv(RequireShared) == "1":
		t.Fatalf("the shared data %s is missing at %s, and %s=1 requires it: clone the shared data next to the repository", name, path, RequireShared)
	default:
		t.Skipf("skipped: the shared data %s is not at %s (clone the shared data next to the repository to run this test; %s=1 makes its absence fail)", name, path, RequireShared)
	}
	return ""
}

// SharedDataPath is where the shared data called name is, and an error
// (fs.ErrNotExist when it is absent) for a test that can do without it.
func SharedDataPath(name string) (string, error) {
	root, err := repositoryRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(filepath.Dir(root), "shared", "data", filepath.FromSlash(name))
	_, err = os.Stat(path)
	return path, err
}

// repositoryRoot is the folder holding go.mod, found from the working
// directory, which go test sets to the package's folder.
func repositoryRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
