package app

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"rounds/models"
)

// renderTopicList writes a board's list of topics. Like renderPosts, it is
// written in Go rather than as a template: a board page lists thirty
// topics, and a template's calls for each row (its helper functions and
// the escapers html/template adds to every value) were about as costly as
// the page's queries. It must stay equivalent to what a template would
// make: every member-supplied string is escaped with
// template.HTMLEscapeString, and path segments are escaped as well.
func renderTopicList(topics []models.TopicSummary, now time.Time) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(len(topics) * 800)
	b.WriteString("<ol class=\"topic-list\">\n")
	for i := range topics {
		t := &topics[i]
		b.WriteString(`  <li class="topic-row`)
		if t.Pinned {
			b.WriteString(` pinned`)
		}
		b.WriteString(`">
    <div class="topic-main">
      <a class="topic-title" href="/t/` + strconv.FormatInt(t.ID, 10) + `/` + esc(url.PathEscape(t.Slug)) + `">` + esc(t.Title) + `</a>
      `)
		switch t.Kind {
		case models.KindPodcast:
			b.WriteString(`<span class="badge kind">Podcast</span>`)
		case models.KindCase:
			b.WriteString(`<span class="badge kind">Case</span>`)
		}
		if t.Pinned {
			b.WriteString("\n      <span class=\"badge\">Pinned</span>")
		}
		if t.Locked {
			b.WriteString("\n      <span class=\"badge\">Locked</span>")
		}
		if t.OpenerHidden {
			b.WriteString("\n      <span class=\"badge\">Hidden from members</span>")
		}
		writeTopicStates(&b, t)
		b.WriteString(`
      <div class="topic-meta">
        <span>`)
		if t.AuthorUsername != "" && !t.Anonymous {
			b.WriteString(`<a class="author-link" href="/u/` + esc(url.PathEscape(t.AuthorUsername)) + `">` + esc(t.Byline()) + `</a>`)
		} else {
			b.WriteString(esc(t.Byline()))
		}
		if !t.Anonymous && t.AuthorSpecialty != "" {
			b.WriteString(` · ` + esc(t.AuthorSpecialty))
		}
		b.WriteString(`</span>
        `)
		for _, tag := range t.Tags {
			b.WriteString(`<a class="tag" href="/tags/` + esc(url.PathEscape(tag)) + `">` + esc(tag) + `</a>`)
		}
		b.WriteString(`
      </div>
    </div>
    <div class="topic-stats">
      <span>` + plural(t.Replies(), "reply", "replies") + `</span>
      <time datetime="` + isoTime(t.BumpedAt) + `" title="` + stampTime(t.BumpedAt) + `">` + ago(now.Sub(t.BumpedAt)) + `</time>
    </div>
  </li>
`)
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String()) //nolint:gosec // every value above is escaped
}

// writeTopicStates tells a list that a topic is answered, or that its
// case's outcome is posted.
func writeTopicStates(b *strings.Builder, t *models.TopicSummary) {
	if t.Answered {
		b.WriteString("\n      <span class=\"badge answered\"><span aria-hidden=\"true\">✔</span> Answered</span>")
	}
	if t.HasOutcome {
		b.WriteString("\n      <span class=\"badge outcome\">Outcome posted</span>")
	}
}
