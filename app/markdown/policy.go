package markdown

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// linkRel is set on every link a post can contain. ugc marks the link as
// member content for search engines; noopener and noreferrer keep the
// destination from learning where the reader came from or scripting the tab.
const linkRel = "nofollow ugc noopener noreferrer"

// newPolicy allows exactly what goldmark produces for the extensions New
// enables, and nothing else. It is built from an empty policy rather than
// bluemonday.UGCPolicy so that a bluemonday upgrade cannot widen it.
// siteImages says images load from paths on this site (WithImageURL).
func newPolicy(siteImages bool) *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	// Footnote anchors (#fn…) and links to other pages of the forum.
	p.AllowRelativeURLs(true)
	// linkRenderer already writes linkRel, which contains both of these,
	// so they only act if some link ever reaches the policy without it.
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)

	p.AllowElements(
		"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
		"em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "sup", "div",
		"table", "thead", "tbody", "tr", "th", "td",
	)

	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)).OnElements("code")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowAttrs("title").OnElements("a", "img")

	// Images load from the reader's browser, so only http(s): no data:,
	// no relative URLs pointing at forum actions. With WithImageURL they
	// load only from the paths it gives, on this site.
	if siteImages {
		p.AllowAttrs("src").Matching(regexp.MustCompile(`^/[A-Za-z0-9]`)).OnElements("img")
	} else {
		p.AllowAttrs("src").Matching(regexp.MustCompile(`(?i)^https?://`)).OnElements("img")
	}
	p.AllowAttrs("alt").OnElements("img")

	// Task list items. An input left without attributes is dropped entirely.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")

	// Footnotes. ids are the only ones a post may carry, and they follow
	// the per-post pattern from footnoteIDPrefix.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn[0-9a-f]{8}-fnref[0-9]*:[0-9]+$`)).OnElements("sup")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn[0-9a-f]{8}-fn:[0-9]+$`)).OnElements("li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	// Timestamps of a podcast topic's posts (WithTimestamps).
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^timestamp$`)).OnElements("a")
	p.AllowAttrs("data-seek").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-endnotes$`)).OnElements("div")

	return p
}
