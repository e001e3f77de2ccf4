// Package dicom de-identifies DICOM files (.dcm) and renders their images
// for viewing.
//
// A DICOM file carries the patient in its header: name, ID, birth date,
// the institution, the physicians, accession numbers, dates and UIDs that
// lead back to the study in the hospital's archive. Deidentify removes or
// replaces them as the DICOM PS3.15 Basic Application Level
// Confidentiality Profile asks (see profile.go for the table and the
// options chosen): names and IDs emptied, dates moved back by a shift that
// is the same throughout one upload, UIDs remapped consistently, private
// attributes, overlays and curves dropped. Render turns the pixel data of
// the first frame into an image with a sensible window for viewing, and
// Edit writes the de-identified file, with any blurred or blacked-out
// boxes applied to the pixel data of every frame, for download.
//
// Uncompressed pixel data (implicit or explicit VR little endian), 8 or 16
// bits, monochrome or RGB, is supported; compressed transfer syntaxes
// (JPEG, JPEG-LS, JPEG 2000, RLE) are refused with ErrUnsupported, since
// their pixels can neither be shown nor checked for burned-in text here.
//
// Only the first frame is rendered, so only it is shown and checked for
// faces and burned-in text; edits apply to every frame, which covers the
// label a modality burns into the same place of each frame of a loop, but
// not something shown in a later frame alone.
package dicom

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// ErrUnsupported is a DICOM file Rounds reads but cannot show: compressed
// pixel data, a photometric interpretation or bit depth not handled, or
// no pixel data at all. Describe gives the member's message.
var ErrUnsupported = errors.New("unsupported DICOM file")

// errCorrupt is a file that does not parse.
var errCorrupt = errors.New("corrupt DICOM file")

// TooManyPixelsError is a file whose frames hold more pixels than allowed,
// read from its header before the pixel data.
type TooManyPixelsError struct{ Rows, Columns, Frames int }

func (e *TooManyPixelsError) Error() string {
	return fmt.Sprintf("DICOM image %d × %d in %d frames is too large", e.Columns, e.Rows, e.Frames)
}

// unsupported wraps ErrUnsupported with the member's message.
type unsupported struct{ msg string }

func (u *unsupported) Error() string { return u.msg }
func (u *unsupported) Is(target error) bool {
	return target == ErrUnsupported
}

// Describe returns the member-readable reason for an ErrUnsupported.
func Describe(err error) string {
	var u *unsupported
	if errors.As(err, &u) {
		return u.msg
	}
	return "This DICOM file cannot be shown on Rounds."
}

// transfer syntaxes whose pixel data Rounds reads.
const (
	implicitVRLittleEndian = "1.2.840.10008.1.2"
	explicitVRLittleEndian = "1.2.840.10008.1.2.1"
)

// File is a DICOM file read into memory.
type File struct {
	ds       dcm.Dataset
	pixels   *dcm.Element // PixelData, its value unprocessed (raw bytes)
	rows     int
	cols     int
	frames   int
	samples  int // 1 (monochrome) or 3 (RGB)
	bits     int // bits allocated: 8 or 16
	stored   int // bits stored
	signed   bool
	planar   bool // RGB stored as planes rather than interleaved
	photo    string
	report   Report
	deidDone bool
}

// Report says what Deidentify did, by attribute name, with no values, for
// the member to see and for the log.
type Report struct {
	Removed        []string // X: attributes taken out
	Emptied        []string // Z: attributes kept empty
	Replaced       []string // D: attributes given a dummy value
	Cleaned        []string // C: descriptions emptied because the identifier guard found something
	UIDsRemapped   int      // U: UIDs replaced
	DatesShifted   int      // C: dates moved back
	PrivateRemoved int      // private attributes (odd groups) removed
	DateShiftDays  int      // how many days the dates moved back
}

// Read parses a DICOM file, refusing one that is damaged, whose frames
// hold more than maxPixels pixels, or whose pixel data Rounds cannot read.
func Read(data []byte, maxPixels int64) (*File, error) {
	ts, err := metaTransferSyntax(data)
	if err != nil {
		return nil, err
	}
	switch ts {
	case implicitVRLittleEndian, explicitVRLittleEndian:
	default:
		return nil, &unsupported{msg: fmt.Sprintf(
			"This DICOM file's pixels are compressed (%s), which Rounds cannot show or check for burned-in text. Export the image uncompressed (explicit VR little endian) and upload that.", transferSyntaxName(ts))}
	}
	if err := checkLengths(data, ts == explicitVRLittleEndian); err != nil {
		return nil, err
	}
	// The header first, without the pixel data, to check its size.
	head, err := dcm.Parse(bytes.NewReader(data), int64(len(data)), nil, dcm.SkipPixelData())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	f := &File{}
	f.rows, f.cols = intOf(head, tag.Rows), intOf(head, tag.Columns)
	f.frames = max(1, intOf(head, tag.NumberOfFrames))
	if int64(f.rows)*int64(f.cols)*int64(f.frames) > maxPixels || f.rows > 1<<16 || f.cols > 1<<16 {
		return nil, &TooManyPixelsError{Rows: f.rows, Columns: f.cols, Frames: f.frames}
	}
	f.ds, err = dcm.Parse(bytes.NewReader(data), int64(len(data)), nil, dcm.SkipProcessingPixelDataValue())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	if err := f.readPixelFormat(); err != nil {
		return nil, err
	}
	return f, nil
}

