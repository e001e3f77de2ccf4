package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	dcm "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"rounds/app/apptest"
	"rounds/app/blob"
	"rounds/app/dicom/dicomtest"
	"rounds/app/images"
	"rounds/models"
)

var (
	ticketInput = regexp.MustCompile(`name="image_ticket" value="([^"]+)"`)
	mediaThumb  = regexp.MustCompile(`<img src="/media/([0-9a-f]{32})/thumb" alt="([^"]*)"`)
)

// upload is a file sent with a composer's form.
type upload struct {
	field, name, ctype string
	data               []byte
}

// submitMultipart loads the page holding a form, takes its CSRF token and
// posts the form as multipart, with a file when one is given, as a
// browser does with the composer's file input.
func submitMultipart(t *testing.T, b *apptest.Browser, page, action string, form url.Values, file *upload) *apptest.Response {
	t.Helper()
	res := b.Get(page)
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no CSRF token on %s (status %d)", page, res.Status)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.WriteField("_csrf", strings.ReplaceAll(m[1], "&#43;", "+")); err != nil {
		t.Fatal(err)
	}
	if file != nil {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, file.field, file.name)}
		h["Content-Type"] = []string{file.ctype}
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(file.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, action, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(req)
}

// photoWithMetadata is the astronaut's portrait (a face) as a phone would
// send it: EXIF with a GPS position and a serial number, and a comment.
func photoWithMetadata(t *testing.T) []byte {
	t.Helper()
	jpg, err := os.ReadFile("images/testdata/astronaut.jpg")
	if err != nil {
		t.Fatal(err)
	}
	segment := func(marker byte, payload string) []byte {
		n := len(payload) + 2
		return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
	}
	var out []byte
	out = append(out, jpg[:2]...)
	out = append(out, segment(0xE1, "Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08GPS 51.5007N 0.1246W SERIAL-CAM-0042")...)
	out = append(out, segment(0xFE, "Patient Jane Doe, ward 7")...)
	return append(out, jpg[2:]...)
}

// decode reads an image served by Rounds.
func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode served image: %v", err)
	}
	return img
}

