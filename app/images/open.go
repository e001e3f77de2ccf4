package images

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/webp"

	"rounds/app/dicom"
)

// upload is an upload decoded: the full view and the page size made from
// it, holding part of the memory budget until released.
type upload struct {
	format     Format
	sourceGray bool
	full       *image.RGBA
	page       *image.RGBA
	dicom      *dicom.File
	// dicomScale maps the full view's pixels to the DICOM file's (1 unless
	// the DICOM image was larger than FullEdge).
	dicomScale float64
	release    func()
}

// bytesPerPixel estimates what an upload holds live per pixel at its
// peak: the decoder's own buffer (YCbCr or paletted, 1.5–4 bytes), the
// RGBA copy (4) and, while it is turned, the oriented copy (4); the sizes
// and the encoded bytes are small beside them. Measured: four 12 MP photos
// at once peak at about 8 bytes per pixel live (BenchmarkProcess12MPx4).
const bytesPerPixel = 10

// open reads, checks and decodes an upload.
func (p *Processor) open(ctx context.Context, r io.Reader, src Source) (*upload, error) {
	data, err := io.ReadAll(io.LimitReader(r, p.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > p.opts.MaxBytes {
		return nil, refuse(TooLarge, nil, "This file is larger than %s, the most Rounds accepts for one image. Save it smaller (fewer pixels or more compression) and upload that.", humanBytes(p.opts.MaxBytes))
	}
	if len(data) == 0 {
		return nil, refuse(NotImage, nil, "The file is empty.")
	}
	format, err := checkFormat(data, src.Name, src.ContentType)
	if err != nil {
		return nil, err
	}
	if format == DICOM {
		return p.openDICOM(ctx, data, src)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(Corrupt, err, "This %s image is damaged or incomplete and could not be read.", format.Name())
	}
	if err := p.checkPixels(int64(cfg.Width), int64(cfg.Height), 1); err != nil {
		return nil, err
	}
	release, err := p.reserve(ctx, int64(cfg.Width)*int64(cfg.Height))
	if err != nil {
		return nil, err
	}
	u := &upload{format: format, release: release}
	img, err := decode(data, format)
	if err != nil {
		release()
		return nil, refuse(Corrupt, err, "This %s image is damaged or incomplete and could not be read.", format.Name())
	}
	if b := img.Bounds(); b.Dx() > cfg.Width || b.Dy() > cfg.Height || (format != GIF && (b.Dx() != cfg.Width || b.Dy() != cfg.Height)) {
		// A header that lies about the size is a crafted file. (A GIF's
		// first frame may be smaller than its screen.)
		release()
		return nil, refuse(Corrupt, nil, "This %s image is damaged and could not be read.", format.Name())
	}
	_, u.sourceGray = img.(*image.Gray)
	full := orient(toRGBA(img), orientation(data, format))
	p.sizeUp(u, full)
	return u, nil
}

// decode decodes with the one decoder the sniffed format names, never
// by registry lookup, so a file cannot pick its decoder.
func decode(data []byte, f Format) (image.Image, error) {
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r) // the first frame: an animation is posted still
	case WebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("no decoder for %s", f)
}

// checkPixels refuses an image with more pixels than the limit.
func (p *Processor) checkPixels(w, h, frames int64) error {
	if w <= 0 || h <= 0 {
		return refuse(Corrupt, nil, "This image says it has no pixels, so it could not be read.")
	}
	n := w * h * max(frames, 1)
	if n <= p.opts.MaxPixels && w <= 1<<16 && h <= 1<<16 {
		return nil
	}
	what := fmt.Sprintf("%d × %d pixels", w, h)
	if frames > 1 {
		what += fmt.Sprintf(" in %d frames", frames)
	}
	return refuse(TooManyPixels, nil, "This image is %s (%s megapixels); Rounds accepts up to %s megapixels. Save it at a smaller size and upload that.",
		what, megapixels(n), megapixels(p.opts.MaxPixels))
}

func megapixels(n int64) string {
	if n >= 10_000_000 {
		return fmt.Sprintf("%.0f", float64(n)/1e6)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.2f", float64(n)/1e6), "0")
}

// reserve takes an image's share of the memory budget, waiting while
// other uploads hold it, and returns what gives it back.
func (p *Processor) reserve(ctx context.Context, pixels int64) (func(), error) {
	n := min(pixels*bytesPerPixel, p.opts.MemoryBudget)
	if err := p.mem.Acquire(ctx, n); err != nil {
		return nil, fmt.Errorf("wait for image memory: %w", err)
	}
	return func() { p.mem.Release(n) }, nil
}

// sizeUp sets the full view (the image capped at FullEdge) and the page
// size made from it.
func (p *Processor) sizeUp(u *upload, img *image.RGBA) {
	w, h := fit(img.Rect.Dx(), img.Rect.Dy(), p.opts.FullEdge)
	u.full = shrink(img, w, h)
	w, h = fit(w, h, p.opts.PageEdge)
	u.page = shrink(u.full, w, h)
}

// openDICOM reads and de-identifies a DICOM file and renders its first
// frame as the image.
func (p *Processor) openDICOM(ctx context.Context, data []byte, src Source) (*upload, error) {
	f, err := dicom.Read(data, p.opts.MaxPixels)
	if err != nil {
		var tooMany *dicom.TooManyPixelsError
		switch {
		case errors.As(err, &tooMany):
			return nil, p.checkPixels(int64(tooMany.Columns), int64(tooMany.Rows), int64(tooMany.Frames))
		case errors.Is(err, dicom.ErrUnsupported):
			return nil, refuse(Unsupported, err, "%s", dicom.Describe(err))
		}
		return nil, refuse(Corrupt, err, "This DICOM file is damaged or incomplete and could not be read.")
	}
	key := src.Key
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("dicom key: %w", err)
		}
	}
	f.Deidentify(key)
	cols, rows := f.Size()
	release, err := p.reserve(ctx, int64(cols)*int64(rows))
	if err != nil {
		return nil, err
	}
	gray, err := f.Render()
	if err != nil {
		release()
		return nil, refuse(Unsupported, err, "%s", dicom.Describe(err))
	}
	u := &upload{format: DICOM, sourceGray: true, dicom: f, release: release}
	p.sizeUp(u, toRGBA(gray))
	u.dicomScale = float64(cols) / float64(u.full.Rect.Dx())
	return u, nil
}
