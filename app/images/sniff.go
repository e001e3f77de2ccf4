package images

import (
	"bytes"
	"mime"
	"path"
	"strings"
)

// Format is a file format an upload's bytes can be in.
type Format string

// The formats Rounds recognises. JPEG, PNG, GIF, WebP and DICOM are
// accepted; the others are recognised only to refuse them by name.
const (
	JPEG  Format = "jpeg"
	PNG   Format = "png"
	GIF   Format = "gif"
	WebP  Format = "webp"
	DICOM Format = "dicom"
	HEIC  Format = "heic"
	AVIF  Format = "avif"
	TIFF  Format = "tiff"
	BMP   Format = "bmp"
)

// Accepted lists the formats Process reads.
var Accepted = []Format{JPEG, PNG, GIF, WebP, DICOM}

// Name is the format as a member knows it.
func (f Format) Name() string {
	switch f {
	case JPEG, PNG, GIF, HEIC, AVIF, TIFF, BMP:
		return strings.ToUpper(string(f))
	case WebP:
		return "WebP"
	case DICOM:
		return "DICOM"
	}
	return string(f)
}

// ContentType is the media type the format is served with.
func (f Format) ContentType() string {
	if f == DICOM {
		return "application/dicom"
	}
	return "image/" + string(f)
}

// sniff names the format of data from its first bytes, or "" when it is
// none Rounds recognises.
func sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	case len(data) >= 132 && string(data[128:132]) == "DICM":
		return DICOM
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return TIFF
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return BMP
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		// ISO base media: HEIF/HEIC photos (iPhones) and AVIF share the box.
		switch brand := string(data[8:12]); brand {
		case "avif", "avis":
			return AVIF
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return HEIC
		}
	}
	return ""
}

// claimed is the format a file's name or its content type says it is,
// or "" when they say nothing Rounds knows (no extension, .bin,
// application/octet-stream). DICOM files often carry no extension or an
// odd one (.IMA, numbered files), so only a known claim is held against
// the bytes.
func claimed(name, contentType string) []Format {
	var claims []Format
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	switch ext {
	case ".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg":
		claims = append(claims, JPEG)
	case ".png":
		claims = append(claims, PNG)
	case ".gif":
		claims = append(claims, GIF)
	case ".webp":
		claims = append(claims, WebP)
	case ".dcm", ".dicom":
		claims = append(claims, DICOM)
	case ".heic", ".heif":
		claims = append(claims, HEIC)
	case ".avif":
		claims = append(claims, AVIF)
	case ".tif", ".tiff":
		claims = append(claims, TIFF)
	case ".bmp":
		claims = append(claims, BMP)
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return claims
	}
	switch media {
	case "image/jpeg", "image/pjpeg", "image/jpg":
		claims = append(claims, JPEG)
	case "image/png", "image/x-png":
		claims = append(claims, PNG)
	case "image/gif":
		claims = append(claims, GIF)
	case "image/webp":
		claims = append(claims, WebP)
	case "application/dicom":
		claims = append(claims, DICOM)
	case "image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence":
		claims = append(claims, HEIC)
	case "image/avif":
		claims = append(claims, AVIF)
	case "image/tiff":
		claims = append(claims, TIFF)
	case "image/bmp", "image/x-bmp", "image/x-ms-bmp":
		claims = append(claims, BMP)
	}
	return claims
}

// checkFormat decides what data is, given what the member's browser said
// it was: a refusal when the bytes are no image Rounds reads, or when
// they are not what the name or content type claims.
func checkFormat(data []byte, name, contentType string) (Format, error) {
	got := sniff(data)
	for _, claim := range claimed(name, contentType) {
		if got != "" && claim != got {
			return "", refuse(WrongType, nil,
				"This file says it is a %s image but holds a %s image, so Rounds did not keep it. Save it again as %s (or rename it to match) and upload that.",
				claim.Name(), got.Name(), got.Name())
		}
		if got == "" {
			return "", refuse(WrongType, nil,
				"This file says it is a %s image but its contents are not a %s image Rounds can read, so Rounds did not keep it. It may be damaged, or another kind of file renamed.",
				claim.Name(), claim.Name())
		}
	}
	switch got {
	case JPEG, PNG, GIF, WebP, DICOM:
		return got, nil
	case HEIC, AVIF:
		return "", refuse(Unsupported, nil,
			"%s photos can't be read on this server. Export the photo as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible, or share it as JPEG) and upload that.", got.Name())
	case TIFF, BMP:
		return "", refuse(Unsupported, nil,
			"%s images are not accepted. Save the image as PNG or JPEG and upload that.", got.Name())
	}
	return "", refuse(NotImage, nil,
		"This file is not an image Rounds accepts. Upload a JPEG, PNG, WebP or GIF image, or a DICOM (.dcm) file.")
}
