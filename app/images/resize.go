package images

import (
	"image"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// fit returns the size of a w × h image scaled so its long edge is at most
// edge, keeping its shape; the size itself when it already fits.
func fit(w, h, edge int) (int, int) {
	if edge <= 0 || (w <= edge && h <= edge) {
		return w, h
	}
	if w >= h {
		return edge, max(1, (h*edge+w/2)/w)
	}
	return max(1, (w*edge+h/2)/h), edge
}

// shrink scales src down to w × h. A Catmull-Rom filter over a large
// reduction reads a wide window per pixel and is slow on a 12 MP photo, so
// it first averages k × k blocks (exact, one pass over src) down to the
// smallest whole fraction of src still at least the target's size, and
// lets Catmull-Rom do only the last step of less than 2×, as libvips'
// shrink-then-reduce does; the result is as free of aliasing, a little
// softer than a full-width kernel, and several times faster.
func shrink(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if sw == w && sh == h {
		return src
	}
	mid := src
	if k := min(sw/w, sh/h); k >= 2 {
		mid = boxReduce(src, k)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Rect, mid, mid.Rect, xdraw.Src, nil)
	return dst
}

// enlarge scales img up to w × h, for Tesseract; bilinear is enough
// to make small letters bigger.
func enlarge(img *image.RGBA, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(dst, dst.Rect, img, img.Rect, xdraw.Src, nil)
	return dst
}

// boxReduce averages each k × k block of src into one pixel (the last
// partial row and column of blocks are averaged over what they hold).
// Averaging premultiplied RGBA is exact for transparent pixels too.
func boxReduce(src *image.RGBA, k int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := (sw+k-1)/k, (sh+k-1)/k
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	sums := make([]uint32, 4*dw)
	for by := 0; by < dh; by++ {
		clear(sums)
		y0, y1 := by*k, min(by*k+k, sh)
		for y := y0; y < y1; y++ {
			row := src.Pix[(y)*src.Stride : (y)*src.Stride+4*sw]
			for x, bx := 0, 0; bx < dw; bx++ {
				end := min(x+k, sw)
				var r, g, b, a uint32
				for ; x < end; x++ {
					p := row[4*x : 4*x+4 : 4*x+4]
					r += uint32(p[0])
					g += uint32(p[1])
					b += uint32(p[2])
					a += uint32(p[3])
				}
				s := sums[4*bx : 4*bx+4 : 4*bx+4]
				s[0] += r
				s[1] += g
				s[2] += b
				s[3] += a
			}
		}
		out := dst.Pix[by*dst.Stride : by*dst.Stride+4*dw]
		for bx := 0; bx < dw; bx++ {
			n := uint32((y1 - y0) * (min(bx*k+k, sw) - bx*k))
			for c := 0; c < 4; c++ {
				out[4*bx+c] = uint8((sums[4*bx+c] + n/2) / n)
			}
		}
	}
	return dst
}

// toRGBA gives the decoded image as *image.RGBA at the origin, the one
// pixel layout the rest of the package works on (the JPEG encoder has a
// fast path for it, and blur and redaction write it directly).
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	// image/draw has fast paths from YCbCr (JPEG), Gray, NRGBA and
	// Paletted sources.
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}
