package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/models/modelstest"
)

// TestTwoNodesShareSearch runs two servers on one PostgreSQL database, each
// with its own search index, as a deployment behind a load balancer does:
// what is written, edited, hidden or deleted through either is found, or no
// longer found, through both.
func TestTwoNodesShareSearch(t *testing.T) {
	pg := nodesEngine(t)
	bin := buildRounds(t)
	secret := strings.Repeat("s3cr3t-shared-by-both-nodes-", 3)
	node := func() (string, *crashServer) {
		addr := freeAddr(t)
		env := append(serverEnv(*pg, addr), "ROUNDS_DATA_DIR="+t.TempDir(), "ROUNDS_SECRET="+secret)
		base := "http://" + addr
		srv := startServer(t, bin, env, base)
		t.Cleanup(func() { srv.stop(t) })
		return base, srv
	}
	// The first node loads the demo community; the second finds it there.
	baseA, srvA := node()
	baseB, srvB := node()

	writers, topics := crashCast(t, *pg)
	onA, onB := writers[0], writers[1]
	onA.signIn(t, baseA, topics[0])
	onB.signIn(t, baseB, topics[0])

	// found polls a node's search until the marker is (or is not) among
	// the results, and says how long that took.
	found := func(w *crashWriter, base, marker string, want bool) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			page := w.get(t, base+"/search?q="+url.QueryEscape(marker))
			if strings.Contains(page, "<mark>"+marker+"</mark>") == want {
				return time.Since(start)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("after 10s, %s still %s %q\nA:\n%s\nB:\n%s", base,
					map[bool]string{true: "does not find", false: "finds"}[want], marker, srvA.output(), srvB.output())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// caughtUp waits until a node's index has applied the outbox up to
	// the database's last entry, as its /readyz reports: hidden and deleted
	// posts are dropped from the page even before, so only this shows the
	// index itself let go of them.
	caughtUp := func(w *crashWriter, base string) time.Duration {
		t.Helper()
		store := openCrashStore(t, *pg)
		head, err := store.OutboxHead(t.Context())
		closeCrashStore(t, store)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for {
			var position int64
			page := w.get(t, base+"/readyz")
			if _, err := fmt.Sscanf(page[strings.Index(page, "search:"):], "search: outbox position %d", &position); err == nil && position >= head {
				return time.Since(start)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("after 10s, %s has not applied outbox entry %d:\n%s", base, head, page)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	postID := func(marker string) int64 {
		t.Helper()
		store := openCrashStore(t, *pg)
		defer closeCrashStore(t, store)
		var ids []int64
		if err := store.DB().Raw(`SELECT id FROM posts WHERE source LIKE ?`, "%"+marker+"%").Scan(&ids).Error; err != nil || len(ids) != 1 {
			t.Fatalf("find the post holding %s: %v %v", marker, ids, err)
		}
		return ids[0]
	}

	// Written on A: found on A at once and on B after its next poll.
	first := onA.nextReply(topics)
	if _, refused, err := onA.post(baseA, first); err != nil || refused != "" {
		t.Fatalf("reply on A: %v %s", err, refused)
	}
	t.Logf("a reply written on A: found on A after %v, on B after %v",
		found(onA, baseA, first.Marker, true), found(onB, baseB, first.Marker, true))

	// Written and then edited on B: A finds the new words and not the old.
	second := onB.nextReply(topics)
	if _, refused, err := onB.post(baseB, second); err != nil || refused != "" {
		t.Fatalf("reply on B: %v %s", err, refused)
	}
	found(onA, baseA, second.Marker, true)
	id := postID(second.Marker)
	edit := onB.get(t, fmt.Sprintf("%s/p/%d/edit", baseB, id))
	version := formValue(t, edit, "version")
	edited := "edited" + second.Marker[6:]
	form := url.Values{"_csrf": {csrfIn(t, edit)}, "version": {version},
		"body": {strings.ReplaceAll(second.Body, second.Marker, edited)}}
	res, err := onB.client.PostForm(fmt.Sprintf("%s/p/%d/edit", baseB, id), form)
	if err != nil || res.StatusCode != 303 {
		t.Fatalf("edit on B: %v %v", res.StatusCode, err)
	}
	res.Body.Close()
	t.Logf("an edit made on B: new words found on A after %v, old words gone from A after %v",
		found(onA, baseA, edited, true), found(onA, baseA, second.Marker, false))

	// Hidden by a moderator (straight in the database, so neither node is
	// told): both stop finding it when they next poll.
	found(onA, baseA, first.Marker, true)
	found(onB, baseB, first.Marker, true)
	store := openCrashStore(t, *pg)
	var moderator int64
	if err := store.DB().Raw(`SELECT id FROM users ORDER BY id LIMIT 1`).Scan(&moderator).Error; err != nil {
		t.Fatal(err)
	}
	if err := store.HidePost(t.Context(), postID(first.Marker), moderator, "test"); err != nil {
		t.Fatal(err)
	}
	closeCrashStore(t, store)
	t.Logf("a post hidden: applied by A after %v, by B after %v", caughtUp(onA, baseA), caughtUp(onB, baseB))
	found(onA, baseA, first.Marker, false)
	found(onB, baseB, first.Marker, false)

	// Deleted by its author on B: gone from A.
	id = postID(edited)
	confirm := onB.get(t, fmt.Sprintf("%s/p/%d/delete", baseB, id))
	res, err = onB.client.PostForm(fmt.Sprintf("%s/p/%d/delete", baseB, id), url.Values{"_csrf": {csrfIn(t, confirm)}})
	if err != nil || res.StatusCode != 303 {
		t.Fatalf("delete on B: %v %v", res.StatusCode, err)
	}
	res.Body.Close()
	t.Logf("a post deleted on B: applied by A after %v", caughtUp(onA, baseA))
	found(onA, baseA, edited, false)
	found(onB, baseB, edited, false)
}

// formValue reads a hidden or text input's value from a page.
func formValue(t *testing.T, page, name string) string {
	t.Helper()
	at := strings.Index(page, `name="`+name+`"`)
	if at < 0 {
		t.Fatalf("no %s field on the page", name)
	}
	tag := page[strings.LastIndex(page[:at], "<"):]
	tag = tag[:strings.Index(tag, ">")]
	_, rest, ok := strings.Cut(tag, `value="`)
	if !ok {
		t.Fatalf("the %s field has no value", name)
	}
	value, _, _ := strings.Cut(rest, `"`)
	return value
}

// nodesEngine is the PostgreSQL database several nodes share; the test is
// skipped without one, or with -short (it builds the binary and runs
// servers).
func nodesEngine(t *testing.T) *modelstest.Engine {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs two servers; skipped with -short")
	}
	for _, e := range modelstest.Engines(t) {
		if e.Name == "postgres" {
			return &e
		}
	}
	t.Skip("several nodes need PostgreSQL: set ROUNDS_TEST_DATABASE_URL")
	return nil
}
