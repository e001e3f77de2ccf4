package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// ROUNDS_PPROF_ADDR serves Go's profiles on their own listener, and
// nothing once stopped.
func TestServeProfiles(t *testing.T) {
	addr, stop, err := serveProfiles("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		stop()
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		stop()
		t.Fatalf("profiles index: %d, %v", res.StatusCode, err)
	}
	stop()
	if res, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		res.Body.Close()
		t.Fatalf("profiles still served after stop: %d", res.StatusCode)
	}
}
