package images

import (
	_ "embed"
	"fmt"
	"image"
	"sort"

	pigo "github.com/esimov/pigo/core"
)

// The face cascade ships with github.com/esimov/pigo; see cascade/NOTICE.md
// for where it comes from and its licence.
//
//go:embed cascade/facefinder
var facefinder []byte

// Face is a face found in an image, in the pixels of the full-size image.
type Face struct {
	Box image.Rectangle
	// Score is the detector's confidence; faces below the threshold are
	// not reported at all.
	Score float32
}

// FaceDetector finds faces with pigo's pixel-intensity-comparison
// cascade. It is safe for concurrent use.
type FaceDetector struct {
	cascade *pigo.Pigo
	// MinScore is the score a detection needs to count as a face: 5, as
	// pigo's own tools use. Lower finds more faces turned away or in shadow
	// and more false ones (a fold of a sleeve scores about 4.5); a false
	// face costs the member a click in the composer, a missed one shows a
	// patient, so the member is also asked to look.
	MinScore float32
}

// NewFaceDetector unpacks the embedded cascade.
func NewFaceDetector() (*FaceDetector, error) {
	c, err := pigo.NewPigo().Unpack(facefinder)
	if err != nil {
		return nil, fmt.Errorf("unpack face cascade: %w", err)
	}
	return &FaceDetector{cascade: c, MinScore: 5}, nil
}

// detectEdge is the long edge faces are searched at: large enough to find
// a face a fiftieth of the picture wide (20 pixels, the cascade's smallest
// window), small enough that the search takes tens of milliseconds.
const detectEdge = 1000

// Detect returns the faces in img, largest first. img may be a reduced
// copy of the full image: scale maps its pixels to the full image's
// (full width ÷ img width). An img larger than detectEdge is searched at
// that size.
func (d *FaceDetector) Detect(img *image.RGBA, scale float64) []Face {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if dw, dh := fit(w, h, detectEdge); dw < w {
		scale *= float64(w) / float64(dw)
		img, w, h = shrink(img, dw, dh), dw, dh
	}
	if w < 24 || h < 24 {
		return nil
	}
	params := pigo.CascadeParams{
		MinSize:     20,
		MaxSize:     min(w, h),
		ShiftFactor: 0.15, // pigo's own defaults
		ScaleFactor: 1.15,
		ImageParams: pigo.ImageParams{Pixels: gray(img), Rows: h, Cols: w, Dim: w},
	}
	dets := d.cascade.ClusterDetections(d.cascade.RunCascade(params, 0), 0.2)
	var faces []Face
	for _, det := range dets {
		if det.Q < d.MinScore {
			continue
		}
		half := float64(det.Scale) / 2
		box := image.Rect(
			int((float64(det.Col)-half)*scale), int((float64(det.Row)-half)*scale),
			int((float64(det.Col)+half)*scale+0.5), int((float64(det.Row)+half)*scale+0.5))
		faces = append(faces, Face{Box: box, Score: det.Q})
	}
	sort.Slice(faces, func(i, j int) bool { return faces[i].Box.Dx() > faces[j].Box.Dx() })
	return faces
}

// gray converts to 8-bit luma (BT.601), the input pigo reads.
func gray(img *image.RGBA) []uint8 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		o := out[y*w : y*w+w]
		for x := range o {
			p := row[4*x : 4*x+3 : 4*x+3]
			o[x] = uint8((299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000)
		}
	}
	return out
}

// facePad is how far a blur reaches beyond the detector's box, as a
// fraction of its size: the box is tight on the eyes, nose and mouth, and
// hair, ears and jaw identify too.
const facePad = 0.3

// blurBox is the region a face's blur covers: the detector's box grown by
// facePad on every side, kept inside bounds.
func blurBox(face, bounds image.Rectangle) image.Rectangle {
	px, py := int(float64(face.Dx())*facePad), int(float64(face.Dy())*facePad)
	return image.Rect(face.Min.X-px, face.Min.Y-py, face.Max.X+px, face.Max.Y+py).Intersect(bounds)
}

// blurBlocks is how many blocks the long side of a blurred region is
// pixelated into: six blocks leave a face's colour and shape but nothing
// a person, or a model trained to undo pixelation, can recognise.
const blurBlocks = 6

// Blur pixelates each box of img in place into blocks of flat colour, the
// average of what they cover, so what was under it is gone from the
// pixels and cannot be recovered. Boxes are in img's pixels; callers grow
// a face's box with blurBox first.
func Blur(img *image.RGBA, boxes []image.Rectangle) {
	for _, box := range boxes {
		box = box.Intersect(img.Rect)
		if box.Empty() {
			continue
		}
		block := max(2, (max(box.Dx(), box.Dy())+blurBlocks-1)/blurBlocks)
		for y0 := box.Min.Y; y0 < box.Max.Y; y0 += block {
			for x0 := box.Min.X; x0 < box.Max.X; x0 += block {
				cell := image.Rect(x0, y0, x0+block, y0+block).Intersect(box)
				fillAverage(img, cell)
			}
		}
	}
}

// fillAverage paints r with the average of its pixels.
func fillAverage(img *image.RGBA, r image.Rectangle) {
	var sum [4]uint64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := 0; i < len(row); i += 4 {
			sum[0] += uint64(row[i])
			sum[1] += uint64(row[i+1])
			sum[2] += uint64(row[i+2])
			sum[3] += uint64(row[i+3])
		}
	}
	n := uint64(r.Dx() * r.Dy())
	var avg [4]uint8
	for c := range avg {
		avg[c] = uint8((sum[c] + n/2) / n)
	}
	fill(img, r, avg)
}

// fill paints r with one premultiplied RGBA colour.
func fill(img *image.RGBA, r image.Rectangle, c [4]uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c[0], c[1], c[2], c[3]
		}
	}
}
