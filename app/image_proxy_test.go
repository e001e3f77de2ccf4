package app_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"rounds/app/apptest"
	"rounds/app/imageproxy"
	"rounds/app/markdown"
	"rounds/models"
)

// imageHost serves a small PNG, a large one and a page pretending to be
// an image, counting every request.
type imageHost struct {
	*httptest.Server
	asked atomic.Int64
	png   []byte
	// told is set when a request says where it comes from or who asks.
	told atomic.Bool
}

func newImageHost(t *testing.T) *imageHost {
	t.Helper()
	h := &imageHost{png: pngOf(t, 32, 16)}
	// Ten gigapixels, as its header says: a decompression bomb.
	large := pngOf(t, 32, 16)
	binary.BigEndian.PutUint32(large[16:], 100_000)
	binary.BigEndian.PutUint32(large[20:], 100_000)
	binary.BigEndian.PutUint32(large[29:], crc32.ChecksumIEEE(large[12:29]))
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.asked.Add(1)
		if r.Header.Get("Referer") != "" || r.Header.Get("Cookie") != "" {
			h.told.Store(true)
		}
		switch r.URL.Path {
		case "/large.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(large)
		case "/page.png":
			w.Header().Set("Content-Type", "image/png")
			fmt.Fprint(w, "<html><script>alert(document.cookie)</script></html>")
		default:
			w.Header().Set("Content-Type", "image/png")
			w.Write(h.png)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.SetGray(0, 0, color.Gray{Y: 200})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPostImagesComeThroughTheImageProxy(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		host := newImageHost(t)
		signer := imageproxy.NewSigner(a.Config.Secret)
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Strips worth seeing", "Post yours.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		b := a.Browser(t)
		b.SignIn(okafor)

		remote := host.URL + "/ecg.png?lead=II"
		wantStatus(t, b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Look: ![ECG strip](" + remote + ")"}}), http.StatusSeeOther)
		page := b.Get(topicPath)
		proxied := signer.URL(remote)
		mustContain(t, page, `<img src="`+proxied+`" alt="ECG strip">`)
		mustNotContain(t, page, `src="`+host.URL)
		if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self';") {
			t.Fatalf("the page's CSP %q lets images load from elsewhere", csp)
		}

		// The proxy serves it, as what its bytes are, with its own policy.
		res := b.Get(proxied)
		wantStatus(t, res, http.StatusOK)
		if res.Body != string(host.png) {
			t.Fatal("the proxy served other bytes than the image")
		}
		for header, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private, max-age=86400"} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
		// From its cache the second time.
		wantStatus(t, b.Get(proxied), http.StatusOK)
		if n := host.asked.Load(); n != 1 {
			t.Fatalf("the image's site was asked %d times, want once", n)
		}
		if host.told.Load() {
			t.Fatal("the image's site was sent a Referer or a cookie")
		}

		// Only addresses Rounds signed are fetched.
		signature, encoded, _ := strings.Cut(strings.TrimPrefix(proxied, imageproxy.Prefix), "/")
		tracker := imageproxy.NewSigner([]byte("not-the-site-secret-not-the-site-secret")).URL(host.URL + "/pixel.png")
		_, trackerAddress, _ := strings.Cut(strings.TrimPrefix(tracker, imageproxy.Prefix), "/")
		changed := string(signature[0]^1) + signature[1:]
		for _, path := range []string{tracker, imageproxy.Prefix + signature + "/" + trackerAddress,
			imageproxy.Prefix + changed + "/" + encoded} {
			wantStatus(t, b.Get(path), http.StatusNotFound)
		}
		// Not an image, or too many pixels: refused, never passed on.
		for _, path := range []string{"/page.png", "/large.png"} {
			res := b.Get(signer.URL(host.URL + path))
			wantStatus(t, res, http.StatusBadGateway)
			if strings.HasPrefix(res.Header.Get("Content-Type"), "image/") || strings.Contains(res.Body, "<script") {
				t.Fatalf("%s passed on as %q", path, res.Header.Get("Content-Type"))
			}
		}
		if n := host.asked.Load(); n != 3 {
			t.Fatalf("the image's site was asked %d times, want 3", n)
		}

		// Only members who may read posts may load them.
		wantStatus(t, a.Browser(t).Get(proxied), http.StatusSeeOther)
		pending := a.Browser(t)
		pending.SignIn(a.PendingMember(t, "newcomer"))
		if res := pending.Get(proxied); res.Status != http.StatusSeeOther || res.Location() != "/verify" {
			t.Fatalf("a pending member got %d %q", res.Status, res.Location())
		}
	}, loopbackFetcher())
}