func TestImageUploadRedactAndPost(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Dermatology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "derm", "Dermatology")
		doctor := a.SignedIn(t, okafor)
		form := url.Values{"title": {"Annular plaque on the forearm"}, "body": {"Three weeks, no itch. Ideas?"}}
		photo := photoWithMetadata(t)

		// The upload comes back staged, with the text kept and the face
		// found.
		res := submitMultipart(t, doctor, "/b/derm/new", "/b/derm/new", form, &upload{"image", "IMG_0042.jpg", "image/jpeg", photo})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Annular plaque on the forearm", "Three weeks, no itch. Ideas?", "A face was found and is blurred.",
			`enctype="multipart/form-data"`, "The image is added")
		m := ticketInput.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("no staged image on the form")
		}
		ticket := m[1]
		if n := count(t, a, `SELECT COUNT(*) FROM staged_images WHERE user_id = ?`, okafor.ID); n != 1 {
			t.Fatalf("%d staged images", n)
		}

		// Only its uploader sees it, never as sent.
		preview := doctor.Get("/uploads/" + ticket)
		wantStatus(t, preview, http.StatusOK)
		if preview.Header.Get("Cache-Control") != "private, no-store" || preview.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("preview headers %v", preview.Header)
		}
		if bytes.Contains([]byte(preview.Body), []byte("SERIAL-CAM")) {
			t.Error("the preview keeps the upload's metadata")
		}
		nurse := a.SignedIn(t, weber)
		wantStatus(t, nurse.Get("/uploads/"+ticket), http.StatusNotFound)

		// Posting waits for a description and the attestation.
		form.Set("image_ticket", ticket)
		res = submitMultipart(t, doctor, "/b/derm/new", "/b/derm/new", form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Image 1: describe it (alt text)", "Confirm that no identifiers remain in the images", "Three weeks, no itch. Ideas?")

		// A bad box is refused; a good one is blacked out.
		form.Set("boxes-"+ticket, "10 10 fifty 50")
		res = submitMultipart(t, doctor, "/b/derm/new", "/b/derm/new", form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "is not a whole number of pixels", "10 10 fifty 50")
		form.Set("boxes-"+ticket, "0 0 100 60")
		res = submitMultipart(t, doctor, "/b/derm/new", "/b/derm/new", form, nil)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "1 box blacked out", "The boxes are blacked out")
		form.Del("boxes-" + ticket)

		form.Set("alt-"+ticket, "Annular erythematous plaque, forearm")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, "/b/derm/new", "/b/derm/new", form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		topicPage := res.Location()
		page := doctor.Get(topicPage)
		thumb := mediaThumb.FindStringSubmatch(page.Body)
		if thumb == nil || thumb[2] != "Annular erythematous plaque, forearm" {
			t.Fatalf("no thumbnail with its alt text on the topic page: %v", thumb)
		}
		name := thumb[1]
		mustContain(t, page, `<a href="/media/`+name+`/full" class="post-image">`)

		// Staging is emptied.
		if n := count(t, a, `SELECT COUNT(*) FROM staged_images`); n != 0 {
			t.Errorf("%d staged images left after posting", n)
		}
		if list, err := a.Site.Blobs.List(context.Background(), "staging/"); err != nil || len(list) != 0 {
			t.Errorf("staging holds %v (%v) after posting", list, err)
		}

		// Every size: no metadata, safe headers, the box black, the face
		// blurred.
		orig := decode(t, mustRead(t, "images/testdata/astronaut.jpg"))
		for _, size := range []string{"thumb", "page", "full"} {
			res := nurse.Get("/media/" + name + "/" + size)
			wantStatus(t, res, http.StatusOK)
			for h, want := range map[string]string{"Content-Type": "image/jpeg", "X-Content-Type-Options": "nosniff",
				"Cache-Control": "private, max-age=86400"} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s size: %s is %q, want %q", size, h, got, want)
				}
			}
			for _, s := range []string{"GPS", "SERIAL-CAM", "Jane Doe", "Exif"} {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s size holds %q", size, s)
				}
			}
		}
		full := decode(t, []byte(nurse.Get("/media/"+name+"/full").Body))
		if full.Bounds().Dx() != 512 {
			t.Fatalf("full size is %v", full.Bounds())
		}
		for _, p := range []image.Point{{5, 5}, {50, 30}, {95, 55}} {
			if r, g, b, _ := full.At(p.X, p.Y).RGBA(); r|g|b > 0x0800 {
				t.Errorf("the blacked-out box shows %v at %v", full.At(p.X, p.Y), p)
			}
		}
		if d := meanDiff(orig, full, image.Rect(200, 150, 320, 300)); d < 8 {
			t.Errorf("the face differs from the upload by %.1f on average: not blurred", d)
		}

		// The image's description is searched with the post.
		a.CatchUp(t)
		mustContain(t, nurse.Get("/search?q=erythematous"), "Annular plaque on the forearm")

		// A feed never carries the image, only a link to the post.
		token, err := a.Store.CreateFeedToken(context.Background(), okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		feed := a.Browser(t).Get("/feeds/" + token + "/b/derm.atom")
		wantStatus(t, feed, http.StatusOK)
		mustContain(t, feed, "1 image: open the post on Rounds to see it.")
		mustNotContain(t, feed, "/media/", "/uploads/")
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// meanDiff is the mean absolute difference of the red channel of two
// images over r.
func meanDiff(a, b image.Image, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ra, _, _, _ := a.At(x, y).RGBA()
			rb, _, _, _ := b.At(x, y).RGBA()
			d := float64(ra>>8) - float64(rb>>8)
			if d < 0 {
				d = -d
			}
			sum += d
			n++
		}
	}
	return sum / n
}

