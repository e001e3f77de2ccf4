package markdown

import (
	"strings"
	"testing"
)

const rel = `rel="nofollow ugc noopener noreferrer"`

func TestRender(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		want     string
	}{
		{
			name:     "paragraph",
			markdown: "Hello, colleagues.",
			want:     "<p>Hello, colleagues.</p>\n",
		},
		{
			name:     "emphasis and strikethrough",
			markdown: "*Em*, **strong** and ~~old dose~~.",
			want:     "<p><em>Em</em>, <strong>strong</strong> and <del>old dose</del>.</p>\n",
		},
		{
			name:     "heading without id",
			markdown: "## Differential diagnosis",
			want:     "<h2>Differential diagnosis</h2>\n",
		},
		{
			name:     "table with alignment",
			markdown: "| Drug | Dose | Route |\n|:-----|:----:|------:|\n| Amoxicillin | 500 mg | PO |",
			want: "<table>\n<thead>\n<tr>\n" +
				"<th align=\"left\">Drug</th>\n<th align=\"center\">Dose</th>\n<th align=\"right\">Route</th>\n" +
				"</tr>\n</thead>\n<tbody>\n<tr>\n" +
				"<td align=\"left\">Amoxicillin</td>\n<td align=\"center\">500 mg</td>\n<td align=\"right\">PO</td>\n" +
				"</tr>\n</tbody>\n</table>\n",
		},
		{
			name:     "task list",
			markdown: "- [x] Bloods\n- [ ] Imaging",
			want: "<ul>\n" +
				"<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> Bloods</li>\n" +
				"<li><input disabled=\"\" type=\"checkbox\"> Imaging</li>\n" +
				"</ul>\n",
		},
		{
			name:     "ordered list keeps its start",
			markdown: "3. Third\n4. Fourth",
			want:     "<ol start=\"3\">\n<li>Third</li>\n<li>Fourth</li>\n</ol>\n",
		},
		{
			name:     "bare URL is linked",
			markdown: "See https://www.nice.org.uk/guidance for details.",
			want:     `<p>See <a href="https://www.nice.org.uk/guidance" ` + rel + `>https://www.nice.org.uk/guidance</a> for details.</p>` + "\n",
		},
		{
			name:     "a PubMed ID is linked to its record",
			markdown: "Jones AE, et al. JAMA. 2010;303(8):739-746. PMID: 20179283",
			want:     `<p>Jones AE, et al. JAMA. 2010;303(8):739-746. <a href="https://pubmed.ncbi.nlm.nih.gov/20179283/" ` + rel + `>PMID: 20179283</a></p>` + "\n",
		},
		{
			name:     "a PubMed ID at the start of a line, in brackets, without a colon",
			markdown: "PMID 18191684 is the ABC trial (pmid:018191684).",
			want: `<p><a href="https://pubmed.ncbi.nlm.nih.gov/18191684/" ` + rel + `>PMID 18191684</a> is the ABC trial ` +
				`(<a href="https://pubmed.ncbi.nlm.nih.gov/18191684/" ` + rel + `>pmid:018191684</a>).</p>` + "\n",
		},
		{
			name:     "PubMed IDs in code, in a word, in a link or of zero stay text",
			markdown: "`PMID: 123` and APMID 123 and PMID: 0000 and PMID 12a and [PMID 77](https://example.org/77)",
			want: `<p><code>PMID: 123</code> and APMID 123 and PMID: 0000 and PMID 12a and ` +
				`<a href="https://example.org/77" ` + rel + `>PMID 77</a></p>` + "\n",
		},
		{
			name:     "mentions link to the members' profiles, lower-cased as usernames are",
			markdown: "Ask @Okafor and (@weber_rn), **@park**.",
			want: `<p>Ask <a href="/u/okafor" ` + rel + `>@Okafor</a> and (<a href="/u/weber_rn" ` + rel + `>@weber_rn</a>), ` +
				`<strong><a href="/u/park" ` + rel + `>@park</a></strong>.</p>` + "\n",
		},
		{
			name:     "emails, code, words, links and names too short or too long are no mentions",
			markdown: "dr@example.org `@okafor` x@okafor a.@okafor @ab [@okafor](https://example.org) @a234567890123456789012345678901234567890x",
			want: `<p><a href="mailto:dr@example.org" ` + rel + `>dr@example.org</a> <code>@okafor</code> x@okafor a.@okafor @ab ` +
				`<a href="https://example.org" ` + rel + `>@okafor</a> @a234567890123456789012345678901234567890x</p>` + "\n",
		},
		{
			name:     "bare www domain is linked over http",
			markdown: "www.example.org",
			want:     `<p><a href="http://www.example.org" ` + rel + `>www.example.org</a></p>` + "\n",
		},
		{
			name:     "explicit link with title",
			markdown: `[NICE](https://www.nice.org.uk "Guidance")`,
			want:     `<p><a href="https://www.nice.org.uk" title="Guidance" ` + rel + `>NICE</a></p>` + "\n",
		},
		{
			name:     "mailto link",
			markdown: "[email me](mailto:dr@example.org)",
			want:     `<p><a href="mailto:dr@example.org" ` + rel + `>email me</a></p>` + "\n",
		},
		{
			name:     "relative and fragment links",
			markdown: "[case](/topics/42) [above](#summary)",
			want:     `<p><a href="/topics/42" ` + rel + `>case</a> <a href="#summary" ` + rel + `>above</a></p>` + "\n",
		},
		{
			name:     "image",
			markdown: `![ECG](https://example.org/ecg.png "Lead II")`,
			want:     `<p><img src="https://example.org/ecg.png" alt="ECG" title="Lead II"></p>` + "\n",
		},
		{
			name:     "image from data or relative URL loses its src",
			markdown: "![x](data:image/png;base64,AAAA) ![y](/logout)",
			want:     `<p><img alt="x"> <img alt="y"></p>` + "\n",
		},
		{
			name:     "code block with language",
			markdown: "```python\nprint(\"hi\")\n```",
			want:     "<pre><code class=\"language-python\">print(&#34;hi&#34;)\n</code></pre>\n",
		},
		{
			name:     "code block with hostile language",
			markdown: "```\"onmouseover=alert(1)\nx\n```",
			want:     "<pre><code>x\n</code></pre>\n",
		},
		{
			name:     "blockquote",
			markdown: "> Primum non nocere.",
			want:     "<blockquote>\n<p>Primum non nocere.</p>\n</blockquote>\n",
		},
		{
			name:     "footnote",
			markdown: "Risk rises with age.[^1]\n\n[^1]: Framingham data.",
			want: `<p>Risk rises with age.<sup id="fne823036f-fnref:1"><a href="#fne823036f-fn:1" class="footnote-ref" role="doc-noteref" ` + rel + `>1</a></sup></p>` + "\n" +
				`<div class="footnotes" role="doc-endnotes">` + "\n<hr>\n<ol>\n" +
				`<li id="fne823036f-fn:1">` + "\n" +
				"<p>Framingham data.\u00a0" + `<a href="#fne823036f-fnref:1" class="footnote-backref" role="doc-backlink" ` + rel + ">\u21a9\ufe0e</a></p>\n" +
				"</li>\n</ol>\n</div>\n",
		},
		{
			name:     "raw HTML is omitted",
			markdown: "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b> <img src=x onerror=alert(1)>",
			want:     "\n<p>Hi there </p>\n",
		},
		{
			name:     "javascript link loses its destination",
			markdown: "[click](javascript:alert(1)) [again](JAVASCRIPT&#58;alert(1))",
			want:     `<p><a ` + rel + `>click</a> <a ` + rel + `>again</a></p>` + "\n",
		},
		{
			name:     "autolink with another scheme is not a link",
			markdown: "<vbscript:msgbox(1)>",
			want:     `<p><a ` + rel + `>vbscript:msgbox(1)</a></p>` + "\n",
		},
		{
			name:     "hard line break and rule",
			markdown: "BP 120/80  \nHR 72\n\n---",
			want:     "<p>BP 120/80<br>\nHR 72</p>\n<hr>\n",
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderHTML(r, tt.markdown)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got != tt.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tt.markdown, got, tt.want)
			}
			assertSafe(t, got)
		})
	}
}

func TestRenderFootnoteIDsArePerPost(t *testing.T) {
	// Several posts share a topic page; their footnote ids must not collide,
	// and re-rendering a post must give the same HTML.
	r := New()
	render := func(source string) string {
		t.Helper()
		html, err := renderHTML(r, source)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		return html
	}
	first := render("Dose[^1]\n\n[^1]: BNF.")
	second := render("Route[^1]\n\n[^1]: SmPC.")
	if render("Dose[^1]\n\n[^1]: BNF.") != first {
		t.Errorf("rendering the same post twice gave different HTML")
	}
	idOf := func(html string) string {
		start := strings.Index(html, `<li id="`) + len(`<li id="`)
		return html[start : start+strings.IndexByte(html[start:], '"')]
	}
	if a, b := idOf(first), idOf(second); a == b {
		t.Errorf("two posts both have footnote id %q", a)
	}
}

func TestRenderInvalidUTF8(t *testing.T) {
	r := New()
	got, err := renderHTML(r, "caf\xe9 \x00 ok")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if want := "<p>caf\ufffd \ufffd ok</p>\n"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}
