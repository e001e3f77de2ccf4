package app

import (
	"bytes"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"rounds/app/imageproxy"
	"rounds/models"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/topic_posts.golden.html from renderPosts")

// postsTemplate parses testdata/topic_posts.html, the template renderPosts
// stands in for.
func postsTemplate(t testing.TB) *template.Template {
	t.Helper()
	tmpl, err := template.New("topic_posts.html").Funcs(template.FuncMap{
		"citationAuthors": citationAuthors,
		"siteOf":          func(p models.LinkPreview) string { return siteOf(&p) },
		"proxied":         func(u string) bool { return strings.HasPrefix(u, imageproxy.Prefix) },
		"reactionKinds":   func() []models.ReactionKind { return models.ReactionKinds },
		"plural":          plural,
		"pollOf": func(id int64, p *pollItem) any {
			return struct {
				ID   int64
				Poll *pollItem
			}{id, p}
		},
		"reactionCount": func(cs []models.ReactionCount, k models.ReactionKind) int {
			for _, c := range cs {
				if c.Kind == k {
					return c.Count
				}
			}
			return 0
		},
		"reactionMine": func(cs []models.ReactionCount, k models.ReactionKind) bool {
			for _, c := range cs {
				if c.Kind == k {
					return c.Mine
				}
			}
			return false
		},
	}).ParseFiles(filepath.Join("testdata", "topic_posts.html"))
	if err != nil {
		t.Fatalf("parse the posts template: %v", err)
	}
	return tmpl
}

// goldenPosts are posts that between them take every branch of
// renderPosts: each kind of author, each state a post can be in, each
// reader's links, each kind of link card and the identifier notes, with
// markup in every member- and site-supplied string.
func goldenPosts() []postItem {
	created := func(p postItem) postItem {
		p.CreatedISO, p.CreatedAgo, p.CreatedFull = "2026-11-02T09:15:00Z", "3 days ago", "2 Nov 2026, 09:15 UTC"
		return p
	}
	edited := func(p postItem) postItem {
		p.Edited, p.UpdatedISO, p.UpdatedAgo, p.UpdatedFull = true, "2026-11-03T18:40:00Z", "2 days ago", "3 Nov 2026, 18:40 UTC"
		return p
	}
	return []postItem{
		// A case topic's opening post, written by the reader.
		created(postItem{ID: 101, Number: 1, AuthorName: "Dr. Amara Okafor", Username: "okafor", Specialty: "Cardiology",
			SummaryAbove: true, Mine: true, AnsweredBy: &models.Answer{PostID: 102, Number: 2,
				AuthorName: `Jonas "JW" Weber, RN <ICU>`, AuthorUsername: "weber"}}),
		// A reply the reader may report and has bookmarked, with two of the
		// page's own cards.
		created(postItem{ID: 102, Number: 2, AuthorName: `Jonas "JW" Weber, RN <ICU>`, Username: "weber", Specialty: "Critical Care & Nursing",
			Cooked: "<p>Rate control first, then <strong>anticoagulation</strong>.</p>\n<p>See the guideline.</p>", Flaggable: true,
			Bookmarkable: true, Bookmarked: true, ReactCSRF: `token"<&>`, IsAnswer: true, AnswerCSRF: `token"<&>`,
			Poll: &pollItem{Question: `Rate or <rhythm> "first"?`, Multiple: true, ClosesISO: "2026-11-09T18:00:00Z",
				ClosesFull: "9 Nov 2026, 18:00 UTC", ShowResults: true, Voted: true, Voters: 3, VoteCSRF: `token"<&>`,
				Options: []pollOptionItem{{ID: 7, Label: "Rate & wait", Votes: 2, Percent: 66, Mine: true},
					{ID: 8, Label: "<Cardiovert>", Votes: 1, Percent: 33}}}, QuoteURL: "/t/7/af?page=2&quote=102#reply-heading",
			Reactions: []models.ReactionCount{{Kind: models.ReactHelpful, Count: 3, Mine: true}, {Kind: models.ReactThanks, Count: 1}},
			Previews: []models.LinkPreview{
				{URL: "https://www.ahajournals.org/doi/full/x?a=1&b=2+3", Kind: "page", Title: `AF guideline "2023" <update>`,
					Description: "Recommendations for rate & rhythm control.", ImageURL: imageproxy.Prefix + "abc123?u=1&v=2"},
				{URL: "https://example.org/notes", Kind: "page", SiteName: "Example Notes", ImageURL: "https://example.org/remote.png"},
			}}),
		// A deleted post, as anyone sees it.
		created(postItem{ID: 103, Number: 3, AuthorName: "Priya Nair", Deleted: true}),
		// A hidden post as a member sees it, with and without a reason.
		created(postItem{ID: 104, Number: 4, AuthorName: "Lee Chen", Specialty: "Emergency Medicine",
			Hidden: true, Withheld: true, HiddenReason: "Names a <patient> & their ward"}),
		created(postItem{ID: 105, Number: 5, AuthorName: "Lee Chen", Hidden: true, Withheld: true}),
		// A hidden post as a moderator sees it, with and without a reason,
		// one of them with what its author confirmed.
		created(postItem{ID: 106, Number: 6, AuthorName: "Sam Ortiz", Specialty: "Oncology", Hidden: true,
			HiddenReason: "Off topic", Cooked: "<p>Still readable to moderators.</p>", Moderatable: true,
			PHIConfirmed: []phiNote{{TypeLabel: "Date", Match: "03/14", Reason: "A <drug> schedule, not a birth date"}}}),
		created(postItem{ID: 107, Number: 7, AuthorName: "Sam Ortiz", Hidden: true, Cooked: "<p>Hidden without a reason.</p>",
			Moderatable: true}),
		// An anonymous post, as a moderator sees it, with citations and two
		// confirmed identifiers.
		created(postItem{ID: 108, Number: 8, AuthorName: "Anonymous resident", Anonymous: true,
			Cooked: "<p>Two papers.</p>", Revealable: true, Moderatable: true,
			Previews: []models.LinkPreview{
				{URL: "https://pubmed.ncbi.nlm.nih.gov/123456/", Kind: "pubmed", Title: "Early rhythm control <EAST-AFNET 4>",
					Authors: "Kirchhof P\nCamm AJ\nGoette A\nBrandes A", Journal: "N Engl J Med", Year: 2020, PMID: "123456",
					DOI: "10.1056/NEJMoa2019422", ImageURL: imageproxy.Prefix + "never-shown-for-citations"},
				{URL: "https://doi.org/10.1000/xyz", Kind: "doi", DOI: "10.1000/xyz"},
				{URL: "https://doi.org/10.1000/abc", Kind: "doi", Title: "Two authors", Authors: "Smith J\nJones K", Year: 2019,
					DOI: "10.1000/abc"},
			},
			PHIConfirmed: []phiNote{
				{TypeLabel: "Phone number", Match: "555-0100", Reason: "The clinic's public line"},
				{TypeLabel: "Name", Match: "O'Brien", Reason: "A \"sign\" named after a physician"},
			}}),
		// The reader's own edited post, and their own post not edited.
		edited(created(postItem{ID: 109, Number: 9, AuthorName: "Dr. Amara Okafor", Specialty: "Cardiology",
			Cooked: "<p>Corrected the dose.</p>", Mine: true, PollAddable: true})),
		created(postItem{ID: 110, Number: 10, AuthorName: "Dr. Amara Okafor", Specialty: "Cardiology",
			Cooked: "<p>Thanks, all.</p>", Mine: true, Bookmarkable: true, AnswerCSRF: "token",
			Reactions: []models.ReactionCount{{Kind: models.ReactAgree, Count: 2}}}),
		// Someone else's edited post, read by a guest of the board who can
		// do nothing with it, and a post with no footer at all.
		edited(created(postItem{ID: 111, Number: 11, AuthorName: "Priya Nair", Cooked: "<p>Edited by its author.</p>",
			Poll: &pollItem{Question: "Closed poll", Closed: true, ClosesISO: "2026-11-01T08:00:00Z", ClosesFull: "1 Nov 2026, 08:00 UTC",
				ShowResults: true, Voters: 1, Options: []pollOptionItem{{ID: 9, Label: "Yes", Votes: 1, Percent: 100}, {ID: 10, Label: "No"}}}})),
		created(postItem{ID: 112, Number: 12, AuthorName: "Priya Nair", Cooked: "<p>Nothing to do here.</p>",
			Poll: &pollItem{Question: "Single choice, not voted", VoteCSRF: "token",
				Options: []pollOptionItem{{ID: 11, Label: "Stop"}, {ID: 12, Label: "Continue"}}}}),
	}
}

// TestRenderPostsMatchesTemplate pins the hand-written writer of the
// topic page's posts to the template it replaced: over posts that take
// every branch, both make the same HTML once whitespace between elements
// and the spelling of character references are set aside. The exact bytes
// are kept in testdata/topic_posts.golden.html for review; rewrite them
// with -update-golden after changing both.
func TestRenderPostsMatchesTemplate(t *testing.T) {
	posts := goldenPosts()
	got := string(renderPosts(posts))
	var want bytes.Buffer
	if err := postsTemplate(t).ExecuteTemplate(&want, "posts", posts); err != nil {
		t.Fatalf("run the posts template: %v", err)
	}
	if g, w := normalHTML(t, got), normalHTML(t, want.String()); g != w {
		t.Errorf("renderPosts differs from the template:\n%s", lineDiff(g, w))
	}

	golden := filepath.Join("testdata", "topic_posts.golden.html")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pinned, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read %s (make it with -update-golden): %v", golden, err)
	}
	if got != string(pinned) {
		t.Errorf("renderPosts differs from %s:\n%s", golden, lineDiff(got, string(pinned)))
	}
}