// postImage posts a reply with a plain image as its author would.
func postImage(t *testing.T, b *apptest.Browser, topic *models.Topic, alt string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{180, 120, 90, 255}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/t/%d", topic.ID)
	action := page + "/reply"
	form := url.Values{"body": {"Here is the film."}}
	res := submitMultipart(t, b, page, action, form, &upload{"image", "film.png", "image/png", buf.Bytes()})
	wantStatus(t, res, http.StatusOK)
	m := ticketInput.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no staged image: %s", res.Body)
	}
	form.Set("image_ticket", m[1])
	form.Set("alt-"+m[1], alt)
	form.Set("images_attest", "yes")
	res = submitMultipart(t, b, page, action, form, nil)
	wantStatus(t, res, http.StatusSeeOther)
	thumb := mediaThumb.FindStringSubmatch(b.Get(res.Location()).Body)
	if thumb == nil {
		t.Fatal("no thumbnail on the topic page")
	}
	return thumb[1]
}

func TestPostImagesFollowThePostsPermissions(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "moss", "Dr. Ines Moss", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		cardio := a.Group(t, "Cardiologists", "", "", okafor, mod)
		a.Restrict(t, board, []*models.Group{cardio}, []*models.Group{cardio})
		topic := a.Topic(t, board, okafor, "Wide-complex tachycardia", "VT or SVT with aberrancy?")
		doctor := a.SignedIn(t, okafor)
		name := postImage(t, doctor, topic, "12-lead ECG, wide complexes")
		sizes := []string{"thumb", "page", "full", "dicom"}

		// A member outside the board's group finds no size, whatever the address.
		nurse := a.SignedIn(t, weber)
		for _, size := range sizes {
			wantStatus(t, nurse.Get("/media/"+name+"/"+size), http.StatusNotFound)
		}
		for _, size := range sizes[:3] {
			wantStatus(t, doctor.Get("/media/"+name+"/"+size), http.StatusOK)
		}
		// No DICOM was uploaded, so none is served; a made-up size or name is not found.
		wantStatus(t, doctor.Get("/media/"+name+"/dicom"), http.StatusNotFound)
		wantStatus(t, doctor.Get("/media/"+name+"/original"), http.StatusNotFound)
		wantStatus(t, doctor.Get("/media/"+strings.Repeat("0", 32)+"/full"), http.StatusNotFound)

		// A hidden post's images are hidden with it, except from moderators.
		var img models.PostImage
		if err := a.Store.DB().Where("name = ?", name).Take(&img).Error; err != nil {
			t.Fatal(err)
		}
		post, err := a.Store.PostByID(context.Background(), img.PostID)
		if err != nil {
			t.Fatal(err)
		}
		a.Hide(t, post, mod, "Shows a wristband")
		moderator := a.SignedIn(t, mod)
		for _, size := range sizes[:3] {
			wantStatus(t, doctor.Get("/media/"+name+"/"+size), http.StatusNotFound)
			wantStatus(t, moderator.Get("/media/"+name+"/"+size), http.StatusOK)
		}
		mustNotContain(t, doctor.Get(fmt.Sprintf("/t/%d", topic.ID)), "/media/"+name)

		// A purge removes every size.
		res := decide(moderator, post.ID, "purge", url.Values{"reason": {"Identifiable"}, "confirm": {"yes"}})
		wantStatus(t, res, http.StatusSeeOther)
		for _, size := range sizes[:3] {
			wantStatus(t, moderator.Get("/media/"+name+"/"+size), http.StatusNotFound)
		}
		list, err := a.Site.Blobs.List(context.Background(), models.ImageBlobPrefix(name))
		if err != nil || len(list) != 0 {
			t.Errorf("after the purge the blob store holds %v (%v)", list, err)
		}
	})
}

