package images

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"rounds/app/phi"
)

// Burned-in text — a name, an MRN and a date of birth printed on a film
// or shown in a screenshot of a record — survives re-encoding, since it is
// pixels. Rounds reads it with Tesseract (Debian's tesseract-ocr, an
// outside command, optional), runs the identifier guard on what it reads,
// and maps each finding back to the boxes of the words it came from, so
// the composer can show them and require them blacked out.

// TextStatus says whether the text in an image was checked.
type TextStatus string

// The outcomes of a text check.
const (
	// TextChecked: Tesseract read the image; Findings holds what the
	// identifier guard found (none when it found nothing).
	TextChecked TextStatus = "checked"
	// TextUnavailable: Tesseract is not installed on this server.
	TextUnavailable TextStatus = "unavailable"
	// TextFailed: Tesseract is installed but failed on this image (it
	// crashed or took too long); Err says why.
	TextFailed TextStatus = "failed"
)

// TextCheck is what reading an image's text found.
type TextCheck struct {
	Status TextStatus
	// Text is what was recognised, one line of the image per line.
	Text string
	// Findings are the identifiers in Text, each with where it is shown.
	Findings []TextFinding
	// Err is why the check failed, for the log.
	Err error
}

// TextFinding is an identifier read in an image and where it is, in the
// pixels of the full-size image.
type TextFinding struct {
	phi.Finding
	Box image.Rectangle
}

// Blocking returns the findings that must be blacked out before the image
// is posted (the identifier guard's high-confidence ones).
func (c TextCheck) Blocking() []TextFinding {
	var out []TextFinding
	for _, f := range c.Findings {
		if f.Blocking() {
			out = append(out, f)
		}
	}
	return out
}

// Message is what the composer tells the member about the check, or ""
// when the text was checked and nothing was found.
func (c TextCheck) Message() string {
	switch c.Status {
	case TextUnavailable:
		return "Text in images can't be checked on this server: look for names, record numbers and dates shown in the image and black them out yourself."
	case TextFailed:
		return "The text in this image could not be checked: look for names, record numbers and dates shown in the image and black them out yourself."
	}
	switch {
	case len(c.Blocking()) > 0:
		return "This image shows text that identifies a patient. Black out the marked areas before posting."
	case len(c.Findings) > 0:
		return "This image shows text that may identify a patient. Check the marked areas and black out any that do."
	}
	return ""
}

// Uncovered returns the blocking findings that no redaction box covers
// completely: the post must wait until there are none.
func Uncovered(findings []TextFinding, redactions []image.Rectangle) []TextFinding {
	var out []TextFinding
	for _, f := range findings {
		if !f.Blocking() {
			continue
		}
		if !covered(f.Box, redactions) {
			out = append(out, f)
		}
	}
	return out
}

// covered reports whether the boxes together cover every pixel of r.
func covered(r image.Rectangle, boxes []image.Rectangle) bool {
	// Walk r's rows band by band: the band edges are where any box
	// starts or ends, so within a band the same boxes apply to every row.
	ys := []int{r.Min.Y, r.Max.Y}
	for _, b := range boxes {
		ys = append(ys, b.Min.Y, b.Max.Y)
	}
	sort.Ints(ys)
	for i := 0; i+1 < len(ys); i++ {
		y0, y1 := ys[i], ys[i+1]
		if y0 < r.Min.Y || y1 > r.Max.Y || y0 == y1 {
			continue
		}
		var spans [][2]int
		for _, b := range boxes {
			if b.Min.Y <= y0 && b.Max.Y >= y1 {
				spans = append(spans, [2]int{b.Min.X, b.Max.X})
			}
		}
		sort.Slice(spans, func(a, b int) bool { return spans[a][0] < spans[b][0] })
		x := r.Min.X
		for _, s := range spans {
			if s[0] > x {
				break
			}
			x = max(x, s[1])
		}
		if x < r.Max.X {
			return false
		}
	}
	return true
}

// OCR reads the words in an image with the tesseract command.
type OCR struct {
	// Command is the path of the tesseract executable.
	Command string
	// Timeout bounds one image (default 60 s).
	Timeout time.Duration
}

// FindOCR returns an OCR that runs command (a name looked up in PATH, or
// a path), or nil when it is not installed.
func FindOCR(command string) *OCR {
	if command == "" {
		command = "tesseract"
	}
	path, err := exec.LookPath(command)
	if err != nil {
		return nil
	}
	return &OCR{Command: path, Timeout: time.Minute}
}

// Word is one word Tesseract read, in the pixels of the image it was given.
type Word struct {
	Text string
	Box  image.Rectangle
	// Line numbers the lines of text in reading order.
	Line int
	// Confidence is Tesseract's, 0–100.
	Confidence float64
}

