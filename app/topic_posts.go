package app

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"rounds/app/imageproxy"
	"rounds/models"
)

// renderPosts writes a page of posts as HTML. The topic page is the
// hottest page of the site, and html/template spends most of its time
// there in reflective calls to its escapers (several per post), so this one
// fragment is written in Go. It must stay equivalent to what a template
// would make, byte for byte: every member-supplied string is escaped as
// html/template escapes it in its place (htmlText, urlText, urlPartText),
// and Cooked is HTML sanitized at write time.
func renderPosts(posts []postItem) template.HTML {
	var b strings.Builder
	size := 0
	for i := range posts {
		size += len(posts[i].Cooked) + 900
	}
	b.Grow(size)
	for i := range posts {
		p := &posts[i]
		writeNewSince(&b, p)
		if writePostHead(&b, p) {
			writePostTail(&b, p)
		}
		writeAfterPost(&b, p)
	}
	return template.HTML(b.String()) //nolint:gosec // escaped in writePostHead and writePostTail; Cooked sanitized at write time
}

// writeStrings writes parts in turn: one call instead of b.WriteString(a +
// b + ...), which would allocate the joined string first, on every post of
// every page.
func writeStrings(b *strings.Builder, parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

// writeNewSince marks the first post after the reader's last visit, in
// words and as a heading, so it is found without seeing colour.
func writeNewSince(b *strings.Builder, p *postItem) {
	if p.FirstUnread {
		writeStrings(b, `<h2 class="new-since" id="new-posts">New since your last visit</h2>`, "\n")
	}
}

// writeAfterPost writes what follows a post outside it: under the opening
// post, the reply that answered the topic.
func writeAfterPost(b *strings.Builder, p *postItem) {
	if p.AnsweredBy != nil {
		writeAnsweredBy(b, p.AnsweredBy)
	}
}

// writePostHead writes the part of a post that is the same for every reader
// who sees it the same way (a moderator or not): its author, time, body or
// tombstone, whether it is the topic's answer, its images, link cards and,
// for moderators, the identifiers its author confirmed. It reads none of
// postItem's per-reader fields (Mine, Bookmarked, Reactions, Poll,
// FirstUnread, the footer's links), which is what lets the topic
// page cache it (topicPostsCache). It returns false when the post is
// complete (a tombstone), true when writePostTail must follow.
func writePostHead(b *strings.Builder, p *postItem) bool {
	esc := htmlText
	num := strconv.Itoa(p.Number)
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
	if p.IsAnswer {
		b.WriteString(` answer`)
	}
	writeStrings(b, `" id="post-`, num, `" aria-labelledby="post-`, num, `-author">
  <header class="post-header">
    <div class="author" id="post-`, num, `-author">
      `)
	if p.Username != "" {
		// A signed post's author links to their profile; an anonymous
		// one's (Username left empty) never does.
		writeStrings(b, `<a class="author-name" href="/u/`, urlPartText(p.Username), `">`, esc(p.AuthorName), `</a>`)
	} else {
		writeStrings(b, `<span class="author-name">`, esc(p.AuthorName), `</span>`)
	}
	b.WriteString(`
      <span class="verified" title="Verified clinician">✓ Verified</span>`)
	if p.Specialty != "" {
		writeStrings(b, `
      <span class="specialty">`, esc(p.Specialty), `</span>`)
	}
	writeStrings(b, `
    </div>
    <a class="post-time" href="#post-`, num, `"><time datetime="`, p.CreatedISO, `" title="`, p.CreatedFull, `">`, p.CreatedAgo, `</time></a>
  </header>
`)
	if p.Deleted {
		b.WriteString(`  <p class="tombstone">This post was deleted.</p>
</article>
`)
		return false
	}
	if p.Withheld {
		b.WriteString(`  <p class="tombstone">This post was hidden by the moderators.`)
		if p.HiddenReason != "" {
			writeStrings(b, ` Reason: `, esc(p.HiddenReason))
		}
		b.WriteString("</p>\n</article>\n")
		return false
	}
	if p.Hidden {
		b.WriteString(`  <p class="notice moderation">Hidden by moderators`)
		if p.HiddenReason != "" {
			writeStrings(b, `: `, esc(p.HiddenReason))
		} else {
			b.WriteString(`.`)
		}
		b.WriteString("</p>\n")
	}
	if p.IsAnswer {
		writeAnswerMark(b)
	}
	if p.SummaryAbove {
		writeStrings(b, `  <p class="post-note">Presented the case summarised above.</p>`, "\n")
	} else {
		b.WriteString(`  <div class="post-body">`)
		b.WriteString(string(p.Cooked))
		b.WriteString("</div>\n")
	}
	if len(p.Images) > 0 {
		writeImages(b, p.Images)
	}
	if len(p.Previews) > 0 {
		writePreviews(b, p.Previews)
	}
	if len(p.PHIConfirmed) > 0 {
		writeConfirmed(b, p.PHIConfirmed)
	}
	return true
}

// writePostTail writes the rest of a post writePostHead began: what depends
// on the reader (a poll as they may see it, the reactions with their
// buttons, the footer's Edit, Quote, Answer, Bookmark, Report and
// moderation links) and the closing tag.
func writePostTail(b *strings.Builder, p *postItem) {
	id := strconv.FormatInt(p.ID, 10)
	if p.Poll != nil {
		writePoll(b, id, p.Poll)
	}
	if len(p.Reactions) > 0 || p.ReactCSRF != "" {
		writeReactions(b, id, p.Reactions, p.ReactCSRF)
	}
	if p.Edited || p.Mine || p.Revealable || p.Flaggable || p.Moderatable || p.Bookmarkable || p.QuoteURL != "" || p.AnswerCSRF != "" {
		b.WriteString(`  <footer class="post-footer">`)
		if p.Edited {
			writeStrings(b, `<span class="muted">Edited <time datetime="`, p.UpdatedISO, `" title="`, p.UpdatedFull, `">`, p.UpdatedAgo, `</time></span>`)
		}
		if p.Mine {
			writeStrings(b, ` <a href="/p/`, id, `/edit">Edit</a>`)
			if p.Edited {
				writeStrings(b, ` <a href="/p/`, id, `/history">History</a>`)
			}
			writeStrings(b, ` <a href="/p/`, id, `/delete">Delete</a>`)
			if p.PollAddable {
				writeStrings(b, ` <a href="/p/`, id, `/poll">Add a poll</a>`)
			}
		}
		if p.QuoteURL != "" {
			writeStrings(b, ` <a href="`, urlText(p.QuoteURL), `" class="quote-link" rel="nofollow">Quote</a>`)
		}
		if p.AnswerCSRF != "" {
			b.WriteString(` `)
			writeAnswerButton(b, id, p.IsAnswer, p.AnswerCSRF)
		}
		if p.Bookmarked {
			writeStrings(b, ` <a href="/p/`, id, `/bookmark" class="bookmarked">Bookmarked</a>`)
		} else if p.Bookmarkable {
			writeStrings(b, ` <a href="/p/`, id, `/bookmark" rel="nofollow">Bookmark</a>`)
		}
		if p.Flaggable {
			writeStrings(b, ` <a href="/p/`, id, `/flag" rel="nofollow">Report</a>`)
		}
		if p.Revealable {
			writeStrings(b, ` <a href="/mod/posts/`, id, `/reveal">Reveal author</a>`)
		}
		if p.Moderatable {
			writeStrings(b, ` <a href="/mod/review/`, id, `">Moderate</a>`)
		}
		b.WriteString("</footer>\n")
	}
	b.WriteString("</article>\n")
}

// writeImages writes a post's images as thumbnails, each a link to its
// full view, with the author's description as alt text, and a DICOM
// file's download.
func writeImages(b *strings.Builder, imgs []models.PostImage) {
	esc := htmlText
	writeStrings(b, `  <ul class="post-images">`, "\n")
	for _, img := range imgs {
		alt := esc(img.Alt)
		writeStrings(b, `    <li><a href="`, urlText(mediaURL(img.Name, "full")), `" class="post-image"><img src="`, urlText(mediaURL(img.Name, "thumb")),
			`" alt="`, alt, `" width="`, strconv.Itoa(img.ThumbWidth), `" height="`, strconv.Itoa(img.ThumbHeight), `" loading="lazy"></a>`)
		if img.DICOM {
			writeStrings(b, ` <a href="`, urlText(mediaURL(img.Name, "dicom")), `" class="dicom-download" download>De-identified DICOM file</a>`)
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("  </ul>\n")
}

// writePreviews writes the cards of a post's links: a citation (title,
// authors, journal, year) for a DOI or PubMed ID, the page's own card
// otherwise. Every string came from a remote site and is escaped; links
// send no referrer, so a topic's address never reaches the site it links,
// and the thumbnail comes through the image proxy (sharedPostItems).
func writePreviews(b *strings.Builder, previews []models.LinkPreview) {
	esc := htmlText
	writeStrings(b, `  <ul class="link-cards" aria-label="Link previews">`, "\n")
	for i := range previews {
		p := &previews[i]
		title := p.Title
		if title == "" {
			title = p.URL
		}
		citation := p.Kind != "page"
		class := "link-card"
		if citation {
			class += " citation"
		}
		writeStrings(b, `    <li class="`, class, `">`)
		if !citation && strings.HasPrefix(p.ImageURL, imageproxy.Prefix) {
			writeStrings(b, `<img class="link-card-image" src="`, urlText(p.ImageURL), `" alt="" loading="lazy" width="96" height="96">`)
		}
		writeStrings(b, `<div class="link-card-text"><a class="link-card-title" href="`, urlText(p.URL), `" rel="nofollow noopener noreferrer ugc">`, esc(title), `</a>`)
		if citation {
			if authors := citationAuthors(p.Authors); authors != "" {
				writeStrings(b, `<span class="link-card-authors">`, esc(authors), `</span>`)
			}
			var source []string
			if p.Journal != "" {
				source = append(source, `<cite>`+esc(p.Journal)+`</cite>`)
			}
			if p.Year > 0 {
				source = append(source, strconv.Itoa(p.Year))
			}
			if p.PMID != "" {
				source = append(source, "PMID "+esc(p.PMID))
			} else if p.DOI != "" {
				source = append(source, "doi:"+esc(p.DOI))
			}
			if len(source) > 0 {
				writeStrings(b, `<span class="link-card-source">`, strings.Join(source, " · "), `</span>`)
			}
		} else {
			if p.Description != "" {
				writeStrings(b, `<span class="link-card-description">`, esc(p.Description), `</span>`)
			}
			writeStrings(b, `<span class="link-card-source">`, esc(siteOf(p)), `</span>`)
		}
		b.WriteString("</div></li>\n")
	}
	b.WriteString("  </ul>\n")
}

// citationAuthors shortens an author list the way references do: up to
// three names, then "et al.".
func citationAuthors(authors string) string {
	if authors == "" {
		return ""
	}
	names := strings.Split(authors, "\n")
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + " et al."
	}
	return strings.Join(names, ", ")
}

// siteOf is the name a page card gives its site: its own name, or its host.
func siteOf(p *models.LinkPreview) string {
	if p.SiteName != "" {
		return p.SiteName
	}
	if u, err := url.Parse(p.URL); err == nil {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}

// writeConfirmed tells moderators what the identifier check flagged in a
// post and its author confirmed identifies no patient.
func writeConfirmed(b *strings.Builder, notes []phiNote) {
	esc := htmlText
	b.WriteString(`  <details class="phi-confirmed"><summary>The author confirmed `)
	if len(notes) == 1 {
		b.WriteString("1 possible identifier")
	} else {
		writeStrings(b, strconv.Itoa(len(notes)), " possible identifiers")
	}
	b.WriteString(" identifies no patient</summary><ul>")
	for _, n := range notes {
		writeStrings(b, `<li><strong>`, esc(n.TypeLabel), `</strong>: <mark>`, esc(n.Match), `</mark> <span class="muted">`, esc(n.Reason), `</span></li>`)
	}
	b.WriteString("</ul></details>\n")
}

// writeReactions writes a post's reactions: buttons that give or take
// back each one when the reader may react (csrf set), plain counts
// otherwise, and a link to who reacted when anyone did.
func writeReactions(b *strings.Builder, id string, counts []models.ReactionCount, csrf string) {
	count := func(k models.ReactionKind) (int, bool) {
		for _, c := range counts {
			if c.Kind == k {
				return c.Count, c.Mine
			}
		}
		return 0, false
	}
	b.WriteString(`  <div class="reactions">`)
	if csrf != "" {
		writeStrings(b, `<form method="post" action="/p/`, id, `/react" class="reaction-form"><input type="hidden" name="_csrf" value="`, htmlText(csrf), `">`)
	}
	for _, k := range models.ReactionKinds {
		n, mine := count(k)
		label := k.Label()
		if n > 0 {
			label += ` <span class="reaction-count">` + strconv.Itoa(n) + `</span>`
		}
		switch {
		case csrf != "":
			writeStrings(b, `<button type="submit" name="kind" value="`, string(k), `" class="reaction" aria-pressed="`, strconv.FormatBool(mine), `">`, label, `</button>`)
		case n > 0:
			writeStrings(b, `<span class="reaction">`, label, `</span>`)
		}
	}
	if csrf != "" {
		b.WriteString(`</form>`)
	}
	if len(counts) > 0 {
		writeStrings(b, ` <a href="/p/`, id, `/reactions" class="reactors">Who reacted</a>`)
	}
	b.WriteString("</div>\n")
}
