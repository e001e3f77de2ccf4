package dicom

import (
	"encoding/binary"
	"fmt"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// checkLengths walks every element of a DICOM file, into sequences and
// items, and refuses a length that runs past the end of the file. The
// parser allocates a value's length before reading it, so without this a
// few crafted bytes could make it ask for gigabytes.
func checkLengths(data []byte, explicit bool) error {
	if len(data) < 132 || string(data[128:132]) != "DICM" {
		return fmt.Errorf("%w: no DICM marker at byte 128", errCorrupt)
	}
	p := 132
	pixelFragments := false
	for p < len(data) {
		if p+8 > len(data) {
			return fmt.Errorf("%w: element header cut short at byte %d", errCorrupt, p)
		}
		group := binary.LittleEndian.Uint16(data[p:])
		elem := binary.LittleEndian.Uint16(data[p+2:])
		// The file meta group is always explicit VR little endian.
		isExplicit := explicit || group == 0x0002
		if group == 0xFFFE { // item, item delimiter, sequence delimiter
			n := binary.LittleEndian.Uint32(data[p+4:])
			p += 8
			switch {
			case elem == 0xE0DD:
				pixelFragments = false
			case elem == 0xE000 && pixelFragments && n != 0xFFFFFFFF:
				// A fragment of compressed pixel data: bytes, not elements.
				if int64(n) > int64(len(data)-p) {
					return fmt.Errorf("%w: pixel data fragment of %d bytes runs past the end", errCorrupt, n)
				}
				p += int(n)
			}
			continue
		}
		var vr string
		var n uint32
		if isExplicit {
			vr = string(data[p+4 : p+6])
			switch vr {
			case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
				if p+12 > len(data) {
					return fmt.Errorf("%w: element header cut short at byte %d", errCorrupt, p)
				}
				n = binary.LittleEndian.Uint32(data[p+8:])
				p += 12
			default:
				n = uint32(binary.LittleEndian.Uint16(data[p+6:]))
				p += 8
			}
		} else {
			n = binary.LittleEndian.Uint32(data[p+4:])
			p += 8
			if info, err := tag.Find(tag.Tag{Group: group, Element: elem}); err == nil {
				vr = info.VR
			}
		}
		if n == 0xFFFFFFFF {
			// Undefined length: a sequence, or compressed pixel data; its
			// items follow and are walked in turn.
			pixelFragments = group == 0x7FE0 && elem == 0x0010
			continue
		}
		if int64(n) > int64(len(data)-p) {
			return fmt.Errorf("%w: element (%04X,%04X) says %d bytes, %d are left", errCorrupt, group, elem, n, len(data)-p)
		}
		if vr == "SQ" {
			continue // walk into the sequence's items
		}
		p += int(n)
	}
	return nil
}