// Words runs Tesseract on img and returns the words it reads, in reading
// order. Page segmentation mode 11 (sparse text) looks for text anywhere,
// in no particular layout, as labels on a film are.
func (o *OCR) Words(ctx context.Context, img image.Image) ([]Word, error) {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var in bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&in, img); err != nil {
		return nil, fmt.Errorf("encode image for tesseract: %w", err)
	}
	cmd := exec.CommandContext(ctx, o.Command, "stdin", "stdout", "-l", "eng", "--psm", "11", "tsv")
	cmd.Stdin = &in
	// One thread: the server runs several uploads at once, and OpenMP's
	// spinning threads only slow the others down.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("tesseract: %w", ctx.Err())
		}
		return nil, fmt.Errorf("tesseract: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseTSV(out.Bytes())
}

// parseTSV reads Tesseract's TSV output: one row per page, block,
// paragraph, line and word; words are level 5.
func parseTSV(tsv []byte) ([]Word, error) {
	var words []Word
	lines := map[[3]int]int{}
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		n := make([]int, 10)
		for i := range n {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tesseract output: column %d is %q", i+1, f[i])
			}
			n[i] = v
		}
		text := strings.TrimSpace(f[11])
		if text == "" {
			continue
		}
		conf, _ := strconv.ParseFloat(f[10], 64) // "-1" or a number; a bad one reads as 0
		key := [3]int{n[2], n[3], n[4]}          // block, paragraph, line
		line, ok := lines[key]
		if !ok {
			line = len(lines)
			lines[key] = line
		}
		words = append(words, Word{Text: text, Line: line, Confidence: conf,
			Box: image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tesseract output: %w", err)
	}
	return words, nil
}

// ocrEdge bounds the long edge of the copy Tesseract reads: larger costs
// seconds for nothing, since labels on a film are not that small.
const ocrEdge = 2400

// ocrSmall is the long edge under which the copy is doubled: Tesseract
// reads letters best when they are 20 to 40 pixels tall, and text in a
// small screenshot is smaller.
const ocrSmall = 1000

// checkText reads the text of img (the full-size image) and scans it for
// identifiers. It never fails the upload: a missing or failing Tesseract
// is reported in the status.
func checkText(ctx context.Context, ocr *OCR, img *image.RGBA) TextCheck {
	if ocr == nil {
		return TextCheck{Status: TextUnavailable}
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	copyW, copyH := fit(w, h, ocrEdge)
	if max(w, h) < ocrSmall {
		copyW, copyH = 2*w, 2*h
	}
	var copyImg *image.RGBA
	if copyW > w {
		copyImg = enlarge(img, copyW, copyH)
	} else {
		copyImg = shrink(img, copyW, copyH)
	}
	words, err := ocr.Words(ctx, grayImage(copyImg))
	if err != nil {
		return TextCheck{Status: TextFailed, Err: err}
	}
	scale := float64(w) / float64(copyW)
	return scanWords(words, scale, img.Rect)
}

// scanWords joins the words into text, runs the identifier guard on it
// and maps each finding to the union of its words' boxes, scaled to the
// full image and padded so anti-aliased edges go too.
func scanWords(words []Word, scale float64, bounds image.Rectangle) TextCheck {
	var text strings.Builder
	starts := make([]int, len(words))
	for i, wd := range words {
		switch {
		case i == 0:
		case wd.Line != words[i-1].Line:
			text.WriteByte('\n')
		default:
			text.WriteByte(' ')
		}
		starts[i] = text.Len()
		text.WriteString(wd.Text)
	}
	check := TextCheck{Status: TextChecked, Text: text.String()}
	for _, f := range phi.Scan(check.Text) {
		var box image.Rectangle
		for i, wd := range words {
			if starts[i] < f.End && starts[i]+len(wd.Text) > f.Start {
				box = box.Union(wd.Box)
			}
		}
		if box.Empty() {
			continue
		}
		pad := max(2, box.Dy()/5)
		box = image.Rect(
			int(float64(box.Min.X-pad)*scale), int(float64(box.Min.Y-pad)*scale),
			int(float64(box.Max.X+pad)*scale+0.999), int(float64(box.Max.Y+pad)*scale+0.999)).Intersect(bounds)
		check.Findings = append(check.Findings, TextFinding{Finding: f, Box: box})
	}
	return check
}

// grayImage is img as 8-bit luma, which is all Tesseract reads and a third
// of the bytes to hand it.
func grayImage(img *image.RGBA) *image.Gray {
	return &image.Gray{Pix: gray(img), Stride: img.Rect.Dx(), Rect: image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy())}
}
