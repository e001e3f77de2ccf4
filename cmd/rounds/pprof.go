package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveProfiles serves Go's CPU, memory and other profiles on addr, which
// the configuration holds to a loopback address, for profiling the server
// under load (scripts/bench --pprof). It is off unless ROUNDS_PPROF_ADDR is
// set. The handlers are on their own mux, so nothing of them reaches the
// site's own listener. It returns the address it listens on.
func serveProfiles(addr string, log *slog.Logger) (listening string, stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen on ROUNDS_PPROF_ADDR %s: %w", addr, err)
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve profiles", "addr", addr, "err", err)
		}
	}()
	log.Info("serving profiles", "addr", ln.Addr().String())
	return ln.Addr().String(), func() {
		if err := server.Close(); err != nil {
			log.Warn("stop serving profiles", "err", err)
		}
	}, nil
}
