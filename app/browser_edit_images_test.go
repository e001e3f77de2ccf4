package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rounds/models"
)

// TestBrowserRemoveImageOnEdit removes a post's image in a real browser
// under the strict CSP: the edit form shows the image, pressing Remove
// takes it off the form while the post and the blob store keep it, and
// saving deletes every size of it.
func TestBrowserRemoveImageOnEdit(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	s.signInAt(t, "/b/cardiology/new")
	s.do(t, "write the topic",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Chest film after the line"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "Film attached; where is the tip?"))
	s.chooseImage(t, "film.png", pngBytes(t, 400, 300))
	s.do(t, "describe the image and attest",
		chromedp.SendKeys(chromedp.CSS(`input[name^="alt-"]`), "Chest radiograph, central line"),
		chromedp.Click(chromedp.CSS("#field-images-attest")))
	s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	topics := s.topics(t)
	if len(topics) != 1 {
		t.Fatalf("%d topics after posting", len(topics))
	}
	var img models.PostImage
	if err := s.Store.DB().Take(&img).Error; err != nil {
		t.Fatalf("the posted image: %v", err)
	}
	kept := func() int {
		list, err := s.Site.Blobs.List(context.Background(), models.ImageBlobPrefix(img.Name))
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	s.open(t, fmt.Sprintf("/p/%d/edit", img.PostID))
	shown := read(t, s, "read the posted image", chromedp.Evaluate[string](`document.querySelector('.posted-image').innerText`))
	if !strings.Contains(shown, "Posted image 1, as posted") {
		t.Fatalf("the edit form's image says:\n%s", shown)
	}
	s.follow(t, "remove the image", chromedp.Click(chromedp.CSS(`button[name="remove_posted"]`)))
	s.wantPath(t, fmt.Sprintf("/p/%d/edit", img.PostID))
	left := read(t, s, "count the posted images", chromedp.Evaluate[int](`document.querySelectorAll('.posted-image').length`))
	notice := read(t, s, "read the notice", chromedp.Evaluate[string](`document.querySelector('.composer-images .notice').innerText`))
	if left != 0 || !strings.Contains(notice, "removed, with every size of it, when you save") {
		t.Fatalf("after Remove: %d posted images, notice %q", left, notice)
	}
	s.wantField(t, "#field-body", "Film attached; where is the tip?")
	if kept() == 0 {
		t.Fatal("the image's sizes went before the edit was saved")
	}

	s.follow(t, "save the edit", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	shownImages := read(t, s, "count the post's images", chromedp.Evaluate[int](`document.querySelectorAll('.post-images img').length`))
	if shownImages != 0 {
		t.Fatalf("the topic still shows %d images", shownImages)
	}
	if n := kept(); n != 0 {
		t.Fatalf("the blob store keeps %d sizes of the removed image", n)
	}
	s.wantQuiet(t)
}
