package app

import (
	"html/template"
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
// make: every member-supplied string is escaped as html/template escapes it
// in its place (html_escape.go): htmlText for text, urlPartText for path
// segments.
func renderTopicList(topics []models.TopicSummary, reads *boardReading, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(len(topics) * 800)
	b.WriteString("<ol class=\"topic-list\">\n")
	for i := range topics {
		writeTopicRow(&b, &topics[i], reads.of(&topics[i]), now)
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// rowReading is what a reading list (Latest, New, Unread) adds to a row:
// where the topic is and how far the member has read it.
type rowReading struct {
	// Board names the topic's board, as these lists span boards.
	Board bool
	// New marks a topic the member never opened.
	New bool
	// Unread counts the posts after the member's last read one, and
	// FirstUnread is the address of the first of them.
	Unread      int
	FirstUnread string
}

// boardReading is how far the member has read a board's topics: their
// positions in those they opened, and since when a topic they never
// opened counts as new.
type boardReading struct {
	memberID  int64
	positions map[int64]int
	since     time.Time
}

// of is how a board's list shows the member's reading of a topic; nil
// (nothing to show) for a visitor with no reading.
func (r *boardReading) of(t *models.TopicSummary) *rowReading {
	if r == nil {
		return nil
	}
	rt := models.ReadingTopic{TopicSummary: *t, LastRead: r.positions[t.ID]}
	rt.New = rt.LastRead == 0 && t.CreatedAt.After(r.since) && t.AuthorID != r.memberID
	row := readingOf(&rt)
	row.Board = false
	return row
}

// readingOf is how a reading list shows a topic the member has read so far.
func readingOf(t *models.ReadingTopic) *rowReading {
	r := &rowReading{Board: true, New: t.New, Unread: t.Unread()}
	if r.Unread > 0 {
		next := t.LastRead + 1
		r.FirstUnread = topicPageURL(&t.Topic, pageOfPost(next)) + "#post-" + strconv.Itoa(next)
	}
	return r
}

// renderReadingList writes a reading list's topics, each with its board and
// what is new in it to the member.
func renderReadingList(topics []models.ReadingTopic, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(len(topics) * 900)
	b.WriteString("<ol class=\"topic-list\">\n")
	for i := range topics {
		writeTopicRow(&b, &topics[i].TopicSummary, readingOf(&topics[i]), now)
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// writeTopicRow writes one topic of a list: every list of topics (a
// board's, the reading lists) goes through here, so what a row shows is
// decided in one place. reading is nil on a board's list.
func writeTopicRow(b *strings.Builder, t *models.TopicSummary, reading *rowReading, now time.Time) {
	esc := htmlText
	href := "/t/" + strconv.FormatInt(t.ID, 10) + "/" + urlPartText(t.Slug) // one string, written twice
	if reading != nil && reading.FirstUnread != "" {
		// The member goes on from where they stopped.
		href = urlText(reading.FirstUnread)
	}
	b.WriteString(`  <li class="topic-row`)
	if t.Pinned {
		b.WriteString(` pinned`)
	}
	writeStrings(b, `">
    <div class="topic-main">
      <a class="topic-title" href="`, href, `">`, esc(t.Title), `</a>
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
	writeTopicStates(b, t)
	if reading != nil {
		switch {
		case reading.New:
			b.WriteString("\n      <span class=\"badge new-topic\">New</span>")
		case reading.Unread > 0:
			posts := "posts"
			if reading.Unread == 1 {
				posts = "post"
			}
			writeStrings(b, "\n      <a class=\"badge new-posts\" href=\"", href, "\">", strconv.Itoa(reading.Unread),
				` new<span class="visually-hidden"> `, posts, `: read from the first one</span></a>`)
		}
	}
	b.WriteString(`
      <div class="topic-meta">
        <span>`)
	if t.AuthorUsername != "" && !t.Anonymous {
		writeStrings(b, `<a class="author-link" href="/u/`, urlPartText(t.AuthorUsername), `">`, esc(t.Byline()), `</a>`)
	} else {
		b.WriteString(esc(t.Byline()))
	}
	if !t.Anonymous && t.AuthorSpecialty != "" {
		writeStrings(b, ` · `, esc(t.AuthorSpecialty))
	}
	b.WriteString(`</span>
        `)
	if reading != nil && reading.Board {
		writeStrings(b, `<a class="board-link" href="/b/`, urlPartText(t.BoardSlug), `">`, esc(t.BoardTitle), `</a>
        `)
	}
	for _, tag := range t.Tags {
		writeStrings(b, `<a class="tag" href="/tags/`, urlPartText(tag), `">`, esc(tag), `</a>`)
	}
	writeStrings(b, `
      </div>
    </div>
    <div class="topic-stats">
      <span>`, plural(t.Replies(), "reply", "replies"), `</span>
      <time datetime="`, isoTime(t.BumpedAt), `" title="`, stampTime(t.BumpedAt), `">`, ago(now.Sub(t.BumpedAt)), `</time>
    </div>
  </li>
`)
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

// renderTagList writes a tag's list of topics, each with its board, by
// when it was opened. Like renderTopicList it replaces a template's loop
// and must write what that template wrote (app/tag_show_test.go compares
// the two).
func renderTagList(topics []models.TopicSummary, now time.Time) template.HTML {
	esc := htmlText
	var b strings.Builder
	b.Grow(len(topics) * 900)
	b.WriteString("<ol class=\"topic-list\">\n")
	for i := range topics {
		t := &topics[i]
		writeStrings(&b, "\n  <li class=\"topic-row\">\n    <div class=\"topic-main\">\n      <a class=\"topic-title\" href=\"/t/",
			strconv.FormatInt(t.ID, 10), "/", urlPartText(t.Slug), `">`, esc(t.Title), "</a>\n      ")
		if t.OpenerHidden {
			b.WriteString(`<span class="badge">Hidden from members</span>`)
		}
		b.WriteString("\n      ")
		if t.Answered {
			b.WriteString(` <span class="badge answered"><span aria-hidden="true">✔</span> Answered</span>`)
		}
		if t.HasOutcome {
			b.WriteString(` <span class="badge outcome">Outcome posted</span>`)
		}
		writeStrings(&b, "\n      <div class=\"topic-meta\"><a href=\"/b/", urlPartText(t.BoardSlug), `">`, esc(t.BoardTitle), `</a> · <span>`)
		if t.AuthorUsername != "" && !t.Anonymous {
			writeStrings(&b, `<a class="author-link" href="/u/`, urlPartText(t.AuthorUsername), `">`, esc(t.Byline()), `</a>`)
		} else {
			b.WriteString(esc(t.Byline()))
		}
		b.WriteString("</span>\n        ")
		for _, tag := range t.Tags {
			writeStrings(&b, `<a class="tag" href="/tags/`, urlPartText(tag), `">`, esc(tag), `</a>`)
		}
		writeStrings(&b, "</div>\n    </div>\n    <div class=\"topic-stats\"><span>", plural(t.Replies(), "reply", "replies"),
			"</span>\n      <time datetime=\"", isoTime(t.CreatedAt), `" title="`, stampTime(t.CreatedAt), `">`, ago(now.Sub(t.CreatedAt)),
			"</time></div>\n  </li>\n")
	}
	b.WriteString("\n</ol>")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}
