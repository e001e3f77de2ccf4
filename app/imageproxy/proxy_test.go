package imageproxy

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rounds/app/fetch"
)

var secret = []byte("test-secret-test-secret-test-secret-0123")

func TestSignedAddresses(t *testing.T) {
	s := NewSigner(secret)
	remote := "https://images.example.org/ecg.png?lead=II&x=1"
	proxied := s.URL(remote)
	signature, encoded, ok := strings.Cut(strings.TrimPrefix(proxied, Prefix), "/")
	if !strings.HasPrefix(proxied, Prefix) || !ok {
		t.Fatalf("URL(%q) = %q", remote, proxied)
	}
	if got, ok := s.Remote(signature, encoded); !ok || got != remote {
		t.Fatalf("Remote gives %q, %v; want %q", got, ok, remote)
	}
	other := NewSigner([]byte("another-secret-another-secret-0123456"))
	otherSignature, otherEncoded, _ := strings.Cut(strings.TrimPrefix(other.URL("https://tracker.example.com/pixel.png"), Prefix), "/")
	refused := map[string][2]string{
		"another site's signature":    {otherSignature, encoded},
		"a signature for another url": {signature, otherEncoded},
		"a changed signature":         {string(signature[0]^1) + signature[1:], encoded},
		"a cut signature":             {signature[:10], encoded},
		"no signature":                {"", encoded},
		"an address not base64":       {signature, "not base64!"},
	}
	for name, parts := range refused {
		if got, ok := s.Remote(parts[0], parts[1]); ok {
			t.Errorf("%s: accepted, for %q", name, got)
		}
	}
	for _, remote := range []string{"/logout", "data:image/png;base64,AAAA", "javascript:alert(1)", "//example.org/a.png",
		"ftp://example.org/a.png", "https://user:pw@example.org/a.png", "https://example.org/" + strings.Repeat("a", 2048), "http://[::1"} {
		if got := s.URL(remote); got != "" {
			t.Errorf("URL(%q) = %q, want none", remote, got)
		}
	}
	if got := s.URL("HTTP://Example.org/A.png"); got == "" {
		t.Error("an upper-case scheme is still http")
	}
}

// origin is a site serving images, counting what it is asked for.
type origin struct {
	*httptest.Server
	mu    sync.Mutex
	asked map[string]int
}

