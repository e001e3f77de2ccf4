package imageproxy

import (
	"strings"
	"testing"
)

func TestProxyImagesOfStoredPosts(t *testing.T) {
	s := NewSigner(secret)
	ecg := s.URL("https://images.example.org/ecg.png?lead=II&x=1")
	tests := []struct {
		name, cooked, want string
		changed            bool
	}{
		{"no image", "<p>Warfarin &amp; amiodarone.</p>\n", "<p>Warfarin &amp; amiodarone.</p>\n", false},
		{"a remote image",
			`<p>See <img src="https://images.example.org/ecg.png?lead=II&amp;x=1" alt="ECG &amp; strip" title="Lead II"> here.</p>`,
			`<p>See <img src="` + ecg + `" alt="ECG &amp; strip" title="Lead II"> here.</p>`, true},
		{"already proxied", `<p><img src="` + ecg + `" alt="ECG"></p>`, `<p><img src="` + ecg + `" alt="ECG"></p>`, false},
		{"no address the proxy takes", `<p><img src="https://user:pw@example.org/a.png" alt="A &lt;b&gt;"></p>`, `<p>A &lt;b&gt;</p>`, true},
		{"no address at all", `<p><img alt="x"> and <img alt="y"></p>`, `<p>x and y</p>`, true},
		{"code that speaks of images stays",
			"<pre><code>&lt;img src=\"https://x.example/a.png\"&gt;\n</code></pre>\n<p>x</p>",
			"<pre><code>&lt;img src=\"https://x.example/a.png\"&gt;\n</code></pre>\n<p>x</p>", false},
		{"everything else kept byte for byte",
			"<table>\n<tr><td align=\"left\"><img src=\"http://example.org/a.gif\" alt=\"\"></td></tr>\n</table>\n<p><a href=\"https://x.example/?a=1&amp;b=2\" rel=\"nofollow ugc noopener noreferrer\">x</a></p>\n",
			"<table>\n<tr><td align=\"left\"><img src=\"" + s.URL("http://example.org/a.gif") + "\" alt=\"\"></td></tr>\n</table>\n<p><a href=\"https://x.example/?a=1&amp;b=2\" rel=\"nofollow ugc noopener noreferrer\">x</a></p>\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := ProxyImages(tt.cooked, s.URL)
			if got != tt.want || changed != tt.changed {
				t.Fatalf("ProxyImages:\n got %q (%v)\nwant %q (%v)", got, changed, tt.want, tt.changed)
			}
			// Once is enough: what it gives back, it leaves alone.
			if again, changed := ProxyImages(got, s.URL); again != got || changed {
				t.Fatalf("a second pass changed %q to %q", got, again)
			}
			if strings.Contains(got, `<img src="http`) {
				t.Fatalf("a remote image is left: %q", got)
			}
		})
	}
}
