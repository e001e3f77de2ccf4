package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"rounds/app/apptest"
	"rounds/app/blob"
	"rounds/models"
)

// imageOf loads an attached image by name, or fails.
func imageOf(t *testing.T, a *apptest.App, name string) models.PostImage {
	t.Helper()
	var img models.PostImage
	if err := a.Store.DB().Where("name = ?", name).Take(&img).Error; err != nil {
		t.Fatalf("image %s: %v", name, err)
	}
	return img
}

// blobsOf lists what the blob store keeps of an image.
func blobsOf(t *testing.T, a *apptest.App, name string) []blob.Info {
	t.Helper()
	list, err := a.Site.Blobs.List(context.Background(), models.ImageBlobPrefix(name))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestEditPostImages(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Wide-complex tachycardia", "VT or SVT with aberrancy?")
		other := a.Topic(t, board, weber, "Another topic", "Something else entirely here.")
		doctor := a.SignedIn(t, okafor)
		first := postImage(t, doctor, topic, "12-lead ECG, wide complexes")
		img := imageOf(t, a, first)
		nurse := a.SignedIn(t, weber)
		foreign := imageOf(t, a, postImage(t, nurse, other, "Rhythm strip"))
		id := strconv.FormatInt(img.ID, 10)
		edit := fmt.Sprintf("/p/%d/edit", img.PostID)

		// The edit form shows the post's image with its description.
		res := doctor.Get(edit)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `src="/media/`+first+`/thumb" alt="12-lead ECG, wide complexes"`,
			`name="alt-posted-`+id+`" type="text" value="12-lead ECG, wide complexes"`,
			`name="remove_posted" value="`+id+`"`, `enctype="multipart/form-data"`, `name="image" type="file"`)

		// Adding an image goes through the composer's staging: the upload
		// comes back to describe and attest, and the post is unchanged.
		form := url.Values{"body": {"Here is the film, and the one after cardioversion."}, "version": {"1"},
			"posted_images": {"1"}, "posted_image": {id, strconv.FormatInt(foreign.ID, 10)},
			"alt-posted-" + id: {"12-lead ECG before cardioversion"}}
		res = submitMultipart(t, doctor, edit, edit, form, &upload{"image", "after.png", "image/png", pngBytes(t, 320, 240)})
		wantStatus(t, res, http.StatusOK)
		m := ticketInput.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no staged image on the edit form: %s", res.Body)
		}
		mustContain(t, res, "12-lead ECG before cardioversion", "Here is the film, and the one after cardioversion.")
		form.Set("image_ticket", m[1])
		// Saving a draft keeps the staged image on the form.
		form.Set("save_draft", "1")
		res = submitMultipart(t, doctor, edit, edit, form, nil)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", `name="image_ticket" value="`+m[1]+`"`, `name="posted_image" value="`+id+`"`)
		form.Del("save_draft")
		res = submitMultipart(t, doctor, edit, edit, form, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Image 1: describe it (alt text)", "Confirm that no identifiers remain")
		form.Set("alt-"+m[1], "12-lead ECG after cardioversion")
		form.Set("images_attest", "yes")
		res = submitMultipart(t, doctor, edit, edit, form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		imgs, err := a.Store.ImagesOfPosts(ctx, []int64{img.PostID, foreign.PostID})
		if err != nil {
			t.Fatal(err)
		}
		got := imgs[img.PostID]
		if len(got) != 2 || got[0].ID != img.ID || got[0].Alt != "12-lead ECG before cardioversion" ||
			got[1].Alt != "12-lead ECG after cardioversion" || got[1].Position != 2 {
			t.Fatalf("the post's images after the edit: %+v", got)
		}
		// Another post's image named on the form stays where it is.
		if f := imgs[foreign.PostID]; len(f) != 1 || f[0].ID != foreign.ID {
			t.Fatalf("the other post's images: %+v", f)
		}
		added := got[1].Name
		res = doctor.Get(fmt.Sprintf("/p/%d/history", img.PostID))
		mustContain(t, res, "This version added an image, changed an image&#39;s description.")

		// Removing an image leaves the post as it is until the edit is saved.
		form = url.Values{"body": {"Here is the film after cardioversion."}, "version": {"2"},
			"posted_images": {"1"}, "posted_image": {id, strconv.FormatInt(got[1].ID, 10)},
			"alt-posted-" + id: {"12-lead ECG before cardioversion"}, "alt-posted-" + strconv.FormatInt(got[1].ID, 10): {"12-lead ECG after cardioversion"},
			"remove_posted": {id}}
		res = submitMultipart(t, doctor, edit, edit, form, nil)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "The image will be removed, with every size of it, when you save.", "/media/"+added+"/thumb")
		mustNotContain(t, res, `name="posted_image" value="`+id+`"`)
		if len(blobsOf(t, a, first)) == 0 {
			t.Fatal("the image's sizes went before the edit was saved")
		}
		wantStatus(t, doctor.Get("/media/"+first+"/full"), http.StatusOK)

		// Saved, the image and every size of it are gone; history says so
		// in words and keeps no copy.
		form.Del("remove_posted")
		form["posted_image"] = []string{strconv.FormatInt(got[1].ID, 10)}
		res = submitMultipart(t, doctor, edit, edit, form, nil)
		wantStatus(t, res, http.StatusSeeOther)
		if list := blobsOf(t, a, first); len(list) != 0 {
			t.Fatalf("the removed image's sizes are still kept: %v", list)
		}
		for _, size := range []string{"thumb", "page", "full"} {
			wantStatus(t, doctor.Get("/media/"+first+"/"+size), http.StatusNotFound)
			wantStatus(t, doctor.Get("/media/"+added+"/"+size), http.StatusOK)
		}
		page := doctor.Get(res.Location())
		mustNotContain(t, page, "/media/"+first)
		mustContain(t, page, "/media/"+added+"/thumb")
		res = doctor.Get(fmt.Sprintf("/p/%d/history", img.PostID))
		mustContain(t, res, "This version removed an image.")
		mustNotContain(t, res, first)

		// Another member cannot change the post's images.
		res = nurse.Get(edit)
		wantStatus(t, res, http.StatusForbidden)
	})
}

