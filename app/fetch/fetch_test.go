package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeResolver answers from a map; answer, when set, overrides it so a test
// can change the answer between calls.
type fakeResolver struct {
	mu     sync.Mutex
	hosts  map[string][]string
	answer func(call int, host string) []string
	calls  int
}

func (r *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	ips := r.hosts[host]
	if r.answer != nil {
		ips = r.answer(r.calls, host)
	}
	if len(ips) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]net.IPAddr, 0, len(ips))
	for _, s := range ips {
		a := netip.MustParseAddr(s)
		out = append(out, net.IPAddr{IP: net.IP(a.AsSlice()), Zone: a.Zone()})
	}
	return out, nil
}

func (r *fakeResolver) callCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// dialLog records every address the fetcher asked to connect to.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.addrs...)
}

// recordDials makes f log its dials. With connect false nothing is ever
// opened: the dial fails after being logged, so a broken check cannot reach
// a real host from a test.
func recordDials(f *Fetcher, connect bool) *dialLog {
	log := &dialLog{}
	next := f.dial
	f.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		log.mu.Lock()
		log.addrs = append(log.addrs, address)
		log.mu.Unlock()
		if !connect {
			return nil, errors.New("test: dialling disabled")
		}
		return next(ctx, network, address)
	}
	return log
}

// localServer is an httptest server that counts accepted connections, so a
// test can prove a refused fetch never reached it.
type localServer struct {
	*httptest.Server
	accepts atomic.Int64
}

func newLocalServer(t *testing.T, h http.Handler) *localServer {
	t.Helper()
	s := &localServer{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.accepts.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *localServer) port() string {
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	return port
}

func wantKind(t *testing.T, err error, kind Kind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", kind)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %v is not *fetch.Error", err, err)
	}
	if fe.Kind != kind {
		t.Fatalf("kind = %v, want %v (error: %v)", fe.Kind, kind, err)
	}
	if fe.Msg == "" {
		t.Errorf("error %v has no member message", err)
	}
	return fe
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

