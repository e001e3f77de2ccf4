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
		got, changed := LinkMentions(c.old, nil)
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
	if got, changed := LinkMentions(cooked, nil); changed || got != cooked {
		t.Fatalf("rewrote freshly rendered HTML:\n%q\nto\n%q", cooked, got)
	}
}

func TestMentionsOfStrangersStayText(t *testing.T) {
	r := New()
	rel := `rel="` + linkRel + `"`
	var asked []string
	known := WithMembers(func(names []string) (map[string]bool, error) {
		asked = append(asked, names...)
		return map[string]bool{"okafor": true}, nil
	})
	res, err := r.Render("Ask @Okafor, @nobody_here and [@okafor](/u/okafor); not `@code`.", known)
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>Ask <a href="/u/okafor" ` + rel + `>@Okafor</a>, @nobody_here and <a href="/u/okafor" ` + rel + `>@okafor</a>; not <code>@code</code>.</p>` + "\n"
	if res.HTML != want {
		t.Fatalf("HTML:\n got %q\nwant %q", res.HTML, want)
	}
	if len(asked) != 2 || asked[0] != "okafor" || asked[1] != "nobody_here" {
		t.Fatalf("asked about %v, want okafor and nobody_here once each", asked)
	}
	// Mentions are still every name written, for the notifications,
	// which only members get.
	if len(res.Mentions) != 2 {
		t.Fatalf("mentions %v", res.Mentions)
	}
	// Stored HTML is linked by the same rule.
	got, _ := LinkMentions("<p>Ask @Okafor and @nobody_here.</p>", func(name string) bool { return name == "okafor" })
	if got != `<p>Ask <a href="/u/okafor" `+rel+`>@Okafor</a> and @nobody_here.</p>` {
		t.Fatalf("stored HTML linked as %q", got)
	}
}