// A moderator editing identifiers out of a post may remove its images,
// and add none.
func TestRedactionRemovesAnImage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Dermatology")
		mod := a.Moderator(t, "moss", "Dr. Ines Moss", "Internal Medicine")
		board := a.Board(t, "derm", "Dermatology")
		topic := a.Topic(t, board, okafor, "Annular rash", "Tinea or granuloma annulare?")
		doctor := a.SignedIn(t, okafor)
		name := postImage(t, doctor, topic, "Annular plaque on the forearm, wristband visible")
		img := imageOf(t, a, name)
		id := strconv.FormatInt(img.ID, 10)
		m := a.SignedIn(t, mod)
		redact := fmt.Sprintf("/mod/review/%d/redact", img.PostID)
		res := m.Get(redact)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "/media/"+name+"/thumb", `name="remove_posted" value="`+id+`"`)
		mustNotContain(t, res, `name="image" type="file"`)

		form := url.Values{"body": {"Here is the film."}, "version": {"1"}, "posted_images": {"1"}, "posted_image": {id},
			"alt-posted-" + id: {"Annular plaque on the forearm, wristband visible"}, "remove_posted": {id}}
		res = m.Submit(redact, redact, form)
		wantStatus(t, res, http.StatusOK)
		mustNotContain(t, res, `name="posted_image" value="`+id+`"`)
		form.Del("remove_posted")
		form.Del("posted_image")
		res = m.Submit(redact, redact, form)
		wantStatus(t, res, http.StatusSeeOther)
		if list := blobsOf(t, a, name); len(list) != 0 {
			t.Fatalf("the redacted image's sizes are still kept: %v", list)
		}
		wantStatus(t, m.Get("/media/"+name+"/full"), http.StatusNotFound)
		res = m.Get(fmt.Sprintf("/p/%d/history", img.PostID))
		mustContain(t, res, "This version removed an image.")
		mustContain(t, m.Get(fmt.Sprintf("/mod/review/%d", img.PostID)), "This version removed an image.")
	})
}
