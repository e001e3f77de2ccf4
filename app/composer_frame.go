package app

import (
	"strconv"

	"github.com/valyala/bytebufferpool"

	"rounds/models"
)

// The reply composer under a topic, written in Go as the rest of the topic
// page is (topic_frame.go). Only the form every reader who may reply gets
// is written here: empty, or with their draft or a quoted post. A form
// shown again with its problems, a preview, images being staged, the
// identifier check or a case's fields goes through
// views/partials/composer.html, as every other page's composer does.

// writeComposer is the "composer" partial for the reply form.
func (v *viewSet) writeComposer(b *bytebufferpool.ByteBuffer, f *composer, csrf string) error {
	if !f.plainReply() {
		return v.writePartial(b, "composer", composerView{Form: f, CSRF: csrf})
	}
	b.B = append(b.B, "\n<form method=\"post\" action=\""...)
	writeURL(b, f.Action)
	b.B = append(b.B, "\" class=\"composer\" data-composer novalidate enctype=\"multipart/form-data\""...)
	place := f.DraftPlace()
	if place != "" {
		b.B = append(b.B, " data-draft=\""...)
		writeHTML(b, place)
		b.B = append(b.B, '"')
	}
	if f.MentionBoard != "" {
		b.B = append(b.B, " data-mentions=\"/b/"...)
		writeHTML(b, f.MentionBoard)
		b.B = append(b.B, "/mentions\""...)
	}
	b.B = append(b.B, ">\n  <input type=\"hidden\" name=\"_csrf\" value=\""...)
	writeHTML(b, csrf)
	b.B = append(b.B, "\">\n  \n  \n  "...)
	if place != "" {
		writeDraftStatus(b, f, place)
	}
	b.B = append(b.B, "\n  \n  "...)
	writeReplyFields(b, f)
	b.B = append(b.B, "\n  <div class=\"actions\">\n    <button type=\"submit\" class=\"button primary\">"...)
	writeHTML(b, f.Submit)
	b.B = append(b.B, "</button>\n    <button type=\"submit\" name=\"preview\" value=\"1\" class=\"button\" data-preview-button>Preview</button>\n    "...)
	if place != "" {
		b.B = append(b.B, "<button type=\"submit\" name=\"save_draft\" value=\"1\" class=\"button\" formnovalidate data-draft-save>Save draft</button>"...)
	}
	b.B = append(b.B, "\n    \n  </div>\n  <section class=\"preview\" aria-live=\"polite\" aria-label=\"Preview\" data-preview hidden>\n"+
		"    <h2 class=\"preview-heading\">Preview</h2>\n    <div class=\"post-body\" data-preview-body></div>\n  </section>\n</form>\n"...)
	return nil
}

// plainReply says whether the form is one writeComposer writes itself:
// nothing but the reply's text, the member's draft, anonymity, the poll
// and an empty image tray.
func (f *composer) plainReply() bool {
	return f.Version == 0 && f.Notice == "" && len(f.Errors) == 0 && f.Cancel == "" && f.Preview == "" &&
		!f.WithTitle && f.Case == nil && f.PHI == nil && f.BodyLabel == "" && f.BodyHint == "" &&
		f.Images != nil && f.Images.plain()
}

// plain says the tray holds no image and nothing to say about one.
func (t *imageTray) plain() bool {
	return len(t.Images) == 0 && len(t.Posted) == 0 && t.Notice == "" && !t.Editing && !t.NoUploads
}

// writeDraftStatus is the "draft_status" partial: the form's draft place,
// and when the member's draft is shown, when it was saved, with the button
// that discards it.
func writeDraftStatus(b *bytebufferpool.ByteBuffer, f *composer, place string) {
	b.B = append(b.B, "\n  <input type=\"hidden\" name=\"draft_place\" value=\""...)
	writeHTML(b, place)
	b.B = append(b.B, "\">\n  <p class=\"draft-status\" data-draft-status"...)
	if f.Draft == nil {
		b.B = append(b.B, " hidden"...)
	}
	b.B = append(b.B, ">\n    <span data-draft-note>"...)
	if f.Draft != nil {
		b.B = append(b.B, "Draft saved at "...)
		writeHTML(b, stampTime(f.Draft.SavedAt))
	}
	b.B = append(b.B, "</span> ·\n    <button type=\"submit\" class=\"link-button\" formaction=\"/drafts/discard\" formnovalidate name=\"return\" value=\""...)
	writeHTML(b, f.DraftReturn)
	b.B = append(b.B, "\" data-draft-discard>Discard</button>\n  </p>\n"...)
}

