package app

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

type topicPage struct {
	Topic     *models.TopicSummary
	PostsHTML template.HTML
	Page      int
	Pages     int
	URL       string
	Reply     *composer
	Pager     []pageLink
	CanPost   bool
	// Refusal says why this member cannot reply here, if the board is why.
	Refusal string
	// Episode is what a podcast topic discusses, with its player.
	Episode *episodeCard
	// Case is a case topic's summary, shown above the opening post.
	Case *caseCard
	// Level is the member's digest switch for the topic.
	Level *levelControl
	// NewPosts counts the posts since the member's last visit when the
	// first of them, at FirstUnreadURL, is on another page.
	NewPosts       int
	FirstUnreadURL string
	// ReadURL is where the page's script reports the posts the member
	// has seen (see public/js/reading.js).
	ReadURL string
	// Outcome is a case's outcome, under its summary.
	Outcome *outcomeCard
}

type pageLink struct {
	Number  int
	Current bool
	Gap     bool
}

func (h *Handler) topicShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page := c.QueryInt("page", 1)
	reads, err := h.readTopicPage(c, id, page)
	if err != nil {
		return missing("That topic", err)
	}
	topic, access, err := h.readableTopicRead(c, id, reads)
	if err != nil {
		return err
	}
	if page < 1 || page > max(pageOfPost(topic.PostCount), 1) {
		return errNotFound("That page of the topic", nil)
	}
	// The slug is optional; a wrong one (say, after a retitle) moves the
	// reader to the right address.
	if slug := c.Params("slug"); slug != "" && slug != topic.Slug {
		return c.Redirect(topicPageURL(&topic.Topic, page), fiber.StatusMovedPermanently)
	}
	m := member(c)
	lastRead := 0
	var marks *models.ReaderMarks
	if m.IsVerified() {
		// The member's marks on the page, position and draft, read with
		// the rest (readTopicPage).
		marks, lastRead = reads.Marks, h.reads.ahead(m.ID, topic.ID, reads.Marks.LastRead)
		if c.Request().URI().QueryArgs().Has("unread") {
			// From a list or a notification: on from where the member stopped.
			return c.Redirect(firstUnreadURL(&topic.Topic, lastRead), fiber.StatusSeeOther)
		}
		if c.Method() == fiber.MethodGet && c.Cookies(readerScriptCookie) == "" && topic.PostCount > 0 {
			// Without the script that reports posts as they come into
			// view, showing a page counts as reading it to its last post.
			h.reads.record(m.ID, topic.ID, min(page*postsPerPage, topic.PostCount), h.now())
		}
	}
	return h.renderTopicRead(c, topic, access, page, nil, lastRead, marks, reads)
}

// topicPageReads is what topicShow read from the store in one go
// (models.Store.ReadTopicPage) before it had the topic to check the
// reader's access with: the parts of the page no cache held, and the
// cache stamp taken before they were read, which they are kept under.
type topicPageReads struct {
	stamp cacheStamp
	query models.TopicPageQuery
	models.TopicPageReads
}

// readTopicPage reads what a page of a topic needs and the caches do not
// hold: the topic, the page's posts (not when a member is only sent on to
// their first unread post), the member's marks. On PostgreSQL that is one
// round trip rather than one a part.
func (h *Handler) readTopicPage(c *fiber.Ctx, id int64, page int) (*topicPageReads, error) {
	m := member(c)
	stamp := h.cacheStamp()
	first := (page-1)*postsPerPage + 1
	q := models.TopicPageQuery{TopicID: id, First: first, Last: first + postsPerPage - 1}
	if _, cached := h.cache.topics.get(id, stamp); !cached || c.Method() != fiber.MethodGet {
		q.Topic = true
	}
	forward := m.IsVerified() && c.Request().URI().QueryArgs().Has("unread")
	q.Posts = !forward && !h.topicPosts.holds(id, page, m.IsModerator(), stamp)
	if m.IsVerified() {
		q.ReaderID = m.ID
	}
	read, err := h.store.ReadTopicPage(c.UserContext(), q)
	if err != nil {
		return nil, err
	}
	return &topicPageReads{stamp: stamp, query: q, TopicPageReads: read}, nil
}

