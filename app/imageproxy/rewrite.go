package imageproxy

import (
	"context"
	"html"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	nethtml "golang.org/x/net/html"

	"rounds/models"
)

// ProxyImages points every image of a post's cooked HTML at the proxy, as
// the renderer's WithImageURL does for new posts: url (Signer.URL) gives
// each image's new address, and an image it gives none for leaves its alt
// text. Images already on the proxy, or any path of this site, stay as
// they are, so it changes a post once. It says whether anything changed.
func ProxyImages(cooked string, url func(string) string) (string, bool) {
	if !strings.Contains(cooked, "<img") {
		return cooked, false
	}
	z := nethtml.NewTokenizer(strings.NewReader(cooked))
	var b strings.Builder
	b.Grow(len(cooked) + 64)
	changed := false
	for {
		kind := z.Next()
		if kind == nethtml.ErrorToken {
			break // the end: cooked HTML is whole
		}
		raw := z.Raw()
		if kind != nethtml.StartTagToken && kind != nethtml.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		b.WriteString(proxiedTag(z, raw, url, &changed))
	}
	return b.String(), changed
}

// proxiedTag is the tag the tokenizer is at, with the proxy's address if
// it is an image from elsewhere.
func proxiedTag(z *nethtml.Tokenizer, raw []byte, url func(string) string, changed *bool) string {
	tag := string(raw) // Token below reuses the tokenizer's buffer
	t := z.Token()
	if t.Data != "img" {
		return tag
	}
	src, alt := -1, ""
	for i, a := range t.Attr {
		switch a.Key {
		case "src":
			src = i
		case "alt":
			alt = a.Val
		}
	}
	if src >= 0 && strings.HasPrefix(t.Attr[src].Val, "/") && !strings.HasPrefix(t.Attr[src].Val, "//") {
		return tag
	}
	*changed = true
	if src < 0 {
		return html.EscapeString(alt)
	}
	proxied := url(t.Attr[src].Val)
	if proxied == "" {
		return html.EscapeString(alt)
	}
	t.Attr[src].Val = proxied
	t.Type = nethtml.StartTagToken
	return t.String()
}

// RewriteArgs is the one-time job that points the images of the posts
// stored before the image proxy at it.
type RewriteArgs struct{}

// Kind names the job in River, and in the store's one-time jobs.
func (RewriteArgs) Kind() string { return "proxy_post_images" }

// InsertOpts keeps one such job waiting or running at a time.
func (RewriteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// RewriteWorker works RewriteArgs jobs.
type RewriteWorker struct {
	river.WorkerDefaults[RewriteArgs]
	Store  *models.Store
	Signer Signer
	Log    *slog.Logger
}

// Timeout lets the job walk every post of a large site.
func (w *RewriteWorker) Timeout(*river.Job[RewriteArgs]) time.Duration { return 30 * time.Minute }

// Work rewrites the stored posts and records that it has, so it is never
// queued again; run again meanwhile, it finds nothing left to change.
func (w *RewriteWorker) Work(ctx context.Context, job *river.Job[RewriteArgs]) error {
	return w.Store.RunOneTimeJob(ctx, job.Args.Kind(), func(ctx context.Context) error {
		n, err := w.Store.RewriteCookedPosts(ctx, "<img", func(cooked string) (string, bool) {
			return ProxyImages(cooked, w.Signer.URL)
		})
		if err != nil {
			return err
		}
		w.Log.Info("posts' images now load through the image proxy", "posts", n)
		return nil
	})
}