func TestEveryImageOnAPageIsProxied(t *testing.T) {
	a := apptest.New(t)
	signer := imageproxy.NewSigner(a.Config.Secret)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	remote := "https://images.example.org/xray.png"
	img := `<img src="` + signer.URL(remote) + `" alt="CXR">`

	// The preview, the case form's preview and the saved case.
	mustContain(t, b.Submit("/b/cardiology/new", "/preview", url.Values{"body": {"![CXR](" + remote + ")"}}), img)
	form := aCase()
	form.Set("body", "Film: ![CXR]("+remote+")")
	form.Set("preview", "1")
	mustContain(t, b.Submit("/b/cardiology/case", "/b/cardiology/case", form), img)
	form.Del("preview")
	res := b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
	wantStatus(t, res, http.StatusSeeOther)
	casePage := b.Get(res.Location())
	mustContain(t, casePage, img)

	// A link's preview card: its thumbnail too.
	err := a.Store.DB().Exec(`UPDATE link_previews SET status = 'ready', kind = 'page', title = 'Boerhaave syndrome',
		image_url = 'https://radiopaedia.org/thumb.jpg', fetched_at = created_at`).Error
	if err != nil {
		t.Fatal(err)
	}
	casePage = b.Get(res.Location())
	mustContain(t, casePage, `<img class="link-card-image" src="`+signer.URL("https://radiopaedia.org/thumb.jpg")+`"`)
	for _, page := range []*apptest.Response{casePage, b.Get("/b/cardiology"), b.Get("/podcasts")} {
		mustNotContain(t, page, `src="http`, `src="//`, `src="data:`)
	}
}

func TestImagesFetchedWithinTheFetchLimit(t *testing.T) {
	host := newImageHost(t)
	opts := loopbackFetcher()
	opts.Env = map[string]string{"ROUNDS_RATE_LIMITS": "fetch=2/1m"}
	a := apptest.New(t, opts)
	signer := imageproxy.NewSigner(a.Config.Secret)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	for i := range 2 {
		wantStatus(t, b.Get(signer.URL(fmt.Sprintf("%s/ecg.png?n=%d", host.URL, i))), http.StatusOK)
	}
	res := b.Get(signer.URL(host.URL + "/ecg.png?n=2"))
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// What is in the cache costs nothing.
	wantStatus(t, b.Get(signer.URL(host.URL+"/ecg.png?n=0")), http.StatusOK)
	if n := host.asked.Load(); n != 2 {
		t.Fatalf("the image's site was asked %d times, want 2", n)
	}
}

