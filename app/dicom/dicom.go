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
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"rounds/app/phi"
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

// Deidentify applies the Basic Application Level Confidentiality Profile
// to every attribute, nested ones included. key makes it repeatable: the
// same key gives the same UIDs and the same date shift.
func (f *File) Deidentify(key []byte) {
	if f.deidDone {
		return
	}
	f.deidDone = true
	d := deidentifier{key: key, shift: dateShift(key), report: &f.report}
	f.report.DateShiftDays = d.shift
	f.ds.Elements = d.elements(f.ds.Elements)
	// Say so in the file, as PS3.15 E.1.1 asks.
	for _, e := range []struct {
		t tag.Tag
		v []string
	}{
		{tag.Tag{Group: 0x0012, Element: 0x0062}, []string{"YES"}},
		{tag.Tag{Group: 0x0012, Element: 0x0063}, []string{"DICOM PS3.15 Basic Application Level Confidentiality Profile, Modified Dates and Clean Descriptors Options (Rounds)"}},
		{tag.Tag{Group: 0x0028, Element: 0x0303}, []string{"MODIFIED"}}, // Longitudinal Temporal Information Modified
	} {
		el, err := dcm.NewElement(e.t, e.v)
		if err == nil {
			f.ds.Elements = insertSorted(f.ds.Elements, el)
		}
	}
}

// dateShift is how many days back the upload's dates move: between 1
// and about 10 years, whole days, from the key.
func dateShift(key []byte) int {
	sum := keyed(key, "date-shift")
	return 365 + int(binary.BigEndian.Uint32(sum[:4])%(3287))
}

func keyed(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

type deidentifier struct {
	key    []byte
	shift  int
	report *Report
}

// elements applies the profile to a list of elements and returns what is
// kept, in order.
func (d deidentifier) elements(in []*dcm.Element) []*dcm.Element {
	out := in[:0]
	for _, e := range in {
		if keep := d.element(e); keep {
			out = append(out, e)
		}
	}
	return out
}

// element applies the profile to one element, in place; false means it
// is removed.
func (d deidentifier) element(e *dcm.Element) bool {
	t := e.Tag
	name := tagName(t)
	switch {
	case t.Group%2 == 1:
		d.report.PrivateRemoved++
		return false
	case t.Group&0xFF00 == 0x5000 || t.Group&0xFF00 == 0x6000:
		d.report.Removed = append(d.report.Removed, name)
		return false
	}
	action, listed := profile[t]
	vr := e.RawValueRepresentation
	if !listed {
		// What the table does not list is kept, except the kinds of value
		// that identify wherever they appear.
		switch {
		case vr == "PN":
			action = Z
		case vr == "DA" || vr == "DT":
			action = C
		case vr == "UI" && t != tag.TransferSyntaxUID:
			action = U
		case vr == "SQ":
			d.sequence(e)
			return true
		default:
			return true
		}
	}
	switch action {
	case X:
		d.report.Removed = append(d.report.Removed, name)
		return false
	case Z:
		e.Value = mustValue([]string{""})
		d.report.Emptied = append(d.report.Emptied, name)
	case D:
		e.Value = mustValue([]string{dummy(vr)})
		d.report.Replaced = append(d.report.Replaced, name)
	case U:
		d.remapUIDs(e)
	case C:
		d.clean(e, name)
	case K:
		if vr == "SQ" {
			d.sequence(e)
		}
	}
	return true
}

// sequence applies the profile inside every item of a sequence.
func (d deidentifier) sequence(e *dcm.Element) {
	items, ok := e.Value.GetValue().([]*dcm.SequenceItemValue)
	if !ok {
		return
	}
	kept := make([][]*dcm.Element, len(items))
	for i, item := range items {
		els, _ := item.GetValue().([]*dcm.Element)
		kept[i] = d.elements(els)
	}
	e.Value = mustValue(kept)
}

// remapUIDs replaces each UID but the standard's own (SOP classes,
// transfer syntaxes, coding schemes under 1.2.840.10008) with
// 2.25.<decimal of 128 bits of HMAC-SHA256(key, uid)>: the same UID maps
// to the same new one throughout the upload, so references between the
// file's attributes still hold, and no one without the key can go back.
func (d deidentifier) remapUIDs(e *dcm.Element) {
	vals, ok := e.Value.GetValue().([]string)
	if !ok {
		return
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		v = strings.TrimRight(v, " \x00")
		if v == "" || strings.HasPrefix(v, "1.2.840.10008.") {
			out[i] = v
			continue
		}
		sum := keyed(d.key, "uid:"+v)
		out[i] = "2.25." + new(big.Int).SetBytes(sum[:16]).String()
		d.report.UIDsRemapped++
	}
	e.Value = mustValue(out)
}

// clean moves dates back by the shift and keeps a description only when
// the identifier guard finds nothing in it.
func (d deidentifier) clean(e *dcm.Element, name string) {
	vals, ok := e.Value.GetValue().([]string)
	if !ok {
		return
	}
	switch e.RawValueRepresentation {
	case "DA", "DT":
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = shiftDate(strings.TrimSpace(v), d.shift)
		}
		e.Value = mustValue(out)
		d.report.DatesShifted++
	default:
		for _, v := range vals {
			if len(phi.Scan(v)) > 0 {
				e.Value = mustValue([]string{""})
				d.report.Cleaned = append(d.report.Cleaned, name)
				return
			}
		}
	}
}

// shiftDate moves a DA (YYYYMMDD) or the date of a DT (YYYYMMDDhhmmss…)
// back by days; a value it cannot read is emptied rather than kept.
func shiftDate(v string, days int) string {
	if v == "" {
		return ""
	}
	if len(v) < 8 {
		return ""
	}
	y, err1 := strconv.Atoi(v[:4])
	m, err2 := strconv.Atoi(v[4:6])
	dd, err3 := strconv.Atoi(v[6:8])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || dd < 1 || dd > 31 {
		return ""
	}
	t := civil(y, m, dd).AddDate(0, 0, -days)
	out := t.Format("20060102")
	if len(v) > 8 {
		// A DT keeps its time, but not its offset from UTC, which says
		// where in the world it was taken.
		rest := v[8:]
		if i := strings.IndexAny(rest, "+-"); i >= 0 {
			rest = rest[:i]
		}
		out += rest
	}
	return out
}

// civil is a calendar date at noon UTC, away from any day's edge.
func civil(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }

// dummy is a D value for a VR.
func dummy(vr string) string {
	switch vr {
	case "PN":
		return "ANONYMOUS"
	case "DA":
		return "19000101"
	case "TM":
		return "000000"
	case "DT":
		return "19000101000000"
	case "IS", "DS":
		return "0"
	case "UI":
		return "2.25.0"
	}
	return "REMOVED"
}

func mustValue(data any) dcm.Value {
	v, err := dcm.NewValue(data)
	if err != nil {
		panic(fmt.Sprintf("dicom value %T: %v", data, err)) // only our own literal types reach here
	}
	return v
}

func tagName(t tag.Tag) string {
	if info, err := tag.Find(t); err == nil {
		return info.Name
	}
	return fmt.Sprintf("(%04X,%04X)", t.Group, t.Element)
}

// insertSorted adds or replaces an element, keeping tag order.
func insertSorted(els []*dcm.Element, e *dcm.Element) []*dcm.Element {
	for i, x := range els {
		if x.Tag == e.Tag {
			els[i] = e
			return els
		}
		if x.Tag.Compare(e.Tag) > 0 {
			return append(els[:i], append([]*dcm.Element{e}, els[i:]...)...)
		}
	}
	return append(els, e)
}

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
