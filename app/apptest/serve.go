package apptest

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// Serve puts the server on a real port on 127.0.0.1, so that a real browser
// can load it, and returns the base URL, such as http://127.0.0.1:41234. The
// server stops when the test ends.
func (a *App) Serve(t testing.TB) string {
	t.Helper()
	ln := a.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatalf("listen on 127.0.0.1: %v", err)
		}
	}
	served := make(chan error, 1)
	go func() { served <- a.Fiber.Listener(ln) }()
	t.Cleanup(func() {
		if err := a.Fiber.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("stop the server: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()
	// Wait until the server answers: a shutdown before Serve has taken the
	// listener would leave it serving for ever.
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	res, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("the server on %s does not answer: %v", base, err)
	}
	if err := res.Body.Close(); err != nil {
		t.Fatalf("read /healthz: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/healthz: status %d", base, res.StatusCode)
	}
	return base
}
