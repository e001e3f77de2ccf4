package app_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"rounds/app/apptest"
)

// A page is written into a pooled buffer that goes back to the pool when
// the handler returns, before the response is written out: the response
// must hold its own copy, or the next page written would show through it.
func TestPageOutlivesTheBufferItWasWrittenIn(t *testing.T) {
	a := apptest.New(t, apptest.Options{SearchUnbuilt: true})
	handler := a.Fiber.Handler()
	get := func(path string) *fasthttp.RequestCtx {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		handler(&ctx)
		return &ctx
	}
	first := get("/")
	want := string(first.Response.Body())
	for range 5 {
		get("/no-such-page")
	}
	if got := string(first.Response.Body()); got != want {
		t.Fatalf("the first page changed after the next ones were written:\n got %.300q\nwant %.300q", got, want)
	}
}
