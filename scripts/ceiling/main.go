// Command ceiling is the benchmark's yardstick: a Fiber server that answers
// every GET with the same page from memory, so scripts/bench can show how
// far each real page is from what Fiber and the machine allow. It is built
// and started only by scripts/bench.
//
//	ceiling -addr 127.0.0.1:9000 -page topic.html
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	pagePath := flag.String("page", "", "file holding the page to serve (a topic page as the server renders it)")
	flag.Parse()
	if err := run(*addr, *pagePath); err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}

func run(addr, pagePath string) error {
	if pagePath == "" {
		return errors.New("-page is required")
	}
	page, err := os.ReadFile(pagePath)
	if err != nil {
		return err
	}
	// The same server settings as a page of Rounds, minus everything
	// behind them.
	server := fiber.New(fiber.Config{DisableStartupMessage: true})
	server.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(page)
	})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		if err := server.Shutdown(); err != nil {
			fmt.Fprintln(os.Stderr, "ceiling: shut down:", err)
		}
	}()
	return server.Listen(addr)
}