func TestImageUploadRefusalsKeepTheForm(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		doctor := a.SignedIn(t, okafor)
		form := url.Values{"title": {"Holter findings"}, "body": {"Runs of SVT overnight."}}
		for _, c := range []struct {
			name, ctype string
			data        []byte
			want        string
		}{
			{"notes.jpg", "image/jpeg", []byte("%PDF-1.4 this is a PDF, not a photo"), "The image was not added:"},
			{"ecg.jpg", "image/jpeg", pngBytes(t, 40, 40), "The image was not added:"},
			{"huge.png", "image/png", pngBytes(t, 8000, 7000), "The image was not added:"},
		} {
			res := submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", form, &upload{"image", c.name, c.ctype, c.data})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, c.want, "Holter findings", "Runs of SVT overnight.")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM staged_images`); n != 0 {
			t.Errorf("%d staged images after refusals", n)
		}
		if list, err := a.Site.Blobs.List(context.Background(), "staging/"); err != nil || len(list) != 0 {
			t.Errorf("staging holds %v (%v) after refusals", list, err)
		}
		// Another member's ticket, sent by hand, is not theirs to post.
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		nurse := a.SignedIn(t, weber)
		res := submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", form, &upload{"image", "ok.png", "image/png", pngBytes(t, 64, 64)})
		ticket := ticketInput.FindStringSubmatch(res.Body)[1]
		stolen := url.Values{"title": {"Borrowed"}, "body": {"Not my image."}, "image_ticket": {ticket}, "alt-" + ticket: {"x"}, "images_attest": {"yes"}}
		res = submitMultipart(t, nurse, "/b/cardiology/new", "/b/cardiology/new", stolen, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "has expired: add it again")
		if n := count(t, a, `SELECT COUNT(*) FROM post_images`); n != 0 {
			t.Errorf("%d images posted with another member's ticket", n)
		}

		// A staged upload expires after an hour.
		a.Clock.Add(blob.StagingTTL)
		wantStatus(t, doctor.Get("/uploads/"+ticket), http.StatusNotFound)
	})
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// filmWithLabel is a dark film with a label burned in, as a radiograph's is.
func filmWithLabel(t *testing.T, lines ...string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{12, 12, 12, 255}), image.Point{}, draw.Src)
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
	for i, line := range lines {
		d.Dot = fixed.Point26_6{X: fixed.I(40), Y: fixed.I(70 + 60*i)}
		d.DrawString(line)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBurnedInIdentifiersBlockThePost(t *testing.T) {
	if images.FindOCR("") == nil {
		if os.Getenv("ROUNDS_REQUIRE_TESSERACT") == "1" {
			t.Fatal("tesseract is not installed and ROUNDS_REQUIRE_TESSERACT=1")
		}
		t.Skip("tesseract is not installed: text in images is not checked here")
	}
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Radiology")
		a.Board(t, "radiology", "Radiology")
		doctor := a.SignedIn(t, okafor)
		form := url.Values{"title": {"Widened mediastinum?"}, "body": {"Portable film, supine."}}
		res := submitMultipart(t, doctor, "/b/radiology/new", "/b/radiology/new", form,
			&upload{"image", "chest.png", "image/png", filmWithLabel(t, "MRN 12345678", "DOB 03/04/1956")})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "This image shows text that identifies a patient", "Medical record number at", "must be blacked out")
		ticket := ticketInput.FindStringSubmatch(res.Body)[1]
		suggested := regexp.MustCompile(`name="boxes-` + ticket + `"[^>]*>([^<]*)</textarea>`).FindStringSubmatch(res.Body)
		if suggested == nil || strings.TrimSpace(suggested[1]) == "" {
			t.Fatal("the findings' boxes are not filled in to black out")
		}

		// Clearing the boxes does not get the image posted.
		form.Set("image_ticket", ticket)
		form.Set("alt-"+ticket, "Supine chest film")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, "/b/radiology/new", "/b/radiology/new", form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Image 1 shows text that identifies a patient", "Portable film, supine.")
		if n := count(t, a, `SELECT COUNT(*) FROM post_images`); n != 0 {
			t.Fatal("an image with identifiers showing was posted")
		}

		// Blacking out the suggested boxes reads the text again, and then it posts.
		form.Set("boxes-"+ticket, suggested[1])
		res = submitMultipart(t, doctor, "/b/radiology/new", "/b/radiology/new", form, nil)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "blacked out")
		mustNotContain(t, res, "must be blacked out")
		form.Del("boxes-" + ticket)
		res = submitMultipart(t, doctor, "/b/radiology/new", "/b/radiology/new", form, nil)
		wantStatus(t, res, http.StatusSeeOther)
	})
}

