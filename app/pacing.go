package app

import (
	"runtime"

	"github.com/gofiber/fiber/v2"
)

// pageSlots builds as many of the pages members read most at once as
// twice the processors, the rest waiting their turn in the order they
// came: the pages routes wraps in paced, each built from the database and
// nothing else (no call to another server, no write to wait for).
// Past that, more pages at once only wait for a CPU or for one of the
// store's pooled connections, and the pool hands a freed connection to a
// waiting request chosen at random (database/sql), once for each of a
// page's statements: under load a few pages waited many turns. Measured
// at 1M posts under wrk -c32 on two cores (docs/performance.md), four at
// once halved search's p99 and raised its throughput by half, and took
// the topic page's p99 from 30-81 ms to 24-27 ms.
func pageSlots() chan struct{} {
	return make(chan struct{}, 2*runtime.GOMAXPROCS(0))
}

// paced runs next when one of the page slots is free; a channel's
// waiting senders are served first come, first served.
func (h *Handler) paced(next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h.pageSlots <- struct{}{}
		defer func() { <-h.pageSlots }()
		return next(c)
	}
}
