package app

import (
	"html/template"
	"strconv"
	"strings"
)

// renderPosts writes a page of posts as HTML. The topic page is the
// hottest page of the site, and html/template spends most of its time
// there in reflective calls to its escapers (several per post), so this one
// fragment is written in Go. It must stay equivalent to what a template
// would make: every member-supplied string goes through
// template.HTMLEscapeString, and Cooked is HTML sanitized at write time.
func renderPosts(posts []postItem) template.HTML {
	var b strings.Builder
	size := 0
	for i := range posts {
		size += len(posts[i].Cooked) + 900
	}
	b.Grow(size)
	esc := template.HTMLEscapeString
	for i := range posts {
		p := &posts[i]
		num := strconv.Itoa(p.Number)
		id := strconv.FormatInt(p.ID, 10)
		b.WriteString(`<article class="post`)
		switch {
		case p.Deleted:
			b.WriteString(` deleted`)
		case p.Hidden:
			b.WriteString(` moderated`)
		}
		if p.Anonymous {
			b.WriteString(` anonymous`)
		}
		b.WriteString(`" id="post-` + num + `" aria-labelledby="post-` + num + `-author">
  <header class="post-header">
    <div class="author" id="post-` + num + `-author">
      <span class="author-name">` + esc(p.AuthorName) + `</span>
      <span class="verified" title="Verified clinician">✓ Verified</span>`)
		if p.Specialty != "" {
			b.WriteString(`
      <span class="specialty">` + esc(p.Specialty) + `</span>`)
		}
		b.WriteString(`
    </div>
    <a class="post-time" href="#post-` + num + `"><time datetime="` + p.CreatedISO + `" title="` + p.CreatedFull + `">` + p.CreatedAgo + `</time></a>
  </header>
`)
		if p.Deleted {
			b.WriteString(`  <p class="tombstone">This post was deleted.</p>
</article>
`)
			continue
		}
		if p.Withheld {
			b.WriteString(`  <p class="tombstone">This post was hidden by the moderators.`)
			if p.HiddenReason != "" {
				b.WriteString(` Reason: ` + esc(p.HiddenReason))
			}
			b.WriteString("</p>\n</article>\n")
			continue
		}
		if p.Hidden {
			b.WriteString(`  <p class="notice moderation">Hidden by moderators`)
			if p.HiddenReason != "" {
				b.WriteString(`: ` + esc(p.HiddenReason))
			} else {
				b.WriteString(`.`)
			}
			b.WriteString("</p>\n")
		}
		b.WriteString(`  <div class="post-body">`)
		b.WriteString(string(p.Cooked))
		b.WriteString("</div>\n")
		if p.Edited || p.Mine {
			b.WriteString(`  <footer class="post-footer">`)
			if p.Edited {
				b.WriteString(`<span class="muted">Edited <time datetime="` + p.UpdatedISO + `" title="` + p.UpdatedFull + `">` + p.UpdatedAgo + `</time></span>`)
			}
			if p.Mine {
				b.WriteString(` <a href="/p/` + id + `/edit">Edit</a>`)
				if p.Edited {
					b.WriteString(` <a href="/p/` + id + `/history">History</a>`)
				}
				b.WriteString(` <a href="/p/` + id + `/delete">Delete</a>`)
			}
			b.WriteString("</footer>\n")
		}
		b.WriteString("</article>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above; Cooked sanitized at write time
}
