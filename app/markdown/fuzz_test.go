package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"rounds/models/testenv"
)

func FuzzRenderIsSafe(f *testing.F) {
	for _, seed := range []string{
		"",
		"plain *text* with ~~strike~~ and www.example.com",
		"[x](javascript:alert(1)) [y](JaVaScRiPt&#58;alert(1)) ![z](data:text/html,<script>)",
		"<a href=\"javascript:alert(1)\">x</a><img src=x onerror=alert(1)>",
		"| a | b |\n|:-:|--:|\n| <script> | [x](vbscript:y) |",
		"- [x] done\n- [ ] <input type=text>",
		"text[^1]\n\n[^1]: note with [link](https://example.com)",
		"```\"><script>alert(1)</script>\ncode\n```",
		"<https://example.com/\" onmouseover=\"alert(1)>",
		"[x]( java\tscript:alert(1) )",
	} {
		f.Add(seed)
	}
	// The shared XSS payloads make more seeds, when they are there.
	if dir, err := testenv.SharedDataPath("xss"); err == nil {
		lists, err := readPayloads(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, list := range lists {
			for _, payload := range list.lines {
				f.Add(payload)
			}
		}
	}

	r := New()
	f.Fuzz(func(t *testing.T, source string) {
		for _, form := range payloadForms {
			res, err := r.Render(form.wrap(source), WithTimestamps("https://cdn.example.org/a.mp3"))
			if err != nil {
				t.Fatalf("Render(%s form): %v", form.name, err)
			}
			out := res.HTML
			assertSafe(t, out)
			if !utf8.ValidString(out) || strings.IndexByte(out, 0) >= 0 {
				t.Errorf("Render(%s form) = %q: not valid UTF-8 without NUL", form.name, out)
			}
		}
	})
}
