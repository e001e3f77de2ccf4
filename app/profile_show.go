package app

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

const profilePostsPerPage = 20

// profilePage is a member's profile as a peer sees it.
type profilePage struct {
	Profile  *models.Profile
	Avatar   avatar
	Verified string // "Verified clinician since March 2025, by a confirmed work email"
	Since    string // the month they joined
	Kind     models.ProfileKind
	Posts    []models.ProfilePost
	// PostsHTML is the list of posts as HTML (renderProfilePosts).
	PostsHTML template.HTML
	// Older is the address of the next page, empty on the last.
	Older string
	Own   bool
}

// avatar is a member's initials on a colour picked from their username:
// members upload no pictures.
type avatar struct {
	Initials string
	Hue      int // one of the eight avatar colours of the style sheet
}

// honorifics are left out of initials: "Dr. Amara Okafor" is AO.
var honorifics = map[string]bool{"dr": true, "dr.": true, "prof": true, "prof.": true, "mr": true, "mr.": true,
	"mrs": true, "mrs.": true, "ms": true, "ms.": true}

func avatarOf(u *models.User) avatar {
	var words []string
	for _, w := range strings.Fields(strings.Split(u.DisplayName, ",")[0]) {
		if !honorifics[strings.ToLower(w)] {
			words = append(words, w)
		}
	}
	initial := func(w string) string {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return string(unicode.ToUpper(r))
			}
		}
		return ""
	}
	var a avatar
	switch len(words) {
	case 0:
		a.Initials = initial(u.Username)
	case 1:
		a.Initials = initial(words[0])
	default:
		a.Initials = initial(words[0]) + initial(words[len(words)-1])
	}
	h := fnv.New32a()
	h.Write([]byte(u.Username))
	a.Hue = int(h.Sum32() % 8)
	return a
}

// verifiedLine says when and by what kind of evidence a member was
// verified, never the evidence itself.
func verifiedLine(p *models.Profile) string {
	how := map[string]string{
		models.VerifiedByInstitution: "by their institution's sign-in",
		models.VerifiedByWorkEmail:   "by a confirmed work email",
		models.VerifiedByModerator:   "by a moderator's review of their license",
	}[p.VerifiedBy]
	line := "Verified clinician"
	if p.VerifiedAt != nil {
		line += " since " + p.VerifiedAt.UTC().Format("January 2006")
	}
	if how != "" {
		line += ", " + how
	}
	return line
}

// profileURL is the address of a member's profile.
func profileURL(username string) string { return "/u/" + username }

// profileShow is a member's profile: who they are, how they were
// verified, and the posts they signed that the viewer may read. Profiles
// are for verified peers only, as the boards are.
func (h *Handler) profileShow(c *fiber.Ctx) error {
	viewer := member(c)
	key, err := h.profileKeyOf(c)
	if err != nil {
		return err
	}
	p, err := h.boardLists.profiles.read(key, h.cacheStamp(), profileKey.kept, func() (*models.Profile, error) {
		return h.store.ProfileOf(c.UserContext(), viewer, key.username)
	})
	if err != nil {
		return missing("That member", err)
	}
	page := profilePage{Profile: p, Avatar: avatarOf(&p.User), Verified: verifiedLine(p),
		Since: memberSince(p.User.CreatedAt), Own: viewer.ID == p.User.ID}
	switch k := models.ProfileKind(c.Query("show")); k {
	case models.ProfileAll, models.ProfileTopics, models.ProfileReplies:
		page.Kind = k
	default:
		return errNotFound("That list", nil)
	}
	before := int64(c.QueryInt("before", 0))
	if before < 0 {
		return errNotFound("That page", nil)
	}
	postsKey := profilePostsKey{profileKey: key, kind: page.Kind, before: before}
	posts, err := h.boardLists.profilePosts.read(postsKey, h.cacheStamp(), profilePostsKey.kept, func() (profilePosts, error) {
		posts, more, err := h.store.ProfilePosts(c.UserContext(), viewer, p.User.ID, page.Kind, before, profilePostsPerPage)
		return profilePosts{posts: posts, more: more}, err
	})
	if err != nil {
		return err
	}
	page.Posts = posts.posts
	if len(page.Posts) > 0 {
		page.PostsHTML = renderProfilePosts(page.Posts, h.now())
	}
	if posts.more {
		page.Older = fmt.Sprintf("%s?before=%d", profileURL(p.User.Username), posts.posts[len(posts.posts)-1].PostID)
		if page.Kind != "" {
			page.Older += "&show=" + string(page.Kind)
		}
	}
	data := h.page(c, p.User.DisplayName)
	data.Page = page
	return h.views.render(c, "profile_show", data)
}

// profileKey is everything a profile depends on: the member, and the
// viewer only through the boards they may read (boardScope: the counts and
// posts are of those boards) and whether they moderate (moderators see
// hidden posts, and count them). Viewers alike in both share the entries
// of the profile caches.
type profileKey struct {
	username, scope string
	moderates       bool
}

func (h *Handler) profileKeyOf(c *fiber.Ctx) (profileKey, error) {
	scope, err := h.boardScope(c)
	return profileKey{username: c.Params("username"), scope: scope, moderates: member(c).IsModerator()}, err
}

// kept is the key as stored: the username is the request's bytes.
func (k profileKey) kept() profileKey {
	k.username = strings.Clone(k.username)
	return k
}

// profilePostsKey names a page of a profile's list of posts.
type profilePostsKey struct {
	profileKey
	kind   models.ProfileKind
	before int64
}

func (k profilePostsKey) kept() profilePostsKey {
	k.profileKey = k.profileKey.kept()
	k.kind = models.ProfileKind(strings.Clone(string(k.kind)))
	return k
}

// profilePosts is a page of a profile's posts, and whether more follow.
// Entries are never changed once stored.
type profilePosts struct {
	posts []models.ProfilePost
	more  bool
}

// renderProfilePosts writes a profile's list of posts. Like renderTopicList
// it replaces a template's loop, whose calls for each row were most of the
// page's CPU once the profile was cached, and must write what that
// template wrote, byte for byte (app/profile_show_test.go compares the
// two): text is escaped as html/template escapes it (htmlText).
func renderProfilePosts(posts []models.ProfilePost, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(len(posts) * 500)
	b.WriteString("<ul class=\"topic-list profile-posts\">\n  ")
	for i := range posts {
		p := &posts[i]
		writeStrings(&b, "\n  <li class=\"topic-row\">\n    <div>\n      <a class=\"topic-title\" href=\"/p/",
			strconv.FormatInt(p.PostID, 10), `">`, htmlText(p.TopicTitle), "</a>\n      <div class=\"topic-meta\">\n        <span>")
		if p.Number == 1 {
			b.WriteString("Opened the topic")
		} else {
			writeStrings(&b, "Reply #", strconv.Itoa(p.Number))
		}
		writeStrings(&b, "</span>\n        <span>in <a href=\"/b/", urlPartText(p.BoardSlug), `">`, htmlText(p.BoardTitle),
			"</a></span>\n        ")
		if p.Hidden {
			b.WriteString(`<span class="badge">Hidden by moderators</span>`)
		}
		writeStrings(&b, "\n      </div>\n    </div>\n    <div class=\"topic-stats\"><time datetime=\"", isoTime(p.CreatedAt),
			`" title="`, stampTime(p.CreatedAt), `">`, ago(now.Sub(p.CreatedAt)), "</time></div>\n  </li>\n  ")
	}
	b.WriteString("\n</ul>")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// memberSince is the month a member joined, as a profile says it.
func memberSince(t time.Time) string { return t.UTC().Format("January 2006") }
