package app

import (
	"bytes"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/bytebufferpool"

	"rounds/models"
)

// The topic page written in Go. It is the hottest page of the site, and
// html/template spent half of an uncached page's time walking
// views/pages/topic_show.html and the layout (reflective calls, an escaper
// call per value). What this file writes equals what the templates write,
// byte for byte: the templates stay the source of truth, and while the
// tests run every topic page is written both ways and compared
// (topicFrameChecked). The cards only some topics have (a podcast's
// episode, a case's summary and outcome) and a composer shown again with
// problems, a preview, images or a case's fields are still written by
// their partials, called from here.

// writeTopicPage writes the whole topic page into b.
func (v *viewSet) writeTopicPage(b *bytebufferpool.ByteBuffer, data *pageData, p *topicPage) error {
	v.writeLayoutTop(b, data)
	b.B = append(b.B, '\n')
	if err := v.writeTopicContent(b, data, p); err != nil {
		return err
	}
	b.B = append(b.B, '\n')
	writeLayoutBottom(b)
	return nil
}

// writeTopicContent is topic_show.html's "content".
func (v *viewSet) writeTopicContent(b *bytebufferpool.ByteBuffer, data *pageData, p *topicPage) error {
	writeTopicHead(b, data, p.Topic)
	b.B = append(b.B, '\n')
	if p.Episode != nil {
		if err := v.writePartial(b, "episode_card", p.Episode); err != nil {
			return err
		}
	}
	b.B = append(b.B, '\n')
	if p.Case != nil {
		if err := v.writePartial(b, "case_summary", p.Case); err != nil {
			return err
		}
	}
	b.B = append(b.B, '\n')
	if p.Outcome != nil {
		if err := v.writePartial(b, "case_outcome", p.Outcome); err != nil {
			return err
		}
	}
	b.B = append(b.B, '\n')
	if p.NewPosts != 0 {
		b.B = append(b.B, "<p class=\"notice new-posts-note\"><a href=\""...)
		writeURL(b, p.FirstUnreadURL)
		b.B = append(b.B, "\">"...)
		writeHTML(b, plural(p.NewPosts, "new post", "new posts"))
		b.B = append(b.B, " since your last visit: go to the first</a></p>"...)
	}
	b.B = append(b.B, '\n')
	writePager(b, p)
	b.B = append(b.B, '\n')
	if p.ReadURL != "" {
		b.B = append(b.B, "<div id=\"reading-position\" data-url=\""...)
		writeURL(b, p.ReadURL)
		b.B = append(b.B, "\" data-csrf=\""...)
		writeHTML(b, data.CSRF())
		b.B = append(b.B, "\" hidden></div>"...)
	}
	b.B = append(b.B, '\n')
	b.B = append(b.B, p.PostsHTML...)
	b.B = append(b.B, '\n')
	writePager(b, p)
	b.B = append(b.B, '\n')
	if p.Level != nil {
		writeLevelForm(b, p.Level, data.CSRF())
	}
	b.B = append(b.B, '\n')
	switch {
	case p.Reply != nil:
		b.B = append(b.B, "\n<section class=\"reply\" aria-labelledby=\"reply-heading\">\n  <h2 id=\"reply-heading\">Reply</h2>\n  "...)
		if err := v.writeComposer(b, p.Reply, data.CSRF()); err != nil {
			return err
		}
		b.B = append(b.B, "\n</section>\n"...)
	case p.Topic.Locked:
		b.B = append(b.B, "\n<p class=\"notice\">This topic is locked and takes no new replies.</p>\n"...)
	case p.Refusal != "":
		b.B = append(b.B, "\n<p class=\"notice\">"...)
		writeHTML(b, p.Refusal)
		b.B = append(b.B, "</p>\n"...)
	case data.Member == nil:
		b.B = append(b.B, '\n')
		if data.SignIn {
			b.B = append(b.B, "<p class=\"notice\"><a href=\"/sign-in?return="...)
			writeQueryValue(b, data.Path)
			b.B = append(b.B, "\">Sign in</a> to reply.</p>"...)
		}
		b.B = append(b.B, '\n')
	}
	b.B = append(b.B, '\n')
	return nil
}

