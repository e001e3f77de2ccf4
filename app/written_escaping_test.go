package app

import (
	"html/template"
	"os"
	"strings"
	"testing"
	"time"

	"rounds/app/imageproxy"
	"rounds/models"
)

// The strings where html/template and template.HTMLEscapeString or
// url.PathEscape part ways: '+', both quotes, markup, an ampersand and
// letters beyond ASCII, which a URL's normalizer percent-encodes in lower
// case. Path parts and URLs hold them too: the forms keep slugs, tags and
// usernames to lower-case ASCII, but the writers must not depend on it.
const (
	hardText = `C++ & <β-blockers> "why" 'not' — Zoë ½`
	hardPart = `zoë+o'neil&<co>"x" ½`
	hardURL  = `/t/7/zoë+c?page=2&quote=102&q="a b"<x>#reply-heading`
)

// hardPosts are posts with hardText in every string a member or a remote
// site wrote, hardPart in their path parts and hardURL-like addresses in
// their links.
func hardPosts() []postItem {
	at := func(p postItem) postItem {
		p.CreatedISO, p.CreatedAgo, p.CreatedFull = "2026-11-02T09:15:00Z", "3 days ago", "2 Nov 2026, 09:15 UTC"
		return p
	}
	return []postItem{
		at(postItem{ID: 201, Number: 1, AuthorName: hardText, Username: hardPart, Specialty: hardText,
			Cooked: "<p>Opening.</p>", QuoteURL: hardURL, Flaggable: true, Bookmarkable: true,
			AnsweredBy: &models.Answer{PostID: 202, Number: 2, AuthorName: hardText, AuthorUsername: hardPart}}),
		at(postItem{ID: 202, Number: 2, AuthorName: hardText, Username: hardPart, Cooked: "<p>Answer.</p>", IsAnswer: true,
			AnswerCSRF: hardText, ReactCSRF: hardText, Reactions: []models.ReactionCount{{Kind: models.ReactHelpful, Count: 2}},
			Poll: &pollItem{Question: hardText, Multiple: true, ShowResults: true, Voted: true, Voters: 2, VoteCSRF: hardText,
				Options: []pollOptionItem{{ID: 1, Label: hardText, Votes: 2, Percent: 100, Mine: true}, {ID: 2, Label: hardText}}},
			Previews: []models.LinkPreview{
				{URL: "https://example.org/zoë?a=1&b=2+3&c=\"d\"", Kind: "page", Title: hardText, Description: hardText,
					SiteName: hardText, ImageURL: imageproxy.Prefix + "abc?u=zoë&v=1+2"},
				{URL: "javascript:alert('x')", Kind: "page", Title: hardText},
				{URL: "https://doi.org/10.1000/zoë+1", Kind: "doi", Title: hardText, Authors: hardText + "\n" + hardText,
					Journal: hardText, Year: 2020, PMID: hardText, DOI: hardText},
				{URL: "https://doi.org/10.1000/x", Kind: "doi", DOI: hardText},
			}}),
		at(postItem{ID: 203, Number: 3, AuthorName: hardText, Hidden: true, Withheld: true, HiddenReason: hardText}),
		at(postItem{ID: 204, Number: 4, AuthorName: hardText, Specialty: hardText, Hidden: true, HiddenReason: hardText,
			Cooked: "<p>Hidden.</p>", Moderatable: true,
			PHIConfirmed: []phiNote{{TypeLabel: hardText, Match: hardText, Reason: hardText}}}),
	}
}

// TestWrittenPagesEscapeAsTemplates holds the pages written in Go with a
// strings.Builder to the templates they replaced byte for byte, whitespace
// between elements aside, over strings that every escaper has work in:
// the topic page's posts, search results and the lists of topics. (The
// other comparisons use strings where the two escapers agree, or set
// aside how a character is escaped.)
func TestWrittenPagesEscapeAsTemplates(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	same := func(what, got, want string) {
		t.Helper()
		if g, w := normalizeSpace(got), normalizeSpace(want); g != w {
			t.Errorf("%s differs from its template:\n%s", what, lineDiff(strings.ReplaceAll(g, "><", ">\n<"), strings.ReplaceAll(w, "><", ">\n<")))
		}
	}

	posts := hardPosts()
	var want strings.Builder
	if err := postsTemplate(t).ExecuteTemplate(&want, "posts", posts); err != nil {
		t.Fatal(err)
	}
	same("renderPosts", string(renderPosts(posts)), want.String())

	parse := func(path string) *template.Template {
		source, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return template.Must(template.New("").Funcs(templateFuncs(nil, func() time.Time { return now })).Parse(string(source)))
	}
	var s models.TopicSummary
	s.ID, s.Title, s.Slug, s.Kind, s.PostCount = 9, hardText, hardPart, models.KindDiscussion, 3
	s.BoardSlug, s.BoardTitle, s.Tags = hardPart, hardText, []string{hardPart, "plain"}
	s.AuthorName, s.AuthorSpecialty, s.AuthorUsername = hardText, hardText, hardPart
	s.CreatedAt, s.BumpedAt = now.Add(-26*time.Hour), now.Add(-time.Hour)

	found := []foundTopic{{TopicSummary: s, Title: template.HTML(template.HTMLEscapeString(hardText)), Posts: []foundPost{
		{ID: 91, Number: 1, Byline: hardText, Username: hardPart, CreatedAt: now.Add(-time.Hour), Snippet: "a <mark>snippet</mark>"},
		{ID: 92, Number: 2, Byline: hardText, CreatedAt: now.Add(-time.Minute), Snippet: "another"},
	}}}
	want.Reset()
	if err := parse("testdata/search_results.html").ExecuteTemplate(&want, "search_results", found); err != nil {
		t.Fatal(err)
	}
	same("renderSearchResults", string(renderSearchResults(found, now)), want.String())

	want.Reset()
	if err := parse("testdata/topic_list.html").ExecuteTemplate(&want, "topic_list", []models.TopicSummary{s}); err != nil {
		t.Fatal(err)
	}
	same("renderTopicList", string(renderTopicList([]models.TopicSummary{s}, nil, now)), want.String())
}