func TestDICOMUploadIsDeidentifiedThroughTheRoute(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Radiology")
		board := a.Board(t, "radiology", "Radiology")
		topic := a.Topic(t, board, okafor, "Incidental adrenal lesion", "Washout values attached.")
		doctor := a.SignedIn(t, okafor)
		file := dicomtest.File(t, dicomtest.Spec{Rows: 256, Columns: 256, Stored: 12, Extra: []*dcm.Element{
			dicomtest.Element(t, tag.PatientName, []string{"Doe^Jane"}),
			dicomtest.Element(t, tag.PatientID, []string{"MRN-00991"}),
			dicomtest.Element(t, tag.PatientBirthDate, []string{"19560304"}),
			dicomtest.Element(t, tag.InstitutionName, []string{"Mercy General"}),
			dicomtest.Element(t, tag.ReferringPhysicianName, []string{"Smith^John"}),
		}})
		page := fmt.Sprintf("/t/%d", topic.ID)
		form := url.Values{"body": {"Non-contrast slice."}}
		res := submitMultipart(t, doctor, page, page+"/reply", form, &upload{"image", "slice.dcm", "application/dicom", file})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "DICOM file de-identified:")
		ticket := ticketInput.FindStringSubmatch(res.Body)[1]
		form.Set("image_ticket", ticket)
		form.Set("alt-"+ticket, "Axial CT, left adrenal nodule")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, page, page+"/reply", form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		body := doctor.Get(res.Location()).Body
		thumb := mediaThumb.FindStringSubmatch(body)
		if thumb == nil {
			t.Fatal("no thumbnail")
		}
		name := thumb[1]
		if !strings.Contains(body, `href="/media/`+name+`/dicom"`) {
			t.Error("no download of the de-identified file")
		}
		dl := doctor.Get("/media/" + name + "/dicom")
		wantStatus(t, dl, http.StatusOK)
		if ct := dl.Header.Get("Content-Type"); ct != "application/dicom" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download served as %q, %q", ct, dl.Header.Get("Content-Disposition"))
		}
		for _, s := range []string{"Doe^Jane", "MRN-00991", "19560304", "Mercy General", "Smith^John"} {
			if strings.Contains(dl.Body, s) {
				t.Errorf("the downloaded DICOM file holds %q", s)
			}
		}
		if string(dl.Body[128:132]) != "DICM" {
			t.Error("the download is not a DICOM file")
		}
		full := doctor.Get("/media/" + name + "/full")
		if full.Header.Get("Content-Type") != "image/png" {
			t.Errorf("the rendered slice is %s", full.Header.Get("Content-Type"))
		}
		if img := decode(t, []byte(full.Body)); img.Bounds().Dx() != 256 {
			t.Errorf("the rendered slice is %v", img.Bounds())
		}
	})
}

