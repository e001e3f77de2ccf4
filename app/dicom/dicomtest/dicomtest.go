// Package dicomtest writes small DICOM files for tests, with the
// suyashkumar/dicom writer, so tests read files made the way a modality's
// would be rather than bytes copied from somewhere.
package dicomtest

import (
	"bytes"
	"strconv"
	"testing"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// Secondary Capture Image Storage, the SOP class of a screenshot or a
// scanned film.
const SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7"

// Spec describes a file: its image and any further attributes.
type Spec struct {
	Rows, Columns int
	Frames        int    // 0 means one frame, without Number of Frames
	Bits          int    // bits allocated: 8 or 16 (default 16)
	Stored        int    // bits stored (default Bits)
	Signed        bool   // Pixel Representation 1
	Photometric   string // default MONOCHROME2
	Samples       int    // default 1; 3 for RGB
	// Pixels is the raw pixel data, little endian; nil means a ramp.
	Pixels         []byte
	TransferSyntax string // default explicit VR little endian
	// SOPInstanceUID is the instance's UID, also in the file meta.
	SOPInstanceUID string
	// Extra are further attributes, in any order.
	Extra []*dcm.Element
}

// Element makes an element from the dictionary's VR, failing the test
// when the tag is unknown.
func Element(t testing.TB, tg tag.Tag, data any) *dcm.Element {
	t.Helper()
	e, err := dcm.NewElement(tg, data)
	if err != nil {
		t.Fatalf("element %v: %v", tg, err)
	}
	return e
}

// Private makes an element of a private (odd) group with the VR given.
func Private(t testing.TB, tg tag.Tag, vr string, data any) *dcm.Element {
	t.Helper()
	v, err := dcm.NewValue(data)
	if err != nil {
		t.Fatal(err)
	}
	return &dcm.Element{Tag: tg, ValueRepresentation: tag.GetVRKind(tg, vr), RawValueRepresentation: vr, Value: v}
}

// File writes the file described.
func File(t testing.TB, s Spec) []byte {
	t.Helper()
	if s.Bits == 0 {
		s.Bits = 16
	}
	if s.Stored == 0 {
		s.Stored = s.Bits
	}
	if s.Photometric == "" {
		s.Photometric = "MONOCHROME2"
	}
	if s.Samples == 0 {
		s.Samples = 1
	}
	if s.TransferSyntax == "" {
		s.TransferSyntax = "1.2.840.10008.1.2.1"
	}
	if s.SOPInstanceUID == "" {
		s.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.1.1"
	}
	frames := max(s.Frames, 1)
	if s.Pixels == nil {
		n := s.Rows * s.Columns * s.Samples * frames
		s.Pixels = make([]byte, n*s.Bits/8)
		for i := 0; i < n; i++ {
			v := (i * 7) % (1 << min(s.Stored, 12))
			if s.Bits == 8 {
				s.Pixels[i] = byte(v)
			} else {
				s.Pixels[2*i], s.Pixels[2*i+1] = byte(v), byte(v>>8)
			}
		}
	}
	pixelRep := 0
	if s.Signed {
		pixelRep = 1
	}
	els := []*dcm.Element{
		Element(t, tag.MediaStorageSOPClassUID, []string{SecondaryCapture}),
		Element(t, tag.MediaStorageSOPInstanceUID, []string{s.SOPInstanceUID}),
		Element(t, tag.TransferSyntaxUID, []string{s.TransferSyntax}),
		Element(t, tag.SOPClassUID, []string{SecondaryCapture}),
		Element(t, tag.SOPInstanceUID, []string{s.SOPInstanceUID}),
		Element(t, tag.Modality, []string{"OT"}),
		Element(t, tag.SamplesPerPixel, []int{s.Samples}),
		Element(t, tag.PhotometricInterpretation, []string{s.Photometric}),
		Element(t, tag.Rows, []int{s.Rows}),
		Element(t, tag.Columns, []int{s.Columns}),
		Element(t, tag.BitsAllocated, []int{s.Bits}),
		Element(t, tag.BitsStored, []int{s.Stored}),
		Element(t, tag.HighBit, []int{s.Stored - 1}),
		Element(t, tag.PixelRepresentation, []int{pixelRep}),
		Element(t, tag.PixelData, dcm.PixelDataInfo{IntentionallyUnprocessed: true, UnprocessedValueData: s.Pixels}),
	}
	if s.Samples == 3 {
		els = append(els, Element(t, tag.PlanarConfiguration, []int{0}))
	}
	if s.Frames > 0 {
		els = append(els, Element(t, tag.NumberOfFrames, []string{strconv.Itoa(s.Frames)}))
	}
	els = append(els, s.Extra...)
	sortElements(els)
	var buf bytes.Buffer
	if err := dcm.Write(&buf, dcm.Dataset{Elements: els}, dcm.SkipVRVerification(), dcm.SkipValueTypeVerification()); err != nil {
		t.Fatalf("write dicom: %v", err)
	}
	return buf.Bytes()
}

func sortElements(els []*dcm.Element) {
	for i := 1; i < len(els); i++ {
		for j := i; j > 0 && els[j-1].Tag.Compare(els[j].Tag) > 0; j-- {
			els[j-1], els[j] = els[j], els[j-1]
		}
	}
}
