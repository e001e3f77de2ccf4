package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports how far a long task has come: a bar on a terminal, a log
// line every few seconds otherwise (a CI log or a container's output).
// bytes makes the bar count bytes rather than items.
func progress(stderr io.Writer, log *slog.Logger, total int64, what string, bytes bool) func(done int64) {
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts := []progressbar.Option{progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish()}
		if bytes {
			opts = append(opts, progressbar.OptionShowBytes(true))
		} else {
			opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(what))
		}
		bar := progressbar.NewOptions64(total, opts...)
		return func(done int64) { _ = bar.Set64(done) } // a failed redraw is not worth stopping for
	}
	start, last, finished := time.Now(), time.Time{}, false
	return func(done int64) {
		if finished || (time.Since(last) < 5*time.Second && done < total) {
			return
		}
		last, finished = time.Now(), done >= total
		log.Info(what, "done", done, "of", total, "per_second", int64(float64(done)/time.Since(start).Seconds()))
	}
}