// Uploads left in a composer go within minutes of their hour: the
// staging sweep runs when the job queue starts and every few minutes.
func TestStagedUploadsAreSweptAfterTheirHour(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		doctor := a.SignedIn(t, okafor)
		for i := 0; i < 2; i++ {
			res := submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Left behind"}},
				&upload{"image", "ecg.png", "image/png", pngBytes(t, 64, 64)})
			wantStatus(t, res, http.StatusOK)
			if i == 0 {
				a.Clock.Add(30 * time.Minute)
			}
		}
		a.Clock.Add(30 * time.Minute) // the first upload's hour is up; the second has half an hour left
		if err := a.Site.StartJobs(t.Context()); err != nil {
			t.Fatal(err)
		}
		finished := `SELECT COUNT(*) FROM river_job WHERE kind = 'sweep_staged_uploads' AND state = 'completed'`
		for deadline := time.Now().Add(30 * time.Second); count(t, a, finished) == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("no staging sweep ran when the job queue started")
			}
		}
		if n := count(t, a, `SELECT COUNT(*) FROM staged_images`); n != 1 {
			t.Errorf("%d staged uploads recorded after the sweep, want the newer one", n)
		}
		list, err := a.Site.Blobs.List(context.Background(), "staging/")
		if err != nil || len(list) != 1 {
			t.Errorf("staging holds %v (%v) after the sweep, want the newer upload", list, err)
		}
	})
}

// Each upload costs the server a decode, a face search and a read of its
// text: a member's uploads are limited, and a refused one keeps the form.
func TestUploadsAreRateLimited(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		doctor := a.SignedIn(t, okafor)
		form := url.Values{"title": {"Two films"}, "body": {"Before and after."}}
		res := submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", form, &upload{"image", "a.png", "image/png", pngBytes(t, 64, 64)})
		wantStatus(t, res, http.StatusOK)
		form.Set("image_ticket", ticketInput.FindStringSubmatch(res.Body)[1])
		res = submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", form, &upload{"image", "b.png", "image/png", pngBytes(t, 64, 64)})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "You have uploaded or blacked out images 1 times in", "Before and after.", form.Get("image_ticket"))
	}, apptest.Options{Env: map[string]string{"ROUNDS_RATE_LIMITS": "upload=1/1h"}})
}

// A case takes images as a topic does, through its own form.
func TestCaseWithAnImage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Surgery")
		a.Board(t, "surgery", "Surgery")
		doctor := a.SignedIn(t, okafor)
		form := aCase()
		res := submitMultipart(t, doctor, "/b/surgery/case", "/b/surgery/case", form, &upload{"image", "cxr.png", "image/png", pngBytes(t, 400, 300)})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Contrast swallow now, or CT first?", `enctype="multipart/form-data"`)
		ticket := ticketInput.FindStringSubmatch(res.Body)[1]
		form.Set("image_ticket", ticket)
		res = submitMultipart(t, doctor, "/b/surgery/case", "/b/surgery/case", form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Image 1: describe it (alt text)", "Sudden chest pain after forceful vomiting.")
		form.Set("alt-"+ticket, "Chest radiograph, pneumomediastinum")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, "/b/surgery/case", "/b/surgery/case", form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		thumb := mediaThumb.FindStringSubmatch(doctor.Get(res.Location()).Body)
		if thumb == nil || thumb[2] != "Chest radiograph, pneumomediastinum" {
			t.Fatalf("the case's image on its page: %v", thumb)
		}
	})
}

// ROUNDS_IMAGE_MAX_BYTES bounds an upload, said on the form and checked
// before anything is read.
func TestUploadSizeFollowsTheConfiguration(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.Board(t, "cardiology", "Cardiology")
		doctor := a.SignedIn(t, okafor)
		mustContain(t, doctor.Get("/b/cardiology/new"), "up to 1 MB and 50 megapixels")
		big := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 400_000)
		res := submitMultipart(t, doctor, "/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"A large scan"}},
			&upload{"image", "scan.png", "image/png", big})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "The image was not added: it is 1.5 MB, and the most Rounds takes is 1 MB.", "A large scan")
	}, apptest.Options{Env: map[string]string{"ROUNDS_IMAGE_MAX_BYTES": "1MB"}})
}
