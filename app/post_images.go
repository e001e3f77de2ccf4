package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/blob"
	"rounds/app/images"
	"rounds/app/phi"
	"rounds/app/ratelimit"
	"rounds/models"
)

// A composer's images. An upload is checked and inspected at once (faces,
// burned-in text, DICOM attributes) and waits, as sent, in the blob
// store's staging area, which only its uploader's composer reads, for at
// most an hour. The member describes it (alt text), blacks out what
// identifies a patient (boxes the server applies to the pixels, reading
// the text again), and attests that no identifier remains. Posting renders
// the sizes with the faces blurred and the boxes black, keeps them under
// an unguessable name, and attaches them to the post in its transaction.
// The form works without JS: each step is a submit of the whole form,
// which comes back with everything typed kept.

const (
	// maxPostImages bounds the images of one post.
	maxPostImages = models.MaxPostImages
	// altMax bounds an image's description, in characters.
	altMax = 500
	// maxBoxes bounds the boxes drawn on one image.
	maxBoxes = 100
)

// box is a rectangle in the full view's pixels, as kept in the staged
// state.
type box struct{ X, Y, W, H int }

func (b box) rect() image.Rectangle { return image.Rect(b.X, b.Y, b.X+b.W, b.Y+b.H) }

func boxOf(r image.Rectangle) box { return box{r.Min.X, r.Min.Y, r.Dx(), r.Dy()} }

func rects(boxes []box) []image.Rectangle {
	out := make([]image.Rectangle, len(boxes))
	for i, b := range boxes {
		out[i] = b.rect()
	}
	return out
}

// textFinding is an identifier read in a staged image: its kind and where
// it is, never its text.
type textFinding struct {
	Type     string
	Blocking bool
	Box      box
}

// stagedState is what Rounds knows of a staged upload, kept as JSON in
// models.StagedImage.State.
type stagedState struct {
	FileName    string
	ContentType string
	Key         string // hex; seeds a DICOM file's de-identification
	Format      images.Format
	Width       int
	Height      int
	Faces       []box
	Redactions  []box
	TextStatus  images.TextStatus
	TextMessage string
	Findings    []textFinding
	DICOMNote   string
}

func (s *stagedState) source() images.Source {
	key, _ := hex.DecodeString(s.Key) // written by stage; a bad one reads as a fresh key
	return images.Source{Name: s.FileName, ContentType: s.ContentType, Key: key}
}

func (s *stagedState) edits() images.Edits {
	return images.Edits{Blur: rects(s.Faces), Redact: rects(s.Redactions)}
}