// blockedAddrs has at least one address per refused range. loopback marks the
// ones AllowLoopback lets through.
var blockedAddrs = []struct {
	addr     string
	loopback bool
}{
	{"0.0.0.0", false},
	{"0.1.2.3", false},
	{"10.0.0.1", false},
	{"10.255.255.255", false},
	{"172.16.0.1", false},
	{"172.31.255.254", false},
	{"192.168.1.1", false},
	{"100.64.0.1", false},
	{"100.127.255.254", false},
	{"127.0.0.1", true},
	{"127.1.2.3", true},
	{"169.254.169.254", false},
	{"192.0.0.8", false},
	{"192.0.2.1", false},
	{"192.88.99.1", false},
	{"198.18.0.1", false},
	{"198.19.255.254", false},
	{"198.51.100.7", false},
	{"203.0.113.9", false},
	{"224.0.0.1", false},
	{"239.255.255.250", false},
	{"240.0.0.1", false},
	{"255.255.255.255", false},
	{"::", false},
	{"::1", true},
	{"::ffff:127.0.0.1", true},
	{"::ffff:10.0.0.1", false},
	{"::ffff:a9fe:a9fe", false}, // 169.254.169.254, hex form
	{"::ffff:0.0.0.0", false},
	{"::ffff:192.168.1.1", false},
	{"::10.0.0.1", false}, // IPv4-compatible
	{"::8.8.8.8", false},  // IPv4-compatible is deprecated: refused whatever it embeds
	{"::127.0.0.1", false},
	{"64:ff9b::10.0.0.1", false},
	{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1 is not loopback
	{"64:ff9b::a9fe:a9fe", false},
	{"64:ff9b:1::1", false},
	{"100::1", false},
	{"2001::1", false}, // Teredo
	{"2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
	{"2001:db8::1", false},
	{"2002:a00:1::1", false},    // 6to4 of 10.0.0.1
	{"2002:c0a8:101::1", false}, // 6to4 of 192.168.1.1
	{"2002:7f00:1::1", false},   // 6to4 of 127.0.0.1
	{"3fff::1", false},
	{"5f00::1", false},
	{"fc00::1", false},
	{"fd12:3456:789a::1", false},
	{"fe80::1", false},
	{"febf:ffff::1", false},
	{"fec0::1", false},
	{"ff02::1", false},
	{"ff0e::1", false},
}

func urlHost(addr string) string {
	if strings.Contains(addr, ":") {
		return "[" + addr + "]"
	}
	return addr
}

func TestBlockedAddressesAreNeverDialled(t *testing.T) {
	for _, allowLoopback := range []bool{false, true} {
		for _, tc := range blockedAddrs {
			if allowLoopback && tc.loopback {
				continue
			}
			name := fmt.Sprintf("%s/allowLoopback=%v", tc.addr, allowLoopback)
			t.Run(name+"/resolved", func(t *testing.T) {
				res := &fakeResolver{hosts: map[string][]string{"member-link.test": {tc.addr}}}
				f := New(Options{Resolver: res, AllowLoopback: allowLoopback})
				dials := recordDials(f, false)
				_, err := f.Get(context.Background(), "http://member-link.test:8080/page")
				fe := wantKind(t, err, KindBlocked)
				if got := dials.list(); len(got) != 0 {
					t.Errorf("dialled %v", got)
				}
				if fe.URL != "http://member-link.test:8080/page" {
					t.Errorf("URL = %q", fe.URL)
				}
			})
			t.Run(name+"/literal", func(t *testing.T) {
				res := &fakeResolver{}
				f := New(Options{Resolver: res, AllowLoopback: allowLoopback})
				dials := recordDials(f, false)
				_, err := f.Get(context.Background(), "http://"+urlHost(tc.addr)+"/")
				wantKind(t, err, KindBlocked)
				if got := dials.list(); len(got) != 0 {
					t.Errorf("dialled %v", got)
				}
				if res.callCount() != 0 {
					t.Errorf("resolver asked about an IP literal")
				}
			})
		}
	}
}

func TestScopedLiteralIsBlocked(t *testing.T) {
	f := New(Options{AllowLoopback: true})
	dials := recordDials(f, false)
	_, err := f.Get(context.Background(), "http://[::1%25lo]/")
	wantKind(t, err, KindBlocked)
	if got := dials.list(); len(got) != 0 {
		t.Errorf("dialled %v", got)
	}
}

func TestLocalServerWithoutAllowLoopbackIsNotContacted(t *testing.T) {
	srv := newLocalServer(t, text("secret"))
	res := &fakeResolver{hosts: map[string][]string{"localhost": {"127.0.0.1"}}}
	f := New(Options{Resolver: res})
	for _, u := range []string{srv.URL, "http://localhost:" + srv.port() + "/"} {
		_, err := f.Get(context.Background(), u)
		wantKind(t, err, KindBlocked)
	}
	if n := srv.accepts.Load(); n != 0 {
		t.Errorf("server accepted %d connections", n)
	}
}

func TestPublicAddressIsDialledAsResolved(t *testing.T) {
	res := &fakeResolver{hosts: map[string][]string{
		"journal.test": {"93.184.215.14"},
		"v6.test":      {"2606:4700:4700::1111"},
		"nat64.test":   {"64:ff9b::808:808"},
	}}
	f := New(Options{Resolver: res})
	dials := recordDials(f, false)
	for _, u := range []string{"http://journal.test/", "https://v6.test/", "http://nat64.test:8080/"} {
		_, err := f.Get(context.Background(), u)
		wantKind(t, err, KindNetwork) // the test dialler refuses to connect
	}
	want := []string{"93.184.215.14:80", "[2606:4700:4700::1111]:443", "[64:ff9b::808:808]:8080"}
	if got := dials.list(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("dialled %v, want %v", got, want)
	}
}

func TestMixedPublicAndPrivateAnswersAreBlocked(t *testing.T) {
	for _, answer := range [][]string{
		{"93.184.215.14", "10.0.0.1"},
		{"192.168.1.1", "93.184.215.14"},
		{"2606:4700:4700::1111", "fd00::1"},
	} {
		res := &fakeResolver{hosts: map[string][]string{"mixed.test": answer}}
		f := New(Options{Resolver: res})
		dials := recordDials(f, false)
		_, err := f.Get(context.Background(), "http://mixed.test/")
		wantKind(t, err, KindBlocked)
		if got := dials.list(); len(got) != 0 {
			t.Errorf("%v: dialled %v", answer, got)
		}
	}
}

func TestUnknownHostIsNetworkError(t *testing.T) {
	f := New(Options{Resolver: &fakeResolver{}})
	_, err := f.Get(context.Background(), "http://nowhere.test/")
	fe := wantKind(t, err, KindNetwork)
	if fe.Msg != msgDNS {
		t.Errorf("Msg = %q", fe.Msg)
	}
}

func TestFetchLocalServer(t *testing.T) {
	var gotUA, gotAccept string
	srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "Text/HTML; Charset=UTF-8")
		fmt.Fprint(w, "<title>Sepsis bundle</title>")
	}))
	f := New(Options{AllowLoopback: true, UserAgent: "Rounds/1.2.3 (+https://rounds.example)"})
	resp, err := f.Get(context.Background(), srv.URL+"/article", "text/html")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<title>Sepsis bundle</title>" || resp.Status != 200 || resp.ContentType != "text/html" {
		t.Errorf("response = %d %q %q", resp.Status, resp.ContentType, resp.Body)
	}
	if resp.URL.String() != srv.URL+"/article" {
		t.Errorf("URL = %v", resp.URL)
	}
	if gotUA != "Rounds/1.2.3 (+https://rounds.example)" {
		t.Errorf("User-Agent = %q", gotUA)
	}
	if gotAccept != "text/html" {
		t.Errorf("Accept = %q", gotAccept)
	}

	if _, err := New(Options{AllowLoopback: true}).Get(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	if gotUA != defaultUserAgent || gotAccept != "*/*" {
		t.Errorf("default User-Agent, Accept = %q, %q", gotUA, gotAccept)
	}
}

func TestFetchLocalServerIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: text("ok")}}
	srv.Start()
	defer srv.Close()
	resp, err := New(Options{AllowLoopback: true}).Get(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "ok" {
		t.Errorf("body = %q", resp.Body)
	}
}

func TestRedirectToPrivateAddressIsBlocked(t *testing.T) {
	for _, target := range []string{
		"http://10.0.0.1/admin",
		"http://intranet.test/",
		"http://[fd00::1]/",
		"http://169.254.169.254/latest/meta-data/",
		"file:///etc/passwd",
		"gopher://intranet.test/",
		"http://user:secret@93.184.215.14/",
	} {
		t.Run(target, func(t *testing.T) {
			srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusFound)
			}))
			res := &fakeResolver{hosts: map[string][]string{"intranet.test": {"192.168.1.1"}}}
			f := New(Options{AllowLoopback: true, Resolver: res})
			dials := recordDials(f, true)
			_, err := f.Get(context.Background(), srv.URL+"/start")
			fe := wantKind(t, err, KindBlocked)
			if got := dials.list(); len(got) != 1 || got[0] != srv.Listener.Addr().String() {
				t.Errorf("dialled %v, want only the local server", got)
			}
			if strings.Contains(fe.Error(), "secret") || strings.Contains(fe.URL, "secret") {
				t.Errorf("error shows a password: %v", fe)
			}
		})
	}
}

// redirectChain serves /hop/N, which redirects to /hop/N-1, down to /hop/0.
func redirectChain(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if n > 0 {
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, "<rss/>")
}

