// Package images turns a member's upload into images Rounds can show
// without showing who the patient is.
//
// Every upload is decoded and re-encoded: the bytes a member sends are
// never served. That alone drops what a file carries besides its pixels —
// EXIF (GPS position, camera serial numbers, dates), XMP, IPTC, ICC
// profiles and their comments, maker notes, PNG text chunks — since the
// encoders here write nothing but pixels. Before that:
//
//   - the bytes are checked: a format Rounds reads (JPEG, PNG, GIF, WebP,
//     DICOM), the format the file's name and content type claim, at most
//     Options.MaxBytes, and at most Options.MaxPixels read from the header
//     before anything is decoded (a decompression bomb is refused
//     unopened). A refusal is an *Error whose text is written for the
//     member;
//   - the EXIF orientation is applied, so a phone's portrait photo stands up;
//   - faces are found (FaceDetector, pigo's cascade) and pixelated by default;
//   - text shown in the image is read with Tesseract when the server has it
//     (OCR) and run through the identifier guard (rounds/app/phi); what it
//     blocks is blacked out by default and reported with its boxes;
//   - a DICOM file is de-identified (rounds/app/dicom), its pixels are
//     rendered for viewing, and the de-identified file is kept for download.
//
// The sizes made are a thumbnail, a page size and the full view.
//
// A Processor does all of it; its three calls fit an upload's life:
// Process for a one-shot upload with the default edits, or Inspect when the
// member uploads (faces and text to show in the composer) and Render when
// they post (with the boxes they kept, drew or removed). Between the two
// the caller keeps the upload's bytes in a private staging area (see
// rounds/app/blob), never served to anyone.
//
// Boxes (faces, text findings, edits) are always in the pixels of the full
// view: Inspection.Width × Inspection.Height.
package images

import (
	"context"
	"fmt"
	"image"
	"io"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"rounds/app/dicom"
)

// Defaults of Options.
const (
	DefaultMaxBytes     = 20 << 20
	DefaultMaxPixels    = 50_000_000
	DefaultThumbEdge    = 320
	DefaultPageEdge     = 1280
	DefaultFullEdge     = 4096
	DefaultMemoryBudget = 512 << 20
)

// Options configures a Processor; the zero value gives the defaults.
type Options struct {
	// MaxBytes bounds an upload's size (default 20 MiB).
	MaxBytes int64
	// MaxPixels bounds width × height (× frames, for DICOM), read from the
	// header before decoding (default 50 MP).
	MaxPixels int64
	// ThumbEdge, PageEdge and FullEdge are the long edges of the three
	// sizes (default 320, 1280 and 4096 pixels). An image smaller than a
	// size is not enlarged.
	ThumbEdge, PageEdge, FullEdge int
	// MemoryBudget bounds the decoded pixels that all of a Processor's
	// uploads hold at once (default 512 MiB). Uploads beyond it wait for
	// earlier ones to finish, so four large photos at once hold what the
	// budget allows, not four times a photo's worth; an image larger than
	// the whole budget runs alone. It bounds live memory: Go's collector
	// lets the heap grow to about twice what is live before it collects,
	// unless GOMEMLIMIT says otherwise, so a server sets GOMEMLIMIT to
	// about the budget plus what the rest of it needs.
	MemoryBudget int64
	// OCR reads text shown in images; nil means text is not checked and
	// Inspection.Text says so. FindOCR("") finds Tesseract.
	OCR *OCR
	// Faces finds faces; nil means NewFaceDetector.
	Faces *FaceDetector
}

// Processor checks, de-identifies and re-encodes uploads. It is safe for
// concurrent use; one per server.
type Processor struct {
	opts  Options
	faces *FaceDetector
	mem   *semaphore.Weighted
}