func newOrigin(t *testing.T) *origin {
	t.Helper()
	o := &origin{asked: map[string]int{}}
	serve := func(contentType string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/ecg.png", serve("image/png", encoded(t, "png", 40, 20)))
	mux.Handle("/ecg.jpg", serve("image/jpeg", encoded(t, "jpeg", 40, 20)))
	mux.Handle("/ecg.gif", serve("image/gif", encoded(t, "gif", 40, 20)))
	mux.Handle("/mislabelled.png", serve("image/png", encoded(t, "gif", 40, 20)))
	mux.Handle("/wide.png", serve("image/png", encoded(t, "png", 400, 300)))
	mux.Handle("/huge.png", serve("image/png", pngHeader(100_000, 100_000)))
	mux.Handle("/page.png", serve("image/png", []byte("<!doctype html><html><script>alert(1)</script></html>")))
	mux.Handle("/icon.svg", serve("image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)))
	mux.Handle("/page.html", serve("text/html", encoded(t, "png", 40, 20)))
	mux.Handle("/broken.png", serve("image/png", encoded(t, "png", 40, 20)[:30]))
	mux.Handle("/fake.gif", serve("image/gif", append([]byte("GIF89a"), make([]byte, 4)...)))
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.asked[r.URL.Path]++
		o.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *origin) times(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.asked[path]
}

// encoded is a w×h picture in the given format.
func encoded(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	for x := range w {
		img.SetColorIndex(x, h/2, 1)
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is the start of a PNG that claims w×h pixels: what a
// decompression bomb looks like before it is decoded.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 0 // 8-bit greyscale
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// clock is a test's time, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newProxy(t *testing.T, adjust func(*Options)) (*Proxy, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 3, 14, 20, 0, 0, 0, time.UTC)}
	o := Options{Signer: NewSigner(secret), Dir: filepath.Join(t.TempDir(), "images"),
		Fetcher: fetch.New(fetch.Options{AllowLoopback: true}), MaxAge: 24 * time.Hour, MaxCacheBytes: 1 << 20,
		MaxPixels: 200 * 200, Now: c.Now}
	if adjust != nil {
		adjust(&o)
	}
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestServesOnlyImagesOfSensibleSize(t *testing.T) {
	o := newOrigin(t)
	p, _ := newProxy(t, nil)
	for _, tc := range []struct {
		path, want string
		err        error
	}{
		{"/ecg.png", "image/png", nil},
		{"/ecg.jpg", "image/jpeg", nil},
		{"/ecg.gif", "image/gif", nil},
		{"/mislabelled.png", "image/gif", nil}, // served as what its bytes are
		{"/wide.png", "", ErrTooLarge},         // 120,000 pixels against 40,000
		{"/huge.png", "", ErrTooLarge},         // refused from its header alone
		{"/page.png", "", ErrNotImage},         // the header says PNG; the bytes say HTML
		{"/icon.svg", "", ErrNotImage},         // SVG can carry script
		{"/broken.png", "", ErrNotImage},       // cut off before its dimensions
		{"/fake.gif", "", ErrNotImage},         // a GIF's signature and nothing more
		{"/page.html", "", nil},                // not even said to be an image: the fetcher refuses it
		{"/missing.png", "", nil},              // 404
	} {
		t.Run(tc.path, func(t *testing.T) {
			img, err := p.Fetch(context.Background(), o.URL+tc.path)
			if tc.want != "" {
				if err != nil || img.Type != tc.want || len(img.Body) == 0 {
					t.Fatalf("Fetch: %v, %v; want a %s", img, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("served %s", img.Type)
			}
			var fe *fetch.Error
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && !errors.As(err, &fe) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
		})
	}
}

func TestKeepsImagesUntilTheyExpire(t *testing.T) {
	o := newOrigin(t)
	p, clock := newProxy(t, nil)
	remote := o.URL + "/ecg.png"
	if img, err := p.Cached(remote); img != nil || err != nil {
		t.Fatalf("cached before any fetch: %v %v", img, err)
	}
	fetched, err := p.Fetch(context.Background(), remote)
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(23 * time.Hour)
	kept, err := p.Cached(remote)
	if err != nil || kept == nil || !bytes.Equal(kept.Body, fetched.Body) || kept.Type != "image/png" {
		t.Fatalf("a day's image is not served from the cache: %v %v", kept, err)
	}
	if n := o.times("/ecg.png"); n != 1 {
		t.Fatalf("the origin was asked %d times, want once", n)
	}
	clock.advance(time.Hour)
	if kept, err := p.Cached(remote); kept != nil || err != nil {
		t.Fatalf("an expired image is still served: %v %v", kept, err)
	}
	if _, err := p.Fetch(context.Background(), remote); err != nil || o.times("/ecg.png") != 2 {
		t.Fatalf("fetched again: %v, asked %d times", err, o.times("/ecg.png"))
	}
}

func TestRemembersFailuresForAWhile(t *testing.T) {
	o := newOrigin(t)
	p, clock := newProxy(t, nil)
	remote := o.URL + "/page.png"
	if _, err := p.Fetch(context.Background(), remote); !errors.Is(err, ErrNotImage) {
		t.Fatalf("Fetch: %v", err)
	}
	clock.advance(9 * time.Minute)
	if img, err := p.Cached(remote); img != nil || err == nil || !strings.Contains(err.Error(), "not a PNG") {
		t.Fatalf("the failure is not remembered: %v %v", img, err)
	}
	clock.advance(time.Minute)
	if img, err := p.Cached(remote); img != nil || err != nil {
		t.Fatalf("the failure is remembered too long: %v %v", img, err)
	}
	if n := o.times("/page.png"); n != 1 {
		t.Fatalf("the origin was asked %d times, want once", n)
	}
}

func TestCacheStaysWithinItsSize(t *testing.T) {
	o := newOrigin(t)
	size := int64(len(encoded(t, "png", 40, 20)))
	p, clock := newProxy(t, func(o *Options) { o.MaxCacheBytes = 3 * size })
	for i := range 5 {
		clock.advance(time.Minute)
		if _, err := p.Fetch(context.Background(), o.URL+"/ecg.png?copy="+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	err := filepath.WalkDir(p.opts.Dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 3*size {
		t.Fatalf("the cache holds %d bytes, over its %d", total, 3*size)
	}
	// The newest stay, the oldest went.
	if img, _ := p.Cached(o.URL + "/ecg.png?copy=e"); img == nil {
		t.Error("the newest image was pruned")
	}
	if img, _ := p.Cached(o.URL + "/ecg.png?copy=a"); img != nil {
		t.Error("the oldest image was kept")
	}
	// A proxy opened again counts what is there.
	again, err := New(p.opts)
	if err != nil || again.size != total {
		t.Fatalf("reopened with %d bytes counted (%v), want %d", again.size, err, total)
	}
}