func TestRedirectLimit(t *testing.T) {
	srv := newLocalServer(t, http.HandlerFunc(redirectChain))
	tests := []struct {
		max, hops int
		ok        bool
	}{
		{0, 5, true}, // default 5
		{0, 6, false},
		{0, 1, true},
		{2, 2, true},
		{2, 3, false},
		{-1, 0, true},
		{-1, 1, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("max=%d/hops=%d", tc.max, tc.hops), func(t *testing.T) {
			f := New(Options{AllowLoopback: true, MaxRedirects: tc.max})
			resp, err := f.Get(context.Background(), fmt.Sprintf("%s/hop/%d", srv.URL, tc.hops), "application/rss+xml")
			if !tc.ok {
				wantKind(t, err, KindRedirects)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.URL.String() != srv.URL+"/hop/0" {
				t.Errorf("URL = %v, want the last hop", resp.URL)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	const limit = 1024
	flushed := func(n int) http.HandlerFunc { // chunked: no Content-Length to go by
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bytes.Repeat([]byte("a"), n/2))
			w.(http.Flusher).Flush()
			w.Write(bytes.Repeat([]byte("a"), n-n/2))
		}
	}
	sized := func(n int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Length", strconv.Itoa(n))
			w.Write(bytes.Repeat([]byte("a"), n))
		}
	}
	gzipped := func(n int) http.HandlerFunc { // a few bytes on the wire, n once inflated
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(make([]byte, n))
		zw.Close()
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
			w.Write(buf.Bytes())
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		ok      bool
	}{
		{"chunked at limit", flushed(limit), true},
		{"chunked over limit", flushed(limit + 1), false},
		{"sized at limit", sized(limit), true},
		{"sized over limit", sized(limit + 1), false},
		{"gzip at limit", gzipped(limit), true},
		{"gzip over limit", gzipped(limit + 1), false},
		{"gzip bomb", gzipped(1 << 20), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newLocalServer(t, tc.handler)
			resp, err := New(Options{AllowLoopback: true, MaxBytes: limit}).Get(context.Background(), srv.URL)
			if !tc.ok {
				wantKind(t, err, KindTooLarge)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != limit {
				t.Errorf("body is %d bytes, want %d", len(resp.Body), limit)
			}
		})
	}
}

func TestWithMaxBytesChangesOnlyTheLimit(t *testing.T) {
	srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(bytes.Repeat([]byte("a"), 2048))
	}))
	f := New(Options{AllowLoopback: true, MaxBytes: 1024})
	_, err := f.Get(context.Background(), srv.URL)
	wantKind(t, err, KindTooLarge)
	resp, err := f.WithMaxBytes(4096).Get(context.Background(), srv.URL)
	if err != nil || len(resp.Body) != 2048 {
		t.Fatalf("with a larger limit: %v", err)
	}
	// The original keeps its own limit, and the copy the original's rules.
	_, err = f.Get(context.Background(), srv.URL)
	wantKind(t, err, KindTooLarge)
	_, err = New(Options{}).WithMaxBytes(4096).Get(context.Background(), srv.URL)
	wantKind(t, err, KindBlocked)
}