// writeReplyFields is the "composer_fields" partial for a reply: its text,
// the image tray, anonymity and the poll.
func writeReplyFields(b *bytebufferpool.ByteBuffer, f *composer) {
	b.B = append(b.B, "\n  \n  \n  <div class=\"field\">\n    <label for=\"field-body\">Your reply</label>\n"+
		"    <textarea id=\"field-body\" name=\"body\" rows=\"10\" maxlength=\"40000\" required\n"+
		"      aria-describedby=\"body-hint\">\n"...)
	writeHTML(b, f.Body)
	b.B = append(b.B, "</textarea>\n    <p class=\"hint\" id=\"body-hint\">Markdown: **bold**, *italic*, lists, tables, [links](https://…) and footnotes[^1]. "+
		"Never include patient identifiers.</p>\n    \n  </div>\n  "...)
	writeEmptyImageTray(b, f.Images)
	b.B = append(b.B, "\n  \n  "...)
	if f.Anonymity != nil {
		writeAnonymousChoice(b, f, f.Anonymity)
	}
	b.B = append(b.B, "\n\n  "...)
	if f.OfferPoll {
		writePollChoice(b, f.AddPoll)
	}
	b.B = append(b.B, "\n  \n"...)
}

// writeEmptyImageTray is the "composer_images" partial with no image yet.
func writeEmptyImageTray(b *bytebufferpool.ByteBuffer, t *imageTray) {
	b.B = append(b.B, "\n\n<fieldset class=\"field composer-images\" data-image-tray>\n  <legend>Images <span class=\"muted\">(optional)</span></legend>\n"+
		"  \n  \n  \n  \n  \n  \n  <div class=\"field image-drop\" data-image-drop>\n    <label for=\"field-images\">Add an image</label>\n"+
		"    <input id=\"field-images\" name=\"image\" type=\"file\" accept=\"image/jpeg,image/png,image/webp,.dcm,application/dicom\"\n"+
		"      aria-describedby=\"images-hint\">\n    <p class=\"hint\" id=\"images-hint\">JPEG, PNG or WebP photos and DICOM (.dcm) files, up to "...)
	b.B = strconv.AppendInt(b.B, t.MaxMB, 10)
	b.B = append(b.B, " MB and "...)
	b.B = strconv.AppendInt(b.B, t.MaxMP, 10)
	b.B = append(b.B, " megapixels; you can also drop or paste one here. Rounds removes the file's metadata, blurs faces, reads any text for identifiers "+
		"and de-identifies DICOM files; you black out the rest.</p>\n"+
		"    <button type=\"submit\" name=\"upload\" value=\"1\" class=\"button\" formnovalidate data-upload-button>Upload image</button>\n  </div>\n"+
		"  \n  \n  \n</fieldset>\n\n"...)
}

// writeAnonymousChoice is the "anonymous_choice" partial: the checkbox that
// posts anonymously, with the label the member would post under and why
// it says that much.
func writeAnonymousChoice(b *bytebufferpool.ByteBuffer, f *composer, l *models.AnonymousLabel) {
	b.B = append(b.B, "\n  <div class=\"field anonymous-choice\">\n    <label><input type=\"checkbox\" name=\"anonymous\" value=\"1\""...)
	if f.Anonymous {
		b.B = append(b.B, " checked"...)
	}
	b.B = append(b.B, " aria-describedby=\"anonymous-hint\"> "...)
	writeHTML(b, f.AnonymousVerb())
	b.B = append(b.B, " anonymously, as “"...)
	writeHTML(b, l.Byline())
	b.B = append(b.B, "”</label>\n    <p class=\"hint\" id=\"anonymous-hint\">"...)
	k := strconv.Itoa(l.K)
	switch l.Level {
	case "specialty":
		b.B = append(b.B, "Your peers see your specialty and the verified badge, not your name: at least "...)
		b.B = append(b.B, k...)
		b.B = append(b.B, " verified members who read this board share it.\n      "...)
	case "field":
		b.B = append(b.B, "Fewer than "...)
		b.B = append(b.B, k...)
		b.B = append(b.B, " verified members who read this board share your specialty, so your peers see only its field and the verified badge, not your name.\n      "...)
	case "profession":
		b.B = append(b.B, "Fewer than "...)
		b.B = append(b.B, k...)
		b.B = append(b.B, " verified members who read this board share your specialty or its field, so your peers see only your profession and the verified badge, not your name.\n      "...)
	default:
		b.B = append(b.B, "Fewer than "...)
		b.B = append(b.B, k...)
		b.B = append(b.B, " verified members who read this board share your specialty, its field or your profession, so your peers see only the verified badge, not your name."...)
	}
	b.B = append(b.B, "\n      The label is fixed on the post when you post it. Moderators can find out who you are if they must, and that is recorded.</p>\n  </div>\n  "...)
}

// writePollChoice is the "poll_choice" partial.
func writePollChoice(b *bytebufferpool.ByteBuffer, checked bool) {
	b.B = append(b.B, "\n  <div class=\"field poll-choice\">\n    <label><input type=\"checkbox\" name=\"add_poll\" value=\"1\""...)
	if checked {
		b.B = append(b.B, " checked"...)
	}
	b.B = append(b.B, " aria-describedby=\"add-poll-hint\"> Add a poll (“What would you do?”)</label>\n"+
		"    <p class=\"hint\" id=\"add-poll-hint\">Once posted, you write the poll’s question and options.</p>\n  </div>\n"...)
}
