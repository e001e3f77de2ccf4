package images

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"math"
	"testing"
)

// meanDiff is the mean absolute difference per channel between a and b
// over r (both the same size).
func meanDiff(a, b *image.RGBA, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			sum += math.Abs(float64(ca.R)-float64(cb.R)) + math.Abs(float64(ca.G)-float64(cb.G)) + math.Abs(float64(ca.B)-float64(cb.B))
			n += 3
		}
	}
	return sum / n
}

// outside is the mean difference over the image less the boxes.
func outside(a, b *image.RGBA, boxes []image.Rectangle) float64 {
	var sum, n float64
	for y := 0; y < a.Rect.Dy(); y++ {
	pixels:
		for x := 0; x < a.Rect.Dx(); x++ {
			for _, box := range boxes {
				if (image.Point{x, y}).In(box) {
					continue pixels
				}
			}
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			sum += math.Abs(float64(ca.R)-float64(cb.R)) + math.Abs(float64(ca.G)-float64(cb.G)) + math.Abs(float64(ca.B)-float64(cb.B))
			n += 3
		}
	}
	return sum / n
}

// The astronaut is Eileen Collins's NASA portrait (public domain), as
// scikit-image ships it; see testdata/NOTICE.md.
func TestFacesAreFoundAndBlurred(t *testing.T) {
	data := readTestdata(t, "astronaut.jpg")
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	orig := toRGBA(src)
	p := processor(t, Options{})
	out := process(t, p, data, "astronaut.jpg")
	if len(out.Faces) != 1 {
		t.Fatalf("found %d faces (%v), want the astronaut's one", len(out.Faces), out.Faces)
	}
	face := out.Faces[0].Box
	// Her face is at about x 170–260, y 60–170 of the 512 × 512 portrait.
	if !image.Pt(215, 110).In(face) || face.Dx() < 80 || face.Dx() > 260 {
		t.Errorf("face box %v does not frame her face", face)
	}
	if len(out.Edits.Blur) != 1 || out.Edits.Blur[0] != face {
		t.Errorf("edits blur %v, want the face %v", out.Edits.Blur, face)
	}
	full := decodeRendition(t, out.Renditions[2])
	in, rest := meanDiff(orig, full, face), outside(orig, full, []image.Rectangle{face})
	t.Logf("mean difference: %.1f in the face, %.1f elsewhere", in, rest)
	if in < 12 {
		t.Errorf("the face changed by %.1f on average: not blurred", in)
	}
	if rest > 3 {
		t.Errorf("the rest of the picture changed by %.1f on average: more than re-encoding does", rest)
	}
	// Pixelated: within the face box, the picture has no more detail
	// than its blocks; neighbouring pixels inside a block are equal up to
	// JPEG's error.
	block := (max(face.Dx(), face.Dy()) + blurBlocks - 1) / blurBlocks
	cell := image.Rect(face.Min.X+2, face.Min.Y+2, face.Min.X+block-2, face.Min.Y+block-2)
	lo, hi := 255, 0
	for y := cell.Min.Y; y < cell.Max.Y; y++ {
		for x := cell.Min.X; x < cell.Max.X; x++ {
			g := int(full.RGBAAt(x, y).G)
			lo, hi = min(lo, g), max(hi, g)
		}
	}
	if hi-lo > 24 {
		t.Errorf("a blur block ranges %d–%d in green: not flat", lo, hi)
	}
	// Every size is blurred, not only the full view.
	for _, r := range out.Renditions[:2] {
		small := decodeRendition(t, r)
		s := float64(r.Width) / float64(out.Width)
		origSmall := shrink(orig, r.Width, r.Height)
		box := scaleBoxes([]image.Rectangle{face}, s)[0].Inset(2)
		if d := meanDiff(origSmall, small, box); d < 10 {
			t.Errorf("%s size: the face changed by %.1f only", r.Size, d)
		}
	}
}

func TestNoFacesInAFilm(t *testing.T) {
	// Smooth gradients and grain, as a radiograph or a rash has: no face.
	p := processor(t, Options{})
	out := process(t, p, encodeJPEG(t, photo(1200, 900, 9)), "film.jpg")
	if len(out.Faces) != 0 {
		t.Errorf("found faces %v in a picture without any", out.Faces)
	}
}

func TestRedactionIsBlackInEverySize(t *testing.T) {
	boxes := []image.Rectangle{image.Rect(100, 80, 700, 200), image.Rect(1500, 1200, 1990, 1490)}
	sources := []struct {
		name, file string
		data       []byte
		tolerance  uint8 // JPEG's ringing at a box's edge blocks
	}{
		{"jpeg", "photo.jpg", encodeJPEG(t, photo(2000, 1500, 6)), 40},
		{"png", "screen.png", encodePNG(t, fewColourScreen(2000, 1500)), 0},
	}
	p := processor(t, Options{})
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			out, err := p.Render(context.Background(), bytes.NewReader(src.data), Source{Name: src.file}, Edits{Redact: boxes})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Renditions {
				img := decodeRendition(t, r)
				s := float64(r.Width) / 2000
				for _, box := range boxes {
					// The box as the size shows it, less the pixel at its
					// edge that resampling shares with its neighbour.
					b := image.Rect(int(math.Ceil(float64(box.Min.X)*s)), int(math.Ceil(float64(box.Min.Y)*s)),
						int(float64(box.Max.X)*s), int(float64(box.Max.Y)*s))
					var worst uint8
					for y := b.Min.Y; y < b.Max.Y; y++ {
						for x := b.Min.X; x < b.Max.X; x++ {
							c := img.RGBAAt(x, y)
							worst = max(worst, c.R, c.G, c.B)
						}
					}
					if worst > src.tolerance {
						t.Errorf("%s size: a pixel under %v (%v here) is %d, want black", r.Size, box, b, worst)
					}
				}
				// And the rest is not black: the redaction stays in its boxes.
				if c := img.RGBAAt(r.Width/2, r.Height/2); int(c.R)+int(c.G)+int(c.B) < 60 {
					t.Errorf("%s size: the middle is %v, outside every box", r.Size, c)
				}
			}
		})
	}
}

// fewColourScreen is a screenshot-like picture of few flat colours, which
// is kept lossless.
func fewColourScreen(w, h int) *image.Paletted {
	pal := color.Palette{color.RGBA{240, 240, 240, 255}, color.RGBA{30, 60, 140, 255}, color.RGBA{200, 40, 40, 255}}
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*w+x] = uint8((x/37 + y/23) % 3)
		}
	}
	return img
}
