package markdown

import (
	"strings"
	"testing"
)

func TestTimestamps(t *testing.T) {
	audio := "https://cdn.example.org/a.mp3?x=1&y=2"
	link := func(secs, ts string) string {
		return `<a class="timestamp" href="https://cdn.example.org/a.mp3?x=1&amp;y=2#t=` + secs + `" data-seek="` + secs +
			`" rel="nofollow ugc noopener noreferrer">` + ts + `</a>`
	}
	r := New()
	for _, c := range []struct{ in, want string }{
		{"At 12:34 she says it.", `<p>At ` + link("754", "12:34") + ` she says it.</p>` + "\n"},
		{"1:02:03 and 0:05", `<p>` + link("3723", "1:02:03") + ` and ` + link("5", "0:05") + `</p>` + "\n"},
		{"*12:34* and (0:05)", `<p><em>` + link("754", "12:34") + `</em> and (` + link("5", "0:05") + `)</p>` + "\n"},
		{"Ratio 3:1, time 12:345, 10:60, 24:00:00:00", "<p>Ratio 3:1, time 12:345, 10:60, 24:00:00:00</p>\n"},
		{"`12:34` [12:34](https://e.org) <https://e.org/12:34>\n\n    12:34\n",
			"<p><code>12:34</code> " + `<a href="https://e.org" rel="nofollow ugc noopener noreferrer">12:34</a> ` +
				`<a href="https://e.org/12:34" rel="nofollow ugc noopener noreferrer">https://e.org/12:34</a></p>` + "\n" +
				"<pre><code>12:34\n</code></pre>\n"},
		{"line 0:16\nnext 1:00", "<p>line " + link("16", "0:16") + "\nnext " + link("60", "1:00") + "</p>\n"},
	} {
		res, err := r.Render(c.in, WithTimestamps(audio))
		if err != nil {
			t.Fatal(err)
		}
		if res.HTML != c.want {
			t.Errorf("Render(%q)\n got %s\nwant %s", c.in, res.HTML, c.want)
		}
		// The timestamps are the site's links, not the member's.
		for _, l := range res.Links {
			if strings.Contains(l.URL, "cdn.example.org") {
				t.Errorf("Render(%q) found the audio as a link: %v", c.in, res.Links)
			}
		}
	}
}

func TestTimestampsReplaceTheAudioFragment(t *testing.T) {
	res, err := New().Render("at 0:30", WithTimestamps("https://cdn.example.org/a.mp3#t=10"))
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>at <a class="timestamp" href="https://cdn.example.org/a.mp3#t=30" data-seek="30" rel="nofollow ugc noopener noreferrer">0:30</a></p>` + "\n"
	if res.HTML != want {
		t.Errorf("got %s\nwant %s", res.HTML, want)
	}
}

func TestNoTimestampsWithoutAudio(t *testing.T) {
	res, err := New().Render("at 0:30", WithTimestamps(""))
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>at 0:30</p>\n"; res.HTML != want {
		t.Errorf("got %s\nwant %s", res.HTML, want)
	}
}