func TestContentType(t *testing.T) {
	tests := []struct {
		served string
		accept []string
		want   string // "" means refused
	}{
		{"text/html; charset=utf-8", nil, "text/html"},
		{"text/html; charset=utf-8", []string{"text/html"}, "text/html"},
		{"TEXT/HTML", []string{"text/html"}, "text/html"},
		{"text/html", []string{"application/rss+xml"}, ""},
		{"application/xml", []string{"application/rss+xml", "application/atom+xml"}, ""},
		{"application/atom+xml", []string{"application/rss+xml", "application/atom+xml"}, "application/atom+xml"},
		{"audio/mpeg", []string{"audio/*"}, "audio/mpeg"},
		{"video/mp4", []string{"audio/*"}, ""},
		{"image/png", []string{"*/*"}, "image/png"},
		{"", []string{"text/html"}, ""},
		{"", nil, "application/octet-stream"},
	}
	for _, tc := range tests {
		t.Run(tc.served+"/"+strings.Join(tc.accept, ","), func(t *testing.T) {
			var gotAccept string
			srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAccept = r.Header.Get("Accept")
				w.Header()["Content-Type"] = []string{tc.served} // set even when empty, so Go does not sniff
				fmt.Fprint(w, "x")
			}))
			resp, err := New(Options{AllowLoopback: true}).Get(context.Background(), srv.URL, tc.accept...)
			if len(tc.accept) > 0 && gotAccept != strings.Join(tc.accept, ", ") {
				t.Errorf("Accept = %q", gotAccept)
			}
			if tc.want == "" {
				wantKind(t, err, KindContentType)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.ContentType != tc.want {
				t.Errorf("ContentType = %q, want %q", resp.ContentType, tc.want)
			}
		})
	}
}

func TestNon2xxIsStatusError(t *testing.T) {
	for _, code := range []int{404, 410, 500, 503, 304} {
		srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
		}))
		_, err := New(Options{AllowLoopback: true}).Get(context.Background(), srv.URL)
		fe := wantKind(t, err, KindStatus)
		if fe.Status != code {
			t.Errorf("Status = %d, want %d", fe.Status, code)
		}
	}
}

// The handlers stall far longer than the fetch timeout; the check on elapsed
// time only proves the fetch did not wait for them, it does not measure speed.
func TestTimeout(t *testing.T) {
	const stall = 5 * time.Second
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"before headers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(stall):
			}
		}},
		{"during body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "first part")
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(stall):
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newLocalServer(t, tc.handler)
			start := time.Now()
			_, err := New(Options{AllowLoopback: true, Timeout: 100 * time.Millisecond}).Get(context.Background(), srv.URL)
			wantKind(t, err, KindTimeout)
			if time.Since(start) >= stall {
				t.Errorf("fetch waited for the stalled handler")
			}
		})
	}
}

