package images

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"rounds/app/phi"
)

// requireOCR returns Tesseract, or skips the test when it is not
// installed; CI sets ROUNDS_REQUIRE_TESSERACT=1 so that it fails instead.
func requireOCR(t *testing.T) *OCR {
	t.Helper()
	ocr := FindOCR("")
	if ocr == nil {
		if os.Getenv("ROUNDS_REQUIRE_TESSERACT") == "1" {
			t.Fatal("tesseract is not installed and ROUNDS_REQUIRE_TESSERACT=1")
		}
		t.Skip("tesseract is not installed (apt-get install tesseract-ocr): text in images is not checked here")
	}
	return ocr
}

// film draws lines of text in white on a dark film, as a radiograph's
// label is, and returns where each word was drawn.
func film(t testing.TB, w, h int, lines ...string) (*image.RGBA, map[string]image.Rectangle) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{12, 12, 12, 255}), image.Point{}, draw.Src)
	// Something film-like in the middle, so the text is not alone.
	for y := h / 3; y < h*5/6; y++ {
		for x := w / 3; x < w*2/3; x++ {
			v := uint8(90 + (x*7+y*3)%60)
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 40, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{235, 235, 235, 255}), Face: face}
	words := map[string]image.Rectangle{}
	for i, line := range lines {
		x := fixed.I(40)
		y := fixed.I(70 + 60*i)
		for _, word := range strings.Fields(line) {
			d.Dot = fixed.Point26_6{X: x, Y: y}
			b, _ := d.BoundString(word)
			words[word] = image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
			d.DrawString(word)
			x = d.Dot.X + d.MeasureString(" ")
		}
	}
	return img, words
}

func TestBurnedInTextIsFoundAndBlackedOut(t *testing.T) {
	ocr := requireOCR(t)
	img, words := film(t, 1200, 800, "MRN 12345678", "John Smith", "DOB 03/04/1956")
	p := processor(t, Options{OCR: ocr})
	out := process(t, p, encodePNG(t, img), "chest.png")
	if out.Text.Status != TextChecked {
		t.Fatalf("text status %s (%v)", out.Text.Status, out.Text.Err)
	}
	t.Logf("read: %q", out.Text.Text)
	for _, f := range out.Text.Findings {
		t.Logf("found %s (%s) %q at %v", f.Type, f.Confidence, f.Text, f.Box)
	}
	blocking := out.Text.Blocking()
	types := map[string]bool{}
	for _, f := range blocking {
		types[f.Type] = true
	}
	for _, want := range []string{phi.TypeMRN, phi.TypeDate} {
		if !types[want] {
			t.Errorf("no blocking %s finding in %+v", want, out.Text.Findings)
		}
	}
	if out.Text.Message() == "" {
		t.Error("no message for the member about the identifiers found")
	}
	// Each identifier's box covers the words it was read from.
	for _, f := range blocking {
		for word, box := range words {
			if strings.Contains(f.Text, word) && !box.In(f.Box) {
				t.Errorf("%s finding %q: box %v does not cover %q at %v", f.Type, f.Text, f.Box, word, box)
			}
		}
	}
	if len(Uncovered(blocking, out.Edits.Redact)) != 0 {
		t.Errorf("default edits %v leave blocking findings uncovered", out.Edits.Redact)
	}
	// The MRN and the date of birth are black in every size, and reading
	// the posted image again finds neither.
	for _, r := range out.Renditions {
		got := decodeRendition(t, r)
		s := float64(r.Width) / float64(out.Width)
		for _, word := range []string{"12345678", "03/04/1956"} {
			b := scaleBoxes([]image.Rectangle{words[word]}, s)[0]
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if c := got.RGBAAt(x, y); c.R|c.G|c.B != 0 {
						t.Fatalf("%s size: %q at %v shows %v at (%d, %d)", r.Size, word, b, c, x, y)
					}
				}
			}
		}
	}
	again, err := p.Inspect(context.Background(), bytes.NewReader(out.Renditions[2].Data), Source{Name: "posted.png"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"12345678", "1956"} {
		if strings.Contains(again.Text.Text, s) {
			t.Errorf("the posted image still reads %q: %q", s, again.Text.Text)
		}
	}
}

func TestTextUncheckedWithoutTesseract(t *testing.T) {
	img, _ := film(t, 600, 400, "MRN 12345678")
	p := processor(t, Options{}) // no OCR
	out := process(t, p, encodePNG(t, img), "chest.png")
	if out.Text.Status != TextUnavailable {
		t.Fatalf("status %s, want %s", out.Text.Status, TextUnavailable)
	}
	if !strings.Contains(out.Text.Message(), "Text in images can't be checked on this server") {
		t.Errorf("message %q", out.Text.Message())
	}
	if FindOCR("no-such-tesseract-command") != nil {
		t.Error("FindOCR found a command that does not exist")
	}
}

func TestScanWordsMapsFindingsToBoxes(t *testing.T) {
	words := []Word{
		{Text: "MRN", Box: image.Rect(10, 10, 60, 30), Line: 0},
		{Text: "12345678", Box: image.Rect(70, 10, 200, 30), Line: 0},
		{Text: "chest", Box: image.Rect(10, 50, 80, 70), Line: 1},
		{Text: "PA", Box: image.Rect(90, 50, 120, 70), Line: 1},
	}
	check := scanWords(words, 2, image.Rect(0, 0, 1000, 1000))
	if check.Text != "MRN 12345678\nchest PA" {
		t.Errorf("text %q", check.Text)
	}
	var mrn *TextFinding
	for i := range check.Findings {
		if check.Findings[i].Type == phi.TypeMRN {
			mrn = &check.Findings[i]
		}
	}
	if mrn == nil {
		t.Fatalf("no MRN in %+v", check.Findings)
	}
	// The number's box, doubled to the full image's pixels, with its pad.
	if want := image.Rect(140, 20, 400, 60); !want.In(mrn.Box) || mrn.Box.Max.Y > 80 || mrn.Box.Min.Y > 20 {
		t.Errorf("MRN box %v, want about %v", mrn.Box, want)
	}
	for _, f := range check.Findings {
		if strings.Contains(f.Text, "chest") {
			t.Errorf("flagged %q", f.Text)
		}
	}
}

func TestUncovered(t *testing.T) {
	f := TextFinding{Finding: phi.Finding{Type: phi.TypeMRN, Confidence: phi.High}, Box: image.Rect(10, 10, 100, 40)}
	low := TextFinding{Finding: phi.Finding{Type: phi.TypeLocation, Confidence: phi.Low}, Box: image.Rect(0, 0, 5, 5)}
	tests := []struct {
		name  string
		boxes []image.Rectangle
		want  int
	}{
		{"none", nil, 1},
		{"one box over it", []image.Rectangle{image.Rect(0, 0, 200, 50)}, 0},
		{"two boxes side by side", []image.Rectangle{image.Rect(0, 0, 50, 50), image.Rect(50, 0, 120, 50)}, 0},
		{"two boxes one above the other", []image.Rectangle{image.Rect(0, 0, 120, 25), image.Rect(0, 25, 120, 45)}, 0},
		{"a gap between", []image.Rectangle{image.Rect(0, 0, 50, 50), image.Rect(51, 0, 120, 50)}, 1},
		{"short of the bottom", []image.Rectangle{image.Rect(0, 0, 120, 39)}, 1},
	}
	for _, tt := range tests {
		if got := Uncovered([]TextFinding{f, low}, tt.boxes); len(got) != tt.want {
			t.Errorf("%s: %d uncovered, want %d", tt.name, len(got), tt.want)
		}
	}
}
