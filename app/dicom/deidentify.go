package dicom

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"rounds/app/phi"
)

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
