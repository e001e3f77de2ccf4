package markdown

import (
	"testing"

	"rounds/models"
)

// The summary's fields are plain text: written into the opening post, they
// read as typed, whatever markdown or HTML they happen to contain.
func TestPlainRendersAsTyped(t *testing.T) {
	md := New()
	for _, tc := range []struct{ in, want string }{
		{"Chest pain.\nNo fever.", "<p>Chest pain.<br>\nNo fever.</p>\n"},
		{"First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>\n"},
		{"Na 128, *K* 5.9 & <b>bold</b>", "<p>Na 128, *K* 5.9 &amp; &lt;b&gt;bold&lt;/b&gt;</p>\n"},
		{"# not a heading\n- not a list\n1. not a list\n> not a quote", "<p># not a heading<br>\n- not a list<br>\n1. not a list<br>\n&gt; not a quote</p>\n"},
		{"[click](javascript:alert(1)) ![x](y) `code` ~~gone~~ a_b_c", "<p>[click](javascript:alert(1)) ![x](y) `code` ~~gone~~ a_b_c</p>\n"},
		{"    indented, not code", "<p>indented, not code</p>\n"},
		{"---", "<p>---</p>\n"},
	} {
		got, err := renderHTML(md, Plain(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("Plain(%q) renders\n%q, want\n%q", tc.in, got, tc.want)
		}
	}
}

func TestCaseSummaryReadsAsAPost(t *testing.T) {
	got, err := renderHTML(New(), CaseSummary(&models.CaseSummary{
		SourceURL: "https://example.org/case?a=1&b=2", AgeBand: "90-plus", Sex: "not-stated",
		Presentation: "Falls.", Question: "What next?",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := `<p><strong>Case:</strong> <a href="https://example.org/case?a=1&amp;b=2" rel="nofollow ugc noopener noreferrer">https://example.org/case?a=1&amp;b=2</a></p>
<p><strong>Age band:</strong> 90 or older<br>
<strong>Sex:</strong> Not stated</p>
<p><strong>Presentation:</strong> Falls.</p>
<p><strong>Question for peers:</strong> What next?</p>
`
	if got != want {
		t.Errorf("the opening post of a case renders\n%s\nwant\n%s", got, want)
	}
}