// Posts stored before the image proxy are pointed at it once, by a
// background job queued at start; their versions keep what was written.
func TestStoredPostsMoveToTheImageProxyOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		signer := imageproxy.NewSigner(a.Config.Secret)
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		// Cooked as before the proxy: the images load from elsewhere.
		before := markdown.New()
		cook := func(source string) string {
			cooked, err := before.Render(source)
			if err != nil {
				t.Fatal(err)
			}
			return cooked.HTML
		}
		first, second := "https://images.example.org/ecg.png", "https://images.example.org/ecg-2.png"
		topic, opening, err := a.Store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: okafor.ID,
			Title: "Old strips", PostContent: models.PostContent{Source: "![ECG](" + first + ")", Cooked: cook("![ECG](" + first + ")")}})
		if err != nil {
			t.Fatal(err)
		}
		edited := "![ECG](" + first + ") and ![again](" + second + ")"
		if _, err := a.Store.EditPost(ctx, models.PostEdit{PostID: opening.ID, EditorID: okafor.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: edited, Cooked: cook(edited)}}); err != nil {
			t.Fatal(err)
		}
		plain := a.Reply(t, topic, okafor, "No image here.")
		revisions := func() []models.RevisionView {
			revs, err := a.Store.PostRevisions(ctx, opening.ID)
			if err != nil {
				t.Fatal(err)
			}
			return revs
		}
		versions := revisions()

		queued := func() (n int64) {
			if err := a.Store.DB().Raw(`SELECT COUNT(*) FROM river_job WHERE kind = ?`, imageproxy.RewriteArgs{}.Kind()).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != 1 {
			t.Fatalf("%d jobs queued at start, want 1", n)
		}
		// The job, as the node works it.
		worker := &imageproxy.RewriteWorker{Store: a.Store, Signer: signer, Log: slog.New(slog.DiscardHandler)}
		if err := worker.Work(ctx, &river.Job[imageproxy.RewriteArgs]{}); err != nil {
			t.Fatal(err)
		}
		post, err := a.Store.PostByID(ctx, opening.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := `<p><img src="` + signer.URL(first) + `" alt="ECG"> and <img src="` + signer.URL(second) + `" alt="again"></p>` + "\n"
		if post.Cooked != want {
			t.Fatalf("stored post now\n%q, want\n%q", post.Cooked, want)
		}
		if other, err := a.Store.PostByID(ctx, plain.ID); err != nil || other.Cooked != plain.Cooked {
			t.Fatalf("a post without images changed: %q (%v)", other.Cooked, err)
		}
		if got := revisions(); !reflect.DeepEqual(got, versions) {
			t.Fatalf("the versions changed:\n%+v\nwant\n%+v", got, versions)
		}
		b := a.Browser(t)
		b.SignIn(okafor)
		mustContain(t, b.Get(fmt.Sprintf("/t/%d", topic.ID)), `<img src="`+signer.URL(second)+`" alt="again">`)

		// Done once, it is never queued or run again, even once River has
		// forgotten the job.
		if err := a.Store.DB().Exec(`DELETE FROM river_job`).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != 0 {
			t.Fatalf("%d jobs queued once done, want none", n)
		}
		stale := cook("![late](" + first + ")")
		if err := a.Store.DB().Exec(`UPDATE posts SET cooked = ? WHERE id = ?`, stale, plain.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := worker.Work(ctx, &river.Job[imageproxy.RewriteArgs]{}); err != nil {
			t.Fatal(err)
		}
		if other, err := a.Store.PostByID(ctx, plain.ID); err != nil || other.Cooked != stale {
			t.Fatalf("the job ran a second time: %q (%v)", other.Cooked, err)
		}
	})
}

// The job the node's queue runs is the one QueueOneTimeJobs queues.
func TestQueuedImageRewriteRunsOnTheNode(t *testing.T) {
	a := apptest.New(t, apptest.Options{WorkJobs: true})
	ctx := t.Context()
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	board := a.Board(t, "cardiology", "Cardiology")
	cooked, err := markdown.New().Render("![ECG](https://images.example.org/ecg.png)")
	if err != nil {
		t.Fatal(err)
	}
	_, opening, err := a.Store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: okafor.ID,
		Title: "Old strips", PostContent: models.PostContent{Source: "![ECG](https://images.example.org/ecg.png)", Cooked: cooked.HTML}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
		t.Fatal(err)
	}
	// The queue polls every 100 ms; the bound only stops a broken job
	// from hanging the test.
	for tries := 0; ; tries++ {
		done, err := a.Store.OneTimeJobDone(ctx, imageproxy.RewriteArgs{}.Kind())
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		if tries == 3000 {
			t.Fatal("the one-time job did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	post, err := a.Store.PostByID(ctx, opening.ID)
	if err != nil || !strings.Contains(post.Cooked, `<img src="`+imageproxy.NewSigner(a.Config.Secret).URL("https://images.example.org/ecg.png")+`"`) {
		t.Fatalf("stored post not rewritten: %q (%v)", post.Cooked, err)
	}
}
