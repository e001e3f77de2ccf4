package app

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// pageData is what the base layout needs, with the page's own data in Page.
type pageData struct {
	Title  string
	Member *models.User
	Demo   bool
	SignIn bool // whether the site offers a way to sign in
	Path   string
	Page   any
	// Unread is the member's count of unread notifications; Warnings
	// their unread warnings from the moderators.
	Unread   int64
	Warnings int64
	// Reported is, for moderators, how many posts wait for review, and
	// ToVerify how many of them were reported as identifying a patient.
	Reported int64
	ToVerify int64
	// Applications is, for moderators, how many members' applications
	// for verification wait for a decision.
	Applications int64
	// Refused says why a form shown again was refused for characters
	// Rounds cannot keep (see screenInput).
	Refused string

	csrf func() string
}

// CSRF is computed only when a template asks for it, so pages without a
// form set no cookie.
func (p pageData) CSRF() string { return p.csrf() }

func (h *Handler) page(c *fiber.Ctx, title string) pageData {
	// The token is an HMAC, and a page may ask for it in several forms.
	token := ""
	p := pageData{
		Title:   title,
		Member:  member(c),
		Demo:    h.demo,
		SignIn:  h.canSignIn(),
		Path:    c.OriginalURL(),
		Refused: inputRefusal(c),
		csrf: func() string {
			if token == "" {
				token = h.csrfToken(c)
			}
			return token
		},
	}
	if p.Member.IsVerified() {
		// The count is a courtesy: a page is still worth showing without it.
		n, err := h.memberCounts(c, p.Member)
		if err != nil {
			h.log.Warn("count unread notifications", "request_id", requestID(c), "err", err)
		}
		p.Unread, p.Warnings, p.Reported, p.ToVerify, p.Applications = n.Unread, n.Warnings, n.Reported, n.ToVerify, n.Applications
	}
	return p
}

// memberCounts reads the header's counts, from the read cache when it
// holds them.
func (h *Handler) memberCounts(c *fiber.Ctx, u *models.User) (models.MemberCounts, error) {
	return h.cache.counts.read(memberKeyOf(u), h.cacheStamp(), nil, func() (models.MemberCounts, error) {
		return h.store.CountsFor(c.UserContext(), u)
	})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// idParam reads a positive integer route parameter.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound("That page", err)
	}
	return id, nil
}

// Waiting is what the phone's menu button counts: unread notifications,
// and for moderators the reported posts and applications in their queues.
func (p pageData) Waiting() int64 { return p.Unread + p.Reported + p.Applications }