// writeTopicHead writes the breadcrumbs, the title with the topic's
// badges, tags and replies, and the moderators' tools.
func writeTopicHead(b *bytebufferpool.ByteBuffer, data *pageData, t *models.TopicSummary) {
	b.B = append(b.B, "\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"/\">Boards</a> › <a href=\"/b/"...)
	writeURLPart(b, t.BoardSlug)
	b.B = append(b.B, "\">"...)
	writeHTML(b, t.BoardTitle)
	b.B = append(b.B, "</a></nav>\n<div class=\"topic-head\">\n  <h1>"...)
	writeHTML(b, t.Title)
	b.B = append(b.B, "</h1>\n  <p class=\"topic-meta\">\n    "...)
	if t.Pinned {
		b.B = append(b.B, "<span class=\"badge\">Pinned</span>"...)
	}
	b.B = append(b.B, "\n    "...)
	if t.Locked {
		b.B = append(b.B, "<span class=\"badge\">Locked</span>"...)
	}
	b.B = append(b.B, "\n    "...)
	for _, tag := range t.Tags {
		b.B = append(b.B, "<a class=\"tag\" href=\"/tags/"...)
		writeURLPart(b, tag)
		b.B = append(b.B, "\">"...)
		writeHTML(b, tag)
		b.B = append(b.B, "</a>"...)
	}
	b.B = append(b.B, "\n    <span>"...)
	writeHTML(b, plural(t.Replies(), "reply", "replies"))
	b.B = append(b.B, "</span>\n  </p>\n  "...)
	if t.OpenerHidden {
		b.B = append(b.B, "<p class=\"notice moderation\">Members do not see this topic, its title or its replies: its opening post is hidden. "+
			"Show the opening post again, or edit the identifiers out of it, to give the topic back to them.</p>"...)
	}
	b.B = append(b.B, "\n  "...)
	if data.Member.IsModerator() {
		writeModeratorTools(b, t, data.CSRF())
	}
	b.B = append(b.B, "\n</div>"...)
}

// writeModeratorTools writes the forms that lock, pin and move the topic.
func writeModeratorTools(b *bytebufferpool.ByteBuffer, t *models.TopicSummary, csrf string) {
	b.B = append(b.B, "\n  <div class=\"mod-tools\" role=\"group\" aria-label=\"Moderator tools\">\n    "...)
	lock, unlock := modSwitch{"lock", "Lock"}, modSwitch{"unlock", "Unlock"}
	writeModeratorForm(b, t.ID, csrf, lock, unlock, t.Locked, func() {
		b.B = append(b.B, "<label for=\"lock-reason\">Reason for locking <span class=\"muted\">(optional)</span></label>\n"+
			"      <input id=\"lock-reason\" name=\"reason\" type=\"text\" maxlength=\"500\" autocomplete=\"off\">"...)
	})
	b.B = append(b.B, "\n    "...)
	writeModeratorForm(b, t.ID, csrf, modSwitch{"pin", "Pin"}, modSwitch{"unpin", "Unpin"}, t.Pinned, nil)
	b.B = append(b.B, "\n    <a class=\"button small\" href=\"/mod/topics/"...)
	b.B = strconv.AppendInt(b.B, t.ID, 10)
	b.B = append(b.B, "/move\">Move</a>\n  </div>\n  "...)
}

// modSwitch is one way of a moderator's switch on a topic: its action's
// last segment and its button.
type modSwitch struct{ action, button string }

// writeModeratorForm writes the form that turns a topic's state on, or off
// when it is on; fields, when not nil, writes the fields of turning it on.
func writeModeratorForm(b *bytebufferpool.ByteBuffer, topicID int64, csrf string, turnOn, turnOff modSwitch, on bool, fields func()) {
	next := turnOn
	if on {
		next = turnOff
	}
	b.B = append(b.B, "<form method=\"post\" action=\"/mod/topics/"...)
	b.B = strconv.AppendInt(b.B, topicID, 10)
	b.B = append(b.B, '/')
	b.B = append(b.B, next.action...)
	b.B = append(b.B, "\">\n      <input type=\"hidden\" name=\"_csrf\" value=\""...)
	writeHTML(b, csrf)
	b.B = append(b.B, "\">\n      "...)
	if fields != nil {
		if !on {
			fields()
		}
		b.B = append(b.B, "\n      "...)
	}
	b.B = append(b.B, "<button type=\"submit\" class=\"button small\">"...)
	b.B = append(b.B, next.button...)
	b.B = append(b.B, "</button>\n    </form>"...)
}

