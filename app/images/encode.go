package images

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// Redact fills each box of img with opaque black, in place. The pixels
// under a box are overwritten, not covered, so nothing of them reaches any
// encoded size.
func Redact(img *image.RGBA, boxes []image.Rectangle) {
	for _, box := range boxes {
		fill(img, box.Intersect(img.Rect), [4]uint8{0, 0, 0, 255})
	}
}

// encoding is how an image's sizes are written.
type encoding struct {
	png  bool // lossless: alpha, few colours (diagrams, ECG tracings), DICOM
	gray bool // one channel: films, scans, grey screenshots
}

// fewColours is the most distinct colours a picture may have and still be
// written as PNG: a diagram or a tracing, where JPEG would smear the lines.
const fewColours = 256

// chooseEncoding decides from the full view how all sizes are written: a
// smaller size would not do, since resampling blends a diagram's few
// colours into many. A photo shows more than fewColours within its first
// rows, so the look is short; a diagram is read to the end, but in runs of
// one colour. A JPEG source stays JPEG: its pixels carry JPEG's losses
// already and PNG would only make it larger.
func chooseEncoding(full *image.RGBA, source Format, sourceGray bool) encoding {
	if source == JPEG {
		return encoding{gray: sourceGray}
	}
	gray, alpha := true, false
	colours := make(map[uint32]struct{}, fewColours+1)
	w, h := full.Rect.Dx(), full.Rect.Dy()
	last := uint32(0)
	for y := 0; y < h; y++ {
		row := full.Pix[y*full.Stride : y*full.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			r, g, b, a := row[i], row[i+1], row[i+2], row[i+3]
			if a != 0xFF {
				alpha = true
			}
			if r != g || g != b {
				gray = false
			}
			if c := uint32(r)<<24 | uint32(g)<<16 | uint32(b)<<8 | uint32(a); c != last || len(colours) == 0 {
				colours[c] = struct{}{}
				last = c
			}
		}
		if len(colours) > fewColours && !gray && alpha {
			break // nothing more to learn
		}
		if len(colours) > fewColours && !gray {
			// Many colours and not grey: a photo. Alpha would still make it
			// PNG, so look for it on, without counting colours.
			for ; y < h && !alpha; y++ {
				row := full.Pix[y*full.Stride : y*full.Stride+4*w]
				for i := 3; i < len(row); i += 4 {
					if row[i] != 0xFF {
						alpha = true
						break
					}
				}
			}
			break
		}
	}
	return encoding{
		png:  source == DICOM || alpha || len(colours) <= fewColours,
		gray: gray && !alpha,
	}
}

// jpegQuality is high enough that a film's or a rash's detail survives,
// low enough that a 12 MP photo is a few megabytes.
const jpegQuality = 85

// encode writes img as the encoding says and returns the bytes and their
// media type. Nothing but pixels is written: no EXIF, XMP, IPTC, ICC
// profile, comment or text chunk, since Go's encoders write none.
func encode(img *image.RGBA, enc encoding) ([]byte, string, error) {
	var src image.Image = img
	if enc.gray {
		src = grayImage(img)
	}
	var buf bytes.Buffer
	w, h := img.Rect.Dx(), img.Rect.Dy()
	buf.Grow(w * h / 4)
	if enc.png {
		level := png.DefaultCompression
		if w*h > 4_000_000 {
			level = png.BestSpeed // default compression of a large film takes seconds
		}
		e := png.Encoder{CompressionLevel: level}
		if err := e.Encode(&buf, src); err != nil {
			return nil, "", fmt.Errorf("encode png: %w", err)
		}
		return buf.Bytes(), "image/png", nil
	}
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, "", fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), "image/jpeg", nil
}