// readerScriptCookie is set by public/js/reading.js: where it runs, it
// reports each post as it comes into view, and the page view itself
// records nothing.
const readerScriptCookie = "rounds_reader"

// firstUnreadURL is where a member who read a topic to lastRead goes on
// reading: the first post after it, the last post when they read them
// all, the start when they never opened it.
func firstUnreadURL(t *models.Topic, lastRead int) string {
	next := min(lastRead+1, t.PostCount)
	if lastRead == 0 || next <= 1 {
		return topicURL(t)
	}
	return topicPageURL(t, pageOfPost(next)) + "#post-" + strconv.Itoa(next)
}

// renderTopic writes a page of a topic. Its posts are written in two parts
// (the seam for the topic page cache, topic_cache.go): sharedTopicPosts
// gives what every reader of the same kind sees, from the cache when it
// can, and topicPostItems adds what is the reader's own (their posts,
// bookmarks, reactions, the Quote, Report and moderation links). Anything
// added to a post that depends on who reads it belongs in the second part,
// in postItem's per-reader fields and writePostTail; anything else may go
// in the first, in sharedPostItems and writePostHead, and if it depends on
// more than the topic, the page and topicPostsKey's fields, it must be added
// to the key.
func (h *Handler) renderTopic(c *fiber.Ctx, topic *models.TopicSummary, access models.BoardAccess, page int, reply *composer) error {
	return h.renderTopicRead(c, topic, access, page, reply, 0, nil, nil)
}

// renderTopicRead is renderTopic for a member who had read the topic to
// post lastRead (0 for none, or not known): the post after it is marked as
// the first new since their last visit. marks, when not nil, are the
// member's marks on the page already read (models.Store.ReaderMarksOn);
// reads, when not nil, what topicShow read for the page.
func (h *Handler) renderTopicRead(c *fiber.Ctx, topic *models.TopicSummary, access models.BoardAccess, page int, reply *composer,
	lastRead int, marks *models.ReaderMarks, reads *topicPageReads) error {
	pages := max(pageOfPost(topic.PostCount), 1)
	m := member(c)
	p := topicPage{Topic: topic, Page: page, Pages: pages, URL: topicURL(&topic.Topic),
		Pager: pager(page, pages), CanPost: m.IsVerified() && !topic.Locked && access.CanStartOrReply(),
		Refusal: postRefusal(access)}
	var err error
	if p.Episode, err = h.topicEpisode(c, &topic.Topic); err != nil {
		return err
	}
	if p.Case, err = h.topicCase(c.UserContext(), &topic.Topic); err != nil {
		return err
	}
	if p.Outcome, err = h.topicOutcome(c, topic); err != nil {
		return err
	}
	shared, err := h.sharedTopicPosts(c.UserContext(), topic, page, m.IsModerator(), p.Case != nil && p.Case.OpeningIsSummary, reads)
	if err != nil {
		return err
	}
	items, err := h.topicPostItems(c, &p, shared, marks)
	if err != nil {
		return err
	}
	if lastRead > 0 && lastRead < topic.PostCount {
		marked := false
		for i := range items {
			if items[i].Number > lastRead {
				items[i].FirstUnread, marked = true, true
				break
			}
		}
		if !marked {
			// The first new post is on another page: say so, and link to it.
			p.NewPosts, p.FirstUnreadURL = topic.PostCount-lastRead, firstUnreadURL(&topic.Topic, lastRead)
		}
	}
	if m.IsVerified() {
		p.ReadURL = "/t/" + strconv.FormatInt(topic.ID, 10) + "/read"
	}
	p.PostsHTML = template.HTML(writeTopicPosts(shared, items)) //nolint:gosec // escaped in writePostHead and writePostTail
	if p.CanPost {
		if reply == nil {
			if reply, err = h.replyComposer(c, topic, access, marks); err != nil {
				return err
			}
		}
		reply.Action = "/t/" + strconv.FormatInt(topic.ID, 10) + "/reply"
		reply.Submit, reply.OfferPoll = "Post reply", true
		reply.Place, reply.MentionBoard = models.ReplyDraft(topic.ID), topic.BoardSlug
		reply.DraftReturn = topicURL(&topic.Topic) + "#reply-heading"
		if reply.Images == nil {
			reply.Images = h.newImageTray()
		}
		p.Reply = reply
	}
	data := h.page(c, topic.Title)
	return h.views.renderTopicPage(c, &data, &p)
}

