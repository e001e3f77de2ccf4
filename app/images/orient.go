package images

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Phones store a photo as the sensor saw it and say in EXIF tag 0x0112
// (Orientation) how to turn it for viewing. Re-encoding drops EXIF, so the
// turn is applied to the pixels first, or a portrait photo would come out
// lying on its side. Only that one tag is read; everything else in EXIF is
// thrown away with it.

// orientation returns the EXIF orientation (1–8) stored in data, or 1
// when there is none or it cannot be read.
func orientation(data []byte, f Format) int {
	var tiff []byte
	switch f {
	case JPEG:
		tiff = jpegExif(data)
	case PNG:
		tiff = pngChunk(data, "eXIf")
	case WebP:
		tiff = webpChunk(data, "EXIF")
		// Some writers keep the JPEG-style "Exif\0\0" prefix.
		tiff = bytes.TrimPrefix(tiff, []byte("Exif\x00\x00"))
	}
	if o := tiffOrientation(tiff); o >= 1 && o <= 8 {
		return o
	}
	return 1
}

// jpegExif returns the TIFF block of a JPEG's first APP1 Exif segment.
func jpegExif(data []byte) []byte {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan: no more headers
			return nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

// pngChunk returns the data of the first chunk of the given type.
func pngChunk(data []byte, typ string) []byte {
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 0 || i+12+n > len(data) {
			return nil
		}
		if string(data[i+4:i+8]) == typ {
			return data[i+8 : i+8+n]
		}
		if string(data[i+4:i+8]) == "IDAT" && typ == "eXIf" {
			// eXIf must come before the image data.
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpChunk returns the data of the first RIFF chunk of the given type.
func webpChunk(data []byte, typ string) []byte {
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || i+8+n > len(data) {
			return nil
		}
		if string(data[i:i+4]) == typ {
			return data[i+8 : i+8+n]
		}
		i += 8 + n + n&1 // chunks are padded to an even length
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block, or 0.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	if order.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(order.Uint16(t[ifd:]))
	for e := 0; e < count; e++ {
		p := ifd + 2 + 12*e
		if p+12 > len(t) {
			return 0
		}
		if order.Uint16(t[p:]) != 0x0112 {
			continue
		}
		if typ := order.Uint16(t[p+2:]); typ != 3 { // SHORT
			return 0
		}
		return int(order.Uint16(t[p+8:]))
	}
	return 0
}

// orient returns src turned as EXIF orientation o asks: 2 mirror, 3 turn
// 180°, 4 flip, 5 transpose, 6 turn 90° clockwise, 7 transverse, 8 turn
// 90° anticlockwise. It returns src itself for 1.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// Each source row lands on a line of dst that is straight in x: it
	// starts at first(y) and moves by step bytes per source pixel.
	S := dst.Stride
	for y := 0; y < h; y++ {
		var first, step int
		switch o {
		case 2:
			first, step = y*S+4*(w-1), -4
		case 3:
			first, step = (h-1-y)*S+4*(w-1), -4
		case 4:
			first, step = (h-1-y)*S, 4
		case 5:
			first, step = 4*y, S
		case 6:
			first, step = 4*(h-1-y), S
		case 7:
			first, step = (w-1)*S+4*(h-1-y), -S
		case 8:
			first, step = (w-1)*S+4*y, -S
		}
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		d := first
		for x := 0; x < 4*w; x += 4 {
			p := dst.Pix[d : d+4 : d+4]
			p[0], p[1], p[2], p[3] = row[x], row[x+1], row[x+2], row[x+3]
			d += step
		}
	}
	return dst
}
