package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// sendConsultImage has b send a message with an image in a consult, as
// a participant does through the reply form, and returns the image's name.
func sendConsultImage(t *testing.T, b *apptest.Browser, path, alt string) string {
	t.Helper()
	action := path + "/reply"
	form := url.Values{"body": {"The strip from this morning."}}
	res := submitMultipart(t, b, path, action, form, &upload{"image", "strip.png", "image/png", pngBytes(t, 360, 240)})
	wantStatus(t, res, http.StatusOK)
	m := ticketInput.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no staged image on the consult's form: %s", res.Body)
	}
	mustContain(t, res, "The strip from this morning.")
	form.Set("image_ticket", m[1])
	res = submitMultipart(t, b, path, action, form, nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Image 1: describe it (alt text)", "Confirm that no identifiers remain")
	form.Set("alt-"+m[1], alt)
	form.Set("images_attest", "yes")
	res = submitMultipart(t, b, path, action, form, nil)
	wantStatus(t, res, http.StatusSeeOther)
	thumbs := mediaThumb.FindAllStringSubmatch(b.Get(path).Body, -1)
	if len(thumbs) == 0 || thumbs[len(thumbs)-1][2] != alt {
		t.Fatalf("the consult's images on its page: %v", thumbs)
	}
	return thumbs[len(thumbs)-1][1]
}

func TestConsultImagesOnlyForParticipants(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Li Chen", "Nephrology")
		mod := a.Moderator(t, "mo", "Moderator Mo", "Internal Medicine")
		root := a.Admin(t, "root", "Site Admin", "Internal Medicine")
		consult := a.Consult(t, okafor, "Broad complexes", "First", weber, chen)
		path := fmt.Sprintf("/consults/%d", consult.ID)
		doctor := a.SignedIn(t, okafor)
		name := sendConsultImage(t, doctor, path, "Rhythm strip, broad complexes")
		sizes := []string{"thumb", "page", "full"}

		nurse := a.SignedIn(t, weber)
		nephro := a.SignedIn(t, chen)
		for _, size := range sizes {
			wantStatus(t, doctor.Get("/media/"+name+"/"+size), http.StatusOK)
			res := nurse.Get("/media/" + name + "/" + size)
			wantStatus(t, res, http.StatusOK)
			if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("a consult image is cached as %q", cc)
			}
		}
		wantStatus(t, nurse.Get("/media/"+name+"/dicom"), http.StatusNotFound)

		// Nobody else gets any size, whatever their role.
		outsider := a.SignedIn(t, a.VerifiedMember(t, "lund", "Dr. Eva Lund", "Dermatology"))
		moderator := a.SignedIn(t, mod)
		admin := a.SignedIn(t, root)
		for _, b := range []*apptest.Browser{outsider, moderator, admin} {
			for _, size := range append(sizes, "dicom") {
				wantStatus(t, b.Get("/media/"+name+"/"+size), http.StatusNotFound)
			}
		}
		// A participant who leaves loses them.
		wantStatus(t, nephro.Submit(path, path+"/leave", nil), http.StatusSeeOther)
		for _, size := range sizes {
			wantStatus(t, nephro.Get("/media/"+name+"/"+size), http.StatusNotFound)
		}

		// A report shows moderators the message, and its images, and
		// nothing later in the consult.
		later := sendConsultImage(t, doctor, path, "Rhythm strip after adenosine")
		reports := regexp.MustCompile(`/consult-messages/(\d+)/report`).FindAllStringSubmatch(nurse.Get(path).Body, -1)
		if len(reports) != 3 {
			t.Fatalf("weber can report %d messages, want okafor's 3", len(reports))
		}
		report := reports[1][0]
		wantStatus(t, nurse.Submit(report, report, url.Values{"reason": {"unprofessional"}}), http.StatusSeeOther)
		for _, size := range sizes {
			wantStatus(t, moderator.Get("/media/"+name+"/"+size), http.StatusOK)
			wantStatus(t, moderator.Get("/media/"+later+"/"+size), http.StatusNotFound)
			wantStatus(t, outsider.Get("/media/"+name+"/"+size), http.StatusNotFound)
		}

		// The review shows the reported message's image, not the later one.
		review := "/mod/consult-messages/" + reports[1][1]
		res := moderator.Get(review)
		mustContain(t, res, `src="/media/`+name+`/thumb" alt="Rhythm strip, broad complexes"`)
		mustNotContain(t, res, later)

		// A purge deletes every size.
		wantStatus(t, moderator.Submit(review, review+"/purge", url.Values{"reason": {"Identifiable"}, "confirm": {"yes"}}), http.StatusSeeOther)
		for _, size := range sizes {
			wantStatus(t, doctor.Get("/media/"+name+"/"+size), http.StatusNotFound)
			wantStatus(t, doctor.Get("/media/"+later+"/"+size), http.StatusOK)
		}
		if list := blobsOf(t, a, name); len(list) != 0 {
			t.Fatalf("the purged message's image is still kept: %v", list)
		}
		mustNotContain(t, nurse.Get(path), "/media/"+name)
	})
}

