package app

import (
	"html/template"
	"strconv"
	"strings"
	"time"
)

// renderSearchResults writes a page of search results: each topic found
// with its best-matching posts. Like renderTopicList it is written in Go
// rather than as a template: with what a search found kept, the
// template's calls for the twenty topics and sixty posts of a page (its
// helper functions and the escapers html/template adds to every value)
// were a third of a search's CPU. It must stay equivalent to the
// template it replaced (testdata/search_results.html), byte for byte:
// every member-supplied string is escaped as html/template escapes it in
// its place (htmlText, urlPartText); titles and snippets come marked and
// escaped by the search package.
func renderSearchResults(found []foundTopic, now time.Time) template.HTML {
	esc := htmlText
	var b strings.Builder
	b.Grow(len(found) * 1500)
	b.WriteString("<ol class=\"search-results\">\n")
	for i := range found {
		t := &found[i]
		b.WriteString(`<li class="search-topic">
      <a class="topic-title" href="/t/` + strconv.FormatInt(t.ID, 10) + "/" + urlPartText(t.Slug) + `">` + string(t.Title) + `</a>`)
		if t.Answered {
			b.WriteString(` <span class="badge answered"><span aria-hidden="true">✔</span> Answered</span>`)
		}
		if t.HasOutcome {
			b.WriteString(` <span class="badge outcome">Outcome posted</span>`)
		}
		b.WriteString(`
      <div class="topic-meta"><a href="/b/` + urlPartText(t.BoardSlug) + `">` + esc(t.BoardTitle) + `</a> · <span>`)
		writeAuthor(&b, t.AuthorUsername, !t.Anonymous, t.Byline())
		b.WriteString(`</span> ·
        `)
		writeWhen(&b, t.CreatedAt, now)
		b.WriteString(`</div>
      <ul class="search-posts">
`)
		for j := range t.Posts {
			p := &t.Posts[j]
			b.WriteString(`<li class="search-post">
          <p class="snippet">` + string(p.Snippet) + `</p>
          <div class="topic-meta"><a href="/p/` + strconv.FormatInt(p.ID, 10) + `">`)
			if p.Number == 1 {
				b.WriteString("Opening post")
			} else {
				b.WriteString("Reply #" + strconv.Itoa(p.Number))
			}
			b.WriteString(`</a> · <span>`)
			writeAuthor(&b, p.Username, true, p.Byline)
			b.WriteString(`</span> ·
            `)
			writeWhen(&b, p.CreatedAt, now)
			b.WriteString(`</div>
        </li>
`)
		}
		b.WriteString(`</ul>
    </li>
`)
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// writeAuthor writes a byline, linked to the author's profile when there
// is a username to link and the post is signed.
func writeAuthor(b *strings.Builder, username string, signed bool, byline string) {
	if username != "" && signed {
		writeStrings(b, `<a class="author-link" href="/u/`, urlPartText(username), `">`, htmlText(byline), `</a>`)
		return
	}
	b.WriteString(htmlText(byline))
}

// writeWhen writes when something was written, as the templates' ago,
// iso and stamp do.
func writeWhen(b *strings.Builder, at, now time.Time) {
	b.WriteString(`<time datetime="` + isoTime(at) + `" title="` + stampTime(at) + `">` + ago(now.Sub(at)) + `</time>`)
}