// writePager is the "pager" partial: the links to the topic's pages.
func writePager(b *bytebufferpool.ByteBuffer, p *topicPage) {
	if len(p.Pager) == 0 {
		return
	}
	b.B = append(b.B, "\n<nav class=\"pager\" aria-label=\"Pages of this topic\">\n  <ul>\n  "...)
	if p.Page > 1 {
		b.B = append(b.B, "<li><a href=\""...)
		writeURL(b, p.URL)
		if p.Page > 2 {
			b.B = append(b.B, "?page="...)
			b.B = strconv.AppendInt(b.B, int64(p.Page-1), 10)
		}
		b.B = append(b.B, "\" rel=\"prev\">Previous</a></li>"...)
	}
	b.B = append(b.B, "\n  "...)
	for _, link := range p.Pager {
		b.B = append(b.B, "\n    "...)
		switch {
		case link.Gap:
			b.B = append(b.B, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n    "...)
		case link.Current:
			b.B = append(b.B, "<li><span aria-current=\"page\">"...)
			b.B = strconv.AppendInt(b.B, int64(link.Number), 10)
			b.B = append(b.B, "</span></li>\n    "...)
		default:
			b.B = append(b.B, "<li><a href=\""...)
			writeURL(b, p.URL)
			if link.Number > 1 {
				b.B = append(b.B, "?page="...)
				b.B = strconv.AppendInt(b.B, int64(link.Number), 10)
			}
			b.B = append(b.B, "\">"...)
			b.B = strconv.AppendInt(b.B, int64(link.Number), 10)
			b.B = append(b.B, "</a></li>"...)
		}
		b.B = append(b.B, "\n  "...)
	}
	b.B = append(b.B, "\n  "...)
	if p.Page < p.Pages {
		b.B = append(b.B, "<li><a href=\""...)
		writeURL(b, p.URL)
		b.B = append(b.B, "?page="...)
		b.B = strconv.AppendInt(b.B, int64(p.Page+1), 10)
		b.B = append(b.B, "\" rel=\"next\">Next</a></li>"...)
	}
	b.B = append(b.B, "\n  </ul>\n</nav>\n"...)
}

// writeLevelForm is the "level_form" partial: the member's digest switch.
func writeLevelForm(b *bytebufferpool.ByteBuffer, l *levelControl, csrf string) {
	b.B = append(b.B, "\n<form method=\"post\" action=\""...)
	writeURL(b, l.Action)
	b.B = append(b.B, "\" class=\"level-form\" aria-label=\"Digest email for this "...)
	writeHTML(b, l.What)
	b.B = append(b.B, "\">\n  <input type=\"hidden\" name=\"_csrf\" value=\""...)
	writeHTML(b, csrf)
	b.B = append(b.B, "\">\n  <span class=\"level-label\">Digest:</span>\n"...)
	newItem := "reply"
	if l.What == "board" {
		newItem = "topic"
	}
	writeLevelButton(b, l.Level, "watch", "watch", "Every new "+newItem+" goes into your digest", "Watch")
	writeLevelButton(b, l.Level, "default", "", "Only the busiest discussions go into your digest", "Default")
	b.B = append(b.B, "  <button type=\"submit\" name=\"level\" value=\"mute\" class=\"small"...)
	writeSelected(b, l.Level == "mute")
	b.B = append(b.B, "\" title=\"Nothing from this "...)
	writeHTML(b, l.What)
	b.B = append(b.B, " goes into your digest\">Mute</button>\n</form>\n"...)
}

// writeLevelButton writes one of the switch's buttons whose title does not
// name the page's kind.
func writeLevelButton(b *bytebufferpool.ByteBuffer, current, value, level, title, label string) {
	b.B = append(b.B, "  <button type=\"submit\" name=\"level\" value=\""...)
	b.B = append(b.B, value...)
	b.B = append(b.B, "\" class=\"small"...)
	writeSelected(b, current == level)
	b.B = append(b.B, "\" title=\""...)
	b.B = append(b.B, title...)
	b.B = append(b.B, "\">"...)
	b.B = append(b.B, label...)
	b.B = append(b.B, "</button>\n"...)
}

// writeSelected ends a level button's class and says whether it is
// pressed.
func writeSelected(b *bytebufferpool.ByteBuffer, selected bool) {
	if selected {
		b.B = append(b.B, " selected\" aria-pressed=\"true"...)
	} else {
		b.B = append(b.B, "\" aria-pressed=\"false"...)
	}
}

// writePartial writes one of the page's partials with its template.
func (v *viewSet) writePartial(b *bytebufferpool.ByteBuffer, name string, data any) error {
	t, err := v.page("topic_show")
	if err != nil {
		return err
	}
	if err := t.ExecuteTemplate(b, name, data); err != nil {
		return fmt.Errorf("render topic_show/%s: %w", name, err)
	}
	return nil
}

// topicFrameChecked, set while the tests run (export_test.go), has every
// topic page written by the templates too, and a page that differs refused
// with an error: the whole suite's topic pages, for every kind of reader
// and topic its tests make, hold writeTopicPage to the templates.
var topicFrameChecked atomic.Bool

// topicFramesCompared counts the pages compared, for the tests to know
// the comparison ran.
var topicFramesCompared atomic.Int64

// renderTopicPage writes the topic page p, with the layout's data, and
// sends it.
func (v *viewSet) renderTopicPage(c *fiber.Ctx, data *pageData, p *topicPage) error {
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := v.writeTopicPage(buf, data, p); err != nil {
		return err
	}
	if topicFrameChecked.Load() {
		if err := v.compareWithTemplates(buf.B, *data, p); err != nil {
			return err
		}
	}
	sendHTML(c, buf.B)
	return nil
}

// compareWithTemplates writes the page with topic_show.html and the layout
// and says where written differs from it.
func (v *viewSet) compareWithTemplates(written []byte, data pageData, p *topicPage) error {
	want := bytebufferpool.Get()
	defer bytebufferpool.Put(want)
	data.Page = *p
	t, err := v.page("topic_show")
	if err != nil {
		return err
	}
	if err := t.ExecuteTemplate(want, "layout", data); err != nil {
		return fmt.Errorf("render topic_show for the comparison: %w", err)
	}
	topicFramesCompared.Add(1)
	if bytes.Equal(written, want.B) {
		return nil
	}
	at := 0
	for at < len(written) && at < len(want.B) && written[at] == want.B[at] {
		at++
	}
	around := func(b []byte) string { return string(b[max(at-80, 0):min(at+80, len(b))]) }
	return fmt.Errorf("the topic page written in Go differs from the templates' at byte %d:\nGo:       %q\ntemplate: %q",
		at, around(written), around(want.B))
}
