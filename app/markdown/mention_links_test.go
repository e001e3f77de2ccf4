package markdown

import "testing"

func TestLinkMentionsInStoredHTML(t *testing.T) {
	r := New()
	rel := `rel="` + linkRel + `"`
	for _, c := range []struct{ name, old, want string }{
		{"mentions in text, lower-cased in the address",
			"<p>Ask @Okafor and (@weber_rn), <strong>@park</strong>.</p>\n",
			`<p>Ask <a href="/u/okafor" ` + rel + `>@Okafor</a> and (<a href="/u/weber_rn" ` + rel + `>@weber_rn</a>), ` +
				`<strong><a href="/u/park" ` + rel + `>@park</a></strong>.</p>` + "\n"},
		{"not in links, code, words, addresses, nor too short",
			`<p><a href="mailto:dr@example.org" ` + rel + `>dr@example.org</a> <code>@okafor</code> x@okafor a.@okafor @ab</p>` +
				"\n<pre><code>@okafor\n</code></pre>\n",
			""},
	} {
		got, changed := LinkMentions(c.old)
		want := c.want
		if want == "" {
			want = c.old
		}
		if got != want || changed != (c.want != "") {
			t.Errorf("%s:\n got %q (changed %v)\nwant %q", c.name, got, changed, want)
		}
	}
	// What Render makes now is left as it is.
	cooked, err := renderHTML(r, "Ask @okafor about `@weber` and **@park**, dr@example.org.")
	if err != nil {
		t.Fatal(err)
	}
	if got, changed := LinkMentions(cooked); changed || got != cooked {
		t.Fatalf("rewrote freshly rendered HTML:\n%q\nto\n%q", cooked, got)
	}
}