// uncovered are the blocking findings no black box covers yet.
func (s *stagedState) uncovered() []textFinding {
	var out []textFinding
	red := rects(s.Redactions)
	for _, f := range s.Findings {
		if f.Blocking && len(images.Uncovered([]images.TextFinding{{Box: f.Box.rect(), Finding: blockingFinding}}, red)) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// trayImage is one staged image as the composer shows it.
type trayImage struct {
	Ticket string
	Alt    string
	// Boxes are the boxes typed or drawn and not applied yet, one per
	// line: x y width height, in the full view's pixels.
	Boxes string
	State stagedState
	Error string
}

// imageTray is a composer's images.
type imageTray struct {
	Images []*trayImage
	// Attested is the member's "no identifiers remain" checkbox.
	Attested bool
	// Notice says what the last step did.
	Notice string
	// MaxMB and MaxMP are the site's limits on one upload.
	MaxMB, MaxMP int64
	// Posted are the images an edited post keeps (Editing); the edit
	// removes the others. NoUploads is a moderator's edit, which only
	// removes images.
	Posted    []*postedImage
	Editing   bool
	NoUploads bool
}

// newImageTray is an empty tray with the site's limits, for the form's hint.
func (h *Handler) newImageTray() *imageTray {
	return &imageTray{MaxMB: max(1, h.cfg.ImageMaxBytes>>20), MaxMP: max(1, h.cfg.ImageMaxPixels/1_000_000)}
}

// Label numbers the images from 1, as the form names them.
func (t *trayImage) Label(i int) string { return "Image " + strconv.Itoa(i+1) }

// LabelLower is Label inside a sentence.
func (t *trayImage) LabelLower(i int) string { return "image " + strconv.Itoa(i+1) }

// PreviewURL shows the uploader the image as it will be posted.
func (t *trayImage) PreviewURL() string { return "/uploads/" + t.Ticket }

// FacesNote says what was done about faces.
func (t *trayImage) FacesNote() string {
	switch n := len(t.State.Faces); n {
	case 0:
		return ""
	case 1:
		return "A face was found and is blurred."
	default:
		return strconv.Itoa(n) + " faces were found and are blurred."
	}
}

// Marks are the findings, for the list under the image.
func (t *trayImage) Marks() []string {
	var out []string
	red := rects(t.State.Redactions)
	for _, f := range t.State.Findings {
		what := phiTypeLabel(f.Type)
		covered := len(images.Uncovered([]images.TextFinding{{Box: f.Box.rect(), Finding: blockingFinding}}, red)) == 0
		state := "check it"
		switch {
		case covered:
			state = "blacked out"
		case f.Blocking:
			state = "must be blacked out"
		}
		out = append(out, fmt.Sprintf("%s at %d %d %d %d: %s", what, f.Box.X, f.Box.Y, f.Box.W, f.Box.H, state))
	}
	return out
}

// Redacted counts the boxes applied.
func (t *trayImage) Redacted() int { return len(t.State.Redactions) }

// blockingFinding stands for a finding whose box Uncovered checks: only
// its confidence matters there.
var blockingFinding = phi.Finding{Confidence: phi.High}

// readImageTray reads the composer's images as the form sent them: the
// member's staged uploads, still there, with their alt text and boxes.
func (h *Handler) readImageTray(c *fiber.Ctx) (*imageTray, []string, error) {
	tickets := formValues(c, "image_ticket")
	if len(tickets) > maxPostImages {
		tickets = tickets[:maxPostImages]
	}
	staged, err := h.store.StagedImages(c.UserContext(), member(c).ID, tickets)
	if err != nil {
		return nil, nil, err
	}
	tray := h.newImageTray()
	tray.Attested = c.FormValue("images_attest") != ""
	for _, s := range staged {
		img := &trayImage{Ticket: s.Ticket, Alt: strings.TrimSpace(c.FormValue("alt-" + s.Ticket)), Boxes: c.FormValue("boxes-" + s.Ticket)}
		if err := json.Unmarshal([]byte(s.State), &img.State); err != nil {
			return nil, nil, fmt.Errorf("read staged image %s: %w", s.Ticket, err)
		}
		tray.Images = append(tray.Images, img)
	}
	var lost []string
	if len(staged) < len(tickets) {
		lost = append(lost, "An image you added was kept for an hour and has expired: add it again.")
	}
	return tray, lost, nil
}

// formValues reads every value of a field, from a multipart form or an
// encoded one.
func formValues(c *fiber.Ctx, name string) []string {
	if form, err := c.MultipartForm(); err == nil {
		return form.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// composerImages does the image step a composer's form asks for — an
// upload, boxes to black out, an image removed — and says whether it did
// one, in which case the form is shown again rather than posted. When it
// did none, it checks that the images may be posted, with problems on the
// form. Every failure leaves what the member typed as it was.
func (h *Handler) composerImages(c *fiber.Ctx, form *composer) (bool, error) {
	tray, lost, err := h.readImageTray(c)
	if err != nil {
		return false, err
	}
	if old := form.Images; old != nil {
		tray.Posted, tray.Editing, tray.NoUploads = old.Posted, old.Editing, old.NoUploads
	}
	form.Images = tray
	for _, msg := range lost {
		addImageProblem(form, msg)
	}
	acted := false
	if ticket := c.FormValue("remove_image"); ticket != "" {
		for i, img := range tray.Images {
			if img.Ticket == ticket {
				if err := h.unstage(c.UserContext(), member(c).ID, img.Ticket); err != nil {
					return false, err
				}
				tray.Images = append(tray.Images[:i], tray.Images[i+1:]...)
				tray.Notice = "The image was removed."
				break
			}
		}
		acted = true
	}
	for i, img := range tray.Images {
		if strings.TrimSpace(img.Boxes) == "" {
			continue
		}
		acted = true
		boxes, problem := parseBoxes(img.Boxes, img.State.Width, img.State.Height)
		if problem != "" {
			img.Error = problem
			addImageProblem(form, fmt.Sprintf("%s: %s", img.Label(i), problem))
			continue
		}
		if limit := h.takeLimits(c, ratelimit.Upload); limit != nil {
			addImageProblem(form, limit.message()+" The boxes are kept below.")
			continue
		}
		if err := h.redact(c.UserContext(), member(c).ID, img, boxes); err != nil {
			if images.KindOf(err) == 0 {
				return false, err
			}
			addImageProblem(form, err.Error())
			continue
		}
		img.Boxes = ""
		tray.Notice = "The boxes are blacked out and the image's text was read again. Check the image, then post."
	}
	if file, err := c.FormFile("image"); err == nil && file.Size > 0 {
		acted = true
		limit := h.takeLimits(c, ratelimit.Upload)
		if len(tray.Images)+len(tray.Posted) >= maxPostImages {
			addImageProblem(form, fmt.Sprintf("A post takes at most %d images.", maxPostImages))
		} else if limit != nil {
			addImageProblem(form, limit.message()+" Your text is kept below.")
		} else if img, msg, err := h.stage(c, file.Filename, file.Header.Get(fiber.HeaderContentType), file.Size, func() (io.ReadCloser, error) { return file.Open() }); err != nil {
			return false, err
		} else if msg != "" {
			addImageProblem(form, msg)
		} else {
			tray.Images = append(tray.Images, img)
			tray.Notice = "The image is added, with any faces blurred. Describe it, black out anything that identifies a patient, then post."
		}
	}
	for _, img := range tray.Images {
		if img.Boxes == "" {
			img.Boxes = suggestedBoxes(img.State)
		}
	}
	if acted || c.FormValue("preview") != "" {
		return acted, nil
	}
	h.checkImages(form)
	return false, nil
}

// addImageProblem adds a problem with the images to the form's list:
// there may be several, one for each image.
func addImageProblem(form *composer, msg string) {
	if old, ok := form.Errors["images"]; ok {
		msg = old + " " + msg
	}
	form.Errors.add("images", msg)
}

// imageStep shows a composer's form again after an image step: the
// problems of the text wait for the post, only the images' are shown.
func imageStep(form *composer) {
	if msg, ok := form.Errors["images"]; ok {
		form.Errors = fieldErrors{"images": msg}
	} else {
		form.Errors = nil
	}
}

// checkAlt checks an image's description, new or posted: what is wrong
// goes into the form's summary under the image's label, and comes back to
// be shown by the image; "" when nothing is.
func checkAlt(form *composer, label, alt string) string {
	switch n := utf8.RuneCountInString(alt); {
	case n == 0:
		addImageProblem(form, label+": describe it (alt text), for members who cannot see it.")
		return "Describe the image for members who cannot see it."
	case n > altMax:
		addImageProblem(form, fmt.Sprintf("%s: the description has at most %d characters; yours has %d.", label, altMax, n))
		return fmt.Sprintf("At most %d characters; yours has %d.", altMax, n)
	}
	return ""
}

// checkImages puts on the form what stops its images being posted.
func (h *Handler) checkImages(form *composer) {
	tray := form.Images
	for i, img := range tray.Images {
		if msg := checkAlt(form, img.Label(i), img.Alt); msg != "" {
			img.Error = msg
		}
		if n := len(img.State.uncovered()); n > 0 {
			img.Error = "Black out the marked text before posting."
			addImageProblem(form, fmt.Sprintf("%s shows text that identifies a patient (%d places): black out the marked boxes before posting.", img.Label(i), n))
		}
	}
	if len(tray.Images) > 0 && !tray.Attested {
		addImageProblem(form, "Confirm that no identifiers remain in the images: faces, names, record numbers, dates, and anything else that could identify the patient.")
	}
}

// stage checks, inspects and stages an upload, or says why it is refused.
func (h *Handler) stage(c *fiber.Ctx, name, ctype string, size int64, open func() (io.ReadCloser, error)) (*trayImage, string, error) {
	ctx := c.UserContext()
	if limit := h.cfg.ImageMaxBytes; limit > 0 && size > limit {
		return nil, fmt.Sprintf("The image was not added: it is %.1f MB, and the most Rounds takes is %.0f MB. Export a smaller one and upload that.",
			float64(size)/(1<<20), float64(limit)/(1<<20)), nil
	}
	r, err := open()
	if err != nil {
		return nil, "", fmt.Errorf("open upload: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, max(h.cfg.ImageMaxBytes, images.DefaultMaxBytes)+1))
	r.Close()
	if err != nil {
		return nil, "", fmt.Errorf("read upload: %w", err)
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, "", fmt.Errorf("upload key: %w", err)
	}
	state := stagedState{FileName: name, ContentType: ctype, Key: hex.EncodeToString(key[:])}
	in, err := h.uploads.Inspect(ctx, bytes.NewReader(data), state.source())
	if err != nil {
		if images.KindOf(err) != 0 {
			h.log.Info("upload refused", "request_id", requestID(c), "err", err)
			return nil, "The image was not added: " + err.Error(), nil
		}
		return nil, "", err
	}
	state.Format, state.Width, state.Height = in.Format, in.Width, in.Height
	for _, f := range in.Faces {
		state.Faces = append(state.Faces, boxOf(f.Box))
	}
	state.readText(in.Text)
	if in.Text.Status == images.TextFailed {
		h.log.Warn("text in an upload not read", "request_id", requestID(c), "err", in.Text.Err)
	}
	if r := in.DICOMReport; r != nil {
		state.DICOMNote = fmt.Sprintf("DICOM file de-identified: %d attributes removed, %d emptied, %d replaced, %d UIDs remapped, %d dates shifted, %d private attributes removed. The de-identified file is offered for download with the post.",
			len(r.Removed), len(r.Emptied), len(r.Replaced), r.UIDsRemapped, r.DatesShifted, r.PrivateRemoved)
	}
	who := strconv.FormatInt(member(c).ID, 10)
	ticket, err := h.staging.Put(ctx, who, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, "", err
	}
	raw, err := json.Marshal(state)
	if err != nil {
		return nil, "", err
	}
	if err := h.store.StageImage(ctx, &models.StagedImage{UserID: member(c).ID, Ticket: ticket, State: string(raw)}); err != nil {
		return nil, "", err
	}
	return &trayImage{Ticket: ticket, State: state}, "", nil
}

// readText keeps what reading the text found, merged with what earlier
// reads found: a finding once blacked out stays listed as such.
func (s *stagedState) readText(check images.TextCheck) {
	s.TextStatus, s.TextMessage = check.Status, check.Message()
	for _, f := range check.Findings {
		nf := textFinding{Type: f.Type, Blocking: f.Blocking(), Box: boxOf(f.Box)}
		dup := false
		for _, old := range s.Findings {
			if old.Box == nf.Box && old.Type == nf.Type {
				dup = true
			}
		}
		if !dup {
			s.Findings = append(s.Findings, nf)
		}
	}
}

// staged reads a member's staged upload back.
func (h *Handler) staged(ctx context.Context, memberID int64, ticket string) ([]byte, error) {
	r, err := h.staging.Get(ctx, strconv.FormatInt(memberID, 10), ticket)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// redact blacks out boxes on a staged image and reads its text again, as
// it now shows.
func (h *Handler) redact(ctx context.Context, memberID int64, img *trayImage, boxes []box) error {
	data, err := h.staged(ctx, memberID, img.Ticket)
	if err != nil {
		return fmt.Errorf("read staged image: %w", err)
	}
	state := img.State
	state.Redactions = append(append([]box(nil), state.Redactions...), boxes...)
	out, err := h.uploads.Render(ctx, bytes.NewReader(data), state.source(), state.edits())
	if err != nil {
		return err
	}
	full := out.Renditions[2]
	in, err := h.uploads.Inspect(ctx, bytes.NewReader(full.Data), images.Source{ContentType: full.ContentType})
	if err != nil {
		return err
	}
	state.readText(in.Text)
	raw, err := json.Marshal(state)
	if err != nil {
		return err
	}
	if err := h.store.UpdateStagedImage(ctx, memberID, img.Ticket, string(raw)); err != nil {
		return err
	}
	img.State = state
	return nil
}

// unstage deletes a staged upload and its record.
func (h *Handler) unstage(ctx context.Context, memberID int64, ticket string) error {
	err := h.staging.Delete(ctx, strconv.FormatInt(memberID, 10), ticket)
	if err != nil && !errors.Is(err, blob.ErrNotFound) {
		return err
	}
	return h.store.UnstageImages(ctx, memberID, []string{ticket})
}

// keptImages renders the tray's images with their edits and keeps every
// size in the blob store under a new unguessable name, for the post about
// to be written. discard deletes them again, should the post not be.
func (h *Handler) keptImages(ctx context.Context, memberID int64, tray *imageTray) (kept []models.PostImage, discard func(), err error) {
	discard = func() {
		for _, img := range kept {
			if _, err := h.blobs.DeleteAll(context.WithoutCancel(ctx), models.ImageBlobPrefix(img.Name)); err != nil {
				h.log.Error("delete the images of a post not written", "image", img.Name, "err", err)
			}
		}
	}
	defer func() {
		if err != nil {
			discard()
		}
	}()
	if tray == nil {
		return nil, discard, nil
	}
	for _, img := range tray.Images {
		data, err := h.staged(ctx, memberID, img.Ticket)
		if err != nil {
			return kept, discard, fmt.Errorf("read staged image: %w", err)
		}
		out, err := h.uploads.Render(ctx, bytes.NewReader(data), img.State.source(), img.State.edits())
		if err != nil {
			return kept, discard, err
		}
		var name [16]byte
		if _, err := rand.Read(name[:]); err != nil {
			return kept, discard, err
		}
		pi := models.PostImage{Name: hex.EncodeToString(name[:]), Alt: img.Alt, ContentType: out.Renditions[0].ContentType,
			ThumbWidth: out.Renditions[0].Width, ThumbHeight: out.Renditions[0].Height,
			PageWidth: out.Renditions[1].Width, PageHeight: out.Renditions[1].Height,
			Width: out.Renditions[2].Width, Height: out.Renditions[2].Height, DICOM: out.DICOM != nil}
		kept = append(kept, pi)
		prefix := models.ImageBlobPrefix(pi.Name)
		for _, r := range out.Renditions {
			if err := h.blobs.Put(ctx, prefix+string(r.Size), bytes.NewReader(r.Data), int64(len(r.Data))); err != nil {
				return kept, discard, err
			}
		}
		if out.DICOM != nil {
			if err := h.blobs.Put(ctx, prefix+"dicom", bytes.NewReader(out.DICOM), int64(len(out.DICOM))); err != nil {
				return kept, discard, err
			}
		}
	}
	return kept, discard, nil
}

// postedImages lets go of the staged uploads of a post now written.
func (h *Handler) postedImages(ctx context.Context, memberID int64, tray *imageTray) {
	if tray == nil {
		return
	}
	for _, img := range tray.Images {
		if err := h.unstage(ctx, memberID, img.Ticket); err != nil {
			// The sweep deletes it within the hour anyway.
			h.log.Warn("unstage a posted image", "err", err)
		}
	}
}

// parseBoxes reads boxes typed or drawn on an image, one per line: x y
// width height, in the image's pixels (commas allowed), each clipped to
// the image.
func parseBoxes(text string, width, height int) ([]box, string) {
	var out []box
	bounds := image.Rect(0, 0, width, height)
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(f) != 4 {
			return nil, fmt.Sprintf("box %d is not four numbers: x, y, width and height in the image's pixels (%d × %d).", i+1, width, height)
		}
		var n [4]int
		for j, s := range f {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				return nil, fmt.Sprintf("box %d: %q is not a whole number of pixels.", i+1, s)
			}
			n[j] = v
		}
		r := image.Rect(n[0], n[1], n[0]+n[2], n[1]+n[3]).Intersect(bounds)
		if r.Empty() {
			return nil, fmt.Sprintf("box %d is empty or outside the image (%d × %d pixels).", i+1, width, height)
		}
		out = append(out, boxOf(r))
		if len(out) > maxBoxes {
			return nil, fmt.Sprintf("At most %d boxes on one image.", maxBoxes)
		}
	}
	return out, ""
}

// suggestedBoxes fills the box field with the blocking findings not yet
// covered, so that one press blacks them out.
func suggestedBoxes(s stagedState) string {
	var b strings.Builder
	for _, f := range s.uncovered() {
		fmt.Fprintf(&b, "%d %d %d %d\n", f.Box.X, f.Box.Y, f.Box.W, f.Box.H)
	}
	return b.String()
}
