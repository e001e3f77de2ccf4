package images

import (
	"bytes"
	"context"
	"image"
	"testing"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"rounds/app/dicom"
	"rounds/app/dicom/dicomtest"
)

func TestDICOMUpload(t *testing.T) {
	spec := dicomtest.Spec{Rows: 400, Columns: 600, Stored: 12, Extra: []*dcm.Element{
		dicomtest.Element(t, tag.PatientName, []string{"Doe^Jane"}),
		dicomtest.Element(t, tag.PatientID, []string{"MRN-00991"}),
		dicomtest.Element(t, tag.InstitutionName, []string{"Mercy General"}),
	}}
	data := dicomtest.File(t, spec)
	p := processor(t, Options{})
	key := []byte("the upload's own key, kept staged")
	ctx := context.Background()
	out, err := p.Process(ctx, bytes.NewReader(data), Source{Name: "ct.dcm", ContentType: "application/dicom", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if out.Format != DICOM || out.Width != 600 || out.Height != 400 || out.DICOMReport == nil {
		t.Fatalf("format %s, %d × %d, dicom report %v", out.Format, out.Width, out.Height, out.DICOMReport)
	}
	for _, r := range out.Renditions {
		if r.ContentType != "image/png" {
			t.Errorf("%s size is %s, want a lossless PNG", r.Size, r.ContentType)
		}
	}
	if len(out.Rendered.DICOM) == 0 {
		t.Fatal("no de-identified file to download")
	}
	for _, s := range []string{"Doe^Jane", "MRN-00991", "Mercy General"} {
		if bytes.Contains(out.Rendered.DICOM, []byte(s)) {
			t.Errorf("the de-identified file holds %q", s)
		}
		for _, r := range out.Renditions {
			if bytes.Contains(r.Data, []byte(s)) {
				t.Errorf("the %s size holds %q", r.Size, s)
			}
		}
	}

	// Rendering again with a redaction blacks it out in the file's pixel
	// data too, with the same UIDs as before (the same key).
	box := image.Rect(100, 50, 300, 150)
	again, err := p.Render(ctx, bytes.NewReader(data), Source{Name: "ct.dcm", Key: key}, Edits{Redact: []image.Rectangle{box}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := dicom.Read(again.DICOM, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.Render()
	if err != nil {
		t.Fatal(err)
	}
	g := img.(*image.Gray)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if v := g.GrayAt(x, y).Y; v != 0 {
				t.Fatalf("the downloaded file shows %d at (%d, %d), under the redaction", v, x, y)
			}
		}
	}
	uid := func(file []byte) string {
		ds, err := dcm.Parse(bytes.NewReader(file), int64(len(file)), nil, dcm.SkipPixelData())
		if err != nil {
			t.Fatal(err)
		}
		e, err := ds.FindElementByTag(tag.SOPInstanceUID)
		if err != nil {
			t.Fatal(err)
		}
		return e.Value.String()
	}
	if a, b := uid(out.Rendered.DICOM), uid(again.DICOM); a != b {
		t.Errorf("the same upload and key gave UIDs %s and %s", a, b)
	}
}

func TestDICOMRefusals(t *testing.T) {
	tests := []struct {
		name string
		spec dicomtest.Spec
		max  int64
		want Kind
	}{
		{"frames over the pixel limit", dicomtest.Spec{Rows: 100, Columns: 100, Frames: 6}, 50_000, TooManyPixels},
		{"compressed", dicomtest.Spec{Rows: 8, Columns: 8, TransferSyntax: "1.2.840.10008.1.2.4.50"}, 0, Unsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := processor(t, Options{MaxPixels: tt.max})
			_, err := p.Process(context.Background(), bytes.NewReader(dicomtest.File(t, tt.spec)), Source{Name: "x.dcm"})
			if KindOf(err) != tt.want {
				t.Fatalf("refused as %v (%v), want %v", KindOf(err), err, tt.want)
			}
			t.Logf("message: %s", err)
		})
	}
	// A .dcm that is a JPEG is refused for what it is.
	p := processor(t, Options{})
	_, err := p.Process(context.Background(), bytes.NewReader(encodeJPEG(t, photo(20, 20, 1))), Source{Name: "scan.dcm"})
	if KindOf(err) != WrongType {
		t.Errorf("a JPEG named .dcm: %v", err)
	}
}
