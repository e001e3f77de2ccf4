package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestBrowserUploadRedactAndPost starts a topic with a photo in a real
// browser under the strict CSP: choosing the file uploads it, a box drawn
// on the staged image with the mouse is blacked out, and the post shows
// the thumbnail.
func TestBrowserUploadRedactAndPost(t *testing.T) {
	browser := startChromium(t)
	s := newSite(t, browser)
	s.signInAt(t, "/b/cardiology/new")
	s.do(t, "write the topic",
		chromedp.SendKeys(chromedp.CSS("#field-title"), "Rash after amiodarone"),
		chromedp.SendKeys(chromedp.CSS("#field-body"), "Photo attached; blue-grey on the face."))
	s.chooseImage(t, "IMG_0042.jpg", photoWithMetadata(t))
	s.wantPath(t, "/b/cardiology/new")
	s.wantField(t, "#field-title", "Rash after amiodarone")
	caption := read(t, s, "read the staged image", chromedp.Evaluate[string](`document.querySelector('.staged-image').innerText`))
	if !strings.Contains(caption, "A face was found and is blurred.") {
		t.Fatalf("the staged image says:\n%s", caption)
	}

	// Once the image has loaded, drag a box on it; it is written into
	// the box field.
	s.drawBox(t, [2]float64{0.1, 0.1}, [2]float64{0.4, 0.3})
	boxes := read(t, s, "read the box field", chromedp.Evaluate[string](`document.querySelector('textarea[name^="boxes-"]').value`))
	if f := strings.Fields(boxes); len(f) != 4 || f[0] == "0" {
		t.Fatalf("the box field holds %q after drawing one box", boxes)
	}
	s.follow(t, "black out the box", chromedp.Click(chromedp.CSS(`button[name="redact"]`)))
	caption = read(t, s, "read the staged image", chromedp.Evaluate[string](`document.querySelector('.staged-image').innerText`))
	if !strings.Contains(caption, "1 box blacked out") {
		t.Fatalf("after blacking out, the staged image says:\n%s", caption)
	}

	s.do(t, "describe the image and attest",
		chromedp.SendKeys(chromedp.CSS(`input[name^="alt-"]`), "Blue-grey discolouration, cheek"),
		chromedp.Click(chromedp.CSS("#field-images-attest")))
	s.follow(t, "start the topic", chromedp.Click(chromedp.CSS(`form.composer button.primary`)))
	topics := s.topics(t)
	if len(topics) != 1 {
		t.Fatalf("%d topics after posting", len(topics))
	}
	// The thumbnail loads lazily: scrolled to, it loads from /media.
	loaded := read(t, s, "read the thumbnail", chromedp.Evaluate[string](`new Promise(function(done){
		var i = document.querySelector('.post-images img');
		if (!i) { done('none'); return; }
		function report() { done(i.alt + ' ' + (i.naturalWidth > 0)); }
		i.scrollIntoView({block: 'center'});
		if (i.complete && i.naturalWidth > 0) { report(); } else { i.addEventListener('load', report); i.addEventListener('error', report); }
	})`, chromedp.EvalAwaitPromise))
	if loaded != "Blue-grey discolouration, cheek true" {
		t.Fatalf("the post's thumbnail: %q", loaded)
	}
	s.wantQuiet(t)
}

// chooseImage chooses an image file of that name in the composer's image
// field, as a member picks one from their device, which uploads it.
func (s *site) chooseImage(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s.follow(t, "choose "+name+", which uploads it", chromedp.SetUploadFiles(chromedp.CSS("#field-images"), []string{path}))
}

// drawBox waits for the staged image to load and drags a box on it with
// the mouse, from and to given as fractions of its width and height.
func (s *site) drawBox(t *testing.T, from, to [2]float64) {
	t.Helper()
	read(t, s, "wait for the staged image", chromedp.Evaluate[bool](`new Promise(function(done){
		var i = document.querySelector('.redaction-canvas img');
		if (i.complete) { done(i.naturalWidth > 0); } else { i.addEventListener('load', function(){ done(true); }); }
	})`, chromedp.EvalAwaitPromise))
	rect := read(t, s, "find the image", chromedp.Evaluate[[]float64](
		`(function(){var l=document.querySelector('.redaction-layer');l.scrollIntoView({block:'center'});var r=l.getBoundingClientRect();return [r.left,r.top,r.width,r.height]})()`))
	x0, y0 := rect[0]+rect[2]*from[0], rect[1]+rect[3]*from[1]
	x1, y1 := rect[0]+rect[2]*to[0], rect[1]+rect[3]*to[1]
	s.do(t, "draw a box",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y0, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (x0+x1)/2, (y0+y1)/2, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x1, y1, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x1, y1, chromedp.ButtonLeft, chromedp.ClickCount(1)))
}
