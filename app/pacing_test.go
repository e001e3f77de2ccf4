package app

import (
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// No more paced pages are built at once than there are slots, however
// many requests arrive together: each page below stays in its handler
// until every request has arrived, so without pacing all of them would
// be in it together.
func TestPagesAreBuiltNoMoreAtOnceThanTheSlots(t *testing.T) {
	const requests, slots = 12, 2
	h := &Handler{pageSlots: make(chan struct{}, slots)}
	var arrived, inside, most atomic.Int64
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error {
		arrived.Add(1)
		return c.Next()
	})
	app.Get("/page", h.paced(func(c *fiber.Ctx) error {
		n := inside.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		for arrived.Load() < requests {
			runtime.Gosched()
		}
		inside.Add(-1)
		return c.SendString("ok")
	}))
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			resp, err := app.Test(httptest.NewRequest("GET", "/page", nil), -1)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := most.Load(); got > slots {
		t.Errorf("%d pages were built at once, want at most %d (the slots)", got, slots)
	}
}