func TestCallerDeadlineIsTimeout(t *testing.T) {
	srv := newLocalServer(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := New(Options{AllowLoopback: true}).Get(ctx, srv.URL)
	wantKind(t, err, KindTimeout)
}

func TestDNSRebindingDialsTheCheckedAddress(t *testing.T) {
	srv := newLocalServer(t, text("ok"))
	res := &fakeResolver{answer: func(call int, _ string) []string {
		if call == 1 {
			return []string{"127.0.0.1"}
		}
		return []string{"10.0.0.1"}
	}}
	f := New(Options{AllowLoopback: true, Resolver: res})
	dials := recordDials(f, true)
	u := "http://rebind.test:" + srv.port() + "/"
	if _, err := f.Get(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if got := dials.list(); len(got) != 1 || got[0] != "127.0.0.1:"+srv.port() {
		t.Errorf("dialled %v, want the checked 127.0.0.1", got)
	}
	if n := res.callCount(); n != 1 {
		t.Errorf("resolver asked %d times, want once: check and dial must share one answer", n)
	}

	// The next connection sees the rebound answer and is refused.
	f.transport.CloseIdleConnections()
	_, err := f.Get(context.Background(), u)
	wantKind(t, err, KindBlocked)
	if got := dials.list(); len(got) != 1 {
		t.Errorf("dialled %v after rebinding", got)
	}
}

func TestTLSVerifiesTheHostName(t *testing.T) {
	var proto atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(int64(r.ProtoMajor))
		text("secure")(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	// httptest's certificate is valid for example.com, not for other.test.
	res := &fakeResolver{hosts: map[string][]string{"example.com": {"127.0.0.1"}, "other.test": {"127.0.0.1"}}}
	f := New(Options{AllowLoopback: true, Resolver: res})
	f.transport.TLSClientConfig.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	resp, err := f.Get(context.Background(), "https://example.com:"+port+"/")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "secure" {
		t.Errorf("body = %q", resp.Body)
	}
	if proto.Load() != 2 {
		t.Errorf("served over HTTP/%d, want HTTP/2", proto.Load())
	}

	_, err = f.Get(context.Background(), "https://other.test:"+port+"/")
	fe := wantKind(t, err, KindNetwork)
	if fe.Msg != msgCertificate {
		t.Errorf("Msg = %q", fe.Msg)
	}
}

func TestBadURLsAndSchemes(t *testing.T) {
	tests := []struct {
		url  string
		kind Kind
	}{
		{"file:///etc/passwd", KindBlocked},
		{"ftp://example.com/file", KindBlocked},
		{"javascript:alert(1)", KindBlocked},
		{"data:text/html,hello", KindBlocked},
		{"gopher://example.com/", KindBlocked},
		{"http://user:secret@example.com/", KindBlocked},
		{"https://user@example.com/", KindBlocked},
		{"", KindBadURL},
		{"example.com/page", KindBadURL},
		{"/relative", KindBadURL},
		{"http://", KindBadURL},
		{"http://:80/", KindBadURL},
		{"http://exa mple.com/", KindBadURL},
		{"http://[::1/", KindBadURL},
		{"http://user:secret@exa mple.com/", KindBadURL},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			res := &fakeResolver{hosts: map[string][]string{"example.com": {"93.184.215.14"}}}
			f := New(Options{Resolver: res})
			dials := recordDials(f, false)
			_, err := f.Get(context.Background(), tc.url)
			fe := wantKind(t, err, tc.kind)
			if got := dials.list(); len(got) != 0 || res.callCount() != 0 {
				t.Errorf("dialled %v, resolved %d times", got, res.callCount())
			}
			if strings.Contains(fe.Error(), "secret") {
				t.Errorf("error shows a password: %v", fe)
			}
		})
	}
}

func TestCookiesAreNotKept(t *testing.T) {
	var sawCookie atomic.Bool
	srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.Cookies()) > 0 {
			sawCookie.Store(true)
		}
		if r.URL.Path == "/" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
			http.Redirect(w, r, "/next", http.StatusFound)
			return
		}
		text("ok")(w, r)
	}))
	f := New(Options{AllowLoopback: true})
	for range 2 {
		if _, err := f.Get(context.Background(), srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
	}
	if sawCookie.Load() {
		t.Error("a cookie was sent back")
	}
}

func TestErrorFormatting(t *testing.T) {
	cause := errors.New("10.0.0.1 is in private network")
	err := error(&Error{Kind: KindBlocked, URL: "http://intranet.test/", Msg: msgBlockedAddr, Err: cause})
	if got, want := err.Error(), "fetch http://intranet.test/: blocked: 10.0.0.1 is in private network"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, cause) {
		t.Error("Unwrap does not reach the cause")
	}
	status := &Error{Kind: KindStatus, URL: "http://x.test/", Status: 404, Msg: statusMsg(404)}
	if got, want := status.Error(), "fetch http://x.test/: status 404: "+statusMsg(404); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestGetIfChangedSendsTheValidators(t *testing.T) {
	const etag, modified = `"v2"`, "Tue, 17 Jun 2025 08:00:00 GMT"
	var gotMatch, gotSince, gotCookie string
	srv := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotMatch, gotSince, gotCookie = r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), r.Header.Get("Cookie")
		if gotMatch == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	f := New(Options{AllowLoopback: true})

	// The first read has nothing to compare with and sends no validators.
	resp, err := f.GetIfChanged(context.Background(), srv.URL, Validators{}, "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if gotMatch != "" || gotSince != "" || resp.Status != 200 || string(resp.Body) != "<rss/>" {
		t.Fatalf("first read sent %q %q, got %d %q", gotMatch, gotSince, resp.Status, resp.Body)
	}
	v := resp.Validators()
	if v.ETag != etag || v.LastModified != modified {
		t.Fatalf("validators %+v", v)
	}

	// The next read sends them, and the site's 304 is an answer, not an error.
	resp, err = f.GetIfChanged(context.Background(), srv.URL, v, "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if gotMatch != etag || gotSince != modified || gotCookie != "" {
		t.Errorf("sent If-None-Match %q, If-Modified-Since %q, Cookie %q", gotMatch, gotSince, gotCookie)
	}
	if resp.Status != http.StatusNotModified || len(resp.Body) != 0 || resp.URL.String() != srv.URL {
		t.Errorf("not modified: %d %q %v", resp.Status, resp.Body, resp.URL)
	}

	// A validator with a line break in it cannot add a header of its own.
	_, err = f.GetIfChanged(context.Background(), srv.URL, Validators{ETag: "\"x\"\r\nCookie: stolen"}, "application/rss+xml")
	if err == nil || gotCookie != "" {
		t.Errorf("a broken validator was sent: err %v, Cookie %q", err, gotCookie)
	}
}

