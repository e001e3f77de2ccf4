package images

import (
	"errors"
	"fmt"
)

// Kind says why an upload was refused, so the caller can choose a status
// and a form message without reading the text.
type Kind int

// The reasons an upload is refused.
const (
	// NotImage: the bytes are no image format Rounds knows (a PDF, a
	// Word file, text).
	NotImage Kind = iota + 1
	// WrongType: the file's name or content type claims one format and
	// its bytes are another (a PNG named photo.jpg, a .dcm that is a JPEG).
	WrongType
	// Unsupported: an image format Rounds recognises but cannot read on
	// this server (HEIC, TIFF, BMP, compressed DICOM it cannot decode).
	Unsupported
	// TooLarge: more bytes than Options.MaxBytes.
	TooLarge
	// TooManyPixels: width × height (× frames for DICOM) over
	// Options.MaxPixels, found from the header before decoding.
	TooManyPixels
	// Corrupt: the bytes start as the format they claim but do not decode
	// (truncated, damaged, or crafted).
	Corrupt
)

func (k Kind) String() string {
	switch k {
	case NotImage:
		return "not an image"
	case WrongType:
		return "wrong type"
	case Unsupported:
		return "unsupported format"
	case TooLarge:
		return "too large"
	case TooManyPixels:
		return "too many pixels"
	case Corrupt:
		return "corrupt"
	}
	return "unknown"
}

// Error is an upload refused for a reason the member can act on. Its
// Error() text is written for the member and is safe to show on the
// form; Err, when set, is the underlying cause for the log.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

func (e *Error) Error() string { return e.Message }

func (e *Error) Unwrap() error { return e.Err }

// refuse builds an *Error with a member-readable message.
func refuse(kind Kind, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Err: cause}
}

// KindOf returns the Kind of a refusal, or 0 when err is not one (an
// internal failure the member cannot fix, such as a full disk).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// humanBytes writes a byte count as a member reads it: 20 MB, 740 KB.
func humanBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
