package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"
)

// planted strings, one per kind of metadata, must not reach any size.
var planted = map[string]string{
	"exif":       "PLANTED-EXIF-7731",
	"xmp":        "PLANTED-XMP-5512",
	"iptc":       "PLANTED-IPTC-9043",
	"icc":        "PLANTED-ICC-2208",
	"comment":    "PLANTED-COMMENT-6650",
	"png-text":   "PLANTED-PNG-TEXT-3817",
	"png-itxt":   "PLANTED-PNG-ITXT-4402",
	"png-exif":   "PLANTED-PNG-EXIF-1189",
	"png-ztxt":   "PLANTED-PNG-ZTXT-7001",
	"gif-remark": "PLANTED-GIF-COMMENT-2290",
	"webp-exif":  "PLANTED-WEBP-EXIF-5821",
	"webp-xmp":   "PLANTED-WEBP-XMP-6634",
}

// jpegWithMetadata carries every kind of metadata a camera, a phone or
// an editor writes into a JPEG.
func jpegWithMetadata(t *testing.T) []byte {
	base := encodeJPEG(t, photo(640, 480, 1))
	exif := append([]byte("Exif\x00\x00"), tiffBlock(1, planted["exif"])...)
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"),
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description dc:creator="`+planted["xmp"]+`" exif:GPSLatitude="40,44.9N"/></x:xmpmeta>`...)
	// Photoshop's APP13: an 8BIM resource 0x0404 holding IPTC records
	// (2:80 by-line, 2:116 copyright).
	iptcRecord := func(ds byte, s string) []byte {
		return append([]byte{0x1C, 2, ds, 0, byte(len(s))}, s...)
	}
	iptcData := append(iptcRecord(80, planted["iptc"]), iptcRecord(116, "Copyright "+planted["iptc"])...)
	res := append([]byte("8BIM\x04\x04\x00\x00"), binary.BigEndian.AppendUint32(nil, uint32(len(iptcData)))...)
	res = append(res, iptcData...)
	iptc := append([]byte("Photoshop 3.0\x00"), res...)
	// APP2 ICC profile, one chunk of one, with a description tag.
	icc := append([]byte("ICC_PROFILE\x00\x01\x01"), make([]byte, 128)...)
	icc = append(icc, "desc"+planted["icc"]...)
	return withSegments(base,
		jpegSegment(0xE1, exif), jpegSegment(0xE1, xmp), jpegSegment(0xED, iptc),
		jpegSegment(0xE2, icc), jpegSegment(0xFE, []byte(planted["comment"])))
}

func pngWithMetadata(t *testing.T) []byte {
	base := encodePNG(t, photo(500, 400, 2))
	return withChunks(base,
		pngChunkBytes("tEXt", []byte("Comment\x00"+planted["png-text"])),
		pngChunkBytes("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>"+planted["png-itxt"]+"</x:xmpmeta>")),
		pngChunkBytes("eXIf", tiffBlock(1, planted["png-exif"])),
		// zTXt's text is compressed, so plant the keyword, which is not.
		pngChunkBytes("zTXt", append([]byte(planted["png-ztxt"]+"\x00\x00"), 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)),
		pngChunkBytes("iCCP", append([]byte("icc "+planted["icc"]+"\x00\x00"), 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)),
	)
}

func gifWithComment(t *testing.T) []byte {
	pal := color.Palette{color.Black, color.White, color.RGBA{200, 30, 30, 255}}
	img := image.NewPaletted(image.Rect(0, 0, 120, 80), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 3)
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	g := buf.Bytes()
	// A comment extension right after the header and the global colour
	// table (13 bytes + 3 × 2^(n+1)).
	at := 13 + 3*(1<<(int(g[10]&7)+1))
	comment := append([]byte{0x21, 0xFE, byte(len(planted["gif-remark"]))}, planted["gif-remark"]...)
	comment = append(comment, 0)
	return append(append(append([]byte{}, g[:at]...), comment...), g[at:]...)
}

// webpWithMetadata wraps a lossy WebP in the extended format (VP8X) with
// EXIF (turned 90° clockwise, with planted strings) and XMP chunks.
func webpWithMetadata(t *testing.T) ([]byte, image.Config) {
	plain := readTestdata(t, "blue-purple-pink.lossy.webp")
	cfg, _, err := image.DecodeConfig(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	chunk := func(typ string, data []byte) []byte {
		c := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04 // EXIF and XMP present
	w, h := cfg.Width-1, cfg.Height-1
	vp8x[4], vp8x[5], vp8x[6] = byte(w), byte(w>>8), byte(w>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h), byte(h>>8), byte(h>>16)
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, plain[12:]...) // the VP8 chunk
	body = append(body, chunk("EXIF", tiffBlock(6, planted["webp-exif"]))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>"+planted["webp-xmp"]+"</x:xmpmeta>"))...)
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...), cfg
}

func TestMetadataDoesNotSurvive(t *testing.T) {
	p := processor(t, Options{})
	webpData, webpCfg := webpWithMetadata(t)
	tests := []struct {
		name  string
		file  string
		data  []byte
		kinds []string
	}{
		{"webp", "phone.webp", webpData, []string{"webp-exif", "webp-xmp"}},
		{"jpeg", "camera.jpg", jpegWithMetadata(t), []string{"exif", "xmp", "iptc", "icc", "comment"}},
		{"png", "screenshot.png", pngWithMetadata(t), []string{"png-text", "png-itxt", "png-exif", "png-ztxt", "icc"}},
		{"gif", "tracing.gif", gifWithComment(t), []string{"gif-remark"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The input carries every planted string, or the test proves nothing.
			for _, k := range tt.kinds {
				if !bytes.Contains(tt.data, []byte(planted[k])) {
					t.Fatalf("input lacks its %s metadata", k)
				}
			}
			out := process(t, p, tt.data, tt.file)
			if len(out.Renditions) != 3 {
				t.Fatalf("%d renditions, want 3", len(out.Renditions))
			}
			for _, r := range out.Renditions {
				for k, s := range planted {
					if bytes.Contains(r.Data, []byte(s)) {
						t.Errorf("%s size keeps the %s metadata %q", r.Size, k, s)
					}
				}
				for _, s := range []string{"Exif", "http://ns.adobe.com", "Photoshop", "8BIM", "ICC_PROFILE", "2019:05:17"} {
					if bytes.Contains(r.Data, []byte(s)) {
						t.Errorf("%s size contains %q", r.Size, s)
					}
				}
				switch r.ContentType {
				case "image/jpeg":
					if extra := jpegMarkers(r.Data); len(extra) > 0 {
						t.Errorf("%s size has metadata segments %X", r.Size, extra)
					}
				case "image/png":
					if extra := pngChunkTypes(r.Data); len(extra) > 0 {
						t.Errorf("%s size has chunks %v", r.Size, extra)
					}
				default:
					t.Errorf("%s size is %s", r.Size, r.ContentType)
				}
				decodeRendition(t, r)
			}
		})
	}
	// The WebP's EXIF turned it: width and height swap.
	out := process(t, p, webpData, "phone.webp")
	if out.Width != webpCfg.Height || out.Height != webpCfg.Width {
		t.Errorf("webp with orientation 6: %d × %d, want %d × %d", out.Width, out.Height, webpCfg.Height, webpCfg.Width)
	}
}

// jpegMarkers lists the segments before the scan other than the ones
// that describe the pixels (quantisation and Huffman tables, frame, restart
// interval).
func jpegMarkers(data []byte) []byte {
	var extra []byte
	for i := 2; i+4 <= len(data); {
		m := data[i+1]
		if m == 0xDA {
			break
		}
		switch m {
		case 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD:
		default:
			extra = append(extra, m)
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return extra
}

// pngChunkTypes lists the chunks other than those that hold the pixels.
func pngChunkTypes(data []byte) []string {
	var extra []string
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		switch typ := string(data[i+4 : i+8]); typ {
		case "IHDR", "PLTE", "IDAT", "IEND", "tRNS":
		default:
			extra = append(extra, typ)
		}
		i += 12 + n
	}
	return extra
}

func TestOrientationIsApplied(t *testing.T) {
	// Red on the left half, blue on the right, as the sensor saw it.
	src := image.NewRGBA(image.Rect(0, 0, 80, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 80; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 40 {
				c = color.RGBA{20, 20, 220, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	// Where the red half ends up for each orientation, as (x, y) of the
	// centre of the red part in a w × h result.
	tests := []struct {
		o          uint16
		w, h       int
		redX, redY int
	}{
		{1, 80, 40, 20, 20},
		{2, 80, 40, 60, 20}, // mirrored
		{3, 80, 40, 60, 20}, // turned 180°
		{6, 40, 80, 20, 20}, // turned 90° clockwise: the left goes to the top
		{8, 40, 80, 20, 60}, // turned 90° anticlockwise: the left goes to the bottom
	}
	p := processor(t, Options{})
	for _, tt := range tests {
		exif := append([]byte("Exif\x00\x00"), tiffBlock(tt.o, "x")...)
		data := withSegments(encodeJPEG(t, src), jpegSegment(0xE1, exif))
		out := process(t, p, data, "phone.jpg")
		full := decodeRendition(t, out.Renditions[2])
		if full.Rect.Dx() != tt.w || full.Rect.Dy() != tt.h {
			t.Errorf("orientation %d: %v, want %d × %d", tt.o, full.Rect, tt.w, tt.h)
			continue
		}
		if c := full.RGBAAt(tt.redX, tt.redY); c.R < 150 || c.B > 100 {
			t.Errorf("orientation %d: pixel (%d, %d) is %v, want red", tt.o, tt.redX, tt.redY, c)
		}
	}
}

func TestRefusals(t *testing.T) {
	jpg := encodeJPEG(t, photo(64, 48, 3))
	pngData := encodePNG(t, photo(64, 48, 4))
	// A PNG whose header claims 10 000 × 6 000 pixels and whose image
	// data is a few bytes: a decompression bomb's shape.
	bomb := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(bomb[16:], 10000)
	binary.BigEndian.PutUint32(bomb[20:], 6000)
	binary.BigEndian.PutUint32(bomb[29:], crc32IHDR(bomb))
	heic := append([]byte{0, 0, 0, 24}, "ftypheic\x00\x00\x00\x00mif1heic"...)

	tests := []struct {
		name, file, ctype string
		data              []byte
		max               int64
		want              Kind
		says              string
	}{
		{"pdf", "scan.pdf", "application/pdf", []byte("%PDF-1.7\n..."), 0, NotImage, "not an image Rounds accepts"},
		{"empty", "x.jpg", "", nil, 0, NotImage, "empty"},
		{"png named jpg", "photo.jpg", "image/jpeg", pngData, 0, WrongType, "says it is a JPEG image but holds a PNG"},
		{"content type lies", "photo", "image/png", jpg, 0, WrongType, "holds a JPEG"},
		{"text named png", "notes.png", "", []byte("just some text, not an image at all"), 0, WrongType, "not a PNG image"},
		{"heic", "IMG_0001.HEIC", "image/heic", heic, 0, Unsupported, "HEIC photos can't be read"},
		{"too large", "big.jpg", "", jpg, 100, TooLarge, "larger than 100 bytes"},
		{"bomb", "bomb.png", "", bomb, 0, TooManyPixels, "60 megapixels"},
		{"truncated", "cut.jpg", "", jpg[:len(jpg)/2], 0, Corrupt, "damaged or incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := processor(t, Options{MaxBytes: tt.max})
			_, err := p.Process(context.Background(), bytes.NewReader(tt.data), Source{Name: tt.file, ContentType: tt.ctype})
			if got := KindOf(err); got != tt.want {
				t.Fatalf("refused as %v (%v), want %v", got, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("message %q does not say %q", err.Error(), tt.says)
			}
		})
	}
}

// crc32IHDR recomputes the IHDR chunk's CRC after its size was changed.
func crc32IHDR(p []byte) uint32 {
	c := pngChunkBytes("IHDR", p[16:29])
	return binary.BigEndian.Uint32(c[len(c)-4:])
}

func TestSizes(t *testing.T) {
	p := processor(t, Options{})
	out := process(t, p, encodeJPEG(t, photo(2000, 1500, 5)), "ward.jpg")
	want := []struct {
		size Size
		w, h int
	}{{Thumb, 320, 240}, {Page, 1280, 960}, {Full, 2000, 1500}}
	for i, w := range want {
		r := out.Renditions[i]
		if r.Size != w.size || r.Width != w.w || r.Height != w.h || r.ContentType != "image/jpeg" {
			t.Errorf("rendition %d: %s %d × %d %s, want %s %d × %d image/jpeg", i, r.Size, r.Width, r.Height, r.ContentType, w.size, w.w, w.h)
		}
		decodeRendition(t, r)
	}
	// A small diagram stays one size and stays lossless.
	diagram := image.NewPaletted(image.Rect(0, 0, 200, 100), color.Palette{color.White, color.Black})
	for x := 0; x < 200; x++ {
		diagram.SetColorIndex(x, 50+x%20, 1)
	}
	out = process(t, p, encodePNG(t, diagram), "ecg.png")
	for _, r := range out.Renditions {
		if r.Width != 200 || r.Height != 100 || r.ContentType != "image/png" {
			t.Errorf("diagram %s: %d × %d %s, want 200 × 100 image/png", r.Size, r.Width, r.Height, r.ContentType)
		}
	}
}

func TestUploadsShareTheMemoryBudget(t *testing.T) {
	ctx := context.Background()
	small := encodeJPEG(t, photo(20, 20, 7))
	p := processor(t, Options{MemoryBudget: 1000 * bytesPerPixel})
	release, err := p.reserve(ctx, 1000) // the whole budget
	if err != nil {
		t.Fatal(err)
	}
	if p.mem.TryAcquire(1) {
		t.Fatal("the budget is not held")
	}
	// An upload arriving now waits; once its request is gone it gives
	// up, with an error that is not the member's fault.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Process(gone, bytes.NewReader(small), Source{Name: "x.jpg"}); err == nil || KindOf(err) != 0 {
		t.Errorf("an upload past the budget with its request gone: %v", err)
	}
	release()
	// Processing gives its share back, and an image larger than the
	// whole budget still runs, alone.
	big := processor(t, Options{MemoryBudget: 100})
	process(t, big, encodeJPEG(t, photo(200, 100, 8)), "big.jpg")
	for _, q := range []*Processor{p, big} {
		if !q.mem.TryAcquire(q.opts.MemoryBudget) {
			t.Error("the budget was not given back")
		}
	}
}

func TestGIFWithAFrameSmallerThanItsScreen(t *testing.T) {
	pal := color.Palette{color.White, color.Black}
	frame := image.NewPaletted(image.Rect(10, 10, 50, 40), pal)
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{ColorModel: pal, Width: 100, Height: 80}})
	if err != nil {
		t.Fatal(err)
	}
	out := process(t, processor(t, Options{}), buf.Bytes(), "tracing.gif")
	if out.Width != 40 || out.Height != 30 {
		t.Errorf("%d × %d, want the first frame's 40 × 30", out.Width, out.Height)
	}
}
