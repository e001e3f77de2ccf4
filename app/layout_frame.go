package app

import (
	"strconv"

	"github.com/valyala/bytebufferpool"
)

// The base layout (views/layouts/base.html) written in Go, for the topic
// page (topic_frame.go). The template stays the one source of truth: the
// tests render every topic page both ways and fail on any difference
// (topicFrameChecked), so a change to base.html must be made here too.

// writeLayoutTop writes the layout up to the page's content, inside <main>.
func (v *viewSet) writeLayoutTop(b *bytebufferpool.ByteBuffer, data *pageData) {
	b.B = append(b.B, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"...)
	if data.Title != "" {
		writeHTML(b, data.Title)
		b.B = append(b.B, " · "...)
	}
	b.B = append(b.B, "Rounds</title>\n<meta name=\"description\" content=\"Rounds: case discussion among verified clinicians.\">\n"...)
	b.B = append(b.B, v.head...)
	b.B = append(b.B, "\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n"+
		"  <div class=\"wrap header-row\">\n    <a class=\"brand\" href=\"/\"><img src=\""...)
	b.B = append(b.B, v.iconSrc...)
	b.B = append(b.B, "\" alt=\"\" width=\"28\" height=\"28\"> Rounds</a>\n    "...)
	if data.Member != nil {
		writeSiteMenu(b, data)
	} else {
		b.B = append(b.B, "\n    <div class=\"account\">\n      "...)
		if data.SignIn {
			b.B = append(b.B, "<a class=\"button small\" href=\"/sign-in?return="...)
			writeQueryValue(b, data.Path)
			b.B = append(b.B, "\">Sign in</a>"...)
		}
		b.B = append(b.B, "\n    </div>\n    "...)
	}
	b.B = append(b.B, "\n  </div>\n</header>\n"...)
	if data.Warnings != 0 {
		writeWarningBanner(b, data.Warnings)
	}
	b.B = append(b.B, '\n')
	if data.Demo {
		b.B = append(b.B, "<div class=\"demo-banner\" role=\"note\"><div class=\"wrap\">This is a demonstration of Rounds with invented members and posts. No real patient data.</div></div>"...)
	}
	b.B = append(b.B, "\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n"...)
	if data.Refused != "" {
		b.B = append(b.B, "<div class=\"error-summary\" role=\"alert\"><p>"...)
		writeHTML(b, data.Refused)
		b.B = append(b.B, "</p></div>"...)
	}
	b.B = append(b.B, '\n')
}

// writeLayoutBottom closes <main> and writes the footer.
func writeLayoutBottom(b *bytebufferpool.ByteBuffer) {
	b.B = append(b.B, "\n</main>\n<footer class=\"site-footer\">\n"+
		"  <div class=\"wrap\">Rounds — a peer-only community for verified clinicians. Never post patient identifiers.</div>\n"+
		"</footer>\n</body>\n</html>\n"...)
}

// writeSiteMenu writes the signed-in member's menu: the site's sections,
// the moderators' queues with their counts, search and the account.
func writeSiteMenu(b *bytebufferpool.ByteBuffer, data *pageData) {
	m := data.Member
	b.B = append(b.B, "\n    \n    <details class=\"site-menu\">\n      <summary><span class=\"menu-label\">Menu</span>"...)
	if n := data.Waiting(); n != 0 {
		b.B = append(b.B, " <span class=\"menu-count\">"...)
		b.B = strconv.AppendInt(b.B, n, 10)
		b.B = append(b.B, "<span class=\"visually-hidden\"> waiting for you</span></span>"...)
	}
	b.B = append(b.B, "</summary>\n      <div class=\"site-menu-items\">\n        <nav aria-label=\"Site\">\n"+
		"          <ul class=\"nav\">\n            "...)
	if m.IsVerified() {
		b.B = append(b.B, "<li><a href=\"/\">Boards</a></li><li><a href=\"/latest\">Latest</a></li><li><a href=\"/unread\">Unread</a></li>"+
			"<li><a href=\"/podcasts\">Podcasts</a></li>"...)
	}
	b.B = append(b.B, "\n            "...)
	if m.IsModerator() {
		writeModeratorQueues(b, data)
	}
	b.B = append(b.B, "\n            "...)
	if m.IsModerator() {
		b.B = append(b.B, "<li><a href=\"/admin/members\">Members</a></li>"...)
	}
	b.B = append(b.B, "\n            "...)
	if m.IsAdmin() {
		b.B = append(b.B, "<li><a href=\"/admin/outbox\">Mail</a></li><li><a href=\"/admin/boards\">Admin: boards, groups</a></li>"+
			"<li><a href=\"/admin/audit\">Audit log</a></li>"...)
	}
	b.B = append(b.B, "\n          </ul>\n        </nav>\n        "...)
	if m.IsVerified() {
		b.B = append(b.B, "\n        <form class=\"site-search\" method=\"get\" action=\"/search\" role=\"search\">\n"+
			"          <label for=\"site-search-q\" class=\"visually-hidden\">Search Rounds</label>\n"+
			"          <input id=\"site-search-q\" type=\"search\" name=\"q\" placeholder=\"Search posts\" maxlength=\"500\" autocomplete=\"off\">\n"+
			"          <button type=\"submit\" class=\"small\">Search</button>\n        </form>\n        "...)
	}
	b.B = append(b.B, "\n        <div class=\"account\">\n          "...)
	if m.IsVerified() {
		b.B = append(b.B, "<a class=\"notifications-link\" href=\"/notifications\">Notifications"...)
		writeCountBadge(b, "unread-count", data.Unread, " unread")
		b.B = append(b.B, "</a>\n          <a class=\"bookmarks-link\" href=\"/bookmarks\">Bookmarks</a>\n"+
			"          <a class=\"drafts-link\" href=\"/drafts\">Drafts</a>\n"+
			"          <a class=\"consults-link\" href=\"/consults\">Consults</a>"...)
	}
	b.B = append(b.B, "\n          <a class=\"who\" href=\"/settings/sessions\" title=\"Your sessions\">"...)
	writeHTML(b, m.DisplayName)
	if m.Specialty != "" {
		b.B = append(b.B, " <span class=\"muted\">· "...)
		writeHTML(b, m.Specialty)
		b.B = append(b.B, "</span>"...)
	}
	b.B = append(b.B, "</a>\n          <form method=\"post\" action=\"/sign-out\" class=\"inline\">\n"+
		"            <input type=\"hidden\" name=\"_csrf\" value=\""...)
	writeHTML(b, data.CSRF())
	b.B = append(b.B, "\">\n            <button type=\"submit\" class=\"link-button\">Sign out</button>\n          </form>\n"+
		"        </div>\n      </div>\n    </details>\n    "...)
}

// writeModeratorQueues writes the links to the review queues, with what
// waits in each.
func writeModeratorQueues(b *bytebufferpool.ByteBuffer, data *pageData) {
	b.B = append(b.B, "<li><a href=\"/mod/review\">Reported posts"...)
	writeCountBadge(b, "unread-count", data.Reported, " waiting")
	if data.ToVerify != 0 {
		b.B = append(b.B, " <span class=\"verify-count\" title=\"Reported as identifying a patient: to verify first\">"...)
		b.B = strconv.AppendInt(b.B, data.ToVerify, 10)
		b.B = append(b.B, "<span class=\"visually-hidden\"> reported as identifying a patient, to verify</span></span>"...)
	}
	b.B = append(b.B, "</a></li><li><a href=\"/mod/verifications\">Verifications"...)
	writeCountBadge(b, "unread-count", data.Applications, " waiting")
	b.B = append(b.B, "</a></li>"...)
}

// writeCountBadge writes a count after a link's name, with its meaning for
// screen readers; nothing when it is zero.
func writeCountBadge(b *bytebufferpool.ByteBuffer, class string, n int64, meaning string) {
	if n == 0 {
		return
	}
	b.B = append(b.B, " <span class=\""...)
	b.B = append(b.B, class...)
	b.B = append(b.B, "\">"...)
	b.B = strconv.AppendInt(b.B, n, 10)
	b.B = append(b.B, "<span class=\"visually-hidden\">"...)
	b.B = append(b.B, meaning...)
	b.B = append(b.B, "</span></span>"...)
}

// writeWarningBanner tells a member the moderators have warned them.
func writeWarningBanner(b *bytebufferpool.ByteBuffer, warnings int64) {
	b.B = append(b.B, "<div class=\"warning-banner\" role=\"alert\"><div class=\"wrap\">A moderator has sent you "...)
	if warnings == 1 {
		b.B = append(b.B, "a warning. <a href=\"/settings/standing\">Read it</a>.</div></div>"...)
		return
	}
	b.B = strconv.AppendInt(b.B, warnings, 10)
	b.B = append(b.B, " warnings. <a href=\"/settings/standing\">Read them</a>.</div></div>"...)
}
