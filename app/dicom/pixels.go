package dicom

import (
	"encoding/binary"
	"image"
	"math"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// frameBytes is the size of one frame of pixel data.
func (f *File) frameBytes() int { return f.rows * f.cols * f.samples * f.bits / 8 }

// raw is the pixel data's bytes.
func (f *File) raw() []byte {
	return f.pixels.Value.GetValue().(dcm.PixelDataInfo).UnprocessedValueData
}

// Render returns the first frame for viewing: monochrome as 8-bit grey,
// windowed by its Window Center/Width when it has them, else stretched
// from its lowest to its highest value, MONOCHROME1 inverted so bone is
// white; RGB as it is.
func (f *File) Render() (image.Image, error) {
	raw := f.raw()[:f.frameBytes()]
	if f.samples == 3 {
		img := image.NewRGBA(image.Rect(0, 0, f.cols, f.rows))
		n := f.rows * f.cols
		for i := 0; i < n; i++ {
			var r, g, b byte
			if f.planar {
				r, g, b = raw[i], raw[n+i], raw[2*n+i]
			} else {
				r, g, b = raw[3*i], raw[3*i+1], raw[3*i+2]
			}
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = r, g, b, 0xFF
		}
		return img, nil
	}
	n := f.rows * f.cols
	slope, ok := floatOf(f.ds, tag.RescaleSlope)
	if !ok || slope == 0 {
		slope = 1
	}
	intercept, _ := floatOf(f.ds, tag.RescaleIntercept)
	value := func(i int) float64 { return float64(f.sample(raw, i))*slope + intercept }
	// Two passes rather than a copy of the frame in float64, which for a
	// 4000 × 4000 radiograph would be 128 MB.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		v := value(i)
		lo, hi = min(lo, v), max(hi, v)
	}
	center, okC := floatOf(f.ds, tag.WindowCenter)
	width, okW := floatOf(f.ds, tag.WindowWidth)
	if !okC || !okW || width < 1 {
		center, width = (lo+hi)/2, max(hi-lo, 1)+1
	}
	img := image.NewGray(image.Rect(0, 0, f.cols, f.rows))
	// The linear VOI LUT function of PS3.3 C.11.2.1.2.1.
	low := center - 0.5 - (width-1)/2
	high := center - 0.5 + (width-1)/2
	for i := 0; i < n; i++ {
		v := value(i)
		var y float64
		switch {
		case v <= low:
			y = 0
		case v > high:
			y = 255
		default:
			y = ((v-(center-0.5))/(width-1) + 0.5) * 255
		}
		g := uint8(math.Round(math.Max(0, math.Min(255, y))))
		if f.photo == "MONOCHROME1" {
			g = 255 - g
		}
		img.Pix[i] = g
	}
	return img, nil
}

// sample reads stored value i of a monochrome frame, masked to the bits
// stored and sign-extended when signed.
func (f *File) sample(raw []byte, i int) int {
	var v uint32
	if f.bits == 8 {
		v = uint32(raw[i])
	} else {
		v = uint32(binary.LittleEndian.Uint16(raw[2*i:]))
	}
	v &= 1<<f.stored - 1
	if f.signed && v&(1<<(f.stored-1)) != 0 {
		return int(v) - 1<<f.stored
	}
	return int(v)
}

// setSample writes stored value i of a monochrome frame.
func (f *File) setSample(raw []byte, i, v int) {
	u := uint32(v) & (1<<f.stored - 1)
	if f.bits == 8 {
		raw[i] = byte(u)
	} else {
		binary.LittleEndian.PutUint16(raw[2*i:], uint16(u))
	}
}

// black is the stored value that shows black whatever the window: the
// lowest for MONOCHROME2, the highest for MONOCHROME1 (where the rescale
// slope is positive, as it is in practice).
func (f *File) black() int {
	lo, hi := 0, 1<<f.stored-1
	if f.signed {
		lo, hi = -(1 << (f.stored - 1)), 1<<(f.stored-1)-1
	}
	if f.photo == "MONOCHROME1" {
		return hi
	}
	return lo
}

// Edit pixelates the blur boxes and blacks out the redact boxes in every
// frame of the pixel data, in the image's pixels, and returns the file.
// The pixel data is changed in place: a File is edited once.
func (f *File) Edit(blur, redact []image.Rectangle) ([]byte, error) {
	raw := f.raw()
	bounds := image.Rect(0, 0, f.cols, f.rows)
	for fr := 0; fr < f.frames; fr++ {
		frame := raw[fr*f.frameBytes() : (fr+1)*f.frameBytes()]
		for _, box := range blur {
			f.pixelate(frame, box.Intersect(bounds))
		}
		for _, box := range redact {
			f.blackOut(frame, box.Intersect(bounds))
		}
	}
	return f.Bytes()
}

// blurBlocks matches images.Blur: six flat blocks across a box.
const blurBlocks = 6

func (f *File) pixelate(frame []byte, box image.Rectangle) {
	if box.Empty() {
		return
	}
	block := max(2, (max(box.Dx(), box.Dy())+blurBlocks-1)/blurBlocks)
	for y0 := box.Min.Y; y0 < box.Max.Y; y0 += block {
		for x0 := box.Min.X; x0 < box.Max.X; x0 += block {
			cell := image.Rect(x0, y0, x0+block, y0+block).Intersect(box)
			for s := 0; s < f.samples; s++ {
				sum, n := 0, 0
				for y := cell.Min.Y; y < cell.Max.Y; y++ {
					for x := cell.Min.X; x < cell.Max.X; x++ {
						sum += f.at(frame, x, y, s)
						n++
					}
				}
				avg := int(math.Round(float64(sum) / float64(n)))
				for y := cell.Min.Y; y < cell.Max.Y; y++ {
					for x := cell.Min.X; x < cell.Max.X; x++ {
						f.set(frame, x, y, s, avg)
					}
				}
			}
		}
	}
}

func (f *File) blackOut(frame []byte, box image.Rectangle) {
	black := f.black()
	if f.samples == 3 {
		black = 0
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			for s := 0; s < f.samples; s++ {
				f.set(frame, x, y, s, black)
			}
		}
	}
}

// at and set read and write sample s of pixel (x, y) in a frame.
func (f *File) at(frame []byte, x, y, s int) int {
	if f.samples == 3 {
		return int(frame[f.rgbIndex(x, y, s)])
	}
	return f.sample(frame, y*f.cols+x)
}

func (f *File) set(frame []byte, x, y, s, v int) {
	if f.samples == 3 {
		frame[f.rgbIndex(x, y, s)] = byte(v)
		return
	}
	f.setSample(frame, y*f.cols+x, v)
}

func (f *File) rgbIndex(x, y, s int) int {
	i := y*f.cols + x
	if f.planar {
		return s*f.rows*f.cols + i
	}
	return 3*i + s
}