// metaTransferSyntax reads (0002,0010) from the file meta group, which is
// always explicit VR little endian.
func metaTransferSyntax(data []byte) (string, error) {
	if len(data) < 132 || string(data[128:132]) != "DICM" {
		return "", fmt.Errorf("%w: no DICM marker", errCorrupt)
	}
	for p := 132; p+8 <= len(data); {
		group := binary.LittleEndian.Uint16(data[p:])
		if group != 0x0002 {
			break
		}
		elem := binary.LittleEndian.Uint16(data[p+2:])
		vr := string(data[p+4 : p+6])
		n, head := int(binary.LittleEndian.Uint16(data[p+6:])), 8
		if vr == "OB" || vr == "UN" || vr == "SQ" || vr == "UT" {
			if p+12 > len(data) {
				break
			}
			n, head = int(binary.LittleEndian.Uint32(data[p+8:])), 12
		}
		if n < 0 || p+head+n > len(data) {
			break
		}
		if elem == 0x0010 {
			return strings.TrimRight(string(data[p+head:p+head+n]), " \x00"), nil
		}
		p += head + n
	}
	return "", fmt.Errorf("%w: no transfer syntax in the file meta information", errCorrupt)
}

func transferSyntaxName(ts string) string {
	switch {
	case strings.HasPrefix(ts, "1.2.840.10008.1.2.4.5"), strings.HasPrefix(ts, "1.2.840.10008.1.2.4.7"),
		ts == "1.2.840.10008.1.2.4.57", ts == "1.2.840.10008.1.2.4.70":
		return "JPEG"
	case strings.HasPrefix(ts, "1.2.840.10008.1.2.4.8"):
		return "JPEG-LS"
	case strings.HasPrefix(ts, "1.2.840.10008.1.2.4.9"), strings.HasPrefix(ts, "1.2.840.10008.1.2.4.20"):
		return "JPEG 2000"
	case ts == "1.2.840.10008.1.2.5":
		return "RLE"
	case ts == "1.2.840.10008.1.2.1.99":
		return "deflate"
	case ts == "1.2.840.10008.1.2.2":
		return "big endian"
	}
	return "transfer syntax " + ts
}

// readPixelFormat reads the Image Pixel module and checks that Rounds can
// read the pixel data it describes.
func (f *File) readPixelFormat() error {
	var err error
	f.pixels, err = f.ds.FindElementByTag(tag.PixelData)
	if err != nil {
		return &unsupported{msg: "This DICOM file holds no image (no pixel data), so there is nothing to show."}
	}
	info, ok := f.pixels.Value.GetValue().(dcm.PixelDataInfo)
	if !ok || !info.IntentionallyUnprocessed {
		return &unsupported{msg: "This DICOM file's pixel data is stored in a way Rounds cannot read. Export the image uncompressed and upload that."}
	}
	f.samples = max(1, intOf(f.ds, tag.SamplesPerPixel))
	f.bits = intOf(f.ds, tag.BitsAllocated)
	f.stored = intOf(f.ds, tag.BitsStored)
	f.signed = intOf(f.ds, tag.PixelRepresentation) == 1
	f.planar = intOf(f.ds, tag.PlanarConfiguration) == 1
	f.photo = strings.TrimSpace(stringOf(f.ds, tag.PhotometricInterpretation))
	if f.stored <= 0 || f.stored > f.bits {
		f.stored = f.bits
	}
	switch {
	case f.rows <= 0 || f.cols <= 0:
		return fmt.Errorf("%w: no rows or columns", errCorrupt)
	case f.bits != 8 && f.bits != 16:
		return &unsupported{msg: fmt.Sprintf("This DICOM file stores %d bits per pixel; Rounds shows 8- and 16-bit images.", f.bits)}
	case f.samples == 1 && f.photo != "MONOCHROME1" && f.photo != "MONOCHROME2":
		return &unsupported{msg: fmt.Sprintf("This DICOM file's colours (%s) are not ones Rounds can show. Export it as greyscale or RGB.", f.photo)}
	case f.samples == 3 && (f.photo != "RGB" || f.bits != 8):
		return &unsupported{msg: fmt.Sprintf("This DICOM file's colours (%s, %d bits) are not ones Rounds can show. Export it as 8-bit RGB.", f.photo, f.bits)}
	case f.samples != 1 && f.samples != 3:
		return &unsupported{msg: "This DICOM file's pixels are in a layout Rounds cannot show."}
	}
	if want := f.rows * f.cols * f.samples * f.bits / 8 * f.frames; len(info.UnprocessedValueData) < want {
		return fmt.Errorf("%w: pixel data has %d bytes, the header says %d", errCorrupt, len(info.UnprocessedValueData), want)
	}
	return nil
}

// Size returns the image's columns and rows.
func (f *File) Size() (cols, rows int) { return f.cols, f.rows }

// Report says what Deidentify did.
func (f *File) Report() Report { return f.report }

func intOf(ds dcm.Dataset, t tag.Tag) int {
	e, err := ds.FindElementByTag(t)
	if err != nil {
		return 0
	}
	switch v := e.Value.GetValue().(type) {
	case []int:
		if len(v) > 0 {
			return v[0]
		}
	case []string:
		if len(v) > 0 {
			n, _ := strconv.Atoi(strings.TrimSpace(v[0]))
			return n
		}
	}
	return 0
}

func stringOf(ds dcm.Dataset, t tag.Tag) string {
	e, err := ds.FindElementByTag(t)
	if err != nil {
		return ""
	}
	if v, ok := e.Value.GetValue().([]string); ok && len(v) > 0 {
		return v[0]
	}
	return ""
}

func floatOf(ds dcm.Dataset, t tag.Tag) (float64, bool) {
	s := strings.TrimSpace(stringOf(ds, t))
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Bytes writes the file as it now is.
func (f *File) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := dcm.Write(&buf, f.ds, dcm.SkipVRVerification(), dcm.SkipValueTypeVerification()); err != nil {
		return nil, fmt.Errorf("write dicom: %w", err)
	}
	return buf.Bytes(), nil
}
