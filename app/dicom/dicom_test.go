package dicom

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"sort"
	"strings"
	"testing"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"rounds/app/dicom/dicomtest"
)

var testKey = []byte("a test key of thirty-two bytes!!")

// plantedValue is a value for an attribute of the profile, by its VR, that
// marks it as the test's: "PL" and the tag for text, 1.2.3.4.… for UIDs,
// 20190517 for dates.
func plantedValue(t tag.Tag, vr string) any {
	mark := fmt.Sprintf("PL%04X%04X", t.Group, t.Element)
	switch vr {
	case "PN", "LO", "SH", "LT", "ST", "UT", "CS", "AE", "UC", "UR":
		return []string{mark}
	case "DA":
		return []string{"20190517"}
	case "DT":
		return []string{"20190517101112+0100"}
	case "TM":
		return []string{"101112"}
	case "UI":
		return []string{fmt.Sprintf("1.2.3.4.%d.%d", t.Group, t.Element)}
	case "IS":
		return []string{"4242"}
	case "DS":
		return []string{"77.5"}
	case "AS":
		return []string{"067Y"}
	case "US", "UL", "SS", "SL":
		return []int{7}
	case "OB", "OW", "UN":
		return []byte(mark + "  ")
	case "SQ":
		return nil // built by the caller
	}
	return nil
}

// everyAttribute builds, for each attribute of the profile the dictionary
// knows, an element with a planted value; sequences hold an item with a
// planted name and a planted UID.
func everyAttribute(t *testing.T) (els []*dcm.Element, actions map[tag.Tag]Action) {
	actions = map[tag.Tag]Action{}
	for tg, action := range profile {
		if tg.Group == 0x0002 || tg == (tag.Tag{Group: 0xFFFC, Element: 0xFFFC}) || tg == (tag.Tag{Group: 0xFFFA, Element: 0xFFFA}) {
			continue // file meta is written by the writer; trailing padding must stay last
		}
		info, err := tag.Find(tg)
		if err != nil {
			continue
		}
		var data any
		if info.VR == "SQ" {
			data = [][]*dcm.Element{{
				dicomtest.Element(t, tag.Tag{Group: 0x0008, Element: 0x0080}, []string{fmt.Sprintf("PLNESTED%04X%04X", tg.Group, tg.Element)}),
			}}
		} else {
			data = plantedValue(tg, info.VR)
		}
		if data == nil {
			t.Logf("no test value for %s (%s)", info.Name, info.VR)
			continue
		}
		els = append(els, dicomtest.Element(t, tg, data))
		actions[tg] = action
	}
	return els, actions
}

