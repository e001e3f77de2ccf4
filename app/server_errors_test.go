package app_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"rounds/app"
	"rounds/app/apptest"
)

// securityHeaders are the headers every response of the site carries.
var securityHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
	"Cross-Origin-Opener-Policy", "Permissions-Policy"}

// rawRequest writes a request as bytes to a real listening server, as a
// broken or hostile client would, and reads the answer.
func rawRequest(t *testing.T, addr, request string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	// The server may answer and close before the client has written it
	// all, as it should with a body too large.
	go io.WriteString(conn, request) //nolint:errcheck
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read the body: %v", err)
	}
	return res, string(body)
}

// TestServerRefusalsLookLikeTheSite has a real server refuse what it
// cannot read before any of the site's code runs: a malformed request, a
// form too large, headers too large. Each answer carries the security
// headers of every page and is a page of the site that says what to do.
func TestServerRefusalsLookLikeTheSite(t *testing.T) {
	a := apptest.New(t, apptest.Options{Listen: true})
	base := a.Serve(t)
	addr := strings.TrimPrefix(base, "http://")
	// A page the site answers itself, headers set by its middleware.
	page, _ := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: %d", page.StatusCode)
	}
	// A form a little over what the server reads (an upload's size and the
	// form's text around it).
	tooLarge := app.BodyLimit(a.Config) + 1<<20
	form := "title=Heparin&body=" + strings.Repeat("a", tooLarge)
	for _, tc := range []struct {
		name    string
		request string
		status  int
		want    []string
		never   string
	}{
		{"unknown method", "GARBAGE <script>\r\n\r\n", http.StatusBadRequest,
			[]string{"Rounds could not read that request"}, "<script>"},
		{"malformed header", "POST /preview HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: <script>\r\n\r\n", http.StatusBadRequest,
			[]string{"Rounds could not read that request"}, "<script>"},
		{"form too large", "POST /b/cardiology/new HTTP/1.1\r\nHost: " + addr + "\r\nReferer: " + base + "/b/cardiology/new\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + strconv.Itoa(len(form)) + "\r\n\r\n" + form,
			http.StatusRequestEntityTooLarge,
			[]string{"too large", "nothing was saved", `href="/b/cardiology/new"`, "Go back to the form"}, ""},
		{"form too large, sent in chunks", "POST /b/cardiology/new HTTP/1.1\r\nHost: " + addr + "\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strings.Repeat("8000\r\n"+strings.Repeat("a", 0x8000)+"\r\n", tooLarge/0x8000) + "0\r\n\r\n",
			http.StatusRequestEntityTooLarge, []string{"too large", "nothing was saved"}, ""},
		{"headers too large", "GET / HTTP/1.1\r\nHost: " + addr + "\r\nCookie: crumbs=" + strings.Repeat("c", 40<<10) + "\r\n\r\n",
			http.StatusRequestHeaderFieldsTooLarge, []string{"cookies"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := rawRequest(t, addr, tc.request)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d:\n%s", res.StatusCode, tc.status, body)
			}
			for _, h := range securityHeaders {
				if got, want := res.Header.Get(h), page.Header.Get(h); got != want || want == "" {
					t.Errorf("%s: %q, want %q as on every page", h, got, want)
				}
			}
			if res.Header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			for _, want := range append(tc.want, `<link rel="stylesheet" href="/static/css/rounds.`) {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q:\n%s", want, body)
				}
			}
			if tc.never != "" && strings.Contains(body, tc.never) {
				t.Errorf("the page shows what was sent, %q:\n%s", tc.never, body)
			}
		})
	}
}