func TestGetIfChangedStillRefusesPrivateAddresses(t *testing.T) {
	f := New(Options{Resolver: &fakeResolver{hosts: map[string][]string{"feeds.test": {"10.0.0.7"}}}})
	dials := recordDials(f, false)
	_, err := f.GetIfChanged(context.Background(), "http://feeds.test/feed.xml", Validators{ETag: `"v1"`})
	wantKind(t, err, KindBlocked)
	if got := dials.list(); len(got) != 0 {
		t.Errorf("dialled %q", got)
	}
}

// Local answers exactly its addresses from memory, with the usual checks
// of type and size, and nothing else: the same host's other addresses are
// still refused, and nothing is dialled.
func TestLocalResources(t *testing.T) {
	feed := []byte(`<rss version="2.0"><channel><title>Demo</title></channel></rss>`)
	bigMade := false
	f := New(Options{Resolver: &fakeResolver{hosts: map[string][]string{"localhost": {"127.0.0.1"}}}, MaxBytes: 100,
		Local: map[string]LocalResource{
			"http://localhost:8080/demo/podcast/feed.xml": {ContentType: "application/rss+xml", Size: int64(len(feed)),
				Body: func() []byte { return feed }},
			"http://localhost:8080/demo/podcast/big.wav": {ContentType: "audio/wav", Size: 101,
				Body: func() []byte { bigMade = true; return make([]byte, 101) }},
		}})
	dials := recordDials(f, false)
	res, err := f.Get(context.Background(), "http://localhost:8080/demo/podcast/feed.xml", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || res.ContentType != "application/rss+xml" || !bytes.Equal(res.Body, feed) ||
		res.URL.String() != "http://localhost:8080/demo/podcast/feed.xml" {
		t.Errorf("got %d %q %q from %s", res.Status, res.ContentType, res.Body, res.URL)
	}
	res, err = f.GetIfChanged(context.Background(), "http://localhost:8080/demo/podcast/feed.xml", Validators{ETag: `"x"`})
	if err != nil || res.Status != http.StatusOK {
		t.Errorf("a conditional read: %v, %v", res, err)
	}
	_, err = f.Get(context.Background(), "http://localhost:8080/demo/podcast/feed.xml", "text/html")
	wantKind(t, err, KindContentType)
	_, err = f.Get(context.Background(), "http://localhost:8080/demo/podcast/big.wav", "audio/*")
	wantKind(t, err, KindTooLarge)
	if bigMade {
		t.Error("the body of a resource too large to take was made")
	}
	for _, other := range []string{"http://localhost:8080/demo/podcast/other.xml", "http://localhost:8080/", "http://127.0.0.1:8080/demo/podcast/feed.xml"} {
		_, err = f.Get(context.Background(), other)
		wantKind(t, err, KindBlocked)
	}
	if got := dials.list(); len(got) != 0 {
		t.Errorf("dialled %v", got)
	}
}