func TestDeidentifyRemovesEveryProfileAttribute(t *testing.T) {
	extra, actions := everyAttribute(t)
	if len(actions) < 150 {
		t.Fatalf("only %d profile attributes built", len(actions))
	}
	sopUID := "1.2.3.4.999.1"
	extra = append(extra,
		// A private creator and value, an overlay, a PN and a date the
		// table does not list, a kept and a cleaned description, and a
		// sequence the table does not list that refers to this instance.
		dicomtest.Private(t, tag.Tag{Group: 0x0009, Element: 0x0010}, "LO", []string{"PLPRIVATECREATOR"}),
		dicomtest.Private(t, tag.Tag{Group: 0x0009, Element: 0x1001}, "LO", []string{"PLPRIVATEVALUE"}),
		dicomtest.Private(t, tag.Tag{Group: 0x6000, Element: 0x3000}, "OW", []byte("PLOVERLAYDATA...")),
		dicomtest.Element(t, tag.Tag{Group: 0x0040, Element: 0x2008}, []string{"PLORDERENTEREDBY"}),
		dicomtest.Element(t, tag.Tag{Group: 0x0018, Element: 0x1012}, []string{"20190517"}),
		dicomtest.Element(t, tag.Tag{Group: 0x0008, Element: 0x1140}, [][]*dcm.Element{{
			dicomtest.Element(t, tag.Tag{Group: 0x0008, Element: 0x1150}, []string{dicomtest.SecondaryCapture}),
			dicomtest.Element(t, tag.Tag{Group: 0x0008, Element: 0x1155}, []string{sopUID}),
		}}),
	)
	// Descriptions: one that says only what the image is, kept; one that
	// names the patient, emptied.
	for i, e := range extra {
		switch e.Tag {
		case tag.Tag{Group: 0x0008, Element: 0x1030}:
			extra[i] = dicomtest.Element(t, e.Tag, []string{"CT CHEST WITH CONTRAST"})
		case tag.Tag{Group: 0x0008, Element: 0x103E}:
			extra[i] = dicomtest.Element(t, e.Tag, []string{"PLSERIES John Smith MRN 12345678"})
		}
	}
	in := dicomtest.File(t, dicomtest.Spec{Rows: 16, Columns: 16, SOPInstanceUID: sopUID, Extra: extra})

	f, err := Read(in, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f.Deidentify(testKey)
	out, err := f.Edit(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dcm.Parse(bytes.NewReader(out), int64(len(out)), nil)
	if err != nil {
		t.Fatalf("the de-identified file does not parse: %v", err)
	}
	shift := f.Report().DateShiftDays
	if shift < 365 {
		t.Errorf("dates shifted by %d days", shift)
	}
	shifted := shiftDate("20190517", shift)

	var tags []tag.Tag
	for tg := range actions {
		tags = append(tags, tg)
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Compare(tags[j]) < 0 })
	for _, tg := range tags {
		action := actions[tg]
		name := tagName(tg)
		e, err := ds.FindElementByTag(tg)
		if action == X {
			if err == nil {
				t.Errorf("%s (X) kept: %v", name, e.Value)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%c) removed, want it kept", name, action)
			continue
		}
		vals, _ := e.Value.GetValue().([]string)
		got := strings.Join(vals, `\`)
		switch action {
		case Z:
			if got != "" {
				t.Errorf("%s (Z) is %q, want empty", name, got)
			}
		case D:
			if got != dummy(e.RawValueRepresentation) {
				t.Errorf("%s (D) is %q", name, got)
			}
		case U:
			if !strings.HasPrefix(got, "2.25.") || strings.Contains(got, "1.2.3.4.") {
				t.Errorf("%s (U) is %q, want a new 2.25 UID", name, got)
			}
		case C:
			switch e.RawValueRepresentation {
			case "DA":
				if got != shifted {
					t.Errorf("%s (C) is %q, want %q", name, got, shifted)
				}
			case "DT":
				if got != shifted+"101112" {
					t.Errorf("%s (C) is %q, want %q", name, got, shifted+"101112")
				}
			}
		case K:
			if got != "101112" {
				t.Errorf("%s (K) is %q, want it kept", name, got)
			}
		}
	}
	str := func(tg tag.Tag) string {
		e, err := ds.FindElementByTag(tg)
		if err != nil {
			return "<absent>"
		}
		v, _ := e.Value.GetValue().([]string)
		return strings.Join(v, `\`)
	}
	if got := str(tag.Tag{Group: 0x0008, Element: 0x1030}); got != "CT CHEST WITH CONTRAST" {
		t.Errorf("study description %q, want it kept", got)
	}
	if got := str(tag.Tag{Group: 0x0008, Element: 0x103E}); got != "" {
		t.Errorf("series description %q, want it cleaned", got)
	}
	if got := str(tag.Tag{Group: 0x0040, Element: 0x2008}); got != "" {
		t.Errorf("a person's name the table does not list is %q", got)
	}
	if got := str(tag.Tag{Group: 0x0018, Element: 0x1012}); got != shifted {
		t.Errorf("a date the table does not list is %q, want %q", got, shifted)
	}
	if got := str(tag.Tag{Group: 0x0012, Element: 0x0062}); got != "YES" {
		t.Errorf("Patient Identity Removed is %q", got)
	}
	// UIDs map consistently: the instance, its file meta copy and the
	// reference to it are the same new UID.
	newUID := str(tag.SOPInstanceUID)
	if meta := str(tag.MediaStorageSOPInstanceUID); meta != newUID {
		t.Errorf("file meta instance UID %q, dataset %q", meta, newUID)
	}
	ref, err := ds.FindElementByTagNested(tag.Tag{Group: 0x0008, Element: 0x1155})
	if err != nil || strings.Join(ref.Value.GetValue().([]string), "") != newUID {
		t.Errorf("the referenced instance UID is not remapped like the instance's: %v", ref)
	}
	if str(tag.SOPClassUID) != dicomtest.SecondaryCapture {
		t.Errorf("SOP class UID changed to %q", str(tag.SOPClassUID))
	}
	// And nothing planted is left anywhere in the file's bytes.
	// (Protocol Name says only "PL00181030", nothing identifying, so the
	// Clean Descriptors Option keeps it.)
	rest := bytes.ReplaceAll(out, []byte("PL00181030"), nil)
	for _, s := range []string{"PL", "1.2.3.4.", "20190517", "+0100", "John Smith", "12345678"} {
		if s == "PL" {
			out := rest
			if i := bytes.Index(out, []byte(s)); i >= 0 {
				t.Errorf("the file still holds %q: …%q…", s, out[max(0, i-20):min(len(out), i+30)])
			}
			continue
		}
		if i := bytes.Index(out, []byte(s)); i >= 0 {
			t.Errorf("the file still holds %q: …%q…", s, out[max(0, i-20):min(len(out), i+30)])
		}
	}
	for _, s := range []string{"PL0010", "PLPRIVATE", "PLOVERLAY", "PLNESTED"} {
		if !bytes.Contains(in, []byte(s)) {
			t.Fatalf("the input lacks %q: the test proves nothing", s)
		}
	}
	r := f.Report()
	if r.PrivateRemoved != 2 || r.UIDsRemapped == 0 || len(r.Removed) == 0 || len(r.Emptied) == 0 {
		t.Errorf("report %+v", r)
	}
}

func TestDeidentifyIsRepeatableForOneKey(t *testing.T) {
	in := dicomtest.File(t, dicomtest.Spec{Rows: 8, Columns: 8, Extra: []*dcm.Element{
		dicomtest.Element(t, tag.StudyInstanceUID, []string{"1.2.3.4.5"}),
		dicomtest.Element(t, tag.StudyDate, []string{"20200101"}),
	}})
	study := func(key []byte) (string, string) {
		f, err := Read(in, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		f.Deidentify(key)
		return strings.Join(mustStrings(t, f.ds, tag.StudyInstanceUID), ""), strings.Join(mustStrings(t, f.ds, tag.StudyDate), "")
	}
	u1, d1 := study(testKey)
	u2, d2 := study(testKey)
	u3, d3 := study([]byte("another key"))
	if u1 != u2 || d1 != d2 {
		t.Errorf("one key gave %s %s and %s %s", u1, d1, u2, d2)
	}
	if u1 == u3 || d1 == d3 {
		t.Errorf("two keys gave the same UID %s or date %s", u1, d1)
	}
}

func mustStrings(t *testing.T, ds dcm.Dataset, tg tag.Tag) []string {
	t.Helper()
	e, err := ds.FindElementByTag(tg)
	if err != nil {
		t.Fatalf("%v: %v", tg, err)
	}
	return e.Value.GetValue().([]string)
}

func le16(vals ...int) []byte {
	b := make([]byte, 2*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

func TestRender(t *testing.T) {
	window := func(c, w string) []*dcm.Element {
		return []*dcm.Element{
			{Tag: tag.WindowCenter, RawValueRepresentation: "DS", ValueRepresentation: tag.VRString, Value: mustValue([]string{c})},
			{Tag: tag.WindowWidth, RawValueRepresentation: "DS", ValueRepresentation: tag.VRString, Value: mustValue([]string{w})},
		}
	}
	rescale := []*dcm.Element{
		{Tag: tag.RescaleIntercept, RawValueRepresentation: "DS", ValueRepresentation: tag.VRString, Value: mustValue([]string{"-1024"})},
		{Tag: tag.RescaleSlope, RawValueRepresentation: "DS", ValueRepresentation: tag.VRString, Value: mustValue([]string{"1"})},
	}
	tests := []struct {
		name string
		spec dicomtest.Spec
		want []uint8
	}{
		{"min to max", dicomtest.Spec{Pixels: le16(100, 200, 300, 400)}, []uint8{0, 85, 170, 255}},
		{"window", dicomtest.Spec{Pixels: le16(0, 1000, 1500, 4000), Extra: window("1000", "1000")}, []uint8{0, 128, 255, 255}},
		{"monochrome1 is inverted", dicomtest.Spec{Photometric: "MONOCHROME1", Pixels: le16(100, 200, 300, 400)}, []uint8{255, 170, 85, 0}},
		{"8 bits", dicomtest.Spec{Bits: 8, Pixels: []byte{0, 50, 100, 200}}, []uint8{0, 64, 128, 255}},
		// CT: signed 12-bit in 16, air −1000 HU, water 0, bone 1000, in a
		// soft-tissue window (40/400).
		{"signed ct in a window", dicomtest.Spec{Stored: 12, Signed: true, Pixels: le16(24, 1024, 1064, 2024), Extra: append(window("40", "400"), rescale...)},
			[]uint8{0, 103, 128, 255}},
		{"stored bits mask the high ones", dicomtest.Spec{Stored: 12, Pixels: le16(0xF000|100, 200, 300, 400)}, []uint8{0, 85, 170, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.Rows, tt.spec.Columns = 2, 2
			f, err := Read(dicomtest.File(t, tt.spec), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			img, err := f.Render()
			if err != nil {
				t.Fatal(err)
			}
			g, ok := img.(*image.Gray)
			if !ok {
				t.Fatalf("rendered %T", img)
			}
			for i, want := range tt.want {
				if d := int(g.Pix[i]) - int(want); d < -1 || d > 1 {
					t.Errorf("pixel %d is %d, want %d (all %v)", i, g.Pix[i], want, g.Pix)
				}
			}
		})
	}
}

func TestRenderRGB(t *testing.T) {
	f, err := Read(dicomtest.File(t, dicomtest.Spec{Rows: 1, Columns: 2, Bits: 8, Samples: 3, Photometric: "RGB", Pixels: []byte{255, 0, 0, 0, 0, 255}}), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.Render()
	if err != nil {
		t.Fatal(err)
	}
	if c := img.(*image.RGBA).RGBAAt(0, 0); c.R != 255 || c.B != 0 {
		t.Errorf("first pixel %v, want red", c)
	}
	if c := img.(*image.RGBA).RGBAAt(1, 0); c.B != 255 || c.R != 0 {
		t.Errorf("second pixel %v, want blue", c)
	}
}

func TestEditBlacksOutEveryFrame(t *testing.T) {
	for _, photo := range []string{"MONOCHROME2", "MONOCHROME1"} {
		t.Run(photo, func(t *testing.T) {
			f, err := Read(dicomtest.File(t, dicomtest.Spec{Rows: 20, Columns: 30, Frames: 3, Stored: 12, Photometric: photo}), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			box := image.Rect(5, 4, 17, 11)
			out, err := f.Edit(nil, []image.Rectangle{box})
			if err != nil {
				t.Fatal(err)
			}
			g, err := Read(out, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			black := 0
			if photo == "MONOCHROME1" {
				black = 4095
			}
			raw := g.raw()
			for fr := 0; fr < 3; fr++ {
				frame := raw[fr*g.frameBytes():]
				for y := 0; y < 20; y++ {
					for x := 0; x < 30; x++ {
						v := g.at(frame, x, y, 0)
						in := image.Pt(x, y).In(box)
						if in && v != black {
							t.Fatalf("frame %d (%d, %d) is %d, want %d", fr, x, y, v, black)
						}
						if !in && v != ((fr*600+y*30+x)*7)%4096 {
							t.Fatalf("frame %d (%d, %d) outside the box changed to %d", fr, x, y, v)
						}
					}
				}
			}
			img, err := g.Render()
			if err != nil {
				t.Fatal(err)
			}
			if v := img.(*image.Gray).GrayAt(10, 6).Y; v != 0 {
				t.Errorf("the box renders as %d, want black", v)
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	good := dicomtest.File(t, dicomtest.Spec{Rows: 10, Columns: 10, Frames: 2})
	// A value length far past the end: the parser would allocate it.
	bomb := append(append([]byte{}, good...), 0xE1, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xF0, 0xFF, 0xFF, 0x7F)
	tests := []struct {
		name string
		data []byte
		max  int64
		want func(error) bool
	}{
		{"too many pixels", good, 150, func(err error) bool {
			var tm *TooManyPixelsError
			return errors.As(err, &tm) && tm.Frames == 2 && tm.Rows == 10
		}},
		{"compressed", dicomtest.File(t, dicomtest.Spec{Rows: 4, Columns: 4, TransferSyntax: "1.2.840.10008.1.2.4.90"}), 1 << 20, func(err error) bool {
			return errors.Is(err, ErrUnsupported) && strings.Contains(Describe(err), "JPEG 2000")
		}},
		{"palette colour", dicomtest.File(t, dicomtest.Spec{Rows: 4, Columns: 4, Bits: 8, Photometric: "PALETTE COLOR"}), 1 << 20, func(err error) bool {
			return errors.Is(err, ErrUnsupported)
		}},
		{"length past the end", bomb, 1 << 20, func(err error) bool { return errors.Is(err, errCorrupt) }},
		{"cut short", good[:len(good)-50], 1 << 20, func(err error) bool { return errors.Is(err, errCorrupt) }},
		{"not dicom", []byte("hello"), 1 << 20, func(err error) bool { return errors.Is(err, errCorrupt) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.data, tt.max)
			if !tt.want(err) {
				t.Errorf("error %v", err)
			}
		})
	}
}