// New returns a Processor with opts' zero values set to the defaults.
func New(opts Options) (*Processor, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	if opts.ThumbEdge <= 0 {
		opts.ThumbEdge = DefaultThumbEdge
	}
	if opts.PageEdge <= 0 {
		opts.PageEdge = DefaultPageEdge
	}
	if opts.FullEdge <= 0 {
		opts.FullEdge = DefaultFullEdge
	}
	if opts.MemoryBudget <= 0 {
		opts.MemoryBudget = DefaultMemoryBudget
	}
	if opts.ThumbEdge > opts.PageEdge || opts.PageEdge > opts.FullEdge {
		return nil, fmt.Errorf("image sizes must grow: thumbnail %d, page %d, full %d", opts.ThumbEdge, opts.PageEdge, opts.FullEdge)
	}
	p := &Processor{opts: opts, faces: opts.Faces, mem: semaphore.NewWeighted(opts.MemoryBudget)}
	if p.faces == nil {
		var err error
		if p.faces, err = NewFaceDetector(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Source is an upload as the member's browser sent it.
type Source struct {
	// Name and ContentType are the file name and the Content-Type of the
	// form part; a known claim that disagrees with the bytes refuses the
	// upload (WrongType).
	Name        string
	ContentType string
	// Key seeds a DICOM file's de-identification (the remapped UIDs and
	// the shift of its dates), so that Inspect and Render of the same
	// upload agree. Keep 32 random bytes with the staged upload; empty
	// means a fresh random key each call. Other images ignore it.
	Key []byte
}

// Edits are changes made to the pixels before any size is encoded, in
// the pixels of the full view.
type Edits struct {
	// Blur pixelates each box (faces, as Face.Box reports them).
	Blur []image.Rectangle
	// Redact fills each box with black.
	Redact []image.Rectangle
}

// Inspection is what an upload shows that may identify a patient.
type Inspection struct {
	// Format is what the upload is (JPEG, PNG, GIF, WebP or DICOM).
	Format Format
	// Width and Height are the full view's, after orientation; every box
	// is in these pixels.
	Width, Height int
	// Faces are the faces found, each box grown to cover hair and jaw:
	// the region Edits.Blur takes.
	Faces []Face
	// Text is what reading the image's text found.
	Text TextCheck
	// DICOMReport says what de-identification did to a DICOM file; nil
	// for other images.
	DICOMReport *dicom.Report
}

// DefaultEdits blur every face found and black out every blocking text
// finding: what Process applies, and what a composer starts from.
func (in *Inspection) DefaultEdits() Edits {
	var e Edits
	for _, f := range in.Faces {
		e.Blur = append(e.Blur, f.Box)
	}
	for _, f := range in.Text.Blocking() {
		e.Redact = append(e.Redact, f.Box)
	}
	return e
}

// Size names one of the sizes made of an image.
type Size string

// The sizes, smallest first.
const (
	Thumb Size = "thumb"
	Page  Size = "page"
	Full  Size = "full"
)

// Rendition is one size of an image, encoded.
type Rendition struct {
	Size          Size
	Width, Height int
	ContentType   string // image/jpeg or image/png
	Data          []byte
}

// Rendered is an upload with its edits applied, ready to keep.
type Rendered struct {
	// Renditions are Thumb, Page and Full, in that order.
	Renditions []Rendition
	// DICOM is the de-identified DICOM file, with the same edits applied
	// to its pixel data, when the upload was one.
	DICOM []byte
}

// Processed is an upload inspected and rendered with DefaultEdits.
type Processed struct {
	Inspection
	Edits Edits
	Rendered
}

// Process checks, inspects and renders an upload in one pass: faces
// blurred and blocking text blacked out.
func (p *Processor) Process(ctx context.Context, r io.Reader, src Source) (*Processed, error) {
	u, err := p.open(ctx, r, src)
	if err != nil {
		return nil, err
	}
	defer u.release()
	in := p.inspect(ctx, u)
	edits := in.DefaultEdits()
	out, err := p.render(ctx, u, edits)
	if err != nil {
		return nil, err
	}
	return &Processed{Inspection: in, Edits: edits, Rendered: *out}, nil
}

// Inspect checks an upload and finds what in it may identify a patient,
// without encoding anything.
func (p *Processor) Inspect(ctx context.Context, r io.Reader, src Source) (*Inspection, error) {
	u, err := p.open(ctx, r, src)
	if err != nil {
		return nil, err
	}
	defer u.release()
	in := p.inspect(ctx, u)
	return &in, nil
}

// Render checks an upload again and encodes its sizes with edits applied.
// It finds no faces and reads no text: the edits say what to change.
func (p *Processor) Render(ctx context.Context, r io.Reader, src Source, edits Edits) (*Rendered, error) {
	u, err := p.open(ctx, r, src)
	if err != nil {
		return nil, err
	}
	defer u.release()
	return p.render(ctx, u, edits)
}

// inspect finds the faces (on the page size) and reads the text (on the
// full view, in Tesseract's own process, meanwhile).
func (p *Processor) inspect(ctx context.Context, u *upload) Inspection {
	in := Inspection{Format: u.format, Width: u.full.Rect.Dx(), Height: u.full.Rect.Dy()}
	textDone := make(chan TextCheck, 1)
	go func() { textDone <- checkText(ctx, p.opts.OCR, u.full) }()
	scale := float64(u.full.Rect.Dx()) / float64(u.page.Rect.Dx())
	for _, f := range p.faces.Detect(u.page, scale) {
		f.Box = blurBox(f.Box, u.full.Rect)
		in.Faces = append(in.Faces, f)
	}
	in.Text = <-textDone
	if u.dicom != nil {
		report := u.dicom.Report()
		in.DICOMReport = &report
	}
	return in
}

// render applies the edits to the full view and the page size, makes the
// thumbnail from the page, and encodes all three, the full view meanwhile
// on another goroutine.
func (p *Processor) render(ctx context.Context, u *upload, e Edits) (*Rendered, error) {
	enc := chooseEncoding(u.full, u.format, u.sourceGray)
	scale := float64(u.page.Rect.Dx()) / float64(u.full.Rect.Dx())
	applyEdits(u.full, e, 1)
	if u.page != u.full {
		applyEdits(u.page, e, scale)
	}
	out := &Rendered{Renditions: make([]Rendition, 3)}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		out.Renditions[2], err = rendition(ctx, Full, u.full, enc)
		return err
	})
	g.Go(func() error {
		var err error
		if out.Renditions[1], err = rendition(ctx, Page, u.page, enc); err != nil {
			return err
		}
		w, h := fit(u.page.Rect.Dx(), u.page.Rect.Dy(), p.opts.ThumbEdge)
		thumb := shrink(u.page, w, h)
		if thumb != u.page {
			applyEdits(thumb, e, float64(w)/float64(u.full.Rect.Dx()))
		}
		out.Renditions[0], err = rendition(ctx, Thumb, thumb, enc)
		return err
	})
	if u.dicom != nil {
		g.Go(func() error {
			file, err := u.dicom.Edit(scaleBoxes(e.Blur, u.dicomScale), scaleBoxes(e.Redact, u.dicomScale))
			out.DICOM = file
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func rendition(ctx context.Context, size Size, img *image.RGBA, enc encoding) (Rendition, error) {
	if err := ctx.Err(); err != nil {
		return Rendition{}, err
	}
	data, ctype, err := encode(img, enc)
	if err != nil {
		return Rendition{}, fmt.Errorf("%s size: %w", size, err)
	}
	return Rendition{Size: size, Width: img.Rect.Dx(), Height: img.Rect.Dy(), ContentType: ctype, Data: data}, nil
}

// applyEdits blurs and blacks out the edits' boxes, scaled from the full
// view's pixels to img's. Boxes are rounded outwards, so a smaller size
// never shows an edge of what a box covers in the full view; redaction
// comes last, so a box that is both is black.
func applyEdits(img *image.RGBA, e Edits, scale float64) {
	Blur(img, scaleBoxes(e.Blur, scale))
	Redact(img, scaleBoxes(e.Redact, scale))
}

// scaleBoxes scales boxes by s, rounding outwards.
func scaleBoxes(boxes []image.Rectangle, s float64) []image.Rectangle {
	if s == 1 || len(boxes) == 0 {
		return boxes
	}
	out := make([]image.Rectangle, len(boxes))
	for i, b := range boxes {
		out[i] = image.Rect(int(float64(b.Min.X)*s), int(float64(b.Min.Y)*s),
			int(float64(b.Max.X)*s+0.999), int(float64(b.Max.Y)*s+0.999))
	}
	return out
}
