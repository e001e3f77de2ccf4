package markdown

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		want     string
	}{
		{"empty", "", ""},
		{"paragraphs collapse whitespace", "  First   line\nsecond line.\n\n\nNext\tparagraph.  ", "First line second line. Next paragraph."},
		{"emphasis and strikethrough", "*Em*, **strong** and ~~old~~ dose.", "Em, strong and old dose."},
		{"heading and list", "## Plan\n\n- Bloods\n- Imaging", "Plan Bloods Imaging"},
		{"task list drops checkboxes", "- [x] Bloods\n- [ ] ECG", "Bloods ECG"},
		{"link keeps its text", "[NICE guidance](https://www.nice.org.uk)", "NICE guidance"},
		{"bare URL stays", "See https://example.org/a?b=c now", "See https://example.org/a?b=c now"},
		{"image keeps alt text", "![Lead II ECG](https://example.org/ecg.png)", "Lead II ECG"},
		{"table cells are separated", "| Drug | Dose |\n|---|---|\n| Amoxicillin | 500 mg |", "Drug Dose Amoxicillin 500 mg"},
		{"code keeps its text", "Run `a\\*b`:\n\n```sh\necho  hi\n```", "Run a\\*b: echo hi"},
		{"escapes and entities are resolved", `AT&amp;T \*not em\* &#x3C;3`, "AT&T *not em* <3"},
		{"raw HTML is dropped", "<div>\nhidden\n</div>\n\nHi <b>there</b> <script>x</script>", "Hi there x"},
		{"footnote marker dropped, note kept", "Risk rises.[^1]\n\n[^1]: Framingham data.", "Risk rises. Framingham data."},
		{"blockquote", "> Primum\n> non nocere.", "Primum non nocere."},
		{"hard break", "BP 120/80  \nHR 72", "BP 120/80 HR 72"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainOf(t, r, tt.markdown); got != tt.want {
				t.Errorf("PlainText(%q)\n got: %q\nwant: %q", tt.markdown, got, tt.want)
			}
		})
	}
}

// plainOf is the plain text Render reads from source.
func plainOf(t *testing.T, r *Renderer, source string) string {
	t.Helper()
	res, err := r.Render(source)
	if err != nil {
		t.Fatal(err)
	}
	return res.Plain
}

// renderHTML is the HTML Render writes for source.
func renderHTML(r *Renderer, source string) (string, error) {
	res, err := r.Render(source)
	return res.HTML, err
}
