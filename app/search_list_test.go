package app

import (
	"html/template"
	"os"
	"strings"
	"testing"
	"time"

	"rounds/models"
)

// renderSearchResults writes what the template it replaced
// (testdata/search_results.html) wrote, for signed and anonymous topics
// and posts, answered topics and cases with outcomes, with the same
// escaping.
func TestRenderSearchResultsMatchesItsTemplate(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	source, err := os.ReadFile("testdata/search_results.html")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("").Funcs(templateFuncs(nil, func() time.Time { return now })).Parse(string(source)))
	topic := func(id int64, title template.HTML, edit func(*models.TopicSummary), posts ...foundPost) foundTopic {
		var s models.TopicSummary
		s.ID, s.Title, s.Slug, s.Kind = id, string(title), models.Slugify(string(title)), models.KindDiscussion
		s.BoardSlug, s.BoardTitle = "cardiology", "Cardiology"
		s.AuthorName, s.AuthorSpecialty, s.AuthorUsername = "Dr. Amara Okafor", "Cardiology", "okafor"
		s.CreatedAt = now.Add(-26 * time.Hour)
		if edit != nil {
			edit(&s)
		}
		return foundTopic{TopicSummary: s, Title: title, Posts: posts}
	}
	post := func(id int64, number int, byline, username string, snippet template.HTML) foundPost {
		return foundPost{ID: id, Number: number, Byline: byline, Username: username, CreatedAt: now.Add(-time.Duration(id) * time.Minute), Snippet: snippet}
	}
	found := []foundTopic{
		topic(1, "Apixaban in <mark>CKD</mark>", func(s *models.TopicSummary) { s.Answered = true },
			post(11, 1, "Dr. Amara Okafor", "okafor", "Dose by <mark>CKD</mark> stage…"),
			post(12, 4, "Jonas Weber, RN", "weber", "We check creatinine weekly.")),
		topic(2, `&lt;script&gt; &amp; &#34;quotes&#34; <mark>sepsis</mark>`, func(s *models.TopicSummary) {
			s.BoardSlug, s.BoardTitle = "critical-care", `Critical <Care> & "Co"`
			s.AuthorName, s.AuthorSpecialty = `O'Brien <b>`, `Care & "Cure"`
		}, post(21, 2, `O'Brien <b>`, "obrien", "<mark>Sepsis</mark> &amp; lactate")),
		topic(3, "A case of chest pain", func(s *models.TopicSummary) {
			s.Kind, s.Answered, s.HasOutcome = models.KindCase, true, true
			s.Anonymous, s.AnonymousAs = true, "Cardiology"
			s.AuthorName, s.AuthorSpecialty = "", "" // the username stays, to check it is not linked
			s.CreatedAt = now.Add(-400 * 24 * time.Hour)
		}, post(31, 1, models.AnonymousAuthor("Cardiology"), "", "Troponin flat…"),
			post(32, 2, "Jonas Weber, RN", "weber", "Consider PE."),
			post(33, 3, models.AnonymousAuthor("Cardiology"), "", "Echo was normal.")),
		topic(4, "No posts shown", nil),
	}
	for n := range found {
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "search_results", found[:n+1]); err != nil {
			t.Fatal(err)
		}
		got := string(renderSearchResults(found[:n+1], now))
		if normalizeSpace(got) != normalizeSpace(want.String()) {
			t.Fatalf("topics 1-%d differ from the template's\n got: %s\nwant: %s", n+1, normalizeSpace(got), normalizeSpace(want.String()))
		}
	}
}