// topicPostItems adds to the page's shared posts what is the reader's: what
// they may do with each post, their bookmarks, their reactions and the
// buttons to react, the polls as they may see them, the button that marks
// the answer, each post's Quote link when they may reply; and sets
// the page's digest switch to their level on the topic. A verified
// member's marks come in one statement (models.Store.ReaderMarksOn), read
// now unless read is given.
func (h *Handler) topicPostItems(c *fiber.Ctx, p *topicPage, shared *topicPosts, read *models.ReaderMarks) ([]postItem, error) {
	m := member(c)
	items := h.viewerPostItems(m, shared)
	if !m.IsVerified() {
		for i := range items {
			items[i].Reactions = nil // reactions are for verified members
		}
	} else {
		if read == nil {
			first := (p.Page-1)*postsPerPage + 1
			marks, err := h.store.ReaderMarksOn(c.UserContext(), m.ID, p.Topic.ID, first, first+postsPerPage-1)
			if err != nil {
				return nil, err
			}
			read = &marks
		}
		marks := read
		h.applyReactions(c, items, marks.Reacted)
		for i := range items {
			items[i].Bookmarked = items[i].Bookmarkable && marks.Bookmarked[items[i].ID]
		}
		p.Level = topicLevelControl(p.Topic.ID, marks.Level)
	}
	h.offerAnswerButtons(c, p.Topic, items)
	if err := h.attachPolls(c, m, p.Topic, items); err != nil {
		return nil, err
	}
	if p.CanPost {
		base := topicPageURL(&p.Topic.Topic, p.Page)
		if p.Page > 1 {
			base += "&quote="
		} else {
			base += "?quote="
		}
		for i := range items {
			if !items[i].Deleted && !items[i].Withheld {
				items[i].QuoteURL = base + strconv.FormatInt(items[i].ID, 10) + "#reply-heading"
			}
		}
	}
	return items, nil
}

// replyComposer is the empty reply form under a topic, with the
// anonymity the board offers, the member's draft (from marks when they were
// read, otherwise read now) and, after the Quote link of a post, that post
// quoted.
func (h *Handler) replyComposer(c *fiber.Ctx, topic *models.TopicSummary, access models.BoardAccess, marks *models.ReaderMarks) (*composer, error) {
	reply := &composer{}
	if err := h.offerAnonymity(c, reply, topic.BoardID, access); err != nil {
		return nil, err
	}
	var fields url.Values
	if marks != nil {
		fields = restoredDraft(reply, models.ReplyDraft(topic.ID), marks.ReplyDraft)
	} else {
		var err error
		if fields, err = h.restoreDraft(c, reply, models.ReplyDraft(topic.ID)); err != nil {
			return nil, err
		}
	}
	fillFromDraft(reply, fields)
	if q := c.Query("quote"); q != "" {
		body, err := h.quotedReply(c.UserContext(), member(c), topic, q)
		if err != nil {
			return nil, err
		}
		// A quote goes below what the draft holds.
		if strings.TrimSpace(reply.Body) != "" {
			body = strings.TrimRight(reply.Body, "\n") + "\n\n" + body
		}
		reply.Body = body
	}
	return reply, nil
}

// pager lists the page links to show: the first, the last and a window
// around the current one, with gaps between.
func pager(current, total int) []pageLink {
	if total <= 1 {
		return nil
	}
	var links []pageLink
	last := 0
	for n := 1; n <= total; n++ {
		if n == 1 || n == total || (n >= current-2 && n <= current+2) {
			if last != 0 && n != last+1 {
				links = append(links, pageLink{Gap: true})
			}
			links = append(links, pageLink{Number: n, Current: n == current})
			last = n
		}
	}
	return links
}

