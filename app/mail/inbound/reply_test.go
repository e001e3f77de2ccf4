package inbound

import "testing"

// TestReplyText covers the edges of taking a client's additions off a
// reply: what must go, and the member's own words that must stay.
func TestReplyText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text stays", "Start with 0.5 mg.\nReview at 2 h.", "Start with 0.5 mg.\nReview at 2 h."},
		{"nothing but a quote", "On Tue, 3 Mar 2026 at 09:00, Rounds <r@x.org> wrote:\n> the post\n", ""},
		{"nothing at all", "\n \n", ""},
		{"prose ending in wrote: stays", "On Tuesday I wrote:\nthe dose was too low.\n\nStill true.", "On Tuesday I wrote:\nthe dose was too low.\n\nStill true."},
		{"a member's 'she wrote:' above a quote stays", "Here's what she wrote:\n> give 2 g\nI disagree.", "Here's what she wrote:\n> give 2 g\n\nI disagree."},
		{"bare name attribution above a quote goes", "Fine by me.\n\nPriya Nair wrote:\n> Shall we start at 5 mg?\n", "Fine by me."},
		{"attribution without quote marks but with an address", "Yes.\n\nOn Thu, Mar 5, 2026, 2:10 PM, Rounds <r@x.org> wrote:\n\nThe post, unquoted.", "Yes."},
		{"attribution wrapped over three lines", "Yes.\n\nOn Wed, 4 Mar 2026 at 10:15, Dr Priya\nNair of the Internal Medicine board\n<priya@x.org> wrote:\n> post", "Yes."},
		{"Dutch", "Eens.\n\nOp wo 4 mrt 2026 om 10:15 schreef Rounds <r@x.org>:\n> post", "Eens."},
		{"Spanish", "De acuerdo.\n\nEl mié, 4 mar 2026 a las 10:15, Rounds (<r@x.org>) escribió:\n> post", "De acuerdo."},
		{"Outlook separator", "Agreed.\n\n-----Original Message-----\nFrom: Rounds\nthe post", "Agreed."},
		{"forwarded message marker", "See below.\n\n---------- Forwarded message ---------\nFrom: Rounds <r@x.org>\nDate: Wed\n", "See below."},
		{"From: in prose stays", "From: the registrar on call\nTo: whom it may concern", "From: the registrar on call\nTo: whom it may concern"},
		{"signature delimiter", "Agreed.\n-- \nDr A. Long\nA very long signature line that goes on\nand on\nand on\nand on\nand on\nand on", "Agreed."},
		{"bare -- with a long tail stays", "Agreed.\n--\n" + "1\n2\n3\n4\n5\n6\n7", "Agreed.\n--\n1\n2\n3\n4\n5\n6\n7"},
		{"footers go only at the end", "Sent from my iPhone is what it says.\nOK?\n\nSent from my iPad\nEnvoyé de mon iPhone", "Sent from my iPhone is what it says.\nOK?"},
		{"contact block goes", "Agreed.\n\nBest,\nA. Osei\n\nA. Osei | ED\nMob: 07700 900123\nE-mail: a.osei@nhs.example.uk", "Agreed.\n\nBest,\nA. Osei"},
		{"a paragraph with a number but no label stays", "Agreed.\n\nWe give 4 mg at 06:00.", "Agreed.\n\nWe give 4 mg at 06:00."},
		{"contact details alone stay", "Tel: 01 555 0100", "Tel: 01 555 0100"},
		{"whitespace tidied", "\n\n  Indented code stays\u00a0\n\n\n\nzero\u200bwidth\ufeff gone \t\n\n", "  Indented code stays\n\nzerowidth gone"},
		{"emoji joiners stay", "Thanks 👩\u200d⚕️", "Thanks 👩\u200d⚕️"},
		{"quote then text gets a blank line", "> a\n> b\nc", "> a\n> b\n\nc"},
		{"CR line endings", "one\rtwo\r\n> quoted", "one\ntwo"},
		{"invalid UTF-8 replaced", "ok \xff", "ok \uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReplyText(tt.in); got != tt.want {
				t.Errorf("ReplyText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHTMLText checks the HTML an email can hold against the text a member
// would have typed for it.
func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"line breaks", "One<br>Two<br/>Three", "One\nTwo\nThree"},
		{"Gmail's divs and empty lines", "<div>One</div><div><br></div><div>Two</div><div>Three<br></div><div>Four</div>", "One\n\nTwo\nThree\nFour"},
		{"whitespace collapses", "<p>  a \n\t b&nbsp;&nbsp;c </p>", "a b c"},
		{"inline elements keep their spaces", "<p>a <b>bold</b> <i>word</i>, <span>x</span>y</p>", "a bold word, xy"},
		{"unordered and nested lists", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"},
		{"ordered list with a start", `<ol start="3"><li>x</li><li>y</li></ol>`, "3. x\n4. y"},
		{"headings", "<h2>Plan</h2><p>Go.</p>", "## Plan\n\nGo."},
		{"nested quotes", "<p>Mine</p><blockquote>a<blockquote>b</blockquote></blockquote>", "Mine\n\n> a\n>\n>> b"},
		{"preformatted text fenced", "<p>Run:</p><pre>  x = 1\n  y = 2</pre><p>done</p>", "Run:\n\n```\n  x = 1\n  y = 2\n```\n\ndone"},
		{"link with words", `<a href="https://doi.org/10.1056/x">the trial</a>`, "[the trial](https://doi.org/10.1056/x)"},
		{"link whose text is its address", `<a href="https://example.org/">example.org</a>`, "example.org"},
		{"link with brackets in its words", `<a href="https://x.org/a(b)">see [1]</a>`, `[see \[1\]](https://x.org/a%28b%29)`},
		{"mailto and javascript links are their text", `<a href="mailto:a@b.org">Priya</a> <a href="javascript:alert(1)">click</a>`, "Priya click"},
		{"empty link shows its address", `<a href="https://x.org/y"></a>`, "https://x.org/y"},
		{"scripts, styles, images, forms go", `<style>p{}</style><script>alert(1)</script><img src=x alt="scan"><p>Text</p><input value="x"><svg><text>s</text></svg>`, "Text"},
		{"escaped markup stays text", "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 5 &gt; 3</p>", "<script>alert(1)</script> & 5 > 3"},
		{"table cells", "<table><tr><th>Drug</th><th>Dose</th></tr><tr><td>A</td><td>1 mg</td></tr></table>", "Drug | Dose\nA | 1 mg"},
		{"signature blocks go", `<p>Yes.</p><div class="gmail_signature">Dr X<br>Tel 555</div><div id="Signature">Dr Y</div><div class="moz-signature">-- <br>Dr Z</div>`, "Yes."},
		{"comments go", "a<!-- hidden -->b", "ab"},
		{"a blank line before a quote is not quoted", "<div>a</div><blockquote><p>q</p></blockquote><div>b</div>", "a\n\n> q\n\nb"},
		{"broken HTML", "<p>unclosed <b>bold<div>and more", "unclosed bold\n\nand more"}, // a <div> ends the <p>, as in a browser,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLText(tt.in); got != tt.want {
				t.Errorf("HTMLText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
