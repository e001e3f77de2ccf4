package imageproxy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // the formats DecodeConfig reads
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "golang.org/x/image/webp"
	"golang.org/x/sync/singleflight"

	"rounds/app/fetch"
)

// Defaults of Options.
const (
	DefaultMaxBytes  = 8 << 20
	DefaultMaxPixels = 25_000_000
)

// failureAge is how long an address that gave no image is not asked
// again: a broken image on a busy page is fetched once, not per view.
const failureAge = 10 * time.Minute

// The errors an image is refused with, besides the fetcher's *fetch.Error.
var (
	ErrNotImage = errors.New("not a PNG, JPEG, GIF or WebP image")
	ErrTooLarge = errors.New("image larger than the proxy serves")
)

// types are the images served, by the media type their bytes show.
var types = map[string]string{"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}

// Options configures a Proxy.
type Options struct {
	Signer  Signer // signs and checks the images' addresses
	Dir     string // where images are kept
	Fetcher *fetch.Fetcher
	// MaxAge is how long a kept image is served before it is fetched
	// again; MaxCacheBytes bounds the total kept, the oldest going first.
	MaxAge        time.Duration
	MaxCacheBytes int64
	// MaxBytes and MaxPixels bound one image (defaults 8 MiB, 25 MP).
	MaxBytes  int64
	MaxPixels int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Proxy fetches, checks and keeps remote images. It is safe for
// concurrent use.
type Proxy struct {
	Signer
	opts    Options
	fetcher *fetch.Fetcher
	flights singleflight.Group

	mu   sync.Mutex
	size int64 // bytes kept, as last counted
}

// Image is a checked image, ready to serve.
type Image struct {
	Type    string // image/png, image/jpeg, image/gif or image/webp
	Body    []byte
	Fetched time.Time
}

// New opens the proxy's folder, creating it, and counts what it holds.
func New(o Options) (*Proxy, error) {
	if len(o.Signer.key) == 0 || o.Fetcher == nil || o.Dir == "" || o.MaxAge <= 0 || o.MaxCacheBytes <= 0 {
		return nil, errors.New("image proxy: signer, fetcher, folder, age and cache size are required")
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("image proxy: %w", err)
	}
	p := &Proxy{Signer: o.Signer, opts: o, fetcher: o.Fetcher.WithMaxBytes(o.MaxBytes)}
	files, err := p.files()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		p.size += f.size
	}
	return p, nil
}

// Cached is the image kept for remote, nil when none is (or it expired):
// fetching it is then for the caller to decide, since a fetch counts
// against the member's limits. An address that gave no image a moment
// ago gives its failure again.
func (p *Proxy) Cached(remote string) (*Image, error) {
	path := p.path(remote)
	now := p.opts.Now()
	if info, err := os.Stat(path + ".failed"); err == nil && now.Sub(info.ModTime()) < failureAge {
		msg, err := os.ReadFile(path + ".failed")
		if err != nil {
			return nil, fmt.Errorf("read failure of %s: %w", remote, err)
		}
		return nil, fmt.Errorf("%s (remembered)", msg)
	}
	info, err := os.Stat(path)
	if err != nil || now.Sub(info.ModTime()) >= p.opts.MaxAge {
		return nil, nil
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, nil // pruned meanwhile
	}
	typ := http.DetectContentType(body)
	if types[typ] == "" {
		return nil, nil
	}
	return &Image{Type: typ, Body: body, Fetched: info.ModTime()}, nil
}

// Fetch reads remote, checks it and keeps it, or keeps its failure for a
// while. Requests for one address at the same moment share one fetch.
func (p *Proxy) Fetch(ctx context.Context, remote string) (*Image, error) {
	// The fetch is shared, so no one request's end cuts it short; the
	// fetcher's own timeout bounds it.
	ctx = context.WithoutCancel(ctx)
	v, err, _ := p.flights.Do(remote, func() (any, error) {
		img, err := p.fetch(ctx, remote)
		if err != nil {
			if keepErr := p.keep(p.path(remote)+".failed", []byte(err.Error())); keepErr != nil {
				return nil, errors.Join(err, keepErr)
			}
			return nil, err
		}
		if err := p.keep(p.path(remote), img.Body); err != nil {
			return nil, err
		}
		if err := os.Remove(p.path(remote) + ".failed"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("image proxy: %w", err)
		}
		return img, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Image), nil
}

// fetch reads and checks one image: its bytes, not only its header, must
// be a PNG, JPEG, GIF or WebP image within the size and pixel limits.
// Only the header is decoded, for the dimensions; the picture never is.
func (p *Proxy) fetch(ctx context.Context, remote string) (*Image, error) {
	res, err := p.fetcher.Get(ctx, remote, "image/*")
	if err != nil {
		return nil, err
	}
	typ := http.DetectContentType(res.Body)
	if types[typ] == "" {
		return nil, fmt.Errorf("%s gave %s: %w", remote, typ, ErrNotImage)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(res.Body))
	if err != nil || format != types[typ] {
		return nil, fmt.Errorf("%s is no readable %s (%v): %w", remote, typ, err, ErrNotImage)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > p.opts.MaxPixels {
		return nil, fmt.Errorf("%s is %d×%d pixels: %w", remote, cfg.Width, cfg.Height, ErrTooLarge)
	}
	return &Image{Type: typ, Body: res.Body, Fetched: p.opts.Now()}, nil
}

// path is where remote is kept: a hash, so no address names a file, in one
// of 256 folders.
func (p *Proxy) path(remote string) string {
	sum := sha256.Sum256([]byte(remote))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(p.opts.Dir, name[:2], name)
}

// keep writes a file whole, dated now, and prunes the cache when it
// outgrows its bound.
func (p *Proxy) keep(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("image proxy: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return fmt.Errorf("image proxy: %w", err)
	}
	now := p.opts.Now()
	_, err = tmp.Write(body)
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Chtimes(tmp.Name(), now, now)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("image proxy: keep %s: %w", filepath.Base(path), err), os.Remove(tmp.Name()))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.size += int64(len(body)); p.size > p.opts.MaxCacheBytes {
		return p.prune()
	}
	return nil
}

type keptFile struct {
	path     string
	size     int64
	modified time.Time
}

func (p *Proxy) files() ([]keptFile, error) {
	var files []keptFile
	err := filepath.WalkDir(p.opts.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed since the folder was listed
		}
		if err != nil {
			return err
		}
		files = append(files, keptFile{path: path, size: info.Size(), modified: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("image proxy: list %s: %w", p.opts.Dir, err)
	}
	return files, nil
}

// prune removes what has expired, then the oldest, until the cache is
// back to nine tenths of its bound. The caller holds mu.
func (p *Proxy) prune() error {
	files, err := p.files()
	if err != nil {
		return err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].modified.Before(files[j].modified) })
	p.size = 0
	for _, f := range files {
		p.size += f.size
	}
	now, target := p.opts.Now(), p.opts.MaxCacheBytes/10*9
	for _, f := range files {
		writing := strings.HasPrefix(filepath.Base(f.path), ".part-")
		if writing || (p.size <= target && now.Sub(f.modified) < p.opts.MaxAge) {
			continue
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("image proxy: prune: %w", err)
		}
		p.size -= f.size
	}
	return nil
}
