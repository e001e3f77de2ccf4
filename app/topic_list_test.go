package app

import (
	"html/template"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"rounds/models"
)

// renderTopicList writes what the template it replaced
// (testdata/topic_list.html) wrote, for every kind of row, with the same
// escaping.
func TestRenderTopicListMatchesItsTemplate(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	source, err := os.ReadFile("testdata/topic_list.html")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("").Funcs(templateFuncs(nil, func() time.Time { return now })).Parse(string(source)))
	topic := func(id int64, title string, edit func(*models.TopicSummary)) models.TopicSummary {
		var s models.TopicSummary
		s.ID, s.Title, s.Slug, s.Kind = id, title, models.Slugify(title), models.KindDiscussion
		s.PostCount, s.BumpedAt = 4, now.Add(-3*time.Hour)
		s.AuthorName, s.AuthorSpecialty, s.AuthorUsername = "Dr. Amara Okafor", "Cardiology", "okafor"
		if edit != nil {
			edit(&s)
		}
		return s
	}
	topics := []models.TopicSummary{
		topic(1, "Apixaban in CKD", func(s *models.TopicSummary) { s.Answered = true }),
		topic(2, `<script>alert("x")</script> & "quotes"`, func(s *models.TopicSummary) {
			s.Pinned, s.Locked, s.OpenerHidden, s.Tags = true, true, true, []string{"anticoagulation", "renal"}
			s.AuthorName, s.AuthorSpecialty = `O'Brien <b>`, `Care & "Cure"`
		}),
		topic(3, "Episode 12 discussion", func(s *models.TopicSummary) {
			s.Kind, s.PostCount, s.BumpedAt = models.KindPodcast, 2, now.Add(-30*time.Second)
		}),
		topic(4, "A case of chest pain", func(s *models.TopicSummary) {
			s.Kind, s.PostCount, s.AuthorSpecialty, s.AuthorUsername = models.KindCase, 1, "", ""
			s.Answered, s.HasOutcome = true, true
		}),
		topic(5, "Anonymous question", func(s *models.TopicSummary) {
			s.Anonymous, s.AnonymousAs, s.PostCount, s.PurgedCount = true, "Cardiology", 9, 3
			s.AuthorName, s.AuthorSpecialty = "", "" // the username stays, to check it is not linked
			s.BumpedAt = now.Add(-400 * 24 * time.Hour)
		}),
		// html/template escapes '+' as well as & < > " ', and leaves
		// letters beyond ASCII as they are. (Tags, slugs and usernames,
		// the parts of paths, are lower-case ASCII by the forms' checks.)
		topic(6, `C++ & <β-blockers> "why" 'not' — Ünïcödé ½`, func(s *models.TopicSummary) {
			s.AuthorName, s.AuthorSpecialty, s.Tags = `Zoë D'Souza + "Co" <MD>`, `Ob+Gyn & Peds — Über`, []string{"beta-blockers"}
		}),
	}
	for n := range topics {
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "topic_list", topics[:n+1]); err != nil {
			t.Fatal(err)
		}
		got := string(renderTopicList(topics[:n+1], nil, now))
		if normalizeSpace(got) != normalizeSpace(want.String()) {
			t.Fatalf("rows 1-%d differ from the template's\n got: %s\nwant: %s", n+1, normalizeSpace(got), normalizeSpace(want.String()))
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// normalizeSpace makes two renderings comparable whatever their line
// breaks and indentation, which a browser does not show.
func normalizeSpace(s string) string {
	s = spaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "> <", "><"), "> ", ">"))
}
