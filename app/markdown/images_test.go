package markdown

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// proxied stands in for the image proxy's signed addresses.
func proxied(src string) string {
	if !strings.HasPrefix(src, "https://") && !strings.HasPrefix(src, "http://") {
		return ""
	}
	return "/img/signed/" + url.PathEscape(src)
}

func TestImagesLoadFromTheImageURL(t *testing.T) {
	r := New(WithImageURL(proxied))
	tests := []struct {
		name, markdown, want string
	}{
		{"remote image", `![ECG](https://example.org/ecg.png "Lead II")`,
			`<p><img src="/img/signed/https:%2F%2Fexample.org%2Fecg.png" alt="ECG" title="Lead II"></p>` + "\n"},
		{"reference image", "![ECG][1]\n\n[1]: http://example.org/a.png?x=1&y=2",
			`<p><img src="/img/signed/http:%2F%2Fexample.org%2Fa.png%3Fx=1&amp;y=2" alt="ECG"></p>` + "\n"},
		{"image in a link", "[![ECG](https://example.org/ecg.png)](https://example.org/)",
			`<p><a href="https://example.org/" ` + rel + `><img src="/img/signed/https:%2F%2Fexample.org%2Fecg.png" alt="ECG"></a></p>` + "\n"},
		{"other addresses leave the alt text", "![an *ECG*](data:image/png;base64,AAAA) ![y](/logout) ![z](javascript:alert(1))",
			"<p>an <em>ECG</em> y z</p>\n"},
		{"a bare image address stays a link", "https://example.org/ecg.png",
			`<p><a href="https://example.org/ecg.png" ` + rel + `>https://example.org/ecg.png</a></p>` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderHTML(r, tt.markdown)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Render(%q)\n got %q\nwant %q", tt.markdown, got, tt.want)
			}
		})
	}
}

// However it is written, no image of a post loads from anywhere but the
// image URL's paths.
func TestEveryImageLoadsFromTheImageURL(t *testing.T) {
	r := New(WithImageURL(proxied))
	sources := []string{
		"![x](https://example.org/a.png)[^1]\n\n[^1]: ![in a note](https://example.org/b.png)",
		"| a |\n|---|\n| ![cell](https://example.org/c.png) |",
		"> ![quoted](https://example.org/d.png)\n\n- ![listed](https://example.org/e.png)",
		"<img src=\"https://example.org/raw.png\"> <img src=x onerror=alert(1)>",
		"![x](https://example.org/\" onerror=\"alert(1))",
		"![x]( java\tscript:alert(1) ) ![y](//example.org/f.png) ![z](HTTPS://EXAMPLE.ORG/G.PNG)",
	}
	for _, form := range payloadForms {
		for _, source := range sources {
			out, err := renderHTML(r, form.wrap(source))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			for n := range doc.Descendants() {
				if n.Type != html.ElementNode || n.DataAtom != atom.Img {
					continue
				}
				src, _ := attr(n, "src")
				if !strings.HasPrefix(src, "/img/signed/") {
					t.Errorf("Render(%q) has an image at %q:\n%s", form.wrap(source), src, out)
				}
			}
		}
	}
}