// TestRenderPostsEscapes checks that markup in what members and remote
// sites wrote never reaches the page as markup.
func TestRenderPostsEscapes(t *testing.T) {
	got := string(renderPosts(goldenPosts()))
	for _, raw := range []string{"<ICU>", "<patient>", "<update>", "<EAST-AFNET 4>", "<drug>", `"JW"`} {
		if strings.Contains(got, raw) {
			t.Errorf("%q reached the page unescaped", raw)
		}
	}
}

// normalHTML parses a fragment of a page's body and writes its tree one
// node a line: elements with their attributes in order, text with runs of
// whitespace made one space. Text that is only whitespace is left out, so
// the indentation of a template does not count, and so is the way a
// character is escaped.
func normalHTML(t *testing.T, fragment string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		indent := strings.Repeat("  ", depth)
		switch n.Type {
		case html.TextNode:
			text := strings.Join(strings.Fields(n.Data), " ")
			if text == "" {
				return
			}
			if strings.TrimLeft(n.Data[:1], " \t\n") == "" {
				text = " " + text
			}
			if last := n.Data[len(n.Data)-1:]; strings.TrimSpace(last) == "" {
				text += " "
			}
			b.WriteString(indent + "text " + strings.ReplaceAll(template.HTMLEscapeString(text), " ", "·") + "\n")
		case html.ElementNode:
			b.WriteString(indent + "<" + n.Data)
			for _, a := range n.Attr {
				b.WriteString(" " + a.Key + "=" + template.HTMLEscapeString(a.Val))
			}
			b.WriteString(">\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return b.String()
}

// lineDiff shows the first lines where got and want part.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			from := max(0, i-3)
			return "first difference at line " + itoa(i+1) + ":\n" +
				"got:\n" + strings.Join(g[from:min(len(g), i+4)], "\n") + "\n" +
				"want:\n" + strings.Join(w[from:min(len(w), i+4)], "\n")
		}
	}
	return "(same lines)"
}

// BenchmarkRenderPosts compares the hand-written writer with the template
// over a page of twenty posts, the measure of whether the topic page could
// go back to the template.
func BenchmarkRenderPosts(b *testing.B) {
	posts := make([]postItem, 0, postsPerPage)
	for len(posts) < postsPerPage {
		posts = append(posts, goldenPosts()...)
	}
	posts = posts[:postsPerPage]
	b.Run("writer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = renderPosts(posts)
		}
	})
	b.Run("template", func(b *testing.B) {
		tmpl := postsTemplate(b)
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := tmpl.ExecuteTemplate(&buf, "posts", posts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