// postItem is a post ready for the template: every value it prints is
// computed here, because the topic page is the hottest page of the site and
// template field lookups through embedded structs and function calls cost
// far more than plain fields.
type postItem struct {
	ID         int64
	Number     int
	AuthorName string
	// Username links a signed post to its author's profile; it is empty
	// for an anonymous post.
	Username  string
	Specialty string
	Anonymous bool
	Cooked    template.HTML
	Deleted   bool
	// FirstUnread marks the first post after the reader's last visit.
	FirstUnread bool
	// Hidden posts show members a tombstone with HiddenReason (Withheld,
	// Cooked left empty) and moderators the content under a notice.
	Hidden       bool
	Withheld     bool
	HiddenReason string
	Edited       bool
	Mine         bool
	// SummaryAbove marks the opening post of a case topic that is the
	// case summary shown above it: the post says so instead of repeating
	// the summary.
	SummaryAbove bool
	// Previews are the cards of the post's fetched links.
	Previews []models.LinkPreview
	// Images are the post's images, shown as thumbnails that open the
	// full view.
	Images []models.PostImage
	// authorID is who wrote the post, to tell the reader's own posts
	// (Mine); it is never written out.
	authorID int64
	// PHIConfirmed is, for moderators, what the author confirmed was no
	// patient identifier.
	PHIConfirmed []phiNote
	// Revealable offers a moderator the (audited) reveal of an anonymous
	// post's author.
	Revealable bool
	// Flaggable offers a member the report form; Moderatable offers a
	// moderator the post's review page.
	Flaggable   bool
	Moderatable bool
	// Bookmarkable offers the member a bookmark on the post; Bookmarked
	// says they have one.
	Bookmarkable bool
	Bookmarked   bool
	// QuoteURL, set when the reader may reply, offers the reply composer
	// with the post quoted.
	QuoteURL string
	// Reactions count the post's reactions; ReactCSRF, set when the
	// reader may react, makes them buttons.
	Reactions []models.ReactionCount
	ReactCSRF string
	// IsAnswer marks the topic's answer; AnsweredBy, on the opening
	// post, names it; AnswerCSRF, set when the reader may mark the
	// answer, offers the button that does.
	IsAnswer   bool
	AnsweredBy *models.Answer
	AnswerCSRF string
	// Poll is the post's poll as the reader sees it; PollAddable offers
	// the post's author to add one.
	Poll        *pollItem
	PollAddable bool
	CreatedISO  string
	CreatedAgo  string
	CreatedFull string
	UpdatedISO  string
	UpdatedAgo  string
	UpdatedFull string
}

// sharedPostItems makes posts ready to write with what every reader of the
// same kind sees: moderators (moderator set) or members. The per-reader
// fields are left for viewerPostItems.
func (h *Handler) sharedPostItems(posts []models.PostView, moderator bool, now time.Time) []postItem {
	items := make([]postItem, len(posts))
	for i := range posts {
		p := &posts[i]
		items[i] = postItem{
			ID: p.ID, Number: p.Number, AuthorName: p.AuthorName, Username: p.AuthorUsername, Specialty: p.AuthorSpecialty,
			Cooked: cookedHTML(p.Cooked), Deleted: p.IsDeleted(), Edited: p.IsEdited(),
			Hidden: p.IsHidden(), HiddenReason: p.HiddenReason,
			authorID:   p.AuthorID,
			CreatedISO: isoTime(p.CreatedAt), CreatedAgo: ago(now.Sub(p.CreatedAt)), CreatedFull: stampTime(p.CreatedAt),
		}
		if p.Anonymous {
			// The post's label is all anyone learns of the author.
			items[i].AuthorName, items[i].Username, items[i].Specialty, items[i].Anonymous = models.AnonymousAuthor(p.AnonymousAs), "", "", true
		}
		if p.PHIConfirmed != "" && moderator {
			items[i].PHIConfirmed = confirmedNotes(p.PHIConfirmed)
		}
		if items[i].Hidden && !moderator {
			items[i].Withheld, items[i].Cooked = true, ""
		}
		if !items[i].Deleted && !items[i].Withheld {
			items[i].Reactions, items[i].Images, items[i].Previews = p.Reactions, p.Images, p.Previews
			for j := range items[i].Previews {
				// Thumbnails load through the image proxy, as posts' images do.
				card := &items[i].Previews[j]
				card.ImageURL = h.images.URL(card.ImageURL)
			}
		}
		if items[i].Edited {
			items[i].UpdatedISO, items[i].UpdatedAgo, items[i].UpdatedFull =
				isoTime(p.UpdatedAt), ago(now.Sub(p.UpdatedAt)), stampTime(p.UpdatedAt)
		}
	}
	return items
}
