package app

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"rounds/models"
)

// profilePostsTemplate is the profile page's list of posts as its template
// wrote it before renderProfilePosts replaced it; the two must write the
// same HTML.
const profilePostsTemplate = `<ul class="topic-list profile-posts">
  {{range .}}
  <li class="topic-row">
    <div>
      <a class="topic-title" href="/p/{{.PostID}}">{{.TopicTitle}}</a>
      <div class="topic-meta">
        <span>{{if eq .Number 1}}Opened the topic{{else}}Reply #{{.Number}}{{end}}</span>
        <span>in <a href="/b/{{.BoardSlug}}">{{.BoardTitle}}</a></span>
        {{if .Hidden}}<span class="badge">Hidden by moderators</span>{{end}}
      </div>
    </div>
    <div class="topic-stats"><time datetime="{{iso .CreatedAt}}" title="{{stamp .CreatedAt}}">{{ago .CreatedAt}}</time></div>
  </li>
  {{end}}
</ul>`

func TestProfilePostsWriteWhatTheirTemplateWrote(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	tmpl := template.Must(template.New("list").Funcs(template.FuncMap{
		"ago":   func(at time.Time) string { return ago(now.Sub(at)) },
		"iso":   func(at time.Time) string { return at.UTC().Format(time.RFC3339) },
		"stamp": func(at time.Time) string { return at.UTC().Format("2 Jan 2006, 15:04 UTC") },
	}).Parse(profilePostsTemplate))
	post := func(id int64, number int, title string) models.ProfilePost {
		return models.ProfilePost{PostID: id, Number: number, CreatedAt: now.Add(-time.Duration(id) * 37 * time.Minute),
			TopicID: id + 1000, TopicTitle: title, TopicSlug: "a-slug", BoardSlug: "cardiology-2", BoardTitle: "Cardiology & <Co> 'n' \"friends\""}
	}
	opening := post(1, 1, "Refractory VT <script>alert(1)</script> & more")
	reply := post(2, 7, "C+ grade: K+ 6.1, what's next? \x00")
	hidden := post(3, 2, "Hidden one")
	hidden.Hidden = true
	old := post(400, 1, "A year ago")
	old.CreatedAt = now.AddDate(-1, 0, 0)
	for _, posts := range [][]models.ProfilePost{{opening}, {opening, reply, hidden, old}} {
		var want strings.Builder
		if err := tmpl.Execute(&want, posts); err != nil {
			t.Fatal(err)
		}
		if got := string(renderProfilePosts(posts, now)); got != want.String() {
			t.Errorf("renderProfilePosts wrote\n%q\nthe template\n%q", got, want.String())
		}
	}
}
