package app

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"rounds/models"
)

// tagListTemplate is the tag page's list as its template wrote it before
// renderTagList replaced it; the two must write the same HTML.
const tagListTemplate = `{{define "topic_states"}}{{if .Answered}} <span class="badge answered"><span aria-hidden="true">✔</span> Answered</span>{{end}}{{if .HasOutcome}} <span class="badge outcome">Outcome posted</span>{{end}}{{end}}` +
	`<ol class="topic-list">
{{range .}}
  <li class="topic-row">
    <div class="topic-main">
      <a class="topic-title" href="/t/{{.ID}}/{{.Slug}}">{{.Title}}</a>
      {{if .OpenerHidden}}<span class="badge">Hidden from members</span>{{end}}
      {{template "topic_states" .}}
      <div class="topic-meta"><a href="/b/{{.BoardSlug}}">{{.BoardTitle}}</a> · <span>{{if and .AuthorUsername (not .Anonymous)}}<a class="author-link" href="/u/{{.AuthorUsername}}">{{.Byline}}</a>{{else}}{{.Byline}}{{end}}</span>
        {{range .Tags}}<a class="tag" href="/tags/{{.}}">{{.}}</a>{{end}}</div>
    </div>
    <div class="topic-stats"><span>{{plural .Replies "reply" "replies"}}</span>
      <time datetime="{{iso .CreatedAt}}" title="{{stamp .CreatedAt}}">{{ago .CreatedAt}}</time></div>
  </li>
{{end}}
</ol>`

func TestTagListWritesWhatItsTemplateWrote(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	tmpl := template.Must(template.New("list").Funcs(template.FuncMap{
		"ago":    func(at time.Time) string { return ago(now.Sub(at)) },
		"iso":    func(at time.Time) string { return at.UTC().Format(time.RFC3339) },
		"stamp":  func(at time.Time) string { return at.UTC().Format("2 Jan 2006, 15:04 UTC") },
		"plural": plural,
	}).Parse(tagListTemplate))
	topic := func(id int64, title string) models.TopicSummary {
		return models.TopicSummary{Topic: models.Topic{ID: id, Title: title, Slug: "a-slug-" + title[:1], PostCount: 3,
			CreatedAt: now.Add(-time.Duration(id) * time.Hour)}, BoardSlug: "cardiology", BoardTitle: "Cardiology & <Co>",
			AuthorName: "Dr. O'Neil \"Amy\"", AuthorUsername: "oneil", Tags: []string{"ecg", "sepsis"}}
	}
	plain := topic(1, "Refractory VT <script>alert(1)</script> & more")
	hidden := topic(2, "Hidden one")
	hidden.OpenerHidden, hidden.Answered, hidden.Tags = true, true, nil
	anonymous := topic(3, "Asked anonymously")
	anonymous.Anonymous, anonymous.AnonymousAs, anonymous.AuthorName, anonymous.AuthorUsername = true, "Nurse", "", ""
	cased := topic(40, "Case: outcome")
	cased.Kind, cased.HasOutcome, cased.PostCount = models.KindCase, true, 2
	// html/template escapes '+' as well as & < > " ', and leaves letters
	// beyond ASCII as they are.
	marks := topic(5, `C++ & <β-blockers> "why" 'not' — Ünïcödé ½`)
	marks.BoardTitle, marks.AuthorName = "Ob+Gyn & Peds — Über", `Zoë D'Souza + "Co" <MD>`
	for _, topics := range [][]models.TopicSummary{{plain}, {plain, hidden, anonymous, cased, marks}} {
		var want strings.Builder
		if err := tmpl.Execute(&want, topics); err != nil {
			t.Fatal(err)
		}
		if got := string(renderTagList(topics, now)); got != want.String() {
			t.Errorf("renderTagList wrote\n%s\nthe template\n%s", got, want.String())
		}
	}
}
