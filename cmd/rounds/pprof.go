package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime/pprof"
	"time"
)

// serveProfiles serves Go's CPU, memory and other profiles on addr, which
// the configuration holds to a loopback address, for profiling the server
// under load (scripts/bench --pprof). It is off unless ROUNDS_PPROF_ADDR is
// set. The handlers are on their own mux, so nothing of them reaches the
// site's own listener. It returns the address it listens on.
func serveProfiles(addr string, log *slog.Logger) (listening string, stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", httppprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
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

// startCPUProfile profiles this process's CPU into path until the returned
// function is called, for a one-shot command such as rounds reindex.
func startCPUProfile(path string) (stop func(log *slog.Logger), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func(log *slog.Logger) {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Error("write CPU profile", "path", path, "err", err)
		}
	}, nil
}
