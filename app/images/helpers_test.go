package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

// photo makes a w × h picture with the texture of a photograph (smooth
// gradients and grain), so JPEG's losses are realistic.
func photo(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := uint8(r.IntN(24))
			img.SetRGBA(x, y, color.RGBA{uint8(x*200/w) + n, uint8(y*200/h) + n, 120 + n, 255})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegSegment is a marker segment: FF marker, length, payload.
func jpegSegment(marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withSegments inserts segments right after a JPEG's SOI.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// pngChunkBytes builds a PNG chunk with its CRC.
func pngChunkBytes(typ string, data []byte) []byte {
	c := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	copy(c[4:], typ)
	c = append(c, data...)
	sum := crc32.ChecksumIEEE(c[4:])
	return binary.BigEndian.AppendUint32(c, sum)
}

// withChunks inserts chunks after a PNG's IHDR.
func withChunks(p []byte, chunks ...[]byte) []byte {
	ihdrEnd := 8 + 12 + int(binary.BigEndian.Uint32(p[8:]))
	out := append([]byte{}, p[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[ihdrEnd:]...)
}

// tiffBlock is a little-endian TIFF structure as EXIF stores it: IFD0 with
// the orientation and the camera's make and an ASCII field, an EXIF IFD
// with a serial number, a date and a maker note, and a GPS IFD with a
// position and a planted area name.
func tiffBlock(orientation uint16, planted string) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // inline when 4 bytes or fewer
	}
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	rational := func(n ...uint32) []byte {
		var b []byte
		for _, v := range n {
			b = binary.LittleEndian.AppendUint32(b, v)
			b = binary.LittleEndian.AppendUint32(b, 1)
		}
		return b
	}
	short := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	long := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

	var buf []byte
	buf = append(buf, "II"...)
	buf = binary.LittleEndian.AppendUint16(buf, 42)
	buf = binary.LittleEndian.AppendUint32(buf, 8)
	// Lay out three IFDs; offsets are patched as they are known.
	write := func(entries []entry, next uint32) uint32 {
		start := uint32(len(buf))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(len(entries)))
		dataAt := start + 2 + 12*uint32(len(entries)) + 4
		var data []byte
		for _, e := range entries {
			buf = binary.LittleEndian.AppendUint16(buf, e.tag)
			buf = binary.LittleEndian.AppendUint16(buf, e.typ)
			buf = binary.LittleEndian.AppendUint32(buf, e.count)
			if len(e.value) <= 4 {
				v := make([]byte, 4)
				copy(v, e.value)
				buf = append(buf, v...)
			} else {
				buf = binary.LittleEndian.AppendUint32(buf, dataAt+uint32(len(data)))
				data = append(data, e.value...)
				if len(data)%2 == 1 {
					data = append(data, 0)
				}
			}
		}
		buf = binary.LittleEndian.AppendUint32(buf, next)
		buf = append(buf, data...)
		return start
	}
	// IFD0 points at the EXIF and GPS IFDs, written after it; their
	// offsets are worked out from IFD0's size before it is written.
	make0 := func(exifAt, gpsAt uint32) []entry {
		return []entry{
			{0x010F, 2, uint32(len(planted) + 6), ascii("Make " + planted)},
			{0x0112, 3, 1, short(orientation)},
			{0x0132, 2, 20, ascii("2019:05:17 10:11:12")},
			{0x8769, 4, 1, long(exifAt)},
			{0x8825, 4, 1, long(gpsAt)},
		}
	}
	exif := []entry{
		{0x9003, 2, 20, ascii("2019:05:17 10:11:12")},
		{0x927C, 7, uint32(len(planted) + 10), []byte("MakerNote " + planted)},
		{0xA431, 2, uint32(len(planted) + 8), ascii("Serial " + planted)},
	}
	gps := []entry{
		{0x0001, 2, 2, ascii("N")},
		{0x0002, 5, 3, rational(40, 44, 54)},
		{0x0003, 2, 2, ascii("W")},
		{0x0004, 5, 3, rational(73, 59, 9)},
		{0x001C, 7, uint32(len(planted) + 5), []byte("Area " + planted)},
	}
	size := func(es []entry) uint32 {
		n := uint32(2 + 12*len(es) + 4)
		for _, e := range es {
			if len(e.value) > 4 {
				n += uint32(len(e.value) + len(e.value)%2)
			}
		}
		return n
	}
	ifd0Size := size(make0(0, 0))
	exifAt := 8 + ifd0Size
	gpsAt := exifAt + size(exif)
	write(make0(exifAt, gpsAt), 0)
	write(exif, 0)
	write(gps, 0)
	return buf
}

// processor makes a Processor for tests, with Tesseract when present.
func processor(t testing.TB, opts Options) *Processor {
	t.Helper()
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func process(t testing.TB, p *Processor, data []byte, name string) *Processed {
	t.Helper()
	out, err := p.Process(context.Background(), bytes.NewReader(data), Source{Name: name})
	if err != nil {
		t.Fatalf("Process(%s): %v", name, err)
	}
	return out
}

func decodeRendition(t testing.TB, r Rendition) *image.RGBA {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("decode %s rendition: %v", r.Size, err)
	}
	if b := img.Bounds(); b.Dx() != r.Width || b.Dy() != r.Height {
		t.Fatalf("%s rendition is %v, says %d × %d", r.Size, b, r.Width, r.Height)
	}
	return toRGBA(img)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