func TestConsultStartsWithAnImage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		doctor := a.SignedIn(t, okafor)
		form := url.Values{"to": {"weber"}, "subject": {"Broad complexes"}, "body": {"What do you make of this strip?"}}
		res := submitMultipart(t, doctor, "/consults/new", "/consults/new", form, &upload{"image", "strip.png", "image/png", pngBytes(t, 360, 240)})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `enctype="multipart/form-data"`, "What do you make of this strip?", `value="Broad complexes"`)
		m := ticketInput.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no staged image on the new consult's form: %s", res.Body)
		}
		form.Set("image_ticket", m[1])
		form.Set("alt-"+m[1], "Rhythm strip, broad complexes")
		res = submitMultipart(t, doctor, "/consults/new", "/consults/new", form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Confirm that no identifiers remain")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, "/consults/new", "/consults/new", form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		path := res.Location()
		nurse := a.SignedIn(t, weber)
		thumb := mediaThumb.FindStringSubmatch(nurse.Get(path).Body)
		if thumb == nil || thumb[2] != "Rhythm strip, broad complexes" {
			t.Fatalf("the consult's first image: %v", thumb)
		}
		wantStatus(t, nurse.Get("/media/"+thumb[1]+"/full"), http.StatusOK)
	})
}

// A hidden message's images are kept from its participants, and from
// moderators reviewing a later report whose page does not show it.
func TestHiddenConsultMessageImages(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "mo", "Moderator Mo", "Internal Medicine")
		consult := a.Consult(t, okafor, "Broad complexes", "First", weber)
		name := "0123456789abcdef0123456789abcdef"
		content := models.PostContent{Source: "Strip", Cooked: "<p>Strip</p>", Plain: "Strip", Images: []models.PostImage{{Name: name,
			Alt: "Rhythm strip", ContentType: "image/png", Width: 10, Height: 10, PageWidth: 10, PageHeight: 10, ThumbWidth: 10, ThumbHeight: 10}}}
		withImage, err := a.Store.AddConsultMessage(ctx, consult.ID, okafor.ID, content)
		if err != nil {
			t.Fatal(err)
		}
		data := pngBytes(t, 10, 10)
		if err := a.Site.Blobs.Put(ctx, models.ImageBlobPrefix(name)+"thumb", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
		reported := a.ConsultMessage(t, consult, okafor, "Rude")
		nurse := a.SignedIn(t, weber)
		moderator := a.SignedIn(t, mod)
		thumb := "/media/" + name + "/thumb"
		wantStatus(t, nurse.Get(thumb), http.StatusOK)
		wantStatus(t, moderator.Get(thumb), http.StatusNotFound)
		report := fmt.Sprintf("/consult-messages/%d/report", reported.ID)
		wantStatus(t, nurse.Submit(report, report, url.Values{"reason": {"unprofessional"}}), http.StatusSeeOther)
		wantStatus(t, moderator.Get(thumb), http.StatusOK)

		if err := a.Store.ModerateConsultMessage(ctx, mod.ID, withImage.ID, models.ConsultActHide, "Shows a label"); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, nurse.Get(thumb), http.StatusNotFound)
		wantStatus(t, moderator.Get(thumb), http.StatusNotFound)
		mustNotContain(t, nurse.Get(fmt.Sprintf("/consults/%d", consult.ID)), thumb)
		mustNotContain(t, moderator.Get(fmt.Sprintf("/mod/consult-messages/%d", reported.ID)), thumb)
	})
}
